import * as assert from 'node:assert/strict';
import { seedCorpus, serviceFor, joinLines, InMemoryWorkspace } from '../support/memoryWorkspace';
import { createSourcemarkService } from '../../server/src/core/service';
import { resolveSettings } from '../../server/src/core/settings';

const CURSOR = '$$';

/** A draft with `$$…$$` around the figure the diagnostic must cover. */
function marked(text: string): { text: string; start: number; end: number } {
  const start = text.indexOf(CURSOR);
  const end = text.indexOf(CURSOR, start + 2) - 2;
  return { text: text.split(CURSOR).join(''), start, end };
}

function lineChar(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

// [draft with the figure marked, expected code or undefined]
const table: [string, string | undefined][] = [
  ['Năm 2024, Tokyo sẽ cung cấp cho Kiev $$5,4 tỷ USD$$.', 'contradicted-figure'],
  ['Năm 2024, Tokyo sẽ cung cấp cho Kiev $$4,5 tỷ USD$$ [@002_bd768a52f42e921c].', undefined],
  ['Năm 2024, Tokyo sẽ cung cấp cho Kiev $$4,5 tỷ USD$$ [@000_7f8327f5e496136c].', 'citation-mismatch'],
  ['Theo [@$$no-such-article$$], Tokyo sẽ viện trợ.', 'unknown-source'],
  ['Theo [@$$../../etc/passwd$$], Tokyo sẽ viện trợ.', 'unknown-source'],
  ['Brazil xuất khẩu $$3 triệu tấn$$ cà phê.', 'unsupported-figure'],
];

describe('diagnostics', () => {
  for (const [input, code] of table) {
    it(`${code ?? 'no diagnostic'}: ${input}`, async () => {
      const { service, settings } = await serviceFor(seedCorpus());
      const m = marked(input);
      const diags = service.checkDraft(m.text, settings).diagnostics;
      if (!code) {
        assert.deepEqual(diags.filter((d) => d.severity <= 2), []);
        return;
      }
      const range = { start: lineChar(m.text, m.start), end: lineChar(m.text, m.end) };
      const d = diags.find((x) => x.code === code && x.range.start.character === range.start.character);
      assert.ok(d, `got ${JSON.stringify(diags.map((x) => [x.code, x.range.start.character]))}`);
      assert.deepEqual(d.range, range);
      assert.equal(d.source, 'sourcemark');
    });
  }

  it('names the source figure and points at the evidence in the corpus file', async () => {
    const { service, settings } = await serviceFor(seedCorpus());
    const text = joinLines('# Nháp', '', 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.');
    const [d] = service.checkDraft(text, settings).diagnostics.filter((x) => x.code === 'contradicted-figure');
    assert.ok(d);
    assert.equal(d.severity, 1);
    assert.match(d.message, /"4,5 tỷ USD"/);
    const info = d.relatedInformation?.[0];
    assert.ok(info);
    assert.equal(info.location.uri, 'memory:///corpus/002_bd768a52f42e921c.txt');
    const source = seedCorpus()['corpus/002_bd768a52f42e921c.txt']!.split('\n')[info.location.range.start.line]!;
    assert.equal(source.slice(info.location.range.start.character, info.location.range.end.character), '4,5 tỷ USD');
    assert.deepEqual(d.data, { figure: '5,4 tỷ USD', sourceFigure: '4,5 tỷ USD', articleId: '002_bd768a52f42e921c' });
  });

  it('honours severities, "off" and requireCitations', async () => {
    const text = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD. Brazil xuất khẩu 3 triệu tấn cà phê.';
    const plain = await serviceFor(seedCorpus());
    assert.deepEqual(plain.service.checkDraft(text, plain.settings).diagnostics.map((d) => d.code), ['unsupported-figure']);
    const strict = await serviceFor(seedCorpus(), { requireCitations: true, severity: { 'unsupported-figure': 'off', 'missing-citation': 'error' } as never });
    const diags = strict.service.checkDraft(text, strict.settings).diagnostics;
    // "Năm 2024" and "4,5 tỷ USD" are both supported and uncited; the unsupported figure is silenced.
    assert.deepEqual(diags.map((d) => [d.code, d.severity, d.data?.articleId]), [
      ['missing-citation', 1, '002_bd768a52f42e921c'],
      ['missing-citation', 1, '002_bd768a52f42e921c'],
    ]);
  });

  it('speaks Vietnamese when asked', async () => {
    const { service, settings } = await serviceFor(seedCorpus(), { locale: 'vi' });
    const [d] = service.checkDraft('Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.', settings).diagnostics;
    assert.match(d!.message, /mâu thuẫn với nguồn/);
  });
});

describe('large drafts', () => {
  it('re-checks only the edited paragraph', async () => {
    const { service, settings } = await serviceFor(seedCorpus());
    const paragraphs = Array.from({ length: 50 }, (_, i) => `Đoạn ${i}: năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD.`);
    const doc = (text: string, version: number) => ({ uri: 'memory:///long.md', version, getText: () => text });
    const first = service.checkDocument(doc(paragraphs.join('\n\n'), 1), settings).checked.check;
    const edited = [...paragraphs];
    edited[10] = 'Đoạn 10: năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.';
    const second = service.checkDocument(doc(edited.join('\n\n'), 2), settings);
    // Unchanged paragraphs reuse their evidence objects; the edited one is checked anew.
    const reused = second.checked.check.figures.filter((f) => first.figures.some((g) => g.evidence === f.evidence && g.figure.start === f.figure.start));
    assert.ok(reused.length >= 90, `${reused.length} reused`);
    assert.deepEqual(second.diagnostics.filter((d) => d.code === 'contradicted-figure').map((d) => d.range.start.line), [20]);
  });

  it('asks the index once per draft sentence, and not again for a sentence typed back', async () => {
    const { service, settings } = await serviceFor(seedCorpus());
    const corpus = service.corpus;
    let searches = 0;
    const search = corpus.searchDocs.bind(corpus);
    corpus.searchDocs = (...args) => {
      searches++;
      return search(...args);
    };
    const doc = (text: string, version: number) => ({ uri: 'memory:///memo.md', version, getText: () => text });
    // Two figures in one sentence share its words: one retrieval (three pools) serves both.
    const original = 'Ngày 16/1/2024, Ukraine ký thỏa thuận an ninh với Anh; năm 2024 London cung cấp 2,5 tỷ bảng.\n\nNhật Bản cung cấp cho Ukraine 4,5 tỷ USD.';
    const first = service.checkDocument(doc(original, 1), settings);
    const perSentence = searches;
    assert.ok(perSentence > 0 && perSentence <= 6, `${perSentence} searches for two sentences`);
    searches = 0;
    const edited = original.replace('Nhật Bản cung cấp', 'Nhật Bản cung cấp viện trợ');
    service.checkDocument(doc(edited, 2), settings);
    assert.ok(searches > 0 && searches <= 3, `the edited sentence only: ${searches}`);
    searches = 0;
    const back = service.checkDocument(doc(original, 3), settings);
    assert.equal(searches, 0, 'typed back: remembered');
    assert.deepEqual(back.diagnostics, first.diagnostics);
  });

  it('checks a pathological draft up to a budget and says so', async () => {
    const { service, settings } = await serviceFor(seedCorpus());
    const text = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.\n\n'.repeat(20_000);
    const { diagnostics } = service.checkDraft(text, settings);
    const note = diagnostics.find((d) => d.code === 'document-too-large');
    assert.ok(note, 'a document-too-large note');
    assert.ok(diagnostics.filter((d) => d.code === 'contradicted-figure').length <= 3000);
  });
});

/** Reads that wait for `release(path)`: an index run stopped between files, for as long as a test needs. */
class GatedWorkspace extends InMemoryWorkspace {
  private readonly gates = new Map<string, { opened: Promise<void>; open: () => void }>();

  gate(p: string): void {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gates.set(p, { opened, open });
  }

  release(p: string): void {
    this.gates.get(p)!.open();
  }

  override async readFile(uri: string): Promise<Uint8Array | undefined> {
    await this.gates.get(uri.replace('memory:///', ''))?.opened;
    return super.readFile(uri);
  }
}

/** Lets the index run go on (its reads and their callbacks) until `cond` holds; no timers. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(cond(), 'condition reached');
}

describe('checks while the corpus is being indexed', () => {
  const article = (topic: string, sentence: string): string => `${topic}\n\n${sentence}\n`;
  const files = {
    'corpus/a1.txt': article('Kinh tế', 'Năm 2023, Hà Nội đón 24 triệu lượt khách du lịch.'),
    'corpus/a2.txt': article('Thời tiết', 'Đợt mưa lớn kéo dài 3 ngày ở miền Trung.'),
    'corpus/a3.txt': article('Giáo dục', 'Có 1,07 triệu thí sinh dự thi tốt nghiệp năm nay.'),
    'corpus/a4.txt': article('Ngoại giao', 'Nhật Bản cam kết viện trợ cho Ukraine 4,5 tỷ USD trong năm 2024.'),
  };
  const draft = ['Nhật Bản viện trợ cho Ukraine 5,4 tỷ USD trong năm 2024.', 'Năm 2023, Hà Nội đón 24 triệu lượt khách du lịch.'].join('\n\n');
  const doc = (text: string, version: number) => ({ uri: 'memory:///draft.md', version, getText: () => text });

  it('keeps a check made during the run until the run ends, then checks against the whole corpus', async () => {
    const workspace = new GatedWorkspace(files);
    workspace.gate('corpus/a2.txt');
    workspace.gate('corpus/a4.txt');
    const service = createSourcemarkService({ workspace });
    const settings = resolveSettings().settings;
    let searches = 0;
    const search = service.corpus.searchDocs.bind(service.corpus);
    service.corpus.searchDocs = (...args) => {
      searches++;
      return search(...args);
    };
    const run = service.indexCorpus(settings);
    await until(() => service.corpus.fileCount() === 1);
    const during = service.checkDocument(doc(draft, 1), settings);
    assert.ok(searches > 0);
    assert.ok(!during.diagnostics.some((d) => d.code === 'contradicted-figure'), 'the source is not read yet');
    assert.ok(during.diagnostics.length > 0 && during.diagnostics.every((d) => d.message.endsWith('(The corpus is still being indexed: this may change.)')), JSON.stringify(during.diagnostics.map((d) => d.message)));

    // More files read: the corpus changed, the check made during the run still stands.
    const version = service.corpus.version;
    workspace.release('corpus/a2.txt');
    await until(() => service.corpus.fileCount() === 3);
    assert.notEqual(service.corpus.version, version);
    searches = 0;
    assert.equal(service.checkDocument(doc(draft, 1), settings), during, 'the same check, not a new one');
    const hover = service.provideHover(doc(draft, 1), { line: 0, character: 31 }, settings);
    assert.match(JSON.stringify(hover?.contents), /Indexing the corpus \(3 of 4 files\): this verdict may change/, 'the card says the verdict may change');
    assert.equal(searches, 0);
    assert.match(JSON.stringify(service.provideHover(doc(draft, 1), { line: 0, character: 31 }, { ...settings, locale: 'vi' })?.contents), /Đang lập chỉ mục kho nguồn \(3\/4 tệp\): kết luận có thể thay đổi/);

    // An edit checks the edited paragraph only; the other keeps what was found for it.
    const edited = draft.replace('Nhật Bản viện trợ', 'Chính phủ Nhật Bản viện trợ');
    const afterEdit = service.checkDocument(doc(edited, 2), settings);
    assert.ok(searches > 0 && searches <= 3, `the edited paragraph only: ${searches} searches`);
    const second = (c: typeof during) => c.checked.check.figures.find((f) => f.figure.text.startsWith('24'))!;
    assert.equal(second(afterEdit).evidence, second(during).evidence);

    // The run ends: checked again, against every file, as a service that never saw it running.
    workspace.release('corpus/a4.txt');
    await run;
    const after = service.checkDocument(doc(edited, 2), settings);
    assert.notEqual(after, afterEdit);
    assert.ok(after.diagnostics.some((d) => d.code === 'contradicted-figure'), 'the source read last contradicts 5,4 tỷ USD');
    assert.doesNotMatch(JSON.stringify(service.provideHover(doc(edited, 2), { line: 0, character: 45 }, settings)?.contents), /Indexing/, 'no note once indexed');
    const { service: fresh, settings: s } = await serviceFor(files);
    assert.deepEqual(after.diagnostics, fresh.checkDocument(doc(edited, 2), s).diagnostics);
    assert.ok(!after.diagnostics.some((d) => d.message.includes('indexed')), 'no note once indexed');
  });

  it('says a check is provisional only while an index it awaits is not made: none coming, made, or failed', async () => {
    const settings = resolveSettings().settings;
    const provisional = (service: ReturnType<typeof createSourcemarkService>): boolean[] =>
      service.checkDocument(doc(draft, 1), settings).diagnostics.map((d) => d.message.endsWith('(The corpus is still being indexed: this may change.)'));
    // Nothing awaited (a draft outside every folder, the CLI): never.
    const none = createSourcemarkService({ workspace: new InMemoryWorkspace(files) });
    assert.deepEqual([...new Set(provisional(none))], [false]);
    // Awaited: until the run ends.
    const awaiting = createSourcemarkService({ workspace: new InMemoryWorkspace(files), awaitsIndex: true });
    assert.deepEqual([...new Set(provisional(awaiting))], [true]);
    await awaiting.indexCorpus(settings);
    assert.deepEqual([...new Set(provisional(awaiting))], [false]);
    // A run that fails ends the wait too.
    const broken = new InMemoryWorkspace(files);
    broken.findFiles = async () => {
      throw new Error('the corpus folder cannot be listed');
    };
    const failing = createSourcemarkService({ workspace: broken, awaitsIndex: true });
    await assert.rejects(failing.indexCorpus(settings), /cannot be listed/);
    assert.deepEqual([...new Set(provisional(failing))], [false]);
  });

  it('keeps nothing of a corpus forgotten during the run (a damaged cache)', async () => {
    const workspace = new GatedWorkspace(files);
    workspace.gate('corpus/a2.txt');
    const service = createSourcemarkService({ workspace });
    const settings = resolveSettings().settings;
    const run = service.indexCorpus(settings);
    await until(() => service.corpus.fileCount() === 1);
    service.checkDocument(doc(draft, 1), settings);
    service.forgetIndex();
    let searches = 0;
    const search = service.corpus.searchDocs.bind(service.corpus);
    service.corpus.searchDocs = (...args) => {
      searches++;
      return search(...args);
    };
    // Document numbers retrieved from the forgotten corpus mean nothing in the new one.
    service.checkDocument(doc(draft, 1), settings);
    assert.ok(searches >= 4, `both paragraphs searched again: ${searches}`);
    workspace.release('corpus/a2.txt');
    await run;
  });
});

describe('corpus input', () => {
  it('reports binary, invalid UTF-8 and empty files and keeps the rest', async () => {
    const files: Record<string, string | Uint8Array> = {
      ...seedCorpus(),
      'corpus/binary.txt': new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]),
      'corpus/latin1.txt': new Uint8Array([...new TextEncoder().encode('Hà Nội có 8 triệu người dân. '), 0xe9, 0xff, 0x0a]),
      'corpus/empty.md': '',
    };
    const service = createSourcemarkService({ workspace: new InMemoryWorkspace(files) });
    const problems = await service.indexCorpus(resolveSettings().settings);
    const byFile = new Map(problems.map((p) => [p.file, p.message]));
    assert.match(byFile.get('corpus/binary.txt') ?? '', /binary/);
    assert.match(byFile.get('corpus/latin1.txt') ?? '', /invalid UTF-8/);
    assert.match(byFile.get('corpus/empty.md') ?? '', /empty/);
    assert.ok(service.corpus.article('latin1'), 'a file with bad bytes is still indexed');
    assert.equal(service.stats().articles, 6);
  });

  it('reads sidecar metadata and lets the id come from front matter', async () => {
    const { service } = await serviceFor({
      'corpus/a.txt': 'Tiêu đề bài\nNội dung với 10 năm.',
      'corpus/a.meta.yaml': 'outlet: Báo Mẫu\ndate: 2024-07-11\n',
      'corpus/b.md': '---\nid: bai-b\ntitle: Bài B\n---\nNội dung.',
    });
    assert.equal(service.corpus.article('a')?.meta.outlet, 'Báo Mẫu');
    assert.equal(service.corpus.article('a')?.meta.date, '2024-07-11');
    assert.equal(service.corpus.article('bai-b')?.meta.title, 'Bài B');
  });
});
