/**
 * Protocol: the language features over one shared session — diagnostics, completion,
 * hover, code actions, definition, references, workspace symbols, document links,
 * `sourcemark/status`, incremental sync and debouncing.
 */
import { strict as assert } from 'node:assert';
import {
  DiagnosticSeverity,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentLink,
  type Hover,
  type Location,
  type MarkupContent,
  type Position,
  type Range,
  type SymbolInformation,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { startLsp, type LspSession } from '../support/lspClient';
import { CONTRADICTED, ID_JAPAN, ID_LUX, MISMATCH, SEED_IDS, SUPPORTED, TempWorkspace, UNCITED, UNKNOWN, applyEdits, positionOf, textAt, messageOf } from './workspace';

const PROMPT = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev ';
const AGREEMENT = 'Ukraine đã ký thỏa thuận an ninh với Luxembourg hôm 10/7.';

// One paragraph per entry, separated by blank lines: paragraph i is on line 2 * i.
const DRAFT_LINES = [
  '# Bản nháp', // 0
  CONTRADICTED, // 1
  SUPPORTED, // 2
  MISMATCH, // 3
  UNKNOWN, // 4
  UNCITED, // 5
  AGREEMENT, // 6
  PROMPT, // 7
  `${PROMPT}4,`, // 8
  'Xem [@', // 9
  'Xem [@00', // 10
  'Ukraine đã ký thỏa thuận ', // 11
  'Ukraine và Luxembourg ký thỏa thuận ', // 12
  'Thủ tướng Luxembourg Luc Frieden ký với ', // 13
];
const DRAFT = DRAFT_LINES.join('\n\n') + '\n';
const L = (paragraph: number): number => paragraph * 2;
const ON_DISK = `# Ghi chú\n\n${SUPPORTED}\n\nThời hạn 10 năm [@${ID_JAPAN}, para. 2].\n`;
const UNSAVED_DISK = '# Chưa lưu\n\nChưa có trích dẫn.\n';
const UNSAVED_EDITOR = `# Chưa lưu\n\n${SUPPORTED}\n`;
const ENGLISH = 'Ukraine signed a bilateral security agreement ';

const md = (h: Hover | null): string => ((h?.contents ?? { value: '' }) as MarkupContent).value;
const at = (line: number, character: number): Position => ({ line, character });
const lineRange = (line: number, needle: string): Range => {
  const start = DRAFT_LINES[line]!.indexOf(needle);
  assert.ok(start >= 0, `"${needle}" in paragraph ${line}`);
  return { start: at(L(line), start), end: at(L(line), start + needle.length) };
};
const sameRange = (a: Range, b: Range): boolean => JSON.stringify(a) === JSON.stringify(b);
const sorted = (items: CompletionItem[]): CompletionItem[] => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));

describe('protocol: language features', function () {
  this.timeout(30_000);
  let ws: TempWorkspace;
  let s: LspSession;
  let uri: string;
  let diagnostics: Diagnostic[];
  let corpusJapan: string;
  let corpusLux: string;

  const request = <R>(method: string, params: unknown): Promise<R> => s.connection.sendRequest<R>(method, params);
  /** The items of a completion answer (an array, or a list with `isIncomplete`). */
  const itemsOf = (r: CompletionItem[] | CompletionList | null): CompletionItem[] => (Array.isArray(r) ? r : r?.items ?? []);
  const completionList = (line: number, character = DRAFT_LINES[line]!.length): Promise<CompletionItem[] | CompletionList | null> => request('textDocument/completion', { textDocument: { uri }, position: at(L(line), character) });
  const completion = async (line: number, character?: number): Promise<CompletionItem[]> => itemsOf(await completionList(line, character));
  const hover = (position: Position, doc = uri): Promise<Hover | null> => request('textDocument/hover', { textDocument: { uri: doc }, position });
  const codeActions = (range: Range, diags: Diagnostic[]): Promise<CodeAction[]> => request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: diags } });
  const definition = (position: Position): Promise<Location[]> => request('textDocument/definition', { textDocument: { uri }, position });
  const references = (doc: string, position: Position): Promise<Location[]> => request('textDocument/references', { textDocument: { uri: doc }, position, context: { includeDeclaration: true } });
  const diagnosticOn = (line: number, code: string): Diagnostic | undefined => diagnostics.find((d) => d.range.start.line === L(line) && d.code === code);
  const editsOf = (action: CodeAction): TextEdit[] => action.edit?.changes?.[uri] ?? [];

  before(async () => {
    ws = new TempWorkspace({ files: { 'draft.md': DRAFT, 'notes/on-disk.md': ON_DISK, 'unsaved.md': UNSAVED_DISK, 'english.md': ENGLISH } });
    uri = ws.uri('draft.md');
    corpusJapan = ws.uri(`corpus/${ID_JAPAN}.txt`);
    corpusLux = ws.uri(`corpus/${ID_LUX}.txt`);
    s = await startLsp(ws.root);
    await s.waitForProgressEnd(1);
    await s.open(uri, DRAFT);
    await s.open(ws.uri('unsaved.md'), UNSAVED_EDITOR);
    await s.open(ws.uri('english.md'), ENGLISH);
    diagnostics = (await s.waitForDiagnostics(uri)).diagnostics;
  });

  after(async () => {
    await s?.close();
    ws?.remove();
  });

  describe('diagnostics', () => {
    it('reports a contradicted figure with relatedInformation at the source sentence', () => {
      const d = diagnosticOn(1, 'contradicted-figure');
      assert.ok(d, JSON.stringify(diagnostics));
      assert.deepEqual(d.range, lineRange(1, '5,4 tỷ USD'));
      assert.equal(d.severity, DiagnosticSeverity.Error);
      assert.equal(d.source, 'sourcemark');
      assert.match(messageOf(d), /4,5 tỷ USD/);
      const related = d.relatedInformation?.[0];
      assert.ok(related, 'relatedInformation');
      assert.equal(related.location.uri, corpusJapan);
      assert.equal(textAt(ws.read(`corpus/${ID_JAPAN}.txt`), related.location.range), '4,5 tỷ USD');
      assert.match(related.message, /Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD/);
    });

    it('accepts a supported, cited figure and reports a citation mismatch and an unknown source', () => {
      assert.deepEqual(
        diagnostics.filter((d) => d.range.start.line === L(2)),
        [],
      );
      const mismatch = diagnostics.find((d) => d.code === 'citation-mismatch' && sameRange(d.range, lineRange(3, '4,5 tỷ USD')));
      assert.ok(mismatch, JSON.stringify(diagnostics));
      assert.equal(mismatch.severity, DiagnosticSeverity.Warning);
      assert.match(messageOf(mismatch), new RegExp(ID_JAPAN));
      assert.equal(mismatch.relatedInformation?.[0]?.location.uri, corpusJapan);
      const unknown = diagnosticOn(4, 'unknown-source');
      assert.ok(unknown);
      assert.deepEqual(unknown.range, lineRange(4, 'no-such-article'));
      assert.equal(unknown.severity, DiagnosticSeverity.Error);
      assert.equal(diagnosticOn(5, 'missing-citation'), undefined, 'requireCitations is off by default');
    });
  });

  describe('completion', () => {
    it('offers the source figure after prose, with article, date, source sentence and citation', async () => {
      const items = sorted(await completion(7));
      const top = items[0];
      assert.ok(top, 'items');
      assert.equal(top.label, '4,5 tỷ USD');
      assert.match(top.detail ?? '', new RegExp(ID_JAPAN));
      assert.match(top.detail ?? '', /Thế giới & Việt Nam/);
      assert.match(top.detail ?? '', /2024-06/);
      const doc = (top.documentation as MarkupContent).value;
      assert.match(doc, /Tokyo sẽ cung cấp cho Kiev \*\*4,5 tỷ USD\*\*/);
      const edit = top.textEdit as TextEdit;
      assert.equal(edit.newText, `4,5 tỷ USD [@${ID_JAPAN}]`);
      assert.deepEqual(edit.range, { start: at(L(7), PROMPT.length), end: at(L(7), PROMPT.length) });
      const line = applyEdits(DRAFT, [edit]).split('\n')[L(7)];
      assert.equal(line, SUPPORTED.replace(/\.$/, ''));
    });

    it('lets typed digits filter: the edit range covers the partly typed number', async () => {
      const items = await completion(8);
      const item = items.find((i) => i.label === '4,5 tỷ USD');
      assert.ok(item, items.map((i) => i.label).join(' | '));
      const edit = item.textEdit as TextEdit;
      assert.deepEqual(edit.range, { start: at(L(8), PROMPT.length), end: at(L(8), PROMPT.length + 2) });
      assert.equal(textAt(DRAFT, edit.range), '4,');
      assert.ok((item.filterText ?? item.label).startsWith('4,'));
      assert.equal(applyEdits(DRAFT, [edit]).split('\n')[L(8)], SUPPORTED.replace(/\.$/, ''));
    });

    it('offers agreements after "thỏa thuận", "agreement" and a party name', async () => {
      const lux = 'Luxembourg – Ukraine, ký 10/7';
      const afterNoun = await completion(11);
      assert.ok(afterNoun.some((i) => i.label === lux), afterNoun.map((i) => i.label).join(' | '));
      const withParty = sorted(await completion(12));
      assert.equal(withParty[0]?.label, lux);
      assert.equal(withParty[0]?.kind, 22);
      assert.match((withParty[0]?.textEdit as TextEdit).newText, new RegExp(`\\[@${ID_LUX}\\]`));
      assert.match((withParty[0]?.documentation as MarkupContent).value, /10\/7/);
      const afterPartyName = await completion(13);
      assert.ok(afterPartyName.some((i) => i.label === lux), afterPartyName.map((i) => i.label).join(' | '));
      const english = itemsOf(await request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: ws.uri('english.md') }, position: at(0, ENGLISH.length) }));
      assert.ok(english.some((i) => i.label === 'Luxembourg – Ukraine, signed 10/7'), english.map((i) => i.label).join(' | '));
    });

    it('offers citation keys inside [@, filtered by the server and marked incomplete while typing narrows them', async () => {
      const answer = await completionList(9);
      const all = itemsOf(answer);
      assert.deepEqual(all.map((i) => i.label).sort(), SEED_IDS);
      // Every article matched the empty query, and there are fewer than the cap: nothing more to ask for.
      assert.equal(Array.isArray(answer) ? false : answer?.isIncomplete, false);
      const japan = all.find((i) => i.label === ID_JAPAN)!;
      assert.match(japan.detail ?? '', /Thế giới & Việt Nam, 2024-06/);
      const typedAnswer = await completionList(10);
      const typed = itemsOf(typedAnswer);
      // When typing filtered keys out, backspace could bring them back: then the editor must ask again.
      assert.ok(typed.length <= all.length && typed.some((i) => i.label === ID_LUX), typed.map((i) => i.label).join(' | '));
      assert.equal(Array.isArray(typedAnswer) ? undefined : typedAnswer?.isIncomplete, typed.length < all.length);
      const edit = typed.find((i) => i.label === ID_LUX)?.textEdit as TextEdit;
      assert.deepEqual(edit.range, { start: at(L(10), 6), end: at(L(10), 8) });
      assert.equal(edit.newText, ID_LUX);
    });

    it('resolves a citation item sent without its byline and card (items past the first ten)', async () => {
      const bare: CompletionItem = { label: ID_JAPAN, kind: 18, data: { sourcemark: 'citation', id: ID_JAPAN } };
      const resolved = await request<CompletionItem>('completionItem/resolve', bare);
      assert.match(resolved.detail ?? '', /Thế giới & Việt Nam, 2024-06/);
      assert.match((resolved.documentation as MarkupContent).value, /\*\*Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine/);
      // Anything else comes back as it was sent.
      const other: CompletionItem = { label: '4,5 tỷ USD', detail: 'kept' };
      assert.deepEqual(await request<CompletionItem>('completionItem/resolve', other), other);
    });
  });

  describe('hover', () => {
    it('on a contradicted figure: verdict, source sentence with the figure in bold, article and a link to the line', async () => {
      const h = await hover(positionOf(DRAFT, '5,4', 1));
      const value = md(h);
      assert.deepEqual(h?.range, lineRange(1, '5,4 tỷ USD'));
      assert.match(value, /✗/);
      assert.match(value, /> .*Tokyo sẽ cung cấp cho Kiev \*\*4,5 tỷ USD\*\*/);
      assert.match(value, /Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine/);
      assert.match(value, /Thế giới & Việt Nam, 2024-06/);
      assert.ok(value.includes(`(${corpusJapan}#L11,`), value);
    });

    it('on a supported figure', async () => {
      const value = md(await hover(positionOf(DRAFT, '4,5', 1)));
      assert.match(value, /✓/);
      assert.match(value, /\*\*4,5 tỷ USD\*\*/);
    });

    it('on a citation key: title, outlet, date and lead', async () => {
      const h = await hover(at(L(2), SUPPORTED.indexOf(ID_JAPAN) + 3));
      const value = md(h);
      assert.deepEqual(h?.range, lineRange(2, ID_JAPAN));
      assert.match(value, /\*\*Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine/);
      assert.match(value, /Thế giới & Việt Nam · 2024-06/);
      assert.match(value, /Ngày 13\/6, Mỹ và Nhật Bản đã ký thỏa thuận an ninh/);
      assert.ok(value.includes(corpusJapan), value);
      assert.match(md(await hover(at(L(4), UNKNOWN.indexOf('no-such') + 2))), /no-such-article/);
    });

    it('on an agreement mention: the agreement record', async () => {
      const value = md(await hover(at(L(6), AGREEMENT.indexOf('thỏa thuận') + 2)));
      assert.match(value, /\*\*Luxembourg – Ukraine\*\*/);
      assert.match(value, /10\/7/);
      assert.ok(value.includes(`[@${ID_LUX}]`), value);
    });
  });

  describe('code actions', () => {
    it('"Use the source\'s figure" replaces a contradicted figure', async () => {
      const d = diagnosticOn(1, 'contradicted-figure')!;
      const actions = await codeActions(d.range, [d]);
      const fix = actions.find((a) => a.title === "Use the source's figure (4,5 tỷ USD)");
      assert.ok(fix, actions.map((a) => a.title).join(' | '));
      assert.equal(fix.kind, 'quickfix');
      assert.equal(fix.diagnostics?.[0]?.code, 'contradicted-figure');
      assert.equal(applyEdits(DRAFT, editsOf(fix)).split('\n')[L(1)], UNCITED);
      // With only a cursor and no diagnostics, the server finds the fix from its own check.
      const cursor = positionOf(DRAFT, '5,4', 2);
      const again = await codeActions({ start: cursor, end: cursor }, []);
      assert.ok(again.some((a) => a.title === "Use the source's figure (4,5 tỷ USD)"));
    });

    it('"Cite [@id]" adds the citation of a supported, uncited figure', async () => {
      const actions = await codeActions(lineRange(5, '4,5 tỷ USD'), []);
      const cite = actions.find((a) => a.title === `Cite [@${ID_JAPAN}]`);
      assert.ok(cite, actions.map((a) => a.title).join(' | '));
      assert.equal(applyEdits(DRAFT, editsOf(cite)).split('\n')[L(5)], SUPPORTED);
    });

    it('"Replace citation with [@id]" fixes a citation mismatch', async () => {
      const d = diagnostics.find((x) => x.code === 'citation-mismatch' && sameRange(x.range, lineRange(3, '4,5 tỷ USD')))!;
      const actions = await codeActions(d.range, [d]);
      const replace = actions.find((a) => a.title === `Replace citation with [@${ID_JAPAN}]`);
      assert.ok(replace, actions.map((a) => a.title).join(' | '));
      assert.equal(applyEdits(DRAFT, editsOf(replace)).split('\n')[L(3)], SUPPORTED);
    });

    it('offers nothing on a supported, cited figure', async () => {
      assert.deepEqual(await codeActions(lineRange(2, '4,5 tỷ USD'), []), []);
    });
  });

  describe('navigation', () => {
    it('go to definition: figure → source sentence, citation key → article', async () => {
      const corpusText = ws.read(`corpus/${ID_JAPAN}.txt`);
      const [fromFigure] = await definition(positionOf(DRAFT, '4,5', 1));
      assert.equal(fromFigure?.uri, corpusJapan);
      assert.equal(fromFigure.range.start.line, 10);
      assert.match(textAt(corpusText, fromFigure.range), /Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD/);
      const [fromContradiction] = await definition(positionOf(DRAFT, '5,4', 1));
      assert.deepEqual(fromContradiction, fromFigure);
      const [fromKey] = await definition(at(L(2), SUPPORTED.indexOf(ID_JAPAN) + 1));
      assert.equal(fromKey?.uri, corpusJapan);
      assert.equal(fromKey.range.start.line, 0);
      assert.deepEqual(await definition(at(L(4), UNKNOWN.indexOf('no-such') + 1)), []);
    });

    it('find references from an unopened corpus file and from a citation key: open drafts and drafts on disk', async () => {
      const expected = (locations: Location[]): void => {
        const byUri = (u: string): Location[] => locations.filter((l) => l.uri === u);
        assert.deepEqual(byUri(uri).map((l) => l.range), [lineRange(2, ID_JAPAN)], 'the open draft');
        const disk = byUri(ws.uri('notes/on-disk.md'));
        assert.equal(disk.length, 2, 'the draft on disk, twice');
        for (const l of disk) assert.equal(textAt(ON_DISK, l.range), ID_JAPAN);
        const unsaved = byUri(ws.uri('unsaved.md'));
        assert.equal(unsaved.length, 1, 'the open draft as edited, not as saved');
        assert.equal(textAt(UNSAVED_EDITOR, unsaved[0]!.range), ID_JAPAN);
        assert.ok(locations.every((l) => !l.uri.includes('/corpus/')), 'no corpus files');
      };
      expected(await references(corpusJapan, at(0, 0)));
      expected(await references(uri, at(L(2), SUPPORTED.indexOf(ID_JAPAN) + 4)));
      const lux = await references(corpusLux, at(3, 5));
      assert.deepEqual(
        lux.map((l) => [l.uri, l.range.start.line]),
        [[uri, L(3)]],
      );
    });

    it('workspace symbols: agreements and articles', async () => {
      const all = await request<SymbolInformation[]>('workspace/symbol', { query: '' });
      const articles = all.filter((x) => x.kind === 1);
      assert.equal(articles.length, 5);
      assert.ok(articles.some((x) => x.name.startsWith(`${ID_JAPAN}: Mỹ, Nhật Bản`) && x.location.uri === corpusJapan));
      const lux = await request<SymbolInformation[]>('workspace/symbol', { query: 'luxembourg' });
      const agreement = lux.find((x) => x.kind === 23);
      assert.equal(agreement?.name, 'Luxembourg – Ukraine, signed 10/7');
      assert.equal(agreement?.location.uri, corpusLux);
      const folded = await request<SymbolInformation[]>('workspace/symbol', { query: 'nhat ban ky thoa thuan' });
      assert.ok(folded.some((x) => x.kind === 1 && x.location.uri === corpusJapan), 'diacritics ignored');
    });

    it('document links on citation keys', async () => {
      const links = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      const japan = links.find((l) => sameRange(l.range, lineRange(2, ID_JAPAN)));
      assert.ok(japan?.target?.startsWith(`${corpusJapan}#L`), JSON.stringify(links));
      const lux = links.find((l) => sameRange(l.range, lineRange(3, ID_LUX)));
      assert.ok(lux?.target?.startsWith(`${corpusLux}#L`));
      assert.ok(!links.some((l) => l.range.start.line === L(4)), 'no link for an unknown key');
    });
  });

  it('sourcemark/status reports the index', async () => {
    // Agreement records are prepared in the background; a status notification says when.
    await s.waitForStatus((x) => x.agreements > 0);
    const status = await s.status();
    assert.deepEqual(
      { state: status.state, articles: status.articles, folders: status.folders, problems: status.problems },
      { state: 'ready', articles: 5, folders: 1, problems: 0 },
    );
    assert.ok(status.sentences > 50 && status.figures > 10 && status.agreements > 0, JSON.stringify(status));
  });

  describe('document sync', () => {
    it('applies incremental changes and debounces: a burst is checked at its last version, superseded versions skipped', async () => {
      const typing = ws.uri('typing.md');
      const text = `${UNCITED}\n`;
      await s.open(typing, text);
      const first = await s.waitForDiagnostics(typing, (p) => p.version === 1);
      assert.ok(!first.diagnostics.some((d) => d.code === 'contradicted-figure'));
      const col = UNCITED.indexOf('4,5');
      // Retype "4,5" as "5,4", one keystroke per version, then add a line: one burst, sent
      // without waiting between keystrokes (waiting for each write let a loaded machine space
      // two of them past the debounce).
      await Promise.all([
        s.change(typing, 2, [{ range: { start: at(0, col), end: at(0, col + 3) }, text: '' }]),
        s.change(typing, 3, [{ range: { start: at(0, col), end: at(0, col) }, text: '5' }]),
        s.change(typing, 4, [{ range: { start: at(0, col + 1), end: at(0, col + 1) }, text: ',' }]),
        s.change(typing, 5, [{ range: { start: at(0, col + 2), end: at(0, col + 2) }, text: '4' }]),
        s.change(typing, 6, [{ range: { start: at(1, 0), end: at(1, 0) }, text: 'Thêm một dòng.\n' }]),
      ]);
      const last = await s.waitForDiagnostics(typing, (p) => p.version === 6);
      const d = last.diagnostics.find((x) => x.code === 'contradicted-figure');
      assert.ok(d, JSON.stringify(last));
      assert.deepEqual(d.range, { start: at(0, col), end: at(0, col + 10) });
      // The pause before a re-check is as long as the last check took (a few milliseconds
      // here): a loaded machine may space two keystrokes of the burst past it, so a version
      // in the middle may be checked too; never all of them, never out of order.
      const versions = s.publications.filter((p) => p.uri === typing).map((p) => p.version);
      assert.equal(versions[0], 1);
      assert.equal(versions.at(-1), 6);
      assert.ok(versions.every((v, i) => i === 0 || v! > versions[i - 1]!), `in order: ${versions.join(', ')}`);
      assert.ok(versions.length < 6, `some of versions 2–5 were superseded before their check ran: ${versions.join(', ')}`);
    });

    it('clears the diagnostics of a closed draft', async () => {
      const closing = ws.uri('closing.md');
      await s.open(closing, CONTRADICTED);
      await s.waitForDiagnostics(closing, (p) => p.diagnostics.length > 0);
      await s.closeDocument(closing);
      await s.waitForDiagnostics(closing, (p) => p.diagnostics.length === 0);
    });
  });
});
