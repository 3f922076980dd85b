/**
 * SentenceIndex: the one-pass tokenizer (`addText`) makes exactly the terms of the reference
 * path (`searchTerms(wordsOf(text))`), the bounded top-k equals a full sort, and removal,
 * compaction and the snapshot round trip keep the answers.
 */
import { strict as assert } from 'node:assert';
import { SentenceIndex, type IndexSnapshot } from '../../server/src/core/index/sentenceIndex';
import { searchTerms, wordsOf } from '../../server/src/core/corpus/corpus';
import { toNfc } from '../../server/src/core/text/normalize';
import { mulberry32 } from '../support/prng';

const TEXTS: [string, string][] = [
  ['new tone placement', 'Thỏa thuận an ninh giữa Ukraine và Luxembourg được ký hôm 10/7.'],
  ['old tone placement', 'Thoả thuận hoà bình; thuý, khoẻ, QUẢ.'],
  ['capital Đ and đ', 'ĐIỆN KREMLIN đã đáp trả Đức.'],
  ['digits only are not terms, digits in words are', 'MiG-29 bay 672.000 km, G7 họp năm 2024, F16 và 4,5 tỷ USD.'],
  ['English', "The U.S. and Japan's $38 billion pact, signed in 2024."],
  ['other scripts and digits', 'Ελλάδα ١٢٣ 東京 Москва 𝐀𝐁 😀 mixed'],
  ['marks and punctuation', 'a\u0301 e\u0300 —«»“”… x'],
  ['long word', 'x'.repeat(300) + ' y'],
  ['empty', ''],
];

const allTerms = (index: SentenceIndex): string[] => index.termsWithPrefix('', Number.MAX_SAFE_INTEGER);

/** A snapshot with its postings in one array, as a cache holds them. */
function snapshotOf(index: SentenceIndex): IndexSnapshot & { postingDocs: Uint32Array } {
  const { postingParts, postingTotal, ...rest } = index.toSnapshot();
  const postingDocs = new Uint32Array(postingTotal);
  let at = 0;
  for (const part of postingParts()) {
    postingDocs.set(part, at);
    at += part.length;
  }
  assert.equal(at, postingTotal);
  return { ...rest, postingDocs };
}

describe('SentenceIndex', () => {
  describe('addText makes the terms of searchTerms(wordsOf(text))', () => {
    for (const [name, raw] of TEXTS) {
      it(name, () => {
        const text = toNfc(raw).text;
        const fast = new SentenceIndex();
        const reference = new SentenceIndex();
        const n = fast.addText(0, text, 0, text.length);
        const terms = searchTerms(wordsOf(text).words).map((t) => t.slice(0, 256));
        reference.add(0, terms);
        assert.equal(n, terms.length, 'the same number of terms (document length)');
        assert.deepEqual(allTerms(fast), allTerms(reference));
        for (const t of new Set(terms)) assert.equal(fast.documentFrequency(t), 1, t);
      });
    }
  });

  describe('addUtf8 indexes UTF-8 bytes as addText indexes the string', () => {
    for (const [name, raw] of TEXTS) {
      it(name, () => {
        const text = toNfc(raw).text;
        const bytes = new TextEncoder().encode(text);
        // Sentences cut anywhere, between the two units of an astral character too, with gaps.
        const cuts = [0, 1, Math.floor(text.length / 3), Math.floor(text.length / 2) + 1, text.length - 1, text.length].filter((c, i, all) => c >= 0 && c <= text.length && (i === 0 || c >= all[i - 1]!));
        const spans: number[] = [];
        for (let k = 1; k < cuts.length; k++) spans.push(cuts[k - 1]! + (k === 3 ? 1 : 0), cuts[k]!, 0);
        const fixed = spans.map((v, i) => (i % 3 === 0 ? Math.min(v, spans[i + 1]!) : v));
        const fromBytes = new SentenceIndex();
        const fromText = new SentenceIndex();
        assert.ok(fromBytes.addUtf8(0, bytes, text.length, Int32Array.from(fixed)));
        for (let i = 0; i < fixed.length; i += 3) fromText.addText(i / 3, text, fixed[i]!, fixed[i + 1]!);
        const a = snapshotOf(fromBytes);
        const b = snapshotOf(fromText);
        assert.deepEqual([a.terms, [...a.postingStart], [...a.postingDocs], [...a.docLength], [...a.flags], a.docCount], [b.terms, [...b.postingStart], [...b.postingDocs], [...b.docLength], [...b.flags], b.docCount]);
      });
    }
    it('refuses spans out of order or past the text, adding nothing', () => {
      const index = new SentenceIndex();
      const bytes = new TextEncoder().encode('Hà Nội 2024');
      assert.equal(index.addUtf8(0, bytes, 11, Int32Array.from([5, 11, 0, 0, 4, 0])), false);
      assert.equal(index.addUtf8(0, bytes, 11, Int32Array.from([0, 12, 0])), false);
      assert.equal(index.size, 0);
      assert.ok(index.addUtf8(0, bytes, 11, Int32Array.from([0, 6, 0, 7, 11, 0])));
      assert.deepEqual(index.search(['ha', 'noi']).map((h) => h.doc), [0]);
    });
  });

  it('searches a span of a text only', () => {
    const text = 'Nhật Bản cung cấp. Luxembourg ký.';
    const index = new SentenceIndex();
    index.addText(0, text, 0, 18);
    index.addText(1, text, 19, text.length);
    assert.deepEqual(index.search(['luxembourg']).map((h) => h.doc), [1]);
    assert.deepEqual(index.search(['nhat']).map((h) => h.doc), [0]);
  });

  it('keeps the best hits with a bounded heap exactly as a full sort would, ties by id', () => {
    const index = new SentenceIndex();
    const words = ['an', 'ninh', 'thoa', 'thuan', 'ukraine', 'ky', 'nam', 'my'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let doc = 0; doc < 500; doc++) index.add(doc, Array.from({ length: 1 + Math.floor(next() * 8) }, () => words[Math.floor(next() * words.length)]!));
    const query = ['ukraine', 'thoa', 'thuan', 'my'];
    const all = index.search(query);
    for (const k of [1, 5, 37, 200, 1000]) assert.deepEqual(index.search(query, { limit: k }), all.slice(0, k), `k = ${k}`);
    const even = (doc: number): boolean => doc % 2 === 0;
    assert.deepEqual(index.search(query, { limit: 20, filter: even }), all.filter((h) => even(h.doc)).slice(0, 20));
  });

  it("scores are BM25's (tf 1, k1 1.2, b 0.75) of each document's length, as documents of new lengths come, are removed, and through a snapshot", () => {
    // Documents of lengths 1 to 12 words, then one of 400 (longer than any before) and one of
    // 0 words' worth of terms ("7": digits are not terms), so the lengths in play grow.
    const index = new SentenceIndex();
    const texts: string[] = [];
    const add = (text: string): void => {
      index.addText(texts.length, text, 0, text.length);
      texts.push(text);
    };
    for (let n = 1; n <= 12; n++) add(['kiev', ...Array.from({ length: n - 1 }, (_, k) => `w${k}`)].join(' '));
    // `counted`: the documents whose postings count in the term's df (a removed one's until a compaction).
    const bm25 = (alive: (doc: number) => boolean, counted: (doc: number) => boolean = alive): Map<number, number> => {
      const lengths = texts.map((t) => searchTerms(wordsOf(t).words).length);
      const live = texts.map((_, d) => d).filter(alive);
      const avg = live.reduce((n, d) => n + lengths[d]!, 0) / live.length;
      const df = texts.filter((t, d) => counted(d) && searchTerms(wordsOf(t).words).includes('kiev')).length;
      const idf = Math.log(1 + (live.length - df + 0.5) / (df + 0.5));
      const out = new Map<number, number>();
      for (const d of live) if (searchTerms(wordsOf(texts[d]!).words).includes('kiev')) out.set(d, (idf * 2.2) / (1 + 1.2 * (0.25 + (0.75 * (lengths[d]! || 1)) / avg)));
      return out;
    };
    const expectBm25 = (copy: SentenceIndex, alive: (doc: number) => boolean, when: string, counted?: (doc: number) => boolean): void => {
      const expected = bm25(alive, counted);
      const hits = copy.search(['kiev']);
      assert.equal(hits.length, expected.size, when);
      for (const h of hits) assert.ok(Math.abs(h.score - expected.get(h.doc)!) < 1e-12, `${when}: document ${h.doc} scored ${h.score}, BM25 ${expected.get(h.doc)}`);
    };
    expectBm25(index, () => true, 'lengths 1–12');
    add(['kiev', ...Array.from({ length: 399 }, (_, k) => `x${k}`)].join(' '));
    expectBm25(index, () => true, 'a document of 400 words added');
    add('7');
    add('kiev kiev kiev');
    expectBm25(index, () => true, 'a document without terms and one repeating its word');
    index.remove(3);
    expectBm25(index, (d) => d !== 3, 'a document removed', () => true);
    index.compact();
    expectBm25(index, (d) => d !== 3, 'a document removed, compacted');
    expectBm25(SentenceIndex.fromSnapshot(snapshotOf(index)), (d) => d !== 3, 'from a snapshot');
  });

  it('only sentences with digits when asked', () => {
    const index = new SentenceIndex();
    const texts = ['Ukraine nhận 4,5 tỷ USD', 'Ukraine ký thỏa thuận', 'Ukraine và G7'];
    texts.forEach((t, i) => index.addText(i, t, 0, t.length));
    assert.deepEqual(index.search(['ukraine'], { withDigits: true }).map((h) => h.doc).sort(), [0, 2]);
  });

  it('a digit search of a common term ranks as the full ranking kept to sentences with digits, through additions, removals and compaction', () => {
    // "nam" is in every document: common (df > 2,000 and > 2 %), walked among digit documents only.
    const index = new SentenceIndex();
    const r = mulberry32(11);
    let doc = 0;
    const digits = new Set<number>();
    const addSome = (n: number): void => {
      for (let k = 0; k < n; k++, doc++) {
        const withDigit = r() < 0.3;
        if (withDigit) digits.add(doc);
        const text = `nam ${r() < 0.5 ? 'cho' : 'voi'} ${'x '.repeat(Math.floor(r() * 6))}${withDigit ? String(doc) : 'muoi'}`;
        index.addText(doc, text, 0, text.length);
      }
    };
    const expectSame = (when: string): void => {
      const full = index.search(['nam', 'cho']);
      const withDigits = index.search(['nam', 'cho'], { withDigits: true });
      assert.ok(withDigits.length > 0 && withDigits.length < full.length, when);
      assert.deepEqual(withDigits, full.filter((h) => digits.has(h.doc)), when);
    };
    addSome(3000);
    expectSame('base postings');
    addSome(500);
    expectSame('with postings added since');
    for (let d = 0; d < 3500; d += 3) index.remove(d);
    expectSame('after removals');
    index.compact();
    expectSame('after compaction');
  });

  it('compacting in segments (no removals) answers and snapshots as one compaction at the end, and a removal merges them', () => {
    const r = mulberry32(23);
    const words = ['nam', 'cho', 'voi', 'kiev', 'tokyo', 'thoa', 'thuan', 'ty', 'usd', 'euro', 'an', 'ninh'];
    const texts = Array.from({ length: 4000 }, (_, d) => {
      const n = 3 + Math.floor(r() * 8);
      const picked = Array.from({ length: n }, () => words[Math.floor(r() * words.length)]!);
      // New terms keep arriving, so later segments know terms the earlier ones do not.
      return `${picked.join(' ')} w${Math.floor(d / 500)}${r() < 0.3 ? ` ${d}` : ''}`;
    });
    const once = new SentenceIndex();
    const segmented = new SentenceIndex();
    texts.forEach((t, d) => {
      once.addText(d, t, 0, t.length);
      segmented.addText(d, t, 0, t.length);
      if (d % 700 === 699) segmented.compact();
    });
    once.compact();
    const queries: [string[], object][] = [
      [['nam', 'cho'], {}],
      [['kiev', 'ty', 'usd'], { withDigits: true }],
      [['thoa', 'thuan', 'w3'], { limit: 5 }],
      [['an', 'ninh'], { requireGroups: [['kiev'], ['tokyo']] }],
      [['euro', 'w7'], { withDigits: true, requireGroups: [['nam', 'cho']] }],
    ];
    const answers = (index: SentenceIndex): unknown[] => queries.map(([q, o]) => index.search(q, o));
    const expected = answers(once);
    assert.deepEqual(answers(segmented), expected, 'before the last compaction');
    segmented.compact();
    assert.deepEqual(answers(segmented), expected, 'segmented');
    assert.deepEqual(snapshotOf(segmented), snapshotOf(once));
    assert.deepEqual(answers(SentenceIndex.fromSnapshot(snapshotOf(segmented))), expected, 'from its snapshot');
    for (let d = 0; d < 4000; d += 5) {
      once.remove(d);
      segmented.remove(d);
    }
    once.compact();
    segmented.compact();
    assert.deepEqual(answers(segmented), answers(once), 'after removals');
    const purged = snapshotOf(segmented);
    assert.deepEqual(purged, snapshotOf(once));
    assert.ok(purged.postingDocs.length > 0 && purged.postingDocs.every((d) => d % 5 !== 0), 'removed documents are purged');
  });

  it('a compaction in steps ends as compact() does, answers as before it between steps, and starts again when the index changes in between', () => {
    const r = mulberry32(41);
    const words = ['nam', 'cho', 'voi', 'kiev', 'tokyo', 'thoa', 'thuan', 'ty', 'usd', 'euro', 'an', 'ninh'];
    const texts = Array.from({ length: 61_000 }, (_, d) => `${Array.from({ length: 3 + Math.floor(r() * 8) }, () => words[Math.floor(r() * words.length)]!).join(' ')} w${Math.floor(d / 300)}${r() < 0.3 ? ` ${d}` : ''}`);
    const text = (d: number): string => texts[d]!;
    const queries: [string[], object][] = [
      [['nam', 'cho'], {}],
      [['kiev', 'ty', 'usd'], { withDigits: true, limit: 7 }],
      [['an', 'ninh', 'w4'], { requireGroups: [['kiev'], ['tokyo']] }],
    ];
    const answers = (index: SentenceIndex): unknown[] => queries.map(([q, o]) => index.search(q, o));
    // Some 400,000 postings (several steps of the merge), from a snapshot read on demand, with
    // documents removed and added since (so the compaction merges everything).
    const build = (): SentenceIndex => {
      const base = new SentenceIndex();
      for (let d = 0; d < 60_000; d++) {
        const t = text(d);
        base.addText(d, t, 0, t.length);
      }
      const snap = snapshotOf(base);
      const index = SentenceIndex.fromSnapshot({ ...snap, postingDocs: (start, end, into) => (into ? (into.set(snap.postingDocs.subarray(start, end)), into) : snap.postingDocs.slice(start, end)) });
      for (let d = 0; d < 60_000; d += 7) index.remove(d);
      for (let d = 60_000; d < 61_000; d++) {
        const t = text(d);
        index.addText(d, t, 0, t.length);
      }
      return index;
    };
    const reference = build();
    const stepped = build();
    reference.compact();
    const expected = answers(reference);
    const before = answers(stepped);
    let steps = 0;
    for (const _ of stepped.compactInSteps()) {
      steps++;
      if (steps % 5 === 0) assert.deepEqual(answers(stepped), before, `between steps (${steps})`);
    }
    assert.ok(steps > 3, `${steps} steps`);
    assert.deepEqual(snapshotOf(stepped), snapshotOf(reference));
    assert.deepEqual(answers(stepped), expected);
    // A change between steps (while the postings are read, while they are merged): the merge
    // begun is dropped, and it ends as compact() of the changed index.
    for (const changeAt of [2, steps - 2]) {
      const changedRef = build();
      const changed = build();
      let k = 0;
      for (const _ of changed.compactInSteps()) {
        if (++k === changeAt) {
          for (const index of [changed, changedRef]) {
            index.remove(61_000 - 1);
            const t = 'kiev tokyo nam cho 99';
            index.addText(61_000, t, 0, t.length);
          }
        }
      }
      changedRef.compact();
      assert.deepEqual(snapshotOf(changed), snapshotOf(changedRef), `changed at step ${changeAt}`);
      assert.deepEqual(answers(changed), answers(changedRef), `changed at step ${changeAt}`);
    }
  });

  it('postings not yet compacted answer as compacted ones, searched between additions (the pending view is remade after each)', () => {
    const r = mulberry32(31);
    const words = ['hiep', 'dinh', 'kiev', 'tokyo', 'ty', 'usd', 'nam', 'w'];
    const texts = Array.from({ length: 600 }, (_, d) => `${Array.from({ length: 2 + Math.floor(r() * 6) }, () => words[Math.floor(r() * words.length)]!).join(' ')} t${d % 37}${r() < 0.4 ? ` ${d}` : ''}`);
    const queries: [string[], object][] = [
      [['hiep', 'dinh'], {}],
      [['kiev', 'ty', 't3'], { withDigits: true }],
      [['nam', 'usd'], { requireGroups: [['tokyo'], ['w']] }],
    ];
    const answers = (index: SentenceIndex): unknown[] => queries.map(([q, o]) => index.search(q, o));
    const live = new SentenceIndex();
    texts.forEach((t, d) => {
      live.addText(d, t, 0, t.length);
      if (d % 97 !== 0 && d !== texts.length - 1) return;
      // A fresh index of the same documents, compacted: what the live one must answer now.
      const reference = new SentenceIndex();
      for (let k = 0; k <= d; k++) reference.addText(k, texts[k]!, 0, texts[k]!.length);
      reference.compact();
      assert.deepEqual(answers(live), answers(reference), `after document ${d}`);
      assert.deepEqual(live.termsWithPrefix('t', 100), reference.termsWithPrefix('t', 100));
      if (d % 3 === 0) live.compact(); // some checkpoints pack what is pending, others do not
    });
    assert.ok(live.pendingPostings > 0, 'the last checkpoint searched pending postings');
    live.compact();
    assert.equal(live.pendingPostings, 0);
  });

  it('a common term only re-ranks the documents in play once there are enough, with the scores a full walk gives them', () => {
    // "nam" is in every document (common); "hiep" in about 10 %: with a limit of 10, the 300-odd
    // documents "hiep" brings are in play and "nam" re-ranks them (postings intersected).
    const index = new SentenceIndex();
    const r = mulberry32(5);
    const rare = new Set<number>();
    const add = (from: number, to: number): void => {
      for (let doc = from; doc < to; doc++) {
        const hiep = r() < 0.1;
        if (hiep) rare.add(doc);
        const text = `${r() < 0.7 ? 'nam ' : ''}${hiep ? 'hiep ' : ''}${'x '.repeat(Math.floor(r() * 8))}${r() < 0.5 ? String(doc) : 'y'}`;
        index.addText(doc, text, 0, text.length);
      }
    };
    const expectSame = (when: string): void => {
      for (const withDigits of [false, true]) {
        const full = index.search(['nam', 'hiep'], { withDigits }); // no limit: nothing re-ranks, "nam" is walked
        const top = index.search(['nam', 'hiep'], { limit: 10, withDigits });
        assert.equal(top.length, 10, when);
        assert.deepEqual(top, full.filter((h) => rare.has(h.doc)).slice(0, 10), `${when}, withDigits ${withDigits}`);
      }
    };
    add(0, 3000);
    expectSame('base postings');
    index.compact();
    add(3000, 3400);
    expectSame('with postings added since');
    for (let d = 0; d < 3400; d += 4) {
      index.remove(d);
      rare.delete(d);
    }
    expectSame('after removals');
  });

  it('an index read on demand re-ranks with common terms read for the pass into a reused buffer (not kept), answering as in memory', () => {
    // "nam" (70 %) and "viet" (60 %) are common; "hiep" (10 %) brings the documents in play.
    const index = new SentenceIndex();
    const r = mulberry32(9);
    for (let doc = 0; doc < 4000; doc++) {
      const text = `${r() < 0.7 ? 'nam ' : ''}${r() < 0.6 ? 'viet ' : ''}${r() < 0.1 ? 'hiep ' : ''}${'x '.repeat(Math.floor(r() * 8))}${r() < 0.5 ? String(doc) : 'y'}`;
      index.addText(doc, text, 0, text.length);
    }
    const snap = snapshotOf(index);
    const reads: { n: number; into: boolean }[] = [];
    const lazy = SentenceIndex.fromSnapshot({
      ...snap,
      postingDocs: (start, end, into) => {
        reads.push({ n: end - start, into: into !== undefined });
        const docs = snap.postingDocs.subarray(start, end);
        if (!into) return docs.slice();
        into.set(docs);
        return into;
      },
    });
    const queries: [string[], number][] = [[['nam', 'hiep'], 10], [['viet', 'nam', 'hiep'], 10], [['hiep', 'viet'], 5], [['nam', 'viet', 'hiep'], 20]];
    for (let round = 0; round < 2; round++) {
      for (const [query, limit] of queries) {
        for (const withDigits of [false, true]) {
          reads.length = 0;
          assert.deepEqual(lazy.search(query, { limit, withDigits }), index.search(query, { limit, withDigits }), `${query.join(' ')}, limit ${limit}, withDigits ${withDigits}, round ${round}`);
          if (!withDigits) assert.deepEqual(reads.filter((x) => !x.into).map((x) => x.n), round === 0 && query === queries[0]![0] ? [lazy.documentFrequency('hiep')] : [], 'only the rare term is read to keep, once');
        }
      }
    }
    // Re-ranks read the common terms for the pass, every time (they are not kept).
    reads.length = 0;
    lazy.search(['nam', 'viet', 'hiep'], { limit: 10 });
    assert.deepEqual(reads.map((x) => [x.n, x.into]).sort(), [[lazy.documentFrequency('nam'), true], [lazy.documentFrequency('viet'), true]].sort());
  });

  it('a search naming groups ranks as the same search kept to documents holding a term of every group', () => {
    // Fewer than 2,000 documents: no term is common, so the plain search is the exact reference.
    // "lux" is rare (the eligible documents are intersected with each term's postings), "kiev" or
    // "kyiv" (a group of two terms) frequent.
    const index = new SentenceIndex();
    const r = mulberry32(23);
    const docs: string[][] = [];
    const add = (from: number, to: number): void => {
      for (let doc = from; doc < to; doc++) {
        const words = ['an', 'ninh', 'thoa', 'thuan', 'ky'].filter(() => r() < 0.6);
        if (r() < 0.05) words.push('lux');
        if (r() < 0.5) words.push(r() < 0.5 ? 'kiev' : 'kyiv');
        if (r() < 0.5) words.push(String(doc));
        docs[doc] = words;
        const text = words.join(' ') || 'y';
        index.addText(doc, text, 0, text.length);
      }
    };
    const groups = [['lux'], ['kiev', 'kyiv']];
    const query = ['an', 'ninh', 'thoa', 'thuan', 'ky', 'lux', 'kiev'];
    const inEvery = (doc: number): boolean => groups.every((g) => g.some((t) => docs[doc]!.includes(t)));
    const expectSame = (when: string): void => {
      for (const withDigits of [false, true]) {
        const expected = index.search(query, { withDigits }).filter((h) => inEvery(h.doc));
        assert.ok(expected.length >= 5, when);
        assert.deepEqual(index.search(query, { withDigits, requireGroups: groups }), expected, `${when}, withDigits ${withDigits}`);
        assert.deepEqual(index.search(query, { withDigits, requireGroups: groups, limit: 5 }), expected.slice(0, 5), `${when}, withDigits ${withDigits}, limit 5`);
      }
    };
    add(0, 1500);
    expectSame('base postings');
    index.compact();
    add(1500, 1900);
    expectSame('with postings added since');
    for (let d = 0; d < 1900; d += 5) index.remove(d);
    expectSame('after removals');
  });

  it('answers the same after removal, compaction and a snapshot round trip', () => {
    const index = new SentenceIndex();
    const texts = ['Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD', 'Luxembourg cam kết hơn 250 triệu euro', 'Mỹ và Nhật Bản ký thỏa thuận an ninh', 'Kiev cảm ơn Tokyo'];
    texts.forEach((t, i) => index.addText(i, t, 0, t.length));
    index.remove(1);
    const before = index.search(['kiev', 'tokyo', 'thoa']);
    assert.deepEqual(before.map((h) => h.doc).sort(), [0, 2, 3]);
    index.compact();
    assert.deepEqual(index.search(['kiev', 'tokyo', 'thoa']), before);
    const copy = SentenceIndex.fromSnapshot(snapshotOf(index));
    assert.deepEqual(copy.search(['kiev', 'tokyo', 'thoa']), before);
    assert.deepEqual(allTerms(copy), allTerms(index));
    copy.addText(4, 'Kiev và Tokyo', 0, 13);
    assert.equal(copy.search(['kiev']).length, 3);
    assert.throws(() => copy.addText(2, 'again', 0, 5), /already added/);
  });
});
