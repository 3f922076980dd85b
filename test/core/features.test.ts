/**
 * Language features in the pure core, driven by drafts with a cursor marker `|`.
 */
import * as assert from 'node:assert/strict';
import { seedCorpus, serviceFor } from '../support/memoryWorkspace';
import type { SourcemarkService, DraftDocument } from '../../server/src/core/service';
import type { SourcemarkSettings } from '../../server/src/core/settings';
import { LineIndex } from '../../server/src/core/text/lineIndex';

const CURSOR = '|';

function at(input: string): { doc: DraftDocument; position: { line: number; character: number } } {
  const offset = input.indexOf(CURSOR);
  assert.ok(offset >= 0, `no cursor marker in ${input}`);
  const text = input.slice(0, offset) + input.slice(offset + 1);
  return { doc: { uri: 'memory:///draft.md', version: 1, getText: () => text }, position: new LineIndex(text).positionAt(offset) };
}

let service: SourcemarkService;
let settings: SourcemarkSettings;

before(async () => {
  ({ service, settings } = await serviceFor(seedCorpus()));
});

describe('completion', () => {
  // [draft with cursor, label expected among the first three items, inserted text]
  const figures: [string, string, string][] = [
    ['Năm 2024, Tokyo sẽ cung cấp cho Kiev |', '4,5 tỷ USD', '4,5 tỷ USD [@002_bd768a52f42e921c]'],
    ['Năm 2024, Tokyo sẽ cung cấp cho Kiev 4|', '4,5 tỷ USD', '4,5 tỷ USD [@002_bd768a52f42e921c]'],
    ['Luxembourg là một công quốc nhỏ với dân số |', 'khoảng 672.000 người', 'khoảng 672.000 người [@000_7f8327f5e496136c]'],
    ['Tokyo và Kiev sẽ tổ chức tham vấn trong vòng |', '24 giờ', '24 giờ [@002_bd768a52f42e921c]'],
  ];
  for (const [input, label, insert] of figures) {
    it(`offers the source figure: ${input}`, () => {
      const { doc, position } = at(input);
      const items = service.provideCompletions(doc, position, settings);
      const top = items.slice(0, 3).map((i) => i.label);
      assert.ok(top.includes(label), `top items: ${JSON.stringify(top)}`);
      const item = items.find((i) => i.label === label)!;
      assert.equal((item.textEdit as { newText: string }).newText, insert);
      assert.match(String((item.documentation as { value: string }).value), /\*\*/);
    });
  }

  it('replaces the digits already typed', () => {
    const { doc, position } = at('Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,|');
    const item = service.provideCompletions(doc, position, settings).find((i) => i.label === '4,5 tỷ USD')!;
    const range = (item.textEdit as { range: { start: { character: number }; end: { character: number } } }).range;
    assert.equal(position.character - range.start.character, 2);
  });

  it('offers citation keys inside [@, matched without diacritics', () => {
    const { doc, position } = at('Theo [@00|');
    const items = service.provideCompletions(doc, position, settings);
    assert.equal(items.length, 5);
    const mỹ = items.find((i) => i.label === '002_bd768a52f42e921c')!;
    assert.match(mỹ.filterText!, /my, nhat ban ky thoa thuan an ninh/);
    assert.equal((mỹ.textEdit as { newText: string }).newText, '002_bd768a52f42e921c');
  });

  it('sends the first citation items whole and the rest without byline and card, which resolve adds', async () => {
    const files: Record<string, string> = { ...seedCorpus() };
    for (let k = 1; k <= 13; k++) files[`corpus/ref-${String(k).padStart(2, '0')}.md`] = `---\ntitle: Bài số ${k} về thỏa thuận\noutlet: Báo Mẫu\ndate: 2024-07-${String(k).padStart(2, '0')}\n---\n\nĐoạn đầu của bài ${k} nói về viện trợ.\n`;
    const { service: s, settings: st } = await serviceFor(files);
    const { doc, position } = at('Theo [@ref|');
    const list = s.provideCompletionList(doc, position, st);
    assert.deepEqual(list.items.map((i) => i.label), Array.from({ length: 13 }, (_, k) => `ref-${String(k + 1).padStart(2, '0')}`));
    const whole = list.items.slice(0, 10);
    const bare = list.items.slice(10);
    assert.ok(whole.every((i) => i.detail && i.documentation && i.data === undefined), 'the first ten come whole');
    assert.ok(bare.every((i) => i.detail === undefined && i.documentation === undefined && i.filterText?.includes('bai so')), 'the rest come bare, still filterable');
    for (const item of bare) {
      const resolved = s.resolveCompletionItem(JSON.parse(JSON.stringify(item)), st)!;
      const k = Number(String(item.label).slice(4));
      assert.equal(resolved.detail, `Bài số ${k} về thỏa thuận — Báo Mẫu, 2024-07-${k}`);
      assert.match((resolved.documentation as { value: string }).value, new RegExp(`^\\*\\*Bài số ${k} về thỏa thuận\\*\\*\\n\\nBáo Mẫu · 2024-07-${k}\\n\\nĐoạn đầu của bài ${k}`));
      assert.deepEqual(resolved.textEdit, item.textEdit);
    }
    // Words of the title, outlet and date (diacritics ignored), each at a word start, every one required.
    const byWords = (typed: string): string[] => {
      const w = at(`Theo [@${typed}|`);
      return s.provideCompletionList(w.doc, w.position, st).items.map((i) => String(i.label));
    };
    assert.equal(byWords('bao-mau').length, 13);
    assert.deepEqual(byWords('thoa-13'), ['ref-13']);
    assert.deepEqual(byWords('Báo.thuận.07-02'), ['ref-02']);
    assert.deepEqual(byWords('hoa-13'), [], 'a word must start where the typed one does');
    assert.deepEqual(byWords('mau-nhat-ban'), []);
    assert.equal(s.resolveCompletionItem({ label: 'x', data: { sourcemark: 'citation', id: 'no-such' } }, st), undefined);
    assert.equal(s.resolveCompletionItem({ label: '4,5 tỷ USD' }, st), undefined);
  });

  it('answers from the draft parse alone: the same items before the draft is checked, after, and after an edit', () => {
    // A long draft with a cursor in its last sentence; uri per case, so no check is cached.
    const body = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD. Luxembourg có khoảng 672.000 người.\n\n'.repeat(20);
    const ask = (uri: string, text: string, check: boolean): string[] => {
      const offset = text.indexOf(CURSOR);
      const plain = text.slice(0, offset) + text.slice(offset + 1);
      const doc: DraftDocument = { uri, version: 1, getText: () => plain };
      if (check) service.checkDocument(doc, settings);
      return service.provideCompletions(doc, new LineIndex(plain).positionAt(offset), settings).map((i) => `${String(i.label)} → ${(i.textEdit as { newText: string }).newText}`);
    };
    const text = `${body}Tokyo và Kiev sẽ tổ chức tham vấn trong vòng |`;
    const unchecked = ask('memory:///parse-only.md', text, false);
    assert.ok(unchecked.some((i) => i.startsWith('24 giờ')), JSON.stringify(unchecked.slice(0, 3)));
    assert.deepEqual(unchecked, ask('memory:///checked.md', text, true));
    // The check of the previous text is stale for the new one: the new parse answers.
    const edited = `${body}Ukraine và Luxembourg đã ký thỏa thuận |`;
    assert.deepEqual(ask('memory:///checked.md', edited, false), ask('memory:///fresh.md', edited, true));
  });

  it('offers agreements after "thỏa thuận" and a party name', () => {
    const { doc, position } = at('Ukraine và Luxembourg đã ký thỏa thuận |');
    const items = service.provideCompletions(doc, position, settings);
    const first = items[0]!;
    assert.match(String(first.label), /Luxembourg – Ukraine, ký 10\/7/);
    assert.match((first.textEdit as { newText: string }).newText, /\[@000_7f8327f5e496136c\]$/);
  });
});

describe('hover', () => {
  const cases: [string, RegExp][] = [
    ['Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,|4 tỷ USD.', /Contradicted.*\*\*4,5 tỷ USD\*\*[\s\S]*Kiev \*\*4,5 tỷ USD\*\*[\s\S]*002_bd768a52f42e921c\.txt#L/],
    ['Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,|5 tỷ USD.', /Supported/],
    ['Brazil xuất khẩu 3 triệu| tấn cà phê.', /Unsupported/],
    ['Theo [@002_bd7|68a52f42e921c], Mỹ đã ký.', /Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm[\s\S]*Thế giới & Việt Nam · 2024-06/],
    ['Luxembourg ký thỏa th|uận với Ukraine.', /Luxembourg[\s\S]*10\/7/],
  ];
  for (const [input, expected] of cases) {
    it(input, () => {
      const { doc, position } = at(input);
      const hover = service.provideHover(doc, position, settings);
      assert.ok(hover);
      assert.match((hover.contents as { value: string }).value, expected);
    });
  }
});

describe('hover in Vietnamese', () => {
  it('follows the locale setting, not the draft language', async () => {
    const vi = await serviceFor(seedCorpus(), { locale: 'vi' });
    const { doc, position } = at('Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,|4 tỷ USD.');
    const hover = vi.service.provideHover(doc, position, vi.settings);
    assert.match((hover!.contents as { value: string }).value, /Mâu thuẫn với nguồn/);
  });
});

describe('code actions and navigation', () => {
  function actions(input: string) {
    const { doc } = at(input);
    const text = doc.getText();
    const lines = new LineIndex(text);
    const range = { start: lines.positionAt(0), end: lines.positionAt(text.length) };
    return { doc, titles: service.provideCodeActions(doc, range, [], settings, undefined) };
  }

  it('uses the source figure for a contradiction, keeping the case of the draft', () => {
    const { doc, titles } = actions('Ký ngày 14/6, Mỹ và Nhật Bản đã ký thỏa thuận an ninh có thời hạn 10 năm với Ukraine.|');
    const fix = titles.find((a) => a.title.startsWith("Use the source's figure"));
    assert.ok(fix, JSON.stringify(titles.map((a) => a.title)));
    assert.equal(fix.edit?.changes?.[doc.uri]?.[0]?.newText, 'ngày 13/6');
  });

  it('cites an uncited supported figure and replaces a wrong citation', () => {
    assert.ok(actions('Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD.|').titles.some((a) => a.title === 'Cite [@002_bd768a52f42e921c]'));
    const { doc, titles } = actions('Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@000_7f8327f5e496136c].|');
    const replace = titles.find((a) => a.title === 'Replace citation with [@002_bd768a52f42e921c]');
    assert.equal(replace?.edit?.changes?.[doc.uri]?.[0]?.newText, '002_bd768a52f42e921c');
  });

  it('goes to the source sentence of a figure and of a citation', () => {
    const { doc, position } = at('Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,|5 tỷ USD.');
    const [loc] = service.provideDefinition(doc, position, settings);
    assert.equal(loc?.uri, 'memory:///corpus/002_bd768a52f42e921c.txt');
    const citation = at('Xem [@000_7f83|27f5e496136c].');
    assert.equal(service.provideDefinition(citation.doc, citation.position, settings)[0]?.uri, 'memory:///corpus/000_7f8327f5e496136c.txt');
  });

  it('finds the drafts citing an article, from a citation or from the corpus file', () => {
    const a = at('Một [@000_7f|8327f5e496136c] hai [@a; @000_7f8327f5e496136c].');
    const b = { uri: 'memory:///other.md', version: 1, getText: () => 'Xem [@000_7f8327f5e496136c].' };
    const fromKey = service.provideReferences(a.doc, a.position, [a.doc, b], settings);
    assert.equal(fromKey.length, 3);
    const corpusDoc = { uri: 'memory:///corpus/000_7f8327f5e496136c.txt', version: 1, getText: () => '' };
    assert.equal(service.provideReferences(corpusDoc, { line: 0, character: 0 }, [a.doc, b], settings).length, 3);
  });

  it('lists agreements and articles as workspace symbols, diacritics ignored', () => {
    const names = service.provideWorkspaceSymbols('luxembourg', settings).map((s) => s.name);
    assert.ok(names.some((n) => /Luxembourg – Ukraine/.test(n)), JSON.stringify(names));
    assert.ok(service.provideWorkspaceSymbols('thoa thuan', settings).length > 0);
  });

  it('links citation keys to their articles', () => {
    const { doc } = at('Xem [@000_7f8327f5e496136c] và [@nope].|');
    const links = service.provideDocumentLinks(doc, settings);
    assert.equal(links.length, 1);
    assert.match(links[0]!.target!, /000_7f8327f5e496136c\.txt#L\d+/);
  });
});
