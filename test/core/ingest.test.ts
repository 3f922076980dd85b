/**
 * Reading a corpus file in two steps (`loadCorpusFile`, `prepareFile`), perhaps in a worker
 * thread with the texts handed over as UTF-8 (`packTexts`), gives the corpus that `setFile`
 * gives inline: the same snapshot bytes, texts, sentences and search answers. Table of files:
 * the seed articles and the awkward ones.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Corpus, type Article } from '../../server/src/core/corpus/corpus';
import { loadCorpusFile, packTexts, prepareFile, type PreparedFile, type WorkspaceFile } from '../../server/src/core/corpus/ingest';
import { bytesSource, decodeSnapshot, encodeSnapshot } from '../../server/src/core/corpus/snapshot';
import { ANY_FIGURE_KIND, dimensionBit, figureKinds } from '../../server/src/core/quantity/parseQuantities';
import { checkDraft } from '../../server/src/core/check/checkDraft';
import { repoRoot } from '../support/memoryWorkspace';

const seeds: [string, string][] = fs
  .readdirSync(path.join(repoRoot, 'corpus'))
  .filter((f) => /\.(txt|md|jsonl)$/.test(f))
  .sort()
  .map((f) => [`corpus/${f}`, fs.readFileSync(path.join(repoRoot, 'corpus', f), 'utf8')]);

const FILES: [string, string][] = [
  ...seeds,
  ['gen/decomposed.txt', 'Thỏa thuận an ninh\n\nNhật Bản cam kết 4,5 tỷ USD cho Ukraine.\n'.normalize('NFD')],
  ['gen/lone-surrogate.txt', 'Tiêu đề\n\nMột câu có ký tự hỏng \uD800 và 3 tỷ USD.\n'],
  ['gen/front-matter.md', '---\ntitle: Pháp và Ukraine\noutlet: Báo Mẫu\ndate: 2024-02-16\n---\n\nPháp ký thỏa thuận 10 năm hôm 16/2. Giá trị 3 tỷ euro.\n'],
  ['gen/records.jsonl', '{"id":"r1","title":"Một","text":"Đức cam kết 7 tỷ euro."}\n{"id":"r2","title":"Hai","text":"Mỹ ký thỏa thuận 10 năm."}\n'],
  ['gen/empty.txt', ''],
  ['gen/percent.txt', 'Lạm phát\n\nLạm phát tăng 3,5% trong năm 2023. Khoảng 40 phần trăm dân số sống ở thành thị.\n'],
];

const uri = (p: string): string => `file:///ws/${p}`;

function inline(files: [string, string][]): Corpus {
  const corpus = new Corpus();
  for (const [p, content] of files) corpus.setFile({ uri: uri(p), path: p, content });
  return corpus;
}

function prepared(files: [string, string][], pack: boolean, figures = true): Corpus {
  const corpus = new Corpus();
  for (const [p, content] of files) {
    const ready: PreparedFile = prepareFile(p, content, undefined, [], { figures });
    corpus.setPrepared({ uri: uri(p), path: p }, pack ? packTexts(ready) : ready);
  }
  return corpus;
}

describe('ingest: a file prepared apart gives the corpus setFile gives', () => {
  const expected = inline(FILES);
  for (const pack of [false, true]) {
    it(pack ? 'with the texts handed over as UTF-8' : 'with the texts as strings', () => {
      const corpus = prepared(FILES, pack);
      assert.deepEqual(encodeSnapshot(corpus, 'test'), encodeSnapshot(expected, 'test'));
      for (const a of expected.articles() as Article[]) {
        const b = corpus.article(a.meta.id)! as Article;
        assert.ok(b, a.meta.id);
        assert.equal(b.text, a.text, a.meta.id);
        assert.deepEqual(b.meta, a.meta, a.meta.id);
        assert.deepEqual([...b.spans], [...a.spans], a.meta.id);
        for (let i = 0; i < a.sentenceCount; i++) assert.deepEqual([b.sentenceAt(i).words, b.sentenceAt(i).quantities], [a.sentenceAt(i).words, a.sentenceAt(i).quantities]);
      }
      for (const query of [['ukraine', 'nhat', 'ban'], ['thoa', 'thuan', 'an', 'ninh'], ['duc', 'euro']]) {
        assert.deepEqual(corpus.search(query, 10).map((h) => [h.sentence.article.meta.id, h.sentence.index, h.score]), expected.search(query, 10).map((h) => [h.sentence.article.meta.id, h.sentence.index, h.score]), query.join(' '));
      }
    });
  }

  it('with the texts handed over as the bytes read from the file, where those are the text\'s UTF-8 form', async () => {
    const corpus = new Corpus();
    let reusedBytes = 0;
    for (const [p, content] of FILES) {
      const bytes = new TextEncoder().encode(content);
      const loaded = await loadCorpusFile({ uri: uri(p), path: p, sidecar: null }, async () => bytes);
      assert.ok('text' in loaded, p);
      const ready = packTexts(prepareFile(p, loaded.text, loaded.sidecar, loaded.problems), loaded.utf8 && { text: loaded.text, bytes: loaded.utf8 });
      for (const a of ready.articles) if (typeof a.text !== 'string' && a.text.bytes === loaded.utf8) reusedBytes++;
      corpus.setPrepared({ uri: uri(p), path: p }, ready);
    }
    assert.ok(reusedBytes >= seeds.length, `${reusedBytes} articles took the bytes read`);
    // What the files say once written as UTF-8 (a lone surrogate cannot be: it reads back as U+FFFD).
    const written = inline(FILES.map(([p, content]) => [p, new TextDecoder().decode(new TextEncoder().encode(content))]));
    assert.deepEqual(encodeSnapshot(corpus, 'test'), encodeSnapshot(written, 'test'));
    for (const a of written.articles() as Article[]) assert.equal((corpus.article(a.meta.id) as Article).text, a.text, a.meta.id);
  });

  it('an article takes the file\'s bytes only when its text is the file\'s text, and only one article does', () => {
    const text = 'Tiêu đề\n\nNhật Bản cam kết 4,5 tỷ USD.\n';
    const ready = prepareFile('a.txt', text, undefined, []);
    const bytes = new TextEncoder().encode(text);
    const packed = packTexts({ ...ready, articles: [...ready.articles, ...ready.articles] }, { text, bytes });
    const texts = packed.articles.map((a) => a.text as { bytes: Uint8Array });
    assert.equal(texts[0]!.bytes, bytes, 'the first takes the bytes read');
    assert.notEqual(texts[1]!.bytes, bytes, 'the second its own copy');
    assert.deepEqual([...texts[1]!.bytes], [...bytes]);
    const other = packTexts(ready, { text: 'another text', bytes: new TextEncoder().encode('another text') });
    assert.equal(new TextDecoder().decode((other.articles[0]!.text as { bytes: Uint8Array }).bytes), text, 'not the bytes of another text');
  });

  it('loadCorpusFile hands the bytes on only when they are exactly the text in UTF-8', async () => {
    const text = 'Thỏa thuận 4,5 tỷ USD.';
    const utf8 = new TextEncoder().encode(text);
    const cases: [string, Uint8Array, boolean][] = [
      ['plain UTF-8', utf8, true],
      ['with a byte-order mark', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), false],
      ['invalid UTF-8 (replaced)', new Uint8Array([...utf8, 0xc3]), false],
      ['UTF-16 with a byte-order mark', new Uint8Array([0xff, 0xfe, ...Array.from(text, (c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]).flat()]), false],
    ];
    for (const [what, bytes, exact] of cases) {
      const loaded = await loadCorpusFile({ uri: uri('a.txt'), path: 'a.txt', sidecar: null }, async () => bytes);
      assert.ok('text' in loaded, what);
      assert.equal(loaded.utf8 !== undefined, exact, what);
      if (loaded.utf8) assert.equal(new TextDecoder().decode(loaded.utf8), loaded.text, what);
    }
  });

  it('packs only what UTF-8 can carry: a text with a lone surrogate stays a string', () => {
    const ready = packTexts(prepareFile('x.txt', FILES.find(([p]) => p === 'gen/lone-surrogate.txt')![1], undefined, []));
    assert.equal(typeof ready.articles[0]!.text, 'string');
    const seed = packTexts(prepareFile(seeds[0]![0], seeds[0]![1], undefined, []));
    const text = seed.articles[0]!.text;
    assert.ok(typeof text !== 'string' && text.bytes.length > text.units, 'Vietnamese text as UTF-8 bytes');
  });

  it('loadCorpusFile reads the sidecar and reports undecodable files through the reader it is given', async () => {
    const bytes: Record<string, Uint8Array> = {
      [uri('a.txt')]: new TextEncoder().encode('Tiêu đề\n\nMột câu.\n'),
      [uri('a.meta.yaml')]: new TextEncoder().encode('id: bai-a\noutlet: Báo Mẫu\n'),
      [uri('bin.txt')]: new Uint8Array([0x50, 0, 0, 1]),
    };
    const read = async (u: string): Promise<Uint8Array | undefined> => bytes[u];
    const file = (p: string): WorkspaceFile => ({ uri: uri(p), path: p });
    const a = await loadCorpusFile(file('a.txt'), read);
    assert.ok('text' in a && a.sidecar?.id === 'bai-a' && a.sidecar.outlet === 'Báo Mẫu');
    const bin = await loadCorpusFile(file('bin.txt'), read);
    assert.ok('skip' in bin && /binary/.test(bin.skip[0]!.message));
    assert.deepEqual(await loadCorpusFile(file('gone.txt'), read), { skip: [] });
    const broken = await loadCorpusFile(file('x.txt'), async () => {
      throw Object.assign(new Error('nope'), { code: 'EACCES' });
    });
    assert.ok('skip' in broken && broken.skip[0]!.message === 'unreadable, skipped: permission denied');
  });
});

describe('ingest: figure kinds per sentence', () => {
  // Every sentence's kinds are the dimensions of the figures its made sentence holds: a check
  // passes over a sentence by its kinds alone, so they may never miss one.
  it('are the dimensions of each made sentence\'s figures, from setFile, a prepared file and a snapshot', () => {
    const made = inline(FILES);
    const loaded = decodeSnapshot(bytesSource(encodeSnapshot(made, 'test')), 'test');
    assert.ok('corpus' in loaded, 'the snapshot loads');
    let withFigures = 0;
    for (const corpus of [made, prepared(FILES, true), loaded.corpus]) {
      for (const a of corpus.articles() as Article[]) {
        for (let i = 0; i < a.sentenceCount; i++) {
          const s = a.sentenceAt(i);
          assert.equal(corpus.figureKinds(s.doc), figureKinds(s.quantities), `${a.meta.id} sentence ${i}: ${s.text}`);
          if (s.quantities.length) withFigures++;
        }
      }
    }
    assert.ok(withFigures > 30, 'sentences with figures were compared');
    for (const dimension of ['money', 'duration', 'date', 'year', 'count', 'percent'] as const) {
      assert.ok((made.articles() as Article[]).some((a) => a.sentences.some((s) => made.figureKinds(s.doc) & dimensionBit(dimension))), `a sentence with a ${dimension}`);
    }
  });

  // A language server's cold index leaves the figures to count once it is ready.
  for (const pack of [false, true]) {
    it(`left to count later (${pack ? 'texts as UTF-8' : 'texts as strings'}): every kind and no count until counted, the same verdicts meanwhile, then what counting at once gives`, () => {
      const once = prepared(FILES, pack);
      const later = prepared(FILES, pack, false);
      const { articles, sentences } = later.stats();
      assert.deepEqual(later.stats(), { articles, sentences, figures: 0, figuresPending: articles });
      for (let doc = 0; doc < sentences; doc++) assert.equal(later.figureKinds(doc), ANY_FIGURE_KIND, `document ${doc}`);
      // Every kind only means more sentences read: the verdicts and their evidence are the same.
      const draft = 'Nhật Bản cam kết 5,4 tỷ USD cho Ukraine.\n\nPháp ký thỏa thuận 10 năm hôm 16/2, giá trị 3 tỷ euro.\n\nLạm phát tăng 5,3% trong năm 2023.\n';
      const verdicts = (c: Corpus) => checkDraft(draft, c).figures.map((f) => [f.figure.text, f.verdict, f.evidence?.sentence.doc]);
      assert.deepEqual(verdicts(later), verdicts(once));
      assert.ok(verdicts(once).some(([, v]) => v === 'contradicted') && verdicts(once).some(([, v]) => v === 'supported'), 'both verdicts were compared');
      assert.equal(later.countFigures(), 0);
      assert.deepEqual(later.stats(), once.stats());
      // Counts and kinds as a snapshot keeps them, byte for byte.
      assert.deepEqual(encodeSnapshot(later, 'test'), encodeSnapshot(once, 'test'));
    });
  }

  it('rule nothing out for a document the corpus does not know, and name an article\'s neighbours within it', () => {
    const corpus = inline(FILES);
    assert.equal(corpus.figureKinds(1e9), ANY_FIGURE_KIND);
    for (const a of corpus.articles() as Article[]) {
      const first = a.docBase;
      const last = a.docBase + a.sentenceCount - 1;
      assert.deepEqual(corpus.neighbourDocs(first), a.sentenceCount > 1 ? [first + 1] : [], `${a.meta.id}: first`);
      assert.deepEqual(corpus.neighbourDocs(last), a.sentenceCount > 1 ? [last - 1] : [], `${a.meta.id}: last`);
      if (a.sentenceCount > 2) assert.deepEqual(corpus.neighbourDocs(first + 1), [first, first + 2]);
    }
    assert.deepEqual(corpus.neighbourDocs(1e9), []);
  });
});
