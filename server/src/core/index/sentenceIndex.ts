/**
 * A small inverted index over sentences, keyed by diacritic-free syllables.
 *
 * Why our own and not a library: Vietnamese words are runs of syllables, so the natural
 * term is the folded syllable; postings are plain integer arrays (compacted to typed arrays
 * on demand) instead of per-term objects, which keeps memory flat for large archives; and
 * the checker needs raw document frequencies for its own IDF weighting. The measured
 * comparison with MiniSearch lives in ARCHITECTURE.md.
 */

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
  /** Only documents for which this returns true. */
  filter?: (doc: number) => boolean;
}

const K1 = 1.2;
const B = 0.75;

export class SentenceIndex {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** postings[termId] = ascending doc ids (a doc appears once per term). */
  private readonly postings: number[][] = [];
  private readonly docLength: number[] = [];
  private readonly docTerms: (Uint32Array | undefined)[] = [];
  private liveDocs = 0;
  private totalLength = 0;
  private sortedTerms: string[] | undefined;
  private deadPostings = 0;

  /** Number of live documents. */
  get size(): number {
    return this.liveDocs;
  }

  /**
   * Adds a document. `doc` ids must be new (ids of removed documents are not reused).
   * `terms` may repeat; frequency is taken into account.
   */
  add(doc: number, terms: readonly string[]): void {
    const seen = new Map<number, number>();
    for (const term of terms) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.terms.length;
        this.termIds.set(term, id);
        this.terms.push(term);
        this.postings.push([]);
        this.sortedTerms = undefined;
      }
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const ids = new Uint32Array(seen.size);
    let k = 0;
    for (const id of seen.keys()) {
      this.postings[id]!.push(doc);
      ids[k++] = id;
    }
    this.docTerms[doc] = ids;
    this.docLength[doc] = terms.length;
    this.liveDocs++;
    this.totalLength += terms.length;
  }

  /** Removes a document; its postings are purged lazily. */
  remove(doc: number): void {
    const ids = this.docTerms[doc];
    if (!ids) return;
    this.docTerms[doc] = undefined;
    this.liveDocs--;
    this.totalLength -= this.docLength[doc] ?? 0;
    this.deadPostings += ids.length;
    if (this.deadPostings > 50_000) this.purge();
  }

  /** Document frequency of a term among live documents (approximate until purge). */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postings[id]!.length;
  }

  /** Inverse document frequency, BM25 style, never negative. */
  idf(term: string): number {
    const n = this.documentFrequency(term);
    return Math.log(1 + (this.liveDocs - n + 0.5) / (n + 0.5));
  }

  /** Indexed terms that start with `prefix` (sorted), at most `limit`. */
  termsWithPrefix(prefix: string, limit = 50): string[] {
    this.sortedTerms ??= [...this.terms].sort();
    const sorted = this.sortedTerms;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && out.length < limit && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
    return out;
  }

  /** BM25 ranking of live documents for the query terms. */
  search(query: readonly string[], options: SearchOptions = {}): SearchHit[] {
    const scores = new Map<number, number>();
    const avgLength = this.liveDocs ? this.totalLength / this.liveDocs : 1;
    const unique = [...new Set(query)];
    unique.forEach((term, i) => {
      const expanded = options.prefixLast && i === unique.length - 1 ? this.termsWithPrefix(term, 20) : [term];
      for (const t of expanded) {
        const id = this.termIds.get(t);
        if (id === undefined) continue;
        const idf = this.idf(t) * (t === term ? 1 : 0.8);
        for (const doc of this.postings[id]!) {
          if (!this.docTerms[doc]) continue;
          const len = this.docLength[doc] ?? 1;
          const tf = 1; // sentences are short: presence matters more than repetition
          const s = (idf * (tf * (K1 + 1))) / (tf + K1 * (1 - B + (B * len) / avgLength));
          scores.set(doc, (scores.get(doc) ?? 0) + s);
        }
      }
    });
    const hits: SearchHit[] = [];
    for (const [doc, score] of scores) if (!options.filter || options.filter(doc)) hits.push({ doc, score });
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return options.limit === undefined ? hits : hits.slice(0, options.limit);
  }

  private purge(): void {
    for (let id = 0; id < this.postings.length; id++) {
      this.postings[id] = this.postings[id]!.filter((doc) => this.docTerms[doc] !== undefined);
    }
    this.deadPostings = 0;
  }
}
