/**
 * A corpus loaded from a snapshot keeps its files stored and makes a file's record and
 * articles when first needed. Whatever is asked, in whatever order, it answers as the same
 * corpus with every record made at once, and lists files and articles in the same order.
 */
import { strict as assert } from 'node:assert';
import { Corpus, type IndexedArticle } from '../../server/src/core/corpus/corpus';
import { bytesSource, decodeSnapshot, encodeSnapshot } from '../../server/src/core/corpus/snapshot';
import { extractAgreements } from '../../server/src/core/agreements/extractAgreements';
import { citationCatalogue, prepareCitationCatalogue } from '../../server/src/core/languageFeatures/completion';
import { mulberry32 } from '../support/prng';

const uri = (p: string): string => `file:///ws/${p}`;
const PLACES = ['Hà Nội', 'Kiev', 'Tokyo', 'Paris', 'Berlin', 'Warsaw', 'Rome', 'London'];

function article(n: number, r: () => number): string {
  const place = PLACES[n % PLACES.length]!;
  const sentences = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, k) => `${place} cam kết ${1 + Math.floor(r() * 9)},${k} tỷ USD cho dự án ${n}-${k} trong ${2 + k} năm.`);
  const pact = n % 3 === 0 ? ` Ukraine và ${place} ký thỏa thuận an ninh song phương thời hạn 10 năm.` : '';
  return `Bài ${n} về ${place}\n\n${sentences.join(' ')}${pact}\n`;
}

/** Every article's id and citation line, as the citation catalogue reads them (nothing made for it). */
function keys(c: Corpus): string[] {
  return [...c.articleKeys()].map(({ id, article, about }) => `${id}|${article ? article.citationAbout() : about}`);
}

function loaded(corpus: Corpus): Corpus {
  const decoded = decodeSnapshot(bytesSource(encodeSnapshot(corpus, 'lazy-test')), 'lazy-test');
  assert.ok('corpus' in decoded, 'the snapshot loads');
  return decoded.corpus;
}

/** What can be seen of a corpus, made whole (its order included). */
function view(c: Corpus): unknown {
  return {
    stats: c.stats(),
    files: c.files().map((f) => [f.uri, f.path, f.hash, f.signature, f.problems, f.articles.map((a) => [a.id, a.docBase, a.sentenceCount, a.figureCount])]),
    articles: c.articles().map((a) => a.id),
    sentences: Array.from({ length: 400 }, (_, d) => c.sentence(d)?.text ?? null),
  };
}

describe('corpus: files stored by a snapshot, made when needed', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`answers as the corpus made whole, through a random run of requests and changes (seed ${seed})`, () => {
      const r = mulberry32(seed);
      const made = new Corpus();
      for (let n = 0; n < 40; n++) made.setFile({ uri: uri(`a${n}.txt`), path: `a${n}.txt`, content: article(n, r) }, [], `sig-${n}`);
      const lazy = loaded(made);
      const whole = loaded(made);
      whole.settle();
      assert.deepEqual(lazy.stats(), whole.stats(), 'counted without making anything');
      assert.equal(lazy.fileCount(), 40);
      let added = 0;
      for (let step = 0; step < 60; step++) {
        const n = Math.floor(r() * 45);
        const p = `a${n}.txt`;
        const op = Math.floor(r() * 9);
        const both = <T>(f: (c: Corpus) => T): [T, T] => [f(lazy), f(whole)];
        const doc = Math.floor(r() * 150);
        const label = `step ${step}, op ${op}, ${p}, doc ${doc}`;
        if (op === 0) {
          const [a, b] = both((c) => c.sentence(doc)?.text);
          assert.equal(a, b, label);
        } else if (op === 1) {
          const [a, b] = both((c) => (c.article(`a${n}`) as IndexedArticle | undefined)?.sentences.map((s) => s.text));
          assert.deepEqual(a, b, label);
        } else if (op === 2) {
          const digests = (c: Corpus): string[] => c.fileDigests().map((f) => `${f.path} ${f.hash} ${f.articles}`).sort();
          const [a, b] = both((c) => [c.hasFile(uri(p)), c.fileSummary(uri(p)), c.fileUris(), c.fileCount(), digests(c)]);
          assert.deepEqual(a, b, label);
        } else if (op === 3) {
          const [a, b] = both((c) => c.deleteFile(uri(p)));
          assert.equal(a, b, label);
        } else if (op === 4) {
          const content = article(100 + step, r);
          const [a, b] = both((c) => c.setFile({ uri: uri(p), path: p, content }, [], `sig-${step}`));
          assert.deepEqual(a, b, label);
        } else if (op === 5) {
          const q = `new/b${added++}.txt`;
          const content = article(200 + step, r);
          both((c) => c.setFile({ uri: uri(q), path: q, content }));
        } else if (op === 6) {
          // An id already held by a stored file: the copy is skipped, as in the whole corpus.
          const content = `---\nid: a${n}\n---\n\nBản sao ${n}: 5 tỷ USD.\n`;
          const q = `dup/c${step}.md`;
          const [a, b] = both((c) => c.setFile({ uri: uri(q), path: q, content }));
          assert.deepEqual(a, b, label);
        } else if (op === 7) {
          const [a, b] = both((c) => [keys(c), JSON.stringify(extractAgreements(c))]);
          assert.deepEqual(a, b, label);
        } else {
          const [a, b] = both((c) => [c.neighbourDocs(doc), c.articlesOfFile(uri(p)).map((x) => x.id)]);
          assert.deepEqual(a, b, label);
        }
        assert.deepEqual(lazy.stats(), whole.stats(), `${label}: counts`);
      }
      assert.deepEqual(keys(lazy), keys(whole));
      assert.deepEqual(view(lazy), view(whole));
      assert.deepEqual(keys(lazy), whole.articles().map((a) => `${a.id}|${a.citationAbout()}`), 'the keys in the order of articles()');
      // Agreements are merged in the order of the articles' documents: that is corpus order.
      const docBases = whole.articles().filter((a) => a.sentenceCount > 0).map((a) => a.docBase);
      assert.deepEqual(docBases, [...docBases].sort((x, y) => x - y));
      const agreements = extractAgreements(whole);
      assert.ok(agreements.length > 0, 'the run has agreements to compare');
      assert.ok(agreements.some((r) => new Set(r.sources.map((src) => src.articleId)).size > 1), 'a record with sources in several articles');
    });
  }

  it('makes the citation catalogue in slices, and starts over when the corpus changes meanwhile', () => {
    const r = mulberry32(11);
    const made = new Corpus();
    for (let n = 0; n < 300; n++) made.setFile({ uri: uri(`a${n}.txt`), path: `a${n}.txt`, content: article(n, r) });
    const whole = citationCatalogue(loaded(made));
    const corpus = loaded(made);
    corpus.article('a5');
    let slices = 1;
    while (!prepareCitationCatalogue(corpus, () => true)) {
      slices++;
      // Half way, a file changes: what was taken so far is of another corpus.
      if (slices === 3) corpus.setFile({ uri: uri('a7.txt'), path: 'a7.txt', content: article(7, r) });
    }
    assert.ok(slices > 4, `${slices} slices of at most 64 articles`);
    const sliced = citationCatalogue(corpus);
    const expected = [...whole.ids.filter((id) => id !== 'a7'), 'a7'];
    assert.deepEqual(sliced.ids, expected, 'the changed file last, as in articles()');
    assert.deepEqual(sliced.ids, corpus.articles().map((a) => a.id));
    assert.deepEqual(sliced.ids.map((_, i) => sliced.about(i)), corpus.articles().map((a) => a.citationAbout()));
  });

  it('makes only what is asked for: a sentence makes its file, counts and summaries make nothing', () => {
    const r = mulberry32(9);
    const made = new Corpus();
    for (let n = 0; n < 10; n++) made.setFile({ uri: uri(`a${n}.txt`), path: `a${n}.txt`, content: article(n, r) }, [], `sig-${n}`);
    const decoded = decodeSnapshot(bytesSource(encodeSnapshot(made, 'lazy-test')), 'lazy-test');
    assert.ok('corpus' in decoded);
    const corpus = decoded.corpus;
    // The records made so far, seen through the corpus's own maps: files() would make them all.
    const madeUris = (): string[] => (corpus as unknown as { byUri: Map<string, unknown> }).byUri.size ? [...(corpus as unknown as { byUri: Map<string, unknown> }).byUri.keys()] : [];
    corpus.stats();
    corpus.fileSummary(uri('a3.txt'));
    corpus.hasFile(uri('a4.txt'));
    corpus.fileUris();
    corpus.figureKinds(5);
    // The citation keys of every article come from the stored columns and citation lines.
    const catalogue = citationCatalogue(corpus);
    assert.deepEqual(catalogue.ids, made.articles().map((a) => a.id));
    assert.deepEqual(catalogue.ids.map((_, i) => catalogue.about(i)), made.articles().map((a) => a.citationAbout()));
    assert.deepEqual(corpus.fileDigests().map((f) => f.path).sort(), made.files().map((f) => f.path).sort());
    assert.deepEqual(madeUris(), []);
    const doc = made.article('a6')!.docBase;
    assert.equal(corpus.sentence(doc)?.text, made.sentence(doc)?.text);
    assert.deepEqual(madeUris(), [uri('a6.txt')]);
    assert.equal(corpus.article('a2')?.id, 'a2');
    assert.deepEqual(madeUris(), [uri('a6.txt'), uri('a2.txt')]);
    assert.equal(corpus.settle(() => true), false, 'a settle asked to stop at once makes nothing more');
    assert.equal(madeUris().length, 2);
    assert.equal(corpus.settle(), true);
    assert.deepEqual(corpus.files().map((f) => f.uri), made.files().map((f) => f.uri), 'settled in the stored order');
  });
});
