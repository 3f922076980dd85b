/**
 * An inverted index over sentences, keyed by diacritic-free syllables, built for archives of
 * tens of thousands of articles.
 *
 * Why our own and not a library: Vietnamese words are runs of syllables, so the natural term
 * is the folded syllable; the checker needs raw document frequencies for its own weighting;
 * and the measured comparison with MiniSearch (ARCHITECTURE.md, `npm run bench`) favours a
 * layout made for this one job:
 * - terms live in an open-addressing hash table over their folded UTF-16 units: `addText`
 *   tokenizes, folds and hashes a sentence in one pass over the text and makes a string only
 *   for a term it has never seen;
 * - postings are compressed-sparse-row typed arrays (`Uint32Array` offsets and doc ids) after
 *   `compact()`, with a stream of (term, document) pairs for documents added since; documents are removed by a
 *   liveness flag and purged in bulk. A compaction with nothing to purge packs only what was
 *   added since the last one into a new segment (documents only grow, so a term's postings
 *   are its segments' in order): a bulk index never copies what it packed before, and never
 *   holds the postings twice;
 * - search scores into a reusable `Float64Array` and keeps the best hits in a bounded heap,
 *   so a query over a term found in 300,000 sentences allocates no per-document objects;
 * - the whole index round-trips through `toSnapshot`/`fromSnapshot` as a few typed arrays
 *   and the term list, for the on-disk cache.
 */
import { FOLD, astralIsWord, astralWordLength, wordClass } from '../text/fold';
import { CacheDamageError } from '../cacheDamage';
import { lowerBound } from '../sorted';
import { runToEnd } from '../steps';

/** A scored sentence id. */
export interface SearchHit {
  doc: number;
  score: number;
}

export interface SearchOptions {
  /** Treat the last query term as a prefix (completion while typing). */
  prefixLast?: boolean;
  /** At most this many hits, best first. */
  limit?: number;
  /** Only documents for which this returns true (asked lazily, best hits first). */
  filter?: (doc: number) => boolean;
  /** Only documents whose text holds an ASCII digit (the only ones that can hold most figures). */
  withDigits?: boolean;
  /** Only documents holding at least one term of every group (at most 8 groups). */
  requireGroups?: readonly (readonly string[])[];
}

/** The index as plain data, for the on-disk cache. */
export interface IndexSnapshot {
  terms: string[];
  postingStart: Uint32Array;
  /**
   * Doc ids of every term's postings, or a reader of a range of them (a cache read on
   * demand): into `into` when given (a buffer the caller reuses), else into new memory.
   */
  postingDocs: Uint32Array | ((start: number, end: number, into?: Uint32Array) => Uint32Array);
  docLength: Uint16Array;
  alive: Uint8Array;
  /** Per document: bit 0 set when its text holds an ASCII digit. */
  flags: Uint8Array;
  docCount: number;
}

const K1 = 1.2;
const B = 0.75;
/** A term in more than this share of the live documents (and at least COMMON_MIN_DF) is common. */
const COMMON_SHARE = 0.02;
const COMMON_MIN_DF = 2_000;
/** Common terms only re-rank once this many times `limit` documents (at most the cap) are in play. */
const COMMON_RERANK_FACTOR = 8;
const COMMON_RERANK_CAP = 2_000;
/** Beyond this many documents in play a common term is left out (its weight is small). */
const COMMON_RERANK_MAX = 8_000;
/** A digit search walks a term's postings among documents with digits once it has this many postings. */
const DIGIT_LIST_MIN_DF = 256;
/** A search with groups intersects a term's postings with the eligible documents when those are this many times fewer. */
const INTERSECT_RATIO = 4;
/** A query keeps at most this many terms, the rarest. */
const MAX_QUERY_TERMS = 64;
const MAX_TERM_UNITS = 256;
/** More segments than this are merged into one at the next compaction. */
const MAX_SEGMENTS = 32;
/** Postings copied per step of a merge made in steps (`compactInSteps`). */
const MERGE_STEP = 1 << 16;
/** Postings per part of a segmented index's snapshot (4 MB). */
const PART_POSTINGS = 1 << 20;

/**
 * Postings packed at one compaction: compressed sparse rows (`start[row]..start[row + 1]`
 * in `docs`), in memory or read from the cache on demand. A dense segment has a row per term
 * that existed then (a snapshot's, a merge's); a sparse one lists the terms it holds, sorted
 * (`ids`), so a segment of a million postings does not carry offsets for 400,000 terms.
 */
class Segment {
  /** Each row's postings read on demand, while `docs` is not in memory. */
  private readonly read = new Map<number, Uint32Array>();
  /** Postings kept to documents with digits (a digit search walks those), made on a row's first digit search. */
  private readonly digits = new Map<number, Uint32Array>();
  /** Where rows read for one pass go (see {@link passingListAt}). */
  private scratch: Uint32Array = new Uint32Array(0);
  /** Where a digit-filtered copy is made before it is cut to size. */
  private filtered: Uint32Array = new Uint32Array(0);

  constructor(
    readonly start: Uint32Array,
    private docs: Uint32Array | undefined,
    private reader?: (start: number, end: number, into?: Uint32Array) => Uint32Array,
    /** Sparse: the term of each row, ascending. */
    private readonly ids?: Uint32Array,
  ) {}

  /** Dense, with a row for each of the first `terms` terms. */
  dense(terms: number): boolean {
    return this.ids === undefined && this.start.length - 1 === terms;
  }

  /** The row of a term, or -1 when it has no postings here. */
  row(id: number): number {
    const ids = this.ids;
    if (!ids) return id < this.start.length - 1 ? id : -1;
    const at = lowerBound(ids, id);
    return at < ids.length && ids[at] === id ? at : -1;
  }

  /** A term's postings here (0 when it has none). */
  count(id: number): number {
    const r = this.row(id);
    return r < 0 ? 0 : this.countAt(r);
  }

  countAt(row: number): number {
    return this.start[row + 1]! - this.start[row]!;
  }

  /** A row's postings (read from the cache on first use). */
  listAt(row: number): Uint32Array {
    const start = this.start[row]!;
    const end = this.start[row + 1]!;
    if (this.docs) return this.docs.subarray(start, end);
    let docs = this.read.get(row);
    if (!docs) this.read.set(row, (docs = this.reader!(start, end)));
    return docs;
  }

  /**
   * A row's postings for one pass over them, valid until the next call: those in memory when
   * they are, else read from the cache into a buffer this segment reuses, and not kept. For
   * a common term's re-rank and for making a digit-filtered copy: reading a list into new
   * memory costs, on a machine where touching fresh memory costs about 3 ms per MB, far more
   * than reading it again into memory already touched (the first check after a warm start
   * read 27 MB of common terms' postings for re-ranks alone).
   */
  passingListAt(row: number): Uint32Array {
    const start = this.start[row]!;
    const end = this.start[row + 1]!;
    if (this.docs) return this.docs.subarray(start, end);
    const kept = this.read.get(row);
    if (kept) return kept;
    this.scratch = roomFor(this.scratch, end - start);
    return this.reader!(start, end, this.scratch.subarray(0, end - start));
  }

  /** A row's postings among documents whose text holds a digit (kept: a document's flags never change). */
  withDigitsAt(row: number, flags: Uint8Array): Uint32Array {
    let docs = this.digits.get(row);
    if (!docs) {
      // One pass into a reused buffer, then a copy of what passed (a third or so).
      const all = this.passingListAt(row);
      const out = (this.filtered = roomFor(this.filtered, all.length));
      let n = 0;
      for (let k = 0; k < all.length; k++) {
        const doc = all[k]!;
        if (flags[doc]! & 1) out[n++] = doc;
      }
      docs = out.slice(0, n);
      this.digits.set(row, docs);
    }
    return docs;
  }

  /** How many postings it holds. */
  get total(): number {
    return this.start[this.start.length - 1]!;
  }

  /**
   * Reads every posting into memory a part at a time (`MERGE_STEP`), a step between parts;
   * then holds them as {@link all} would. Nothing changes until the last part is in.
   */
  *readAllInSteps(): Generator<void, void> {
    if (this.docs) return;
    const total = this.total;
    const docs = new Uint32Array(total);
    for (let at = 0; at < total; at += MERGE_STEP) {
      const end = Math.min(total, at + MERGE_STEP);
      this.reader!(at, end, docs.subarray(at, end));
      if (end < total) yield;
    }
    this.holdAll(docs);
  }

  /** Every posting in memory (reads the rest from the cache once). */
  all(): Uint32Array {
    if (!this.docs) this.holdAll(this.reader!(0, this.total));
    return this.docs!;
  }

  /** Holds every posting from now on: the lists read one by one and the cache's reader are no longer needed. */
  private holdAll(docs: Uint32Array): void {
    this.docs = docs;
    this.read.clear();
    this.reader = undefined;
  }
}

export class SentenceIndex {
  // ---- terms: open addressing over folded units --------------------------------------
  private terms: string[] = [];
  private termHash = new Int32Array(1024);
  /** slots hold termId + 1 (0 = empty); capacity is a power of two, load ≤ 1/2. */
  private slots = new Int32Array(2048);
  private readonly buf = new Uint16Array(MAX_TERM_UNITS);

  // ---- postings ----------------------------------------------------------------------
  /** Packed postings, oldest first: each holds documents after those of the one before. */
  private segments: Segment[] = [];
  /**
   * Postings added since the last compaction, in the order they were posted: each one's term
   * and document (documents only grow, so a term's come in document order). Typed arrays, not
   * a growable array per term: a cold index of the archive posts 14 million times, and per-term
   * arrays (and the garbage of their growth) were most of the indexing thread's collections.
   */
  private pendingTerms = new Uint32Array(1024);
  private pendingDocs = new Uint32Array(1024);
  private pendingCount = 0;
  /**
   * The pending postings by term without sorting the stream (a request during a bulk index
   * read them: a counting sort of up to PACK_POSTINGS per request, 10–20 ms each): each
   * posting's previous one of the same term (`chainPrev`, -1: none), each term's last (`chainHead`,
   * index + 1, 0: none) and count, for `[0, chained)` of the stream, extended when read.
   */
  private chainPrev = new Int32Array(0);
  private chainHead = new Int32Array(0);
  private chainCount = new Uint32Array(0);
  private chained = 0;
  /** Scratch for `pendingSegment`, per term; all zero between uses. */
  private pendingCounts = new Uint32Array(1024);
  /** The last document a term was posted for (no duplicate postings within a document). */
  private lastDoc = new Int32Array(1024).fill(-1);

  // ---- documents ---------------------------------------------------------------------
  private docLength = new Uint16Array(1024);
  private alive = new Uint8Array(1024);
  private flags = new Uint8Array(1024);
  private docCount = 0;
  private liveDocs = 0;
  private totalLength = 0;
  private deadDocs = 0;
  /** Bumped by every change of documents or postings (see {@link compactInSteps}). */
  private changes = 0;

  // ---- prefix search -----------------------------------------------------------------
  private sorted: string[] | undefined;
  /** Terms added after `sorted` was made, merged in when there are many. */
  private recent: string[] = [];

  // ---- search scratch ----------------------------------------------------------------
  private scores = new Float64Array(0);
  private touched = new Int32Array(0);
  private groupMask = new Uint8Array(0);
  /** BM25's length normalisation by document length (see {@link lengthNorms}). */
  private norms = new Float64Array(0);
  private normAvg = NaN;
  /** The longest document's length (of those ever added: a table of norms reaches it). */
  private longest = 0;

  /** Number of live documents. */
  get size(): number {
    return this.liveDocs;
  }

  /**
   * Adds a document from terms (already folded). `doc` ids must be new and ascending
   * (ids of removed documents are not reused).
   */
  add(doc: number, terms: readonly string[]): void {
    this.beginDoc(doc);
    let length = 0;
    for (const term of terms) {
      const n = Math.min(term.length, MAX_TERM_UNITS);
      for (let i = 0; i < n; i++) this.buf[i] = term.charCodeAt(i);
      this.post(this.intern(n, hashUnits(this.buf, n)), doc);
      length++;
    }
    this.endDoc(doc, length);
  }

  /**
   * `addText` for every sentence of an article held as UTF-8 (`spans`: `[start, end, …]` per
   * sentence, in UTF-16 offsets, in order), documents `docBase`, `docBase + 1`, …: the same
   * terms, lengths and flags, without decoding the text into a string (a worker thread hands
   * texts over as UTF-8; decoding 35,000 of them cost the indexing thread 1.4 s). The bytes
   * must be well-formed UTF-8 (TextEncoder's) of a text `units` long. Returns false, adding
   * nothing, when the spans are out of order or out of the text (the caller decodes then).
   */
  addUtf8(docBase: number, bytes: Uint8Array, units: number, spans: Int32Array): boolean {
    const count = spans.length / 3;
    for (let s = 0; s < count; s++) if (spans[3 * s]! > spans[3 * s + 1]! || spans[3 * s + 1]! > units || (s > 0 && spans[3 * s]! < spans[3 * s - 2]!)) return false;
    const buf = this.buf;
    const len = bytes.length;
    let b = 0; // byte offset
    let u = 0; // UTF-16 offset of the same place
    // Code points are decoded inline (no helper closure): the loop's state stays in registers,
    // which made this, the cold index's busiest loop, about a third faster.
    for (let s = 0; s < count; s++) {
      const start = spans[3 * s]!;
      const end = spans[3 * s + 1]!;
      while (u < start && b < len) {
        const c = bytes[b]!;
        if (c < 0x80) b++;
        else if (c < 0xe0) b += 2;
        else if (c < 0xf0) b += 3;
        else {
          b += 4;
          u++;
        }
        u++;
      }
      if (u !== start || (end > start && b >= len)) throw new Error('addUtf8: the bytes are shorter than the spans say');
      const doc = docBase + s;
      this.beginDoc(doc);
      let length = 0;
      let digits = 0;
      let n = 0;
      let h = 0x811c9dc5 | 0;
      let inWord = false;
      let digitsOnly = true;
      // One pass over the sentence's code points; a word ends at a non-word code point (or the
      // span's end) and is posted then.
      while (u < end && b < len) {
        const c = bytes[b]!;
        let cp: number;
        let size: number;
        if (c < 0x80) {
          cp = c;
          size = 1;
        } else if (c < 0xe0) {
          cp = ((c & 0x1f) << 6) | (bytes[b + 1]! & 0x3f);
          size = 2;
        } else if (c < 0xf0) {
          cp = ((c & 0x0f) << 12) | ((bytes[b + 1]! & 0x3f) << 6) | (bytes[b + 2]! & 0x3f);
          size = 3;
        } else {
          cp = ((c & 0x07) << 18) | ((bytes[b + 1]! & 0x3f) << 12) | ((bytes[b + 2]! & 0x3f) << 6) | (bytes[b + 3]! & 0x3f);
          size = 4;
        }
        // A word unit: a letter or number (an astral one only when its pair of units ends
        // before `end`): the same decisions as addText.
        const cls = size === 4 ? (u + 1 < end && astralIsWord(cp) ? 1 : 0) : wordClass(cp);
        if (cls === 0) {
          if (inWord && !digitsOnly) {
            this.post(this.intern(n, h), doc);
            length++;
          }
          inWord = false;
        } else {
          if (!inWord) {
            inWord = true;
            n = 0;
            h = 0x811c9dc5 | 0;
            digitsOnly = true;
          }
          if (size === 4) {
            const high = 0xd800 + ((cp - 0x10000) >> 10);
            const low = 0xdc00 + ((cp - 0x10000) & 0x3ff);
            if (n < MAX_TERM_UNITS) {
              buf[n++] = high;
              h = Math.imul(h ^ high, 0x01000193);
            }
            if (n < MAX_TERM_UNITS) {
              buf[n++] = low;
              h = Math.imul(h ^ low, 0x01000193);
            }
            digitsOnly = false;
          } else {
            if (cls !== 2) digitsOnly = false;
            else digits = 1;
            if (n < MAX_TERM_UNITS) {
              const f = FOLD[cp]!;
              buf[n++] = f;
              h = Math.imul(h ^ f, 0x01000193);
            }
          }
        }
        b += size;
        u += size === 4 ? 2 : 1;
      }
      if (inWord && !digitsOnly) {
        this.post(this.intern(n, h), doc);
        length++;
      }
      if (u < end) throw new Error('addUtf8: the bytes are shorter than the spans say');
      this.endDoc(doc, length);
      this.flags[doc] = digits;
    }
    return true;
  }

  /**
   * Adds a document from `text[start, end)`: every run of letters and digits, folded
   * (`foldKey`), except runs of ASCII digits alone. Returns the number of terms.
   * Equivalent to `add(doc, searchTerms(wordsOf(text.slice(start, end)).words))` on NFC text.
   */
  addText(doc: number, text: string, start: number, end: number): number {
    this.beginDoc(doc);
    const buf = this.buf;
    let length = 0;
    let digits = 0;
    let i = start;
    while (i < end) {
      let u = text.charCodeAt(i);
      let cls = wordClass(u);
      if (cls === 0 || (cls === 3 && !(i + 1 < end && astralWordLength(text, i)))) {
        i++;
        continue;
      }
      // A word: fold, hash and measure it in one pass.
      let n = 0;
      let h = 0x811c9dc5 | 0;
      let digitsOnly = true;
      while (i < end) {
        u = text.charCodeAt(i);
        cls = wordClass(u);
        if (cls === 0) break;
        if (cls === 3) {
          if (!(i + 1 < end) || !astralWordLength(text, i)) break;
          for (let k = 0; k < 2; k++) {
            const unit = text.charCodeAt(i + k);
            if (n < MAX_TERM_UNITS) {
              buf[n++] = unit;
              h = Math.imul(h ^ unit, 0x01000193);
            }
          }
          digitsOnly = false;
          i += 2;
          continue;
        }
        if (cls !== 2) digitsOnly = false;
        else digits = 1;
        if (n < MAX_TERM_UNITS) {
          const f = FOLD[u]!;
          buf[n++] = f;
          h = Math.imul(h ^ f, 0x01000193);
        }
        i++;
      }
      if (digitsOnly) continue;
      this.post(this.intern(n, h), doc);
      length++;
    }
    this.endDoc(doc, length);
    this.flags[doc] = digits;
    return length;
  }

  /** Removes a document; its postings are purged lazily. */
  remove(doc: number): void {
    if (doc >= this.docCount || !this.alive[doc]) return;
    this.changes++;
    this.alive[doc] = 0;
    this.liveDocs--;
    this.totalLength -= this.docLength[doc]!;
    this.deadDocs++;
    if (this.deadDocs > 50_000 && this.deadDocs * 4 > this.docCount) this.compact();
  }

  /** Document frequency of a term (dead documents count until the next compaction). */
  documentFrequency(term: string): number {
    const id = this.lookup(term);
    return id < 0 ? 0 : this.postingCount(id);
  }

  /** Inverse document frequency, BM25 style, never negative. */
  idf(term: string): number {
    const n = this.documentFrequency(term);
    return idfOf(this.liveDocs, n);
  }

  /** Indexed terms that start with `prefix` (sorted), at most `limit`. */
  termsWithPrefix(prefix: string, limit = 50): string[] {
    if (!this.sorted || this.recent.length > 2_000) {
      this.sorted = [...this.terms].sort();
      this.recent = [];
    }
    const out: string[] = [];
    const sorted = this.sorted;
    for (let i = lowerBound(sorted, prefix); i < sorted.length && out.length < limit && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
    if (this.recent.length) {
      for (const t of this.recent) if (t.startsWith(prefix)) out.push(t);
      out.sort();
      out.length = Math.min(out.length, limit);
    }
    return out;
  }

  /** Live documents that contain every one of `terms`, ascending. */
  docsWithAll(terms: readonly string[]): number[] {
    const ids = terms.map((t) => this.lookup(t));
    if (!ids.length || ids.some((id) => id < 0)) return [];
    ids.sort((a, b) => this.postingCount(a) - this.postingCount(b));
    let docs = this.postingsOf(ids[0]!).filter((d) => this.alive[d] === 1);
    for (const id of ids.slice(1)) {
      const other = new Set(this.postingsOf(id));
      docs = docs.filter((d) => other.has(d));
    }
    return docs;
  }

  /** BM25 ranking of live documents for the query terms. */
  search(query: readonly string[], options: SearchOptions = {}): SearchHit[] {
    if (this.scores.length < this.docCount) {
      this.scores = new Float64Array(Math.max(this.docCount, this.scores.length * 2));
      this.touched = new Int32Array(this.scores.length);
    }
    const scores = this.scores;
    const touched = this.touched;
    let nTouched = 0;
    const avgLength = this.liveDocs ? this.totalLength / this.liveDocs : 1;
    const unique = [...new Set(query)];
    const withDigits = options.withDigits === true;
    const groups = (options.requireGroups ?? []).slice(0, 8);
    const full = (1 << groups.length) - 1;
    // With groups: `mask[doc] === full` for the documents holding a term of every group, and
    // `eligible` lists those (alive, with digits when asked) in document order, so a term's
    // postings can be intersected with them when that is cheaper than walking the postings.
    const eligible = groups.length ? this.eligibleDocs(groups, withDigits) : undefined;
    const mask = eligible ? this.groupMask : undefined;
    // Every (term, weight) to score, rarest first: common terms then only re-rank.
    const work: { id: number; idf: number; df: number }[] = [];
    for (let qi = 0; qi < unique.length; qi++) {
      const term = unique[qi]!;
      const expanded = options.prefixLast && qi === unique.length - 1 ? this.termsWithPrefix(term, 20) : [term];
      for (const t of expanded) {
        const id = this.lookup(t);
        if (id < 0) continue;
        const df = this.postingCount(id);
        work.push({ id, df, idf: idfOf(this.liveDocs, df) * (t === term ? 1 : 0.8) });
      }
    }
    // The rarest terms carry the ranking; a long query (a 40-word sentence with its
    // translations) is cut to its MAX_QUERY_TERMS rarest terms.
    work.sort((a, b) => a.df - b.df || a.id - b.id);
    if (work.length > MAX_QUERY_TERMS) work.length = MAX_QUERY_TERMS;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const common = Math.max(COMMON_MIN_DF, this.liveDocs * COMMON_SHARE);
    const alive = this.alive;
    const flags = this.flags;
    // Every document is alive unless some were removed (or left dead by a snapshot): skip the check then.
    const anyDead = this.liveDocs !== this.docCount;
    const norms = this.lengthNorms(avgLength);
    const length = this.docLength;
    /** `touched[0, sortedTo)` is in document order (a re-rank intersects it with postings). */
    let sortedTo = -1;
    for (const { id, idf, df } of work) {
      const weight = idf * (K1 + 1);
      // A term in a large share of the archive ("năm", "cho", "the") once enough documents are
      // in play: it re-ranks those (their postings intersected with the term's) instead of
      // adding documents from a posting list of 100,000s. Sentences are short: presence
      // counts, not repetition (tf = 1).
      if (df > common && nTouched >= Math.min(limit * COMMON_RERANK_FACTOR, COMMON_RERANK_CAP)) {
        if (nTouched > COMMON_RERANK_MAX) continue;
        if (sortedTo !== nTouched) {
          touched.subarray(0, nTouched).sort();
          sortedTo = nTouched;
        }
        // The documents in play already hold digits when asked: the whole postings do. Read
        // for this pass only (common terms' lists are long; see `passingListAt`).
        for (const list of this.listsOf(id, false, true)) intersect(touched, nTouched, list, weight, norms, length, scores, undefined);
        continue;
      }
      // The eligible documents too: intersecting with them needs no digit-filtered copy.
      if (eligible && eligible.length * INTERSECT_RATIO < df) {
        for (const list of this.listsOf(id, false)) nTouched = intersect(eligible, eligible.length, list, weight, norms, length, scores, { touched, n: nTouched });
        continue;
      }
      for (const list of this.listsOf(id, withDigits)) {
        for (let k = 0, n = list.length; k < n; k++) {
          const doc = list[k]!;
          if ((anyDead && !alive[doc]) || (withDigits && !(flags[doc]! & 1)) || (mask && mask[doc] !== full)) continue;
          if (scores[doc] === 0) touched[nTouched++] = doc;
          scores[doc] += weight * norms[length[doc]!]!;
        }
      }
    }
    let hits: SearchHit[];
    if (!options.filter) hits = topK(scores, touched, nTouched, Math.min(limit, nTouched));
    else {
      // Ask the filter about the best hits first; widen only when too many are refused.
      hits = [];
      for (let want = Math.max(limit * 4, 64); ; want *= 8) {
        const best = topK(scores, touched, nTouched, Math.min(want, nTouched));
        hits = best.filter((h) => options.filter!(h.doc)).slice(0, limit);
        if (hits.length >= limit || best.length >= nTouched) break;
      }
    }
    for (let k = 0; k < nTouched; k++) scores[touched[k]!] = 0;
    return hits;
  }

  /**
   * Packs the postings added since the last compaction into typed arrays: into a new segment
   * when no document was removed, else everything into one segment without the removed
   * documents (as also when segments pile up).
   */
  compact(): void {
    this.changes++;
    if (this.deadDocs === 0 && this.segments.length < MAX_SEGMENTS) {
      if (this.pendingCount > 0) this.segments.push(this.packAdded());
      return;
    }
    // Every live posting merged into one segment, at once (the steps without pauses).
    runToEnd(this.mergeInSteps(this.changes));
  }

  /**
   * `compact()` a step at a time, for a caller that yields between steps (a save in the
   * server's background): a compaction that merges every segment (documents were removed)
   * reads the cache's postings and builds the merged segment beside the ones searches use,
   * and puts it in place at the last step; the cheap kind (new postings packed alone) is one
   * step. Done (and the index the same as after `compact()`) when it returns; a change to the
   * index in between makes it start again.
   */
  *compactInSteps(): Generator<void, void> {
    for (;;) {
      if (!this.changedSinceCompact) return;
      if (this.deadDocs === 0 && this.segments.length < MAX_SEGMENTS) {
        this.compact();
        return;
      }
      const merged = yield* this.mergeInSteps(this.changes);
      if (merged) return;
    }
  }

  /**
   * Every live posting merged into one segment (the cache's postings read first), the
   * pending postings emptied, a step at a time; false when the index changed before it was
   * done (nothing then changes).
   */
  private *mergeInSteps(changes: number): Generator<void, boolean> {
    const segments = this.segments;
    for (const segment of segments) {
      for (const _ of segment.readAllInSteps()) {
        yield;
        if (this.changes !== changes) return false;
      }
    }
    const nTerms = this.terms.length;
    const start = new Uint32Array(nTerms + 1);
    let total = 0;
    for (let id = 0; id < nTerms; id++) total += this.postingCount(id);
    const docs = new Uint32Array(total);
    const alive = this.alive;
    let w = 0;
    // At most MERGE_STEP postings a step, a long list across steps.
    let budget = MERGE_STEP;
    for (let id = 0; id < nTerms; id++) {
      start[id] = w;
      for (const list of this.listsOf(id, false)) {
        for (let k = 0; k < list.length; ) {
          const end = Math.min(list.length, k + budget);
          budget -= end - k;
          for (; k < end; k++) {
            const d = list[k]!;
            if (alive[d]) docs[w++] = d;
          }
          if (budget === 0) {
            budget = MERGE_STEP;
            yield;
            if (this.changes !== changes) return false;
          }
        }
      }
    }
    start[nTerms] = w;
    this.clearPending();
    // A view, not a copy of the whole: only the removed documents' postings are cut off.
    this.segments = [new Segment(start, docs.subarray(0, w))];
    this.deadDocs = 0;
    this.changes++;
    return true;
  }

  /** The postings added since the last compaction, as a segment; the pending postings emptied. */
  private packAdded(): Segment {
    const segment = this.pendingSegment();
    this.clearPending();
    return segment;
  }

  /** Links the postings pending since the last call to the chains of their terms (see `chainPrev`). */
  private extendChains(): void {
    const n = this.pendingCount;
    if (this.chained === n) return;
    if (this.chainPrev.length < n) this.chainPrev = grown(this.chainPrev, new Int32Array(Math.max(n, this.chainPrev.length * 2)));
    const nTerms = this.terms.length;
    if (this.chainHead.length < nTerms) {
      const size = Math.max(nTerms, this.chainHead.length * 2);
      this.chainHead = grown(this.chainHead, new Int32Array(size));
      this.chainCount = grown(this.chainCount, new Uint32Array(size));
    }
    const terms = this.pendingTerms;
    const prev = this.chainPrev;
    const head = this.chainHead;
    const count = this.chainCount;
    for (let k = this.chained; k < n; k++) {
      const id = terms[k]!;
      prev[k] = head[id]! - 1;
      head[id] = k + 1;
      count[id]!++;
    }
    this.chained = n;
  }

  /** How many pending postings a term has (its chain linked first). */
  private pendingCountOf(id: number): number {
    if (this.pendingCount === 0) return 0;
    this.extendChains();
    return id < this.chainCount.length ? this.chainCount[id]! : 0;
  }

  /** A term's pending postings, in document order (undefined: none). */
  private pendingList(id: number): Uint32Array | undefined {
    const c = this.pendingCountOf(id);
    if (c === 0) return undefined;
    const out = new Uint32Array(c);
    const prev = this.chainPrev;
    const docs = this.pendingDocs;
    for (let k = this.chainHead[id]! - 1, i = c - 1; k >= 0 && i >= 0; k = prev[k]!, i--) out[i] = docs[k]!;
    return out;
  }

  /**
   * The pending postings by term (rows for the terms that have some, ascending): a counting
   * sort of the posting stream, stable, so each term's documents stay in order.
   */
  private pendingSegment(): Segment {
    const n = this.pendingCount;
    const terms = this.pendingTerms;
    const counts = this.pendingCounts;
    const distinct: number[] = [];
    for (let k = 0; k < n; k++) if (counts[terms[k]!]!++ === 0) distinct.push(terms[k]!);
    const ids = Uint32Array.from(distinct).sort();
    const start = new Uint32Array(ids.length + 1);
    let w = 0;
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r]!;
      start[r] = w;
      w += counts[id]!;
      counts[id] = start[r]!; // now where the term's next posting goes
    }
    start[ids.length] = w;
    const docs = new Uint32Array(n);
    const from = this.pendingDocs;
    for (let k = 0; k < n; k++) docs[counts[terms[k]!]!++] = from[k]!;
    for (let r = 0; r < ids.length; r++) counts[ids[r]!] = 0;
    return new Segment(start, docs, undefined, ids);
  }

  private clearPending(): void {
    this.pendingCount = 0;
    if (this.chained > 0) {
      this.chainHead.fill(0);
      this.chainCount.fill(0);
      this.chained = 0;
    }
  }

  /** Postings pending (added since the last compaction). */
  get pendingPostings(): number {
    return this.pendingCount;
  }

  /** Whether documents were added or removed since the last compaction (or load). */
  get changedSinceCompact(): boolean {
    return this.pendingCount > 0 || this.deadDocs > 0;
  }

  /**
   * The index as typed arrays and the term list (compacts first when anything changed). The
   * postings come as parts (each term's, in term order, in chunks of about a megabyte) so a
   * segmented index is written without being copied whole.
   */
  toSnapshot(): Omit<IndexSnapshot, 'postingDocs'> & { postingParts(): Iterable<Uint32Array>; postingTotal: number } {
    if (this.changedSinceCompact) this.compact();
    const nTerms = this.terms.length;
    const segments = this.segments;
    const whole = segments.length === 1 && segments[0]!.dense(nTerms) ? segments[0]! : undefined;
    let postingStart: Uint32Array;
    if (whole) postingStart = whole.start;
    else {
      postingStart = new Uint32Array(nTerms + 1);
      let total = 0;
      for (let id = 0; id < nTerms; id++) {
        postingStart[id] = total;
        total += this.postingCount(id);
      }
      postingStart[nTerms] = total;
    }
    const postingTotal = postingStart[nTerms]!;
    const postingParts = function* (): Iterable<Uint32Array> {
      if (whole) {
        yield whole.all();
        return;
      }
      let chunk = new Uint32Array(Math.min(postingTotal, PART_POSTINGS));
      let w = 0;
      for (let id = 0; id < nTerms; id++) {
        for (const segment of segments) {
          const row = segment.row(id);
          if (row < 0) continue;
          const list = segment.listAt(row);
          for (let k = 0; k < list.length; ) {
            if (w === chunk.length) {
              yield chunk;
              chunk = new Uint32Array(PART_POSTINGS);
              w = 0;
            }
            const n = Math.min(list.length - k, chunk.length - w);
            chunk.set(list.subarray(k, k + n), w);
            w += n;
            k += n;
          }
        }
      }
      if (w > 0) yield chunk.subarray(0, w);
    };
    return {
      terms: this.terms,
      postingStart,
      postingParts,
      postingTotal,
      docLength: this.docLength.subarray(0, this.docCount),
      alive: this.alive.subarray(0, this.docCount),
      flags: this.flags.subarray(0, this.docCount),
      docCount: this.docCount,
    };
  }

  /** An index from a snapshot; throws when the arrays disagree (a corrupt cache). */
  static fromSnapshot(s: IndexSnapshot): SentenceIndex {
    const index = new SentenceIndex();
    const nTerms = s.terms.length;
    if (s.postingStart.length !== nTerms + 1 || (typeof s.postingDocs !== 'function' && s.postingStart[nTerms] !== s.postingDocs.length)) throw new Error('index snapshot: postings do not match the terms');
    if (s.docLength.length !== s.docCount || s.alive.length !== s.docCount || s.flags.length !== s.docCount) throw new Error('index snapshot: document arrays do not match the document count');
    for (let id = 0; id < nTerms; id++) if (s.postingStart[id]! > s.postingStart[id + 1]!) throw new Error('index snapshot: postings out of order');
    if (typeof s.postingDocs !== 'function') for (let k = 0; k < s.postingDocs.length; k++) if (s.postingDocs[k]! >= s.docCount) throw new Error('index snapshot: a posting names an unknown document');
    index.growTerms(nTerms);
    let capacity = index.slots.length;
    while (capacity < nTerms * 2 + 2) capacity *= 2;
    index.slots = new Int32Array(capacity);
    const buf = index.buf;
    for (let id = 0; id < nTerms; id++) {
      const t = s.terms[id]!;
      const n = Math.min(t.length, MAX_TERM_UNITS);
      for (let i = 0; i < n; i++) buf[i] = t.charCodeAt(i);
      const h = hashUnits(buf, n);
      if (index.find(n, h) >= 0) throw new Error('index snapshot: a term is listed twice');
      index.terms.push(t);
      index.termHash[id] = h;
      index.place(id, h);
    }
    if (typeof s.postingDocs === 'function') {
      const read = s.postingDocs;
      const docCount = s.docCount;
      index.segments = [
        new Segment(s.postingStart, undefined, (start, end, into) => {
          const docs = read(start, end, into);
          if (docs.length !== end - start) throw new CacheDamageError('postings could not be read');
          for (let k = 0; k < docs.length; k++) if (docs[k]! >= docCount) throw new CacheDamageError('a posting names an unknown document');
          return docs;
        }),
      ];
    } else index.segments = [new Segment(s.postingStart, s.postingDocs)];
    index.growDocs(s.docCount);
    index.docLength.set(s.docLength);
    index.alive.set(s.alive);
    index.flags.set(s.flags);
    index.docCount = s.docCount;
    let live = 0;
    let total = 0;
    for (let d = 0, n = s.docCount, alive = s.alive, length = s.docLength; d < n; d++) {
      if (length[d]! > index.longest) index.longest = length[d]!;
      if (alive[d]) {
        live++;
        total += length[d]!;
      }
    }
    index.liveDocs = live;
    index.totalLength = total;
    return index;
  }

  // ---- internals ---------------------------------------------------------------------

  private beginDoc(doc: number): void {
    if (doc < this.docCount) throw new Error(`document ${doc} was already added`);
    this.changes++;
    this.growDocs(doc + 1);
    this.docCount = doc + 1;
  }

  private endDoc(doc: number, length: number): void {
    this.docLength[doc] = Math.min(length, 0xffff);
    if (this.docLength[doc]! > this.longest) this.longest = this.docLength[doc]!;
    this.alive[doc] = 1;
    this.liveDocs++;
    this.totalLength += this.docLength[doc]!;
  }

  private post(id: number, doc: number): void {
    if (this.lastDoc[id] === doc) return;
    this.lastDoc[id] = doc;
    const n = this.pendingCount;
    if (n === this.pendingTerms.length) {
      this.pendingTerms = grown(this.pendingTerms, new Uint32Array(2 * n));
      this.pendingDocs = grown(this.pendingDocs, new Uint32Array(2 * n));
    }
    this.pendingTerms[n] = id;
    this.pendingDocs[n] = doc;
    this.pendingCount = n + 1;
  }

  /**
   * BM25's length normalisation `1 / (1 + k1 (1 - b + b · length / avgLength))` (tf = 1) by
   * length, up to the longest document's: scoring a posting is a multiply by
   * `norms[docLength[doc]]`. A table by length, not a value per document: a search reads the
   * lengths (2 bytes a document) and a table of a few hundred lengths that stays in the cache,
   * not 8 bytes a document (5.7 MB for an archive), read at random. Remade when the average
   * length moves (in a few hundred steps, not one per document).
   */
  private lengthNorms(avgLength: number): Float64Array {
    if (this.normAvg === avgLength && this.norms.length > this.longest) return this.norms;
    if (this.norms.length <= this.longest) this.norms = new Float64Array(doubledTo(Math.max(this.norms.length, 256), this.longest + 1));
    const k1b = K1 * B / avgLength;
    const k1a = K1 * (1 - B);
    for (let l = 0; l < this.norms.length; l++) this.norms[l] = 1 / (1 + k1a + k1b * (l || 1));
    this.normAvg = avgLength;
    return this.norms;
  }

  /**
   * Marks the documents holding a term of every group (`groupMask[doc] === full`) and returns
   * them, alive and with digits when asked, in document order. The group with the fewest
   * postings goes last: a document is listed when that group completes it.
   */
  private eligibleDocs(groups: readonly (readonly string[])[], withDigits: boolean): Int32Array {
    if (this.groupMask.length < this.docCount) this.groupMask = new Uint8Array(this.scores.length);
    const mask = this.groupMask;
    mask.fill(0, 0, this.docCount);
    const listsOf = groups.map((group) => {
      const lists: ArrayLike<number>[] = [];
      for (const t of group) {
        const id = this.lookup(t);
        if (id >= 0) lists.push(...this.listsOf(id, withDigits));
      }
      return lists;
    });
    const size = (lists: ArrayLike<number>[]): number => lists.reduce((n, l) => n + l.length, 0);
    let last = 0;
    for (let g = 1; g < groups.length; g++) if (size(listsOf[g]!) < size(listsOf[last]!)) last = g;
    const full = (1 << groups.length) - 1;
    listsOf.forEach((lists, g) => {
      if (g === last) return;
      for (const list of lists) for (let k = 0; k < list.length; k++) mask[list[k]!]! |= 1 << g;
    });
    const others = full & ~(1 << last);
    const anyDead = this.liveDocs !== this.docCount;
    const out = new Int32Array(size(listsOf[last]!));
    let n = 0;
    for (const list of listsOf[last]!) {
      for (let k = 0; k < list.length; k++) {
        const doc = list[k]!;
        if (mask[doc] !== others) continue;
        mask[doc] = full;
        if ((!anyDead || this.alive[doc]) && (!withDigits || this.flags[doc]! & 1)) out[n++] = doc;
      }
    }
    const docs = out.subarray(0, n);
    return listsOf[last]!.length > 1 ? docs.sort() : docs;
  }

  /**
   * A term's postings as a search walks them, in document order: each segment's, then those
   * added since the last compaction. A digit search walks a segment's among documents with
   * digits only, for a term with enough postings there to be worth a filtered copy.
   * `passing`: the lists are walked once, now (each segment's valid until its next passing
   * read; see `Segment.passingListAt`).
   */
  private listsOf(id: number, withDigits: boolean, passing = false): ArrayLike<number>[] {
    const lists: ArrayLike<number>[] = [];
    for (const segment of this.segments) {
      const row = segment.row(id);
      const n = row < 0 ? 0 : segment.countAt(row);
      if (n === 0) continue;
      lists.push(withDigits && n >= DIGIT_LIST_MIN_DF ? segment.withDigitsAt(row, this.flags) : passing ? segment.passingListAt(row) : segment.listAt(row));
    }
    const pending = this.pendingList(id);
    if (pending) lists.push(pending);
    return lists;
  }

  private postingCount(id: number): number {
    let n = this.pendingCountOf(id);
    for (const segment of this.segments) n += segment.count(id);
    return n;
  }

  private postingsOf(id: number): number[] {
    const out: number[] = [];
    for (const list of this.listsOf(id, false)) for (let k = 0; k < list.length; k++) out.push(list[k]!);
    return out;
  }

  /** The id of a folded term, or -1. */
  private lookup(term: string): number {
    const n = Math.min(term.length, MAX_TERM_UNITS);
    for (let i = 0; i < n; i++) this.buf[i] = term.charCodeAt(i);
    return this.find(n, hashUnits(this.buf, n));
  }

  /** The id of the term in `buf[0, n)` with hash `h`, or -1. */
  private find(n: number, h: number): number {
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = this.slots[slot]!;
      if (v === 0) return -1;
      const id = v - 1;
      if (this.termHash[id] === h && sameUnits(this.terms[id]!, this.buf, n)) return id;
    }
  }

  /** The id of the term in `buf[0, n)`, added when new. */
  private intern(n: number, h: number): number {
    const found = this.find(n, h);
    if (found >= 0) return found;
    const id = this.terms.length;
    const term = String.fromCharCode.apply(null, this.buf.subarray(0, n) as unknown as number[]);
    this.growTerms(id + 1);
    this.terms.push(term);
    this.termHash[id] = h;
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    this.place(id, h);
    if (this.sorted) this.recent.push(term);
    return id;
  }

  private place(id: number, h: number): void {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let id = 0; id < this.terms.length; id++) this.place(id, this.termHash[id]!);
  }

  private growTerms(n: number): void {
    if (n <= this.termHash.length) return;
    const size = doubledTo(this.termHash.length, n);
    this.termHash = grown(this.termHash, new Int32Array(size));
    this.lastDoc = grown(this.lastDoc, new Int32Array(size).fill(-1));
    this.pendingCounts = grown(this.pendingCounts, new Uint32Array(size));
  }

  private growDocs(n: number): void {
    if (n <= this.docLength.length) return;
    const size = doubledTo(this.docLength.length, n);
    this.docLength = grown(this.docLength, new Uint16Array(size));
    this.alive = grown(this.alive, new Uint8Array(size));
    this.flags = grown(this.flags, new Uint8Array(size));
  }
}

/** `size` doubled until it holds `n`. */
function doubledTo(size: number, n: number): number {
  while (size < n) size *= 2;
  return size;
}

/** `into`, a larger array, with `from` copied to its start. */
function grown<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

/**
 * Adds `weight · norms[length[doc]]` to every document of `docs[0, n)` (in document order) that is in
 * `list` (in document order): a galloping search moves through `list`, so the cost is about
 * n · log(list.length / n) rather than list.length. With `into`, a document scored for the
 * first time is appended to `into.touched`; returns the new count.
 */
function intersect(docs: Int32Array, n: number, list: ArrayLike<number>, weight: number, norms: Float64Array, length: Uint16Array, scores: Float64Array, into: { touched: Int32Array; n: number } | undefined): number {
  const len = list.length;
  let j = 0;
  let count = into ? into.n : 0;
  for (let i = 0; i < n && j < len; i++) {
    const doc = docs[i]!;
    if (list[j]! < doc) {
      // Gallop: list[j] < doc; find the first position holding doc or more.
      let step = 1;
      let hi = j + 1;
      while (hi < len && list[hi]! < doc) {
        j = hi;
        step *= 2;
        hi = j + step;
      }
      let lo = j + 1;
      if (hi > len) hi = len;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid]! < doc) lo = mid + 1;
        else hi = mid;
      }
      j = lo;
      if (j >= len) break;
    }
    if (list[j] === doc) {
      if (into && scores[doc] === 0) into.touched[count++] = doc;
      scores[doc] += weight * norms[length[doc]!]!;
      j++;
    }
  }
  return count;
}

/** A reused buffer with room for `n` values: itself, or a new one (at least twice as large; contents not kept). */
function roomFor(buffer: Uint32Array, n: number): Uint32Array {
  return buffer.length >= n ? buffer : new Uint32Array(Math.max(n, 2 * buffer.length, 4096));
}

function idfOf(liveDocs: number, n: number): number {
  // Dead documents count in `n` until a compaction: keep the weight positive anyway.
  return Math.max(1e-9, Math.log(1 + (liveDocs - n + 0.5) / (n + 0.5)));
}

function hashUnits(buf: Uint16Array, n: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

function sameUnits(term: string, buf: Uint16Array, n: number): boolean {
  if (term.length !== n) return false;
  for (let i = 0; i < n; i++) if (term.charCodeAt(i) !== buf[i]) return false;
  return true;
}

/** The `k` best of the touched documents, by score (descending) then id (ascending). */
function topK(scores: Float64Array, touched: Int32Array, n: number, k: number): SearchHit[] {
  if (k <= 0) return [];
  const better = (a: number, b: number): boolean => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
  if (k >= n) {
    const all = Array.from(touched.subarray(0, n));
    all.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    return all.map((doc) => ({ doc, score: scores[doc]! }));
  }
  // A min-heap (worst on top) of the best k seen so far.
  const heap = new Int32Array(k);
  let size = 0;
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < size && better(heap[worst]!, heap[l]!)) worst = l;
      if (r < size && better(heap[worst]!, heap[r]!)) worst = r;
      if (worst === i) return;
      const t = heap[i]!;
      heap[i] = heap[worst]!;
      heap[worst] = t;
      i = worst;
    }
  };
  // Once the heap is full, most documents score below its worst: one comparison with that
  // score turns them away (a tie still goes through `better`, ids decide).
  let floor = -Infinity;
  for (let t = 0; t < n; t++) {
    const doc = touched[t]!;
    if (scores[doc]! < floor) continue;
    if (size < k) {
      let i = size++;
      heap[i] = doc;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!better(heap[p]!, heap[i]!)) break;
        const x = heap[p]!;
        heap[p] = heap[i]!;
        heap[i] = x;
        i = p;
      }
      if (size === k) floor = scores[heap[0]!]!;
    } else if (better(doc, heap[0]!)) {
      heap[0] = doc;
      down(0);
      floor = scores[heap[0]!]!;
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  return out.map((doc) => ({ doc, score: scores[doc]! }));
}
