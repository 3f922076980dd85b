/**
 * The claim checker: finds every figure in the prose of a draft, retrieves the source
 * sentences about the same thing, and gives the figure a verdict.
 *
 * Precision first: a figure is called contradicted only when a source sentence is clearly
 * about the same fact (same words around the figure, same entities, same kind of unit) and
 * no comparable source figure agrees with it. Everything weaker is "unsupported".
 */
import type { Quantity, Span } from '../types';
import { parseDraft, type ChunkParse, type CitationItem, type ParsedDraft } from '../draft/parseDraft';
import { splitSentences } from '../text/sentences';
import { dimensionBit, parseQuantities } from '../quantity/parseQuantities';
import { entityFilterWords, entitySearchWords, findEntities, type EntityMention } from '../entities/entities';
import { Corpus, wordsOf, type IndexedSentence } from '../corpus/corpus';
import { compareQuantities, unitKey, type Agreement } from './compareQuantities';
import { isStopword } from './stopwords';
import glossary from './glossary.json';
import { throwIfCancelled, type CancellationToken } from '../cancellation';

export type Verdict = 'supported' | 'contradicted' | 'unsupported';

/** A source figure considered for a draft figure, with how well its sentence matches. */
export interface Evidence {
  sentence: IndexedSentence;
  quantity: Quantity;
  /** 0..1: how surely the source sentence speaks of the same fact. */
  alignment: number;
  /** 0..1: overlap of the words right around the two figures. */
  local: number;
  agreement: Agreement;
  /** The source sentence holds other figures of the same kind. */
  shared?: boolean;
  /** Some entity the claim names is neither in the source sentence nor what its article is about. */
  missingEntity?: boolean;
}

export interface FigureCheck {
  /** The figure, spans in draft offsets. */
  figure: Quantity;
  /** The draft sentence holding it. */
  sentence: Span;
  /** Citation keys that apply to the figure's sentence. */
  citations: CitationItem[];
  verdict: Verdict;
  /** The source that supports or contradicts the figure. */
  evidence?: Evidence;
  /** Supported, but not by what the draft cites: `supportedBy` is the article that does. */
  citationMismatch?: { cited: string[]; supportedBy: string };
  /** Other well-aligned source figures (for hovers), best first. */
  candidates: Evidence[];
}

export interface DraftCheck {
  draft: ParsedDraft;
  figures: FigureCheck[];
  /** Citation items whose key is not an article id. */
  unknownCitations: CitationItem[];
  /** Set when the document held more figures than `maxFigures`: the rest were not checked. */
  truncated?: { checked: number; at: number };
}

export interface CheckOptions {
  /** Stop after this many figures (a 100,000-line document must not block the server). */
  maxFigures?: number;
  /** Results of unchanged blocks from the previous run of the same document. */
  cache?: BlockCache;
  /** Sentences retrieved by earlier checks (see {@link RetrievalCache}). */
  retrieval?: RetrievalCache;
  /**
   * The corpus version `cache` and `retrieval` are kept for (default: the corpus's own). While
   * an index run reads files, the service keeps them for the version the run started from:
   * what was checked and retrieved meanwhile stands until the run ends.
   */
  version?: number;
}

/**
 * Per-document memory of checked blocks, keyed by the block's prose and citations. Editing
 * one paragraph re-checks that paragraph only. Valid for one corpus version.
 */
export class BlockCache {
  private entries = new Map<string, FigureCheck[]>();
  private next = new Map<string, FigureCheck[]>();
  private corpusVersion = -1;
  private parsed = new Map<string, ChunkParse>();
  private nextParsed = new Map<string, ChunkParse>();
  /** Markdown parses of unchanged chunks (independent of the corpus). */
  readonly chunks = {
    get: (text: string): ChunkParse | undefined => {
      const hit = this.parsed.get(text);
      if (hit) this.nextParsed.set(text, hit);
      return hit;
    },
    set: (text: string, parse: ChunkParse): void => {
      this.nextParsed.set(text, parse);
    },
  };

  /** Starts a run: entries not used by this run are dropped at `end`. */
  begin(corpusVersion: number): void {
    if (corpusVersion !== this.corpusVersion) this.entries.clear();
    this.corpusVersion = corpusVersion;
    this.next = new Map();
    this.nextParsed = new Map();
  }

  take(key: string, shift: number): FigureCheck[] | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.next.set(key, hit);
    return hit.map((f) => shiftFigure(f, shift));
  }

  put(key: string, figures: FigureCheck[], blockStart: number): void {
    this.next.set(key, figures.map((f) => shiftFigure(f, -blockStart)));
  }

  end(): void {
    this.entries = this.next;
    this.parsed = this.nextParsed;
  }
}

function shiftFigure(f: FigureCheck, by: number): FigureCheck {
  if (by === 0) return f;
  return {
    ...f,
    figure: { ...f.figure, start: f.figure.start + by, end: f.figure.end + by },
    sentence: { start: f.sentence.start + by, end: f.sentence.end + by },
    citations: f.citations.map((c) => ({ ...c, start: c.start + by, end: c.end + by })),
  };
}

export const DEFAULT_MAX_FIGURES = 3000;

/** Tunable thresholds; the defaults were set on the claim set in `test/fixtures`. */
export interface CheckThresholds {
  /** Minimum alignment for a consistent source figure to count as support. */
  support: number;
  /** Minimum alignment for a disagreeing source figure to count as a contradiction. */
  contradict: number;
  /** Minimum overlap of the words right around the two figures for a contradiction. */
  contradictLocal: number;
}

export const defaultThresholds: CheckThresholds = { support: 0.3, contradict: 0.45, contradictLocal: 0.2 };

const CANDIDATE_SENTENCES = 40;
const CANDIDATE_FIGURE_SENTENCES = 60;
const NEIGHBOURS_OF = 10;
const CANDIDATE_ENTITY_SENTENCES = 30;
const WINDOW = 5;

/** Checks every figure of a Markdown draft against the corpus. */
export function checkDraft(text: string, corpus: Corpus, token?: CancellationToken, thresholds: CheckThresholds = defaultThresholds, options: CheckOptions = {}): DraftCheck {
  const cache = options.cache;
  const version = options.version ?? corpus.version;
  cache?.begin(version);
  options.retrieval?.begin(version);
  const memo: RetrievalMemo = options.retrieval ?? new Map<string, readonly number[]>();
  const draft = parseDraft(text, cache ? { chunkCache: cache.chunks } : {});
  const figures: FigureCheck[] = [];
  const unknownCitations: CitationItem[] = [];
  const maxFigures = options.maxFigures ?? DEFAULT_MAX_FIGURES;
  let truncated: DraftCheck['truncated'];
  for (const c of draft.citations) for (const item of c.items) if (item.invalid || !corpus.article(item.key)) unknownCitations.push(item);
  for (const block of draft.blocks) {
    throwIfCancelled(token);
    if (figures.length >= maxFigures) {
      truncated = { checked: figures.length, at: block.start };
      break;
    }
    const blockCitations = draft.citations.filter((c) => c.start >= block.start && c.end <= block.end);
    const key = `${draft.prose.slice(block.start, block.end)}\u0000${blockCitations.map((c) => text.slice(c.start, c.end)).join('\u0000')}`;
    const reused = cache?.take(key, block.start);
    if (reused) {
      figures.push(...reused);
      continue;
    }
    const own = checkBlock(draft, block, blockCitations, corpus, thresholds, memo, token);
    cache?.put(key, own, block.start);
    figures.push(...own);
  }
  cache?.end();
  if (!truncated && draft.parsedUntil !== undefined) truncated = { checked: figures.length, at: draft.parsedUntil };
  return { draft, figures, unknownCitations, ...(truncated ? { truncated } : {}) };
}

function checkBlock(draft: ParsedDraft, block: Span, blockCitations: ParsedDraft['citations'], corpus: Corpus, thresholds: CheckThresholds, memo: RetrievalMemo, token?: CancellationToken): FigureCheck[] {
  const figures: FigureCheck[] = [];
  const sentences = splitSentences(draft.prose, block.start, block.end);
  sentences.forEach((sentence, i) => {
    const prose = draft.prose.slice(sentence.start, sentence.end);
    // A citation belongs to the sentence it stands in, or to the one before when it
    // follows the full stop ("… 4,5 tỷ USD. [@id]").
    const next = sentences[i + 1];
    const cited = blockCitations
      .filter((c) => c.start >= sentence.start && c.start < (next?.start ?? block.end) && (c.start < sentence.end || !next || /^\s*$/.test(draft.prose.slice(sentence.end, c.start))))
      .flatMap((c) => c.items);
    const quantities = parseQuantities(prose).map((q) => ({ ...q, start: q.start + sentence.start, end: q.end + sentence.start }));
    for (const q of quantities) {
      if (q.dimension === 'number') continue;
      throwIfCancelled(token);
      figures.push(checkFigure(q, quantities, sentence, draft.prose, cited, corpus, thresholds, memo));
    }
  });
  return figures;
}

interface ClaimContext {
  weights: Map<string, number>;
  /** Each claim word with the translations the corpus knows. */
  variants: Map<string, string[]>;
  total: number;
  bigrams: Set<string>;
  local: Map<string, number>;
  localTotal: number;
  entities: string[];
  others: Quantity[];
  /** Second words of the claim's bigrams by first word. */
  bigramNext: Map<string, Set<string>>;
  /** For matching a sentence's words without building sets of them (see `sentenceAlignment`). */
  match: {
    /** Each form (a claim word or a translation) → the claim words it stands for, by their index in `weights`. */
    forms: Map<string, number[]>;
    /** The weights in `weights` order. */
    weightList: number[];
    /** Scratch: per claim word, how it was found. */
    marks: Uint8Array;
  };
}

/**
 * The source sentences retrieved for a claim's words: the best sentences overall (a figure
 * may be spelled out: "mười năm"), the best with digits (so a large archive's prose cannot
 * crowd out the figures), the best with digits that name every party of the claim, and the
 * neighbours of the best hits. Every figure of a draft sentence asks with the same words:
 * the answer is remembered.
 */
function retrieve(query: string[], entities: string[], corpus: Corpus, memo: RetrievalMemo): readonly number[] {
  const key = `${query.join(' ')}\u0000${entities.join(' ')}`;
  const known = memo.get(key);
  if (known) return known;
  // Documents, not sentences: a figure passes over those without its kind of figure unmade.
  const hits = corpus.searchDocs(query, CANDIDATE_SENTENCES).map((h) => h.doc);
  for (const h of corpus.searchDocs(query, CANDIDATE_FIGURE_SENTENCES, true)) hits.push(h.doc);
  if (entities.length) {
    const groups = entities.slice(0, 8).map(entityFilterWords);
    for (const h of corpus.searchDocs(query, CANDIDATE_ENTITY_SENTENCES, true, groups)) hits.push(h.doc);
  }
  // The figure may sit next to the sentence that matches the words best ("Luxembourg … 672.000
  // người." then "Đây là một trong những thành viên sáng lập … NATO."): the best hits' neighbours too.
  for (const doc of hits.slice(0, NEIGHBOURS_OF)) hits.push(...corpus.neighbourDocs(doc));
  memo.set(key, hits);
  return hits;
}

/** Retrieved sentences (their documents) by query, for one corpus version. */
interface RetrievalMemo {
  get(key: string): readonly number[] | undefined;
  set(key: string, hits: readonly number[]): void;
}

/**
 * Sentences (their documents) retrieved for claims' words, shared by every check of one service: the
 * neighbours of an edited sentence ask again with the same words, so does a sentence typed
 * back the way it was, and drafts of one story repeat sentences. The least recently used go
 * past `capacity`; all go when the corpus changes.
 */
export class RetrievalCache implements RetrievalMemo {
  /** Least recently used first. */
  private entries = new Map<string, readonly number[]>();
  private corpusVersion = -1;
  /** Entries retrieved since the last {@link prime} or {@link take}. */
  private added = 0;

  constructor(private readonly capacity = 4096) {}

  /** Drops everything when the corpus is not the one the entries were retrieved from. */
  begin(corpusVersion: number): void {
    if (corpusVersion !== this.corpusVersion) {
      this.entries.clear();
      this.added = 0;
    }
    this.corpusVersion = corpusVersion;
  }

  /**
   * Entries retrieved from this very corpus before (in an earlier process, from the snapshot
   * it was loaded from), least recently used first, for corpus version `corpusVersion`.
   */
  prime(corpusVersion: number, entries: Iterable<readonly [string, readonly number[]]>): void {
    this.begin(corpusVersion);
    for (const [key, hits] of entries) {
      this.entries.delete(key);
      this.entries.set(key, hits);
    }
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.added = 0;
  }

  /**
   * The entries, least recently used first, when they were retrieved from corpus version
   * `corpusVersion` and some were added since the last call (or `always`); else undefined.
   */
  take(corpusVersion: number, always = false): [string, readonly number[]][] | undefined {
    if (corpusVersion !== this.corpusVersion || !this.entries.size || (!this.added && !always)) return undefined;
    this.added = 0;
    return [...this.entries];
  }

  get(key: string): readonly number[] | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, hits: readonly number[]): void {
    this.entries.set(key, hits);
    this.added++;
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

function checkFigure(q: Quantity, all: Quantity[], sentence: Span, prose: string, cited: CitationItem[], corpus: Corpus, th: CheckThresholds, memo: RetrievalMemo): FigureCheck {
  const ctx = claimContext(q, all, sentence, prose, corpus);
  const key = unitKey(q);
  const citedIds = cited.map((c) => c.key).filter((k) => corpus.article(k));
  const query = [...ctx.variants.values()].flat();
  // The entities' other names too: "Nhật Bản" also finds "Tokyo", "Ukraine" finds "Kiev".
  for (const e of ctx.entities) for (const w of entitySearchWords(e)) if (!query.includes(w)) query.push(w);
  const hits = [...retrieve(query, ctx.entities, corpus, memo)];
  for (const id of citedIds) for (const s of corpus.article(id)?.sentences ?? []) hits.push(s.doc);
  const seen = new Set<number>();
  const candidates: Evidence[] = [];
  // A comparable figure is of the claim's dimension: a sentence without one is passed over
  // without being made (nor its article read).
  const kind = dimensionBit(q.dimension);
  for (const doc of hits) {
    if (seen.has(doc)) continue;
    seen.add(doc);
    if (!(corpus.figureKinds(doc) & kind)) continue;
    const s = corpus.sentence(doc);
    if (!s) continue;
    const comparable = s.quantities.filter((r) => unitKey(r) === key || currencyConfusion(q, r));
    if (!comparable.length) continue;
    const sentenceScore = sentenceAlignment(ctx, s);
    const scored = comparable.map((r) => ({ r, local: localAlignment(ctx, s, r) }));
    const bestLocal = Math.max(...scored.map((x) => x.local));
    for (const { r, local } of scored) {
      // Several comparable figures in one sentence: the words around the figure pick the slot.
      const slot = comparable.length > 1 && local < bestLocal - 0.1 ? 0.7 : 1;
      const alignment = (sentenceScore.base + 0.2 * local + coFigureBonus(ctx, s, r)) * sentenceScore.entityFactor * slot;
      const agreement = currencyConfusion(q, r) ? 'contradicts' : compareQuantities(q, r);
      candidates.push({
        sentence: s,
        quantity: r,
        alignment: Math.min(1, alignment),
        local,
        agreement,
        ...(comparable.length > 1 ? { shared: true } : {}),
        ...(sentenceScore.missingEntity ? { missingEntity: true } : {}),
      });
    }
  }
  candidates.sort((a, b) => b.alignment - a.alignment || a.sentence.doc - b.sentence.doc);
  const base: FigureCheck = { figure: q, sentence, citations: cited, verdict: 'unsupported', candidates: candidates.slice(0, 5) };
  const supports = (e: Evidence): boolean => e.agreement === 'consistent' && e.alignment >= th.support;
  const inCited = (e: Evidence): boolean => citedIds.includes(e.sentence.article.meta.id);

  if (citedIds.length) {
    const citedSupport = candidates.find((e) => inCited(e) && supports(e));
    if (citedSupport) return { ...base, verdict: 'supported', evidence: citedSupport };
  }
  const support = candidates.find(supports);
  const contradiction = findContradiction(candidates, citedIds.length ? candidates.filter(inCited) : [], th, q, personalNames(prose.slice(sentence.start, sentence.end)));
  if (support && (!contradiction || support.alignment >= 0.75 * contradiction.alignment)) {
    if (citedIds.length && !inCited(support)) {
      return { ...base, verdict: 'supported', evidence: support, citationMismatch: { cited: citedIds, supportedBy: support.sentence.article.meta.id } };
    }
    return { ...base, verdict: 'supported', evidence: support };
  }
  if (contradiction) return { ...base, verdict: 'contradicted', evidence: contradiction };
  return base;
}

/**
 * Whether a misstatement of `r` as `q` is a slip a writer makes: a figure off by less than a
 * factor of 5, or the right digits under the wrong scale word (triệu for tỷ: a factor of
 * 1,000). "61 tỷ USD" for "600 triệu USD" is neither: more likely another fact, so it takes
 * a closer match to be called a contradiction.
 */
function plausibleSlip(q: Quantity, r: Quantity): boolean {
  if (q.dimension === 'date' || q.dimension === 'year' || q.dimension === 'ordinal') return true;
  const a = Math.abs(q.value);
  const b = Math.abs(r.value);
  if (!a || !b) return true;
  const ratio = Math.max(a, b) / Math.min(a, b);
  if (ratio < 5) return true;
  const scale = Math.log(ratio) / Math.log(1000);
  return Math.abs(scale - Math.round(scale)) * Math.log(1000) < Math.log(1.1);
}

/** How much closer than `contradict` an implausible misstatement must align. */
const IMPLAUSIBLE_MARGIN = 0.15;

/**
 * Personal names in Latin script without Vietnamese diacritics ("Zelensky", "Poroshenko",
 * "Kishida"): capitalised words not opening the sentence and not a country or organisation.
 */
function personalNames(text: string): Set<string> {
  const out = new Set<string>();
  let entities: EntityMention[] | undefined;
  for (const m of text.matchAll(/\b[A-Z][a-z]{3,}\b/g)) {
    // Not the sentence's first word: something other than a sentence end comes before it.
    const before = text.slice(Math.max(0, m.index - 4), m.index).trimEnd();
    if (!before || /[.!?…]$/.test(before)) continue;
    entities ??= findEntities(text);
    if (entities.some((e) => m.index >= e.start && m.index < e.end)) continue;
    out.add(m[0]);
  }
  return out;
}

/**
 * The claim names people the source does not speak of: the sentence names other people and
 * none of the claim's, or the article never names any of them ("Zelensky đắc cử … 2019" is
 * not contradicted by a sentence about the 2016 US election).
 */
function otherPeople(claimNames: Set<string>, s: IndexedSentence): boolean {
  if (!claimNames.size) return false;
  const names = personalNames(s.text);
  for (const n of claimNames) if (names.has(n)) return false;
  if (names.size) return true;
  for (const n of claimNames) if (s.article.text.includes(n)) return false;
  return true;
}

function findContradiction(all: Evidence[], cited: Evidence[], th: CheckThresholds, q: Quantity, claimNames: Set<string>): Evidence | undefined {
  for (const list of [cited, all]) {
    const best = list[0];
    if (best && !plausibleSlip(q, best.quantity) && best.alignment < th.contradict + IMPLAUSIBLE_MARGIN) continue;
    if (best && otherPeople(claimNames, best.sentence)) continue;
    // Precision first: a contradiction must be about every party the claim names ("Pháp ký…
    // ngày 16/2" is not contradicted by a sentence about Ukraine and the US signing in June).
    if (best && best.agreement === 'contradicts' && best.alignment >= th.contradict && !best.missingEntity && (!best.shared || best.local >= th.contradictLocal)) return best;
  }
  return undefined;
}

function claimContext(q: Quantity, all: Quantity[], sentence: Span, prose: string, corpus: Corpus): ClaimContext {
  const text = prose.slice(sentence.start, sentence.end);
  const { words, starts } = wordsOf(text, sentence.start);
  const inFigure = (pos: number): boolean => all.some((f) => pos >= f.start && pos < f.end);
  const figureIndex = Math.max(0, starts.findIndex((s) => s >= q.start));
  const weights = new Map<string, number>();
  const local = new Map<string, number>();
  const bigrams = new Set<string>();
  const bigramNext = new Map<string, Set<string>>();
  const variants = new Map<string, string[]>();
  let prev: string | undefined;
  words.forEach((w, i) => {
    if (inFigure(starts[i]!) || /^\d+$/.test(w)) {
      prev = undefined;
      return;
    }
    if (prev) {
      bigrams.add(`${prev} ${w}`);
      let next = bigramNext.get(prev);
      if (!next) bigramNext.set(prev, (next = new Set()));
      next.add(w);
    }
    prev = w;
    if (isStopword(w)) return;
    const distance = Math.abs(i - figureIndex);
    // A word counts once; it matches through itself or a translation the corpus knows.
    const forms = [w, ...translations(w).filter((t) => corpus.documentFrequency(t) > 0)];
    variants.set(w, forms);
    const idf = Math.max(0.1, ...forms.map((f) => (corpus.documentFrequency(f) > 0 || forms.length === 1 ? corpus.idf(f) : 0)));
    const weight = idf * (distance <= WINDOW + 1 ? 1 : 0.5);
    weights.set(w, Math.max(weights.get(w) ?? 0, weight));
    if (distance <= WINDOW) local.set(w, idf);
  });
  let total = 0;
  for (const w of weights.values()) total += w;
  let localTotal = 0;
  for (const w of local.values()) localTotal += w;
  const entities = [...new Set(findEntities(text).map((e) => e.id))];
  const forms = new Map<string, number[]>();
  const weightList: number[] = [];
  for (const w of weights.keys()) {
    const i = weightList.length;
    weightList.push(weights.get(w)!);
    for (const f of new Set(variants.get(w) ?? [w])) {
      const list = forms.get(f);
      if (list) list.push(i);
      else forms.set(f, [i]);
    }
  }
  const match = { forms, weightList, marks: new Uint8Array(weightList.length) };
  return { weights, variants, total, bigrams, local, localTotal, entities, others: all.filter((o) => o !== q), bigramNext, match };
}

function sentenceAlignment(ctx: ClaimContext, s: IndexedSentence): { base: number; entityFactor: number; missingEntity: boolean } {
  // A fact is often spread over adjacent sentences: their words count half. Each claim word
  // is marked 2 when some form of it is in the sentence, 1 when only in a neighbour.
  // (Only those two sentences are made: not the whole article.)
  const { forms, weightList, marks } = ctx.match;
  marks.fill(0);
  const mark = (words: readonly string[], level: number): void => {
    for (const w of words) {
      const claimWords = forms.get(w);
      if (claimWords) for (const i of claimWords) if (marks[i]! < level) marks[i] = level;
    }
  };
  mark(s.words, 2);
  for (const n of [s.article.sentenceIfAny(s.index - 1), s.article.sentenceIfAny(s.index + 1)]) if (n) mark(n.words, 1);
  let shared = 0;
  for (let i = 0; i < weightList.length; i++) shared += marks[i] === 2 ? weightList[i]! : marks[i] === 1 ? weightList[i]! / 2 : 0;
  const lexical = ctx.total > 0 ? shared / ctx.total : 0;
  let bigramHits = 0;
  if (ctx.bigrams.size) {
    // Each bigram of the claim counts once, however often the sentence repeats it.
    let found: Set<string> | undefined;
    for (let i = 1; i < s.words.length; i++) {
      if (!ctx.bigramNext.get(s.words[i - 1]!)?.has(s.words[i]!)) continue;
      const pair = `${s.words[i - 1]} ${s.words[i]}`;
      if ((found ??= new Set()).has(pair)) continue;
      found.add(pair);
      bigramHits++;
    }
  }
  const bigram = ctx.bigrams.size ? bigramHits / ctx.bigrams.size : 0;
  const coverage = entityCoverage(ctx.entities, s);
  return { base: 0.55 * lexical + 0.25 * bigram, entityFactor: 0.3 + 0.7 * coverage, missingEntity: missing(ctx.entities, s) };
}

/** Same amount, other currency ("4,5 tỷ euro" for "4,5 tỷ USD"): a slip worth calling out. */
function currencyConfusion(q: Quantity, r: Quantity): boolean {
  return q.dimension === 'money' && r.dimension === 'money' && q.unit !== r.unit && q.qualifier === r.qualifier && Math.abs(q.value - r.value) <= Math.max(q.step, r.step) / 2;
}

/** 1 when every entity of the claim is named in the sentence; less when only the article is about it; 0 when none is. */
function entityCoverage(entities: string[], s: IndexedSentence): number {
  if (!entities.length) return 1;
  let inSentence = 0;
  let inArticle = 0;
  for (const e of entities) {
    if (s.entities.includes(e)) inSentence++;
    else if (s.article.subject.includes(e)) inArticle++;
  }
  return (inSentence + 0.7 * inArticle) / entities.length;
}

/**
 * Whether the sentence may be about other parties than the claim: an entity of the claim is
 * not in it, and either the sentence names parties the claim does not ("Vào tháng 6, Ukraine
 * ký … với Mỹ và EU" for "Pháp ký … ngày 16/2") or its article is not about that entity.
 */
function missing(entities: string[], s: IndexedSentence): boolean {
  if (!entities.length) return false;
  const others = s.entities.some((x) => !entities.includes(x));
  return entities.some((e) => !s.entities.includes(e) && (others || !s.article.subject.includes(e)));
}

function localAlignment(ctx: ClaimContext, s: IndexedSentence, r: Quantity): number {
  if (ctx.localTotal <= 0) return 0;
  const idx = Math.max(0, s.wordStarts.findIndex((p) => p >= r.start));
  const around = new Set<string>();
  for (let i = Math.max(0, idx - WINDOW); i < Math.min(s.words.length, idx + WINDOW + 3); i++) around.add(s.words[i]!);
  let shared = 0;
  for (const [w, weight] of ctx.local) if ((ctx.variants.get(w) ?? [w]).some((f) => around.has(f))) shared += weight;
  return shared / ctx.localTotal;
}

function coFigureBonus(ctx: ClaimContext, s: IndexedSentence, r: Quantity): number {
  let bonus = 0;
  for (const o of ctx.others) {
    if (o.dimension === 'number') continue;
    if (s.quantities.some((x) => x !== r && compareQuantities(o, x) === 'consistent')) bonus += 0.1;
  }
  return Math.min(0.2, bonus);
}

let glossaryIndex: Map<string, string[]> | undefined;

/** Vietnamese syllables for an English word and English words for a Vietnamese syllable. */
function translations(word: string): string[] {
  if (!glossaryIndex) {
    glossaryIndex = new Map();
    const add = (k: string, v: string): void => {
      const list = glossaryIndex!.get(k) ?? [];
      if (!list.includes(v)) list.push(v);
      glossaryIndex!.set(k, list);
    };
    for (const [en, vis] of Object.entries(glossary.entries as Record<string, string[]>)) {
      for (const vi of vis) for (const syllable of wordsOf(vi).words) {
        add(en, syllable);
        if (!isStopword(syllable)) add(syllable, en);
      }
    }
  }
  return glossaryIndex.get(word) ?? [];
}
