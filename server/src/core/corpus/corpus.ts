/**
 * The in-memory corpus: articles, their sentences and figures, and the sentence search index.
 * Files are added, replaced and removed one at a time, so a watcher can re-index a single
 * article. Pure: file contents arrive as strings.
 */
import type { ArticleMeta, Position, Problem, Quantity, SourceSentence } from '../types';
import { prepareFile, type PreparedArticle, type PreparedFile, type Utf8Text } from './ingest';
import { LineIndex } from '../text/lineIndex';
import { canonicalText, foldKey, toNfc } from '../text/normalize';
import { ANY_FIGURE_KIND, figureKinds, parseQuantities } from '../quantity/parseQuantities';
import { findEntities } from '../entities/entities';
import { SentenceIndex, type SearchHit } from '../index/sentenceIndex';

/** A corpus file as the workspace hands it over. */
export interface CorpusFile {
  /** Opaque identifier the host understands (a `file:` URI in the server and the CLI). */
  uri: string;
  /** Path relative to the workspace (for messages). */
  path: string;
  content: string;
  /** Metadata from a `<name>.meta.yaml` beside the file, already parsed. */
  sidecar?: Partial<ArticleMeta>;
}

/** A sentence with everything the checker and the features need. */
export interface IndexedSentence extends SourceSentence {
  article: IndexedArticle;
  /** Global id in the search index. */
  doc: number;
  /** Lower-case canonical (NFC, tone-folded) syllables, and where each starts in the file text. */
  words: string[];
  wordStarts: number[];
}

export interface IndexedArticle {
  /** The citation key, `meta.id` (known without reading the metadata). */
  readonly id: string;
  meta: ArticleMeta;
  /** The metadata, not kept when it was not in memory (a pass over every article of an archive). */
  readMeta(): ArticleMeta;
  /** Title, outlet and date folded for matching what is typed after `@` (see {@link citationAbout}): as stored in the cache, else folded from the metadata once and kept. */
  citationAbout(): string;
  uri: string;
  path: string;
  /** The NFC text the spans refer to. */
  text: string;
  lineOffset: number;
  /** Line starts of the file text (made on first use). */
  readonly lines: LineIndex;
  toOriginal?: (offset: number) => number;
  /** The sentences, made on first use (the index keeps only their spans until then). */
  readonly sentences: IndexedSentence[];
  /** Number of sentences (without making them). */
  readonly sentenceCount: number;
  /** Entity ids the article is about: those of its title, lead and first paragraphs (made on first use). */
  readonly subject: string[];
  /** Content hash of the file the article came from. */
  hash: string;
  /** Search-index id of the first sentence; the others follow in order. */
  docBase: number;
  /** Sentence `i`, made on first use. */
  sentenceAt(i: number): IndexedSentence;
  /** Sentence `i` when the article has one there (made on first use, like `sentenceAt`). */
  sentenceIfAny(i: number): IndexedSentence | undefined;
  /** Per-article memo of derived data, dropped with the article. */
  readonly memo: Map<string, unknown>;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-case canonical syllables of `text` with their offsets (shifted by `offset`). */
export function wordsOf(text: string, offset = 0): { words: string[]; starts: number[] } {
  const lower = canonicalText(text).toLowerCase();
  const src = lower.length === text.length ? lower : text.toLowerCase();
  const words: string[] = [];
  const starts: number[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(src); m; m = WORD.exec(src)) {
    words.push(m[0]);
    starts.push(m.index + offset);
  }
  return { words, starts };
}

/** Search terms of a text: folded syllables, digits left out. */
export function searchTerms(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) if (!/^\d+$/.test(w)) out.push(foldKey(w));
  return out;
}

/** What the corpus keeps about one file. */
export interface CorpusFileRecord {
  uri: string;
  path: string;
  /** Content hash of the text. */
  hash: string;
  /** The host's cheap change signature (size and modification time), checked before the hash on a warm start. */
  signature?: string;
  /** Everything reported about the file when it was read (replayed from the cache). */
  problems: Problem[];
  articles: Article[];
  /** False when an article needs the original file text to map offsets (decomposed Unicode): such files are never cached. */
  cacheable: boolean;
}

/** What a new snapshot copies of an article without reading its text (see `ArticleSource.stored`). */
export interface StoredParts {
  textBytes: number;
  textChecksum: number;
  units: number;
  original?: boolean;
  metaChecksum?: number;
  spansChecksum?: number;
}

/** Where a cached article's text, metadata and sentence spans are read from when first needed. */
export interface ArticleSource {
  text(): string;
  meta(): ArticleMeta;
  spans(): Int32Array;
  /** The article's {@link citationAbout}, stored with it (read without reading the metadata). */
  citationAbout?(): string;
  /** The text and metadata as stored (UTF-8 bytes), to copy into a new snapshot without decoding. */
  rawText?(): Uint8Array;
  rawMeta?(): Uint8Array;
  /**
   * The stored text's size, checksum and length in UTF-16 units, without reading it;
   * `original`: the stored text is the file's own, before NFC (see `originalText`); the
   * checksums of the stored metadata and spans when they are known (a snapshot's, checked
   * when the bytes are read), so a new snapshot does not compute them again.
   */
  stored?(): StoredParts;
  /** Set when the file's text was not NFC: that text (lines are counted in it), and the map back into it. */
  originalText?(): string;
  toOriginal?(offset: number): number;
}

/**
 * An article of the corpus. Sentences, line starts and subject are made when first asked for;
 * an article from the on-disk cache also reads its text, metadata and spans only then.
 */
export class Article implements IndexedArticle {
  private ownToOriginal: ((offset: number) => number) | undefined;
  /** Figures in the article, once counted (see {@link Corpus.countFigures}). */
  figureCount: number | undefined;
  private ownMemo: Map<string, unknown> | undefined;
  private made: (IndexedSentence | undefined)[] | undefined;
  private all: IndexedSentence[] | undefined;
  private lineIndex: LineIndex | undefined;
  private subjectIds: string[] | undefined;
  private ownText: string | undefined;
  private ownMeta: ArticleMeta | undefined;
  private ownSpans: Int32Array | undefined;
  private ownAbout: string | undefined;

  constructor(
    /** The citation key (known without reading the metadata). */
    readonly id: string,
    readonly uri: string,
    readonly path: string,
    readonly lineOffset: number,
    readonly hash: string,
    readonly docBase: number,
    readonly sentenceCount: number,
    content: { text: string; meta: ArticleMeta; spans: Int32Array; lineSource?: string; toOriginal?: (offset: number) => number } | { source: ArticleSource },
  ) {
    if ('source' in content) this.source = content.source;
    else {
      this.ownText = content.text;
      this.ownMeta = content.meta;
      this.ownSpans = content.spans;
      if (content.lineSource !== undefined) this.lineSource = content.lineSource;
      if (content.toOriginal) this.ownToOriginal = content.toOriginal;
    }
  }

  /** Set for an article read from the cache. */
  readonly source: ArticleSource | undefined;
  /** The text line positions refer to, when not `text` (the file's, when NFC changed lengths). */
  private readonly lineSource: string | undefined;

  /** The NFC text the spans refer to. */
  get text(): string {
    return (this.ownText ??= this.source!.text());
  }

  get meta(): ArticleMeta {
    return (this.ownMeta ??= this.source!.meta());
  }

  /** Per-article memo of derived data (agreement mentions, citation keys), dropped with the article; made on first use. */
  get memo(): Map<string, unknown> {
    return (this.ownMemo ??= new Map());
  }

  readMeta(): ArticleMeta {
    return this.ownMeta ?? this.source!.meta();
  }

  citationAbout(): string {
    const stored = this.source?.citationAbout?.();
    if (stored !== undefined) return stored;
    // Kept: the citation catalogue is remade at every corpus change, and folding 35,000
    // articles' metadata again each time takes a while.
    return (this.ownAbout ??= citationAbout(this.readMeta()));
  }

  /** `[start, end, paragraph]` per sentence. */
  get spans(): Int32Array {
    return (this.ownSpans ??= this.source!.spans());
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.lineSource ?? this.source?.originalText?.() ?? this.text));
  }

  /** Maps an offset in `text` back to the file's text, when NFC changed its length. */
  get toOriginal(): ((offset: number) => number) | undefined {
    if (this.ownToOriginal) return this.ownToOriginal;
    const source = this.source;
    return source?.toOriginal ? (offset) => source.toOriginal!(offset) : undefined;
  }

  /** The file's text before NFC, when the article's text is its NFC form and they differ (a `.txt` or `.md` file). */
  get originalText(): string | undefined {
    if (this.ownToOriginal) return this.lineSource;
    return this.source?.originalText?.();
  }

  get sentences(): IndexedSentence[] {
    if (!this.all) {
      const all: IndexedSentence[] = [];
      for (let i = 0; i < this.sentenceCount; i++) all.push(this.sentenceAt(i));
      this.all = all;
    }
    return this.all;
  }

  get subject(): string[] {
    return (this.subjectIds ??= subjectOf(this));
  }

  sentenceIfAny(i: number): IndexedSentence | undefined {
    return i >= 0 && i < this.sentenceCount ? this.sentenceAt(i) : undefined;
  }

  /** Sentence `i`, made (words, figures, entities) on first use. */
  sentenceAt(i: number): IndexedSentence {
    this.made ??= new Array<IndexedSentence | undefined>(this.sentenceCount);
    let s = this.made[i];
    if (!s) {
      const spans = this.spans;
      const start = spans[3 * i]!;
      const end = spans[3 * i + 1]!;
      const text = this.text.slice(start, end);
      s = new Sentence(this, i, start, end, spans[3 * i + 2]!, text);
      this.made[i] = s;
    }
    return s;
  }

  /**
   * Counts the figures without keeping the sentences; with `kinds` (the corpus's, by
   * document), also writes each sentence's figure kinds there.
   */
  countFigures(kinds?: Uint8Array): number {
    if (this.figureCount === undefined) {
      let n = 0;
      const spans = this.spans;
      // An article from the cache reads its text for the count and lets it go again.
      const text = this.ownText ?? this.source!.text();
      for (let i = 0; i < this.sentenceCount; i++) {
        const quantities = this.made?.[i]?.quantities ?? parseQuantities(text.slice(spans[3 * i]!, spans[3 * i + 1]!));
        n += quantities.length;
        if (kinds) kinds[this.docBase + i] = figureKinds(quantities);
      }
      this.figureCount = n;
    }
    return this.figureCount;
  }
}

/**
 * A sentence of an article. Its figures are parsed when made (every retrieval asks for them
 * first); words and entities only when first asked for: most sentences a search brings back
 * hold no figure of the kind a claim needs and are never read further.
 */
class Sentence implements IndexedSentence {
  readonly quantities: Quantity[];
  readonly doc: number;
  private wordList: { words: string[]; starts: number[] } | undefined;
  private entityIds: string[] | undefined;

  constructor(
    readonly article: Article,
    readonly index: number,
    readonly start: number,
    readonly end: number,
    readonly paragraph: number,
    readonly text: string,
  ) {
    this.doc = article.docBase + index;
    this.quantities = parseQuantities(text).map((q) => ({ ...q, start: q.start + start, end: q.end + start }));
  }

  get words(): string[] {
    return (this.wordList ??= wordsOf(this.text, this.start)).words;
  }

  get wordStarts(): number[] {
    return (this.wordList ??= wordsOf(this.text, this.start)).starts;
  }

  get entities(): string[] {
    return (this.entityIds ??= [...new Set(findEntities(this.text).map((e) => e.id))]);
  }
}

/** An article's id, and the article when it is made, else its citation line as stored (see `Corpus.articleKeys`). */
export interface ArticleKey {
  id: string;
  article: IndexedArticle | undefined;
  /** `citationAbout` of a stored article not made; empty with `article`. */
  about: string;
}

/**
 * Files a corpus holds without their records yet (a snapshot's): counted, found by uri and
 * article id, and made into records and articles when first needed (see `Corpus`).
 */
export interface StoredFiles {
  readonly fileCount: number;
  readonly articleCount: number;
  uri(file: number): string;
  path(file: number): string;
  hash(file: number): string;
  signature(file: number): string | undefined;
  problems(file: number): Problem[];
  /** The file's articles: `[first, end)` of the article ordinals. */
  articleRange(file: number): [number, number];
  id(article: number): string;
  /** The article with this id, or -1. */
  articleWithId(id: string): number;
  /** The file with this uri, or -1. */
  fileWithUri(uri: string): number;
  fileOf(article: number): number;
  docBase(article: number): number;
  sentences(article: number): number;
  figureCount(article: number): number | undefined;
  /** The article's {@link citationAbout}, as stored. */
  citationAbout(article: number): string;
  /** A new record of the file, its articles in article order. */
  record(file: number): CorpusFileRecord;
}

/** The corpus as plain data (for the on-disk cache): files, and the search index. */
export interface CorpusState {
  files: CorpusFileRecord[];
  /** Files held without records yet (before `files`, in this order). */
  stored?: StoredFiles;
  index: SentenceIndex;
  nextDoc: number;
  /** Per document (`nextDoc` of them), the dimensions of its figures; every kind when absent. */
  figureKinds?: Uint8Array;
}

let versionClock = 0;
const nextVersion = (): number => ++versionClock;

export class Corpus {
  private readonly byUri = new Map<string, CorpusFileRecord>();
  private readonly byId = new Map<string, Article>();
  /**
   * The article of every search-index document: `docSlot[doc]` is its article's place in
   * `slots` plus one (0: none). A typed array filled per article: an array of 700,000
   * references, filled a sentence at a time, cost a warm start of the archive 0.1–0.15 s.
   */
  private docSlot = new Int32Array(0);
  private readonly slots: (Article | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** Per document, the dimensions of its figures (`figureKinds`; ANY_FIGURE_KIND where not known). */
  private docKinds = new Uint8Array(0);
  private nextDoc = 0;
  private sentenceTotal = 0;
  private figuresKnown = 0;
  private figuresUnknown = 0;
  private articleTotal = 0;
  /**
   * A snapshot's files not made into records yet: `stored` keeps them, `storedState[f]` is
   * undefined until file f is made (its record then is in the maps), null once it is gone
   * (removed or replaced). Their articles own slots `[0, articleCount)`. The uri and id
   * lookups of files not made are built when first needed; `settle` makes every file and
   * puts the maps in the order an eager corpus has, then drops all this.
   */
  private stored: StoredFiles | undefined;
  private storedState: (CorpusFileRecord | null | undefined)[] = [];
  /** Records made from `stored`, with their file ordinal. */
  private readonly storedOrdinal = new WeakMap<CorpusFileRecord, number>();
  /** Records added while files were stored, in order (they follow the stored ones when settled). */
  private live: CorpusFileRecord[] = [];
  readonly index: SentenceIndex;
  /** Changes on every change (unique across corpora of the process), so callers can tell a stale result. */
  version = nextVersion();
  /** The version at the last change to what an on-disk snapshot holds (cacheable files, their content and signatures). */
  cacheVersion = this.version;

  constructor(state?: CorpusState) {
    this.index = state?.index ?? new SentenceIndex();
    if (state) {
      this.nextDoc = state.nextDoc;
      this.docSlot = new Int32Array(state.nextDoc);
      this.docKinds = new Uint8Array(state.nextDoc).fill(ANY_FIGURE_KIND);
      if (state.figureKinds) this.docKinds.set(state.figureKinds.subarray(0, state.nextDoc));
      if (state.stored && state.stored.fileCount > 0) this.holdStored(state.stored);
      for (const record of state.files) this.attach(record);
    }
  }

  /**
   * Adds or replaces the articles of one file; `problems` (met while reading it) are kept
   * with it. Returns every problem of the file, never throws.
   */
  setFile(file: CorpusFile, problems: Problem[] = [], signature?: string): Problem[] {
    let prepared: PreparedFile;
    try {
      prepared = prepareFile(file.path, file.content, file.sidecar, problems);
    } catch (err) {
      this.deleteFile(file.uri);
      return [...problems, { file: file.path, severity: 'error', message: `could not be read as an article: ${String(err)}` }];
    }
    return this.setPrepared(file, prepared, signature);
  }

  /** Adds or replaces a file already parsed and split (see `prepareFile`; perhaps in another thread). */
  setPrepared(file: { uri: string; path: string }, prepared: PreparedFile, signature?: string): Problem[] {
    const previous = this.file(file.uri);
    if (previous) this.detach(previous);
    const all = [...prepared.problems];
    const record: CorpusFileRecord = { uri: file.uri, path: file.path, hash: prepared.hash, problems: all, articles: [], cacheable: true };
    if (signature !== undefined) record.signature = signature;
    for (const p of prepared.articles) {
      const existing = this.article(p.meta.id);
      if (existing) {
        all.push({ file: file.path, severity: 'warning', message: `duplicate article id "${p.meta.id}" (already used by ${existing.path}); this copy is skipped` });
        continue;
      }
      record.articles.push(this.buildArticle(p, file, record.hash, prepared.lineSource));
      // Text that was not NFC is cached as the file's own text when the article is the whole
      // file (NFC and the map back are made again on load); a JSONL record's body is not.
      if (p.toOriginal && (prepared.lineSource === undefined || toNfc(prepared.lineSource).text !== p.text)) record.cacheable = false;
    }
    this.attach(record);
    this.version = nextVersion();
    // The cache needs rewriting only when what it would hold changed.
    const same = previous && previous.hash === record.hash && previous.signature === record.signature && previous.cacheable === record.cacheable;
    if (!same && (record.cacheable || previous?.cacheable)) this.cacheVersion = this.version;
    return all;
  }

  /** Removes the articles of a file. */
  deleteFile(uri: string): boolean {
    const record = this.file(uri);
    if (!record) return false;
    this.detach(record);
    this.version = nextVersion();
    if (record.cacheable) this.cacheVersion = this.version;
    return true;
  }

  hasFile(uri: string): boolean {
    return this.byUri.has(uri) || this.storedFile(uri) >= 0;
  }

  /** What the corpus keeps about a file. */
  file(uri: string): CorpusFileRecord | undefined {
    const record = this.byUri.get(uri);
    if (record) return record;
    const f = this.storedFile(uri);
    return f >= 0 ? this.make(f) : undefined;
  }

  /** A file's signature and problems, without making its record. */
  fileSummary(uri: string): { signature: string | undefined; problems: Problem[] } | undefined {
    const record = this.byUri.get(uri);
    if (record) return { signature: record.signature, problems: record.problems };
    const f = this.storedFile(uri);
    return f >= 0 ? { signature: this.stored!.signature(f), problems: this.stored!.problems(f) } : undefined;
  }

  /** How many files it holds. */
  fileCount(): number {
    let n = this.byUri.size;
    if (this.stored) for (let f = 0; f < this.stored.fileCount; f++) if (this.storedState[f] === undefined) n++;
    return n;
  }

  /** The uris of its files, in the order of `files()`, without making records. */
  fileUris(): string[] {
    if (!this.stored) return [...this.byUri.keys()];
    const out: string[] = [];
    for (let f = 0; f < this.stored.fileCount; f++) {
      const state = this.storedState[f];
      if (state === undefined) out.push(this.stored.uri(f));
      else if (state) out.push(state.uri);
    }
    for (const record of this.live) if (this.byUri.get(record.uri) === record) out.push(record.uri);
    return out;
  }

  /** Path, content hash and article count of every file, without making records (in no set order). */
  fileDigests(): { path: string; hash: string; articles: number }[] {
    const out: { path: string; hash: string; articles: number }[] = [];
    const stored = this.stored;
    if (stored) {
      for (let f = 0; f < stored.fileCount; f++) {
        if (this.storedState[f] !== undefined) continue;
        const [first, end] = stored.articleRange(f);
        out.push({ path: stored.path(f), hash: stored.hash(f), articles: end - first });
      }
    }
    for (const record of this.byUri.values()) out.push({ path: record.path, hash: record.hash, articles: record.articles.length });
    return out;
  }

  /** Every file record, in the order they were added. */
  files(): CorpusFileRecord[] {
    this.settle();
    return [...this.byUri.values()];
  }

  article(id: string): IndexedArticle | undefined {
    const a = this.byId.get(id);
    if (a || !this.stored) return a;
    const k = this.stored.articleWithId(id);
    if (k < 0 || this.storedState[this.stored.fileOf(k)] !== undefined) return undefined;
    this.make(this.stored.fileOf(k));
    return this.byId.get(id);
  }

  articles(): IndexedArticle[] {
    this.settle();
    return [...this.byId.values()];
  }

  /**
   * Every article's id, in the order of `articles()`, without making the stored files: with
   * the article when it is made, else with its {@link citationAbout} as the snapshot stores
   * it. The citation keys of an archive need no records (a first `[@` that made 35,000 of
   * them left their heap to the collector while the next requests came). Meant to be read
   * within one corpus version (what it meets of a change is not defined).
   */
  *articleKeys(): Generator<ArticleKey, void, undefined> {
    const stored = this.stored;
    if (!stored) {
      for (const a of this.byId.values()) yield { id: a.id, article: a, about: '' };
      return;
    }
    // Held here: a settle drops them (it changes no article, so the keys go on alike).
    const states = this.storedState;
    const live = this.live;
    for (let f = 0; f < stored.fileCount; f++) {
      const state = states[f];
      if (state) for (const a of state.articles) yield { id: a.id, article: a, about: '' };
      else if (state === undefined) {
        const [first, end] = stored.articleRange(f);
        for (let k = first; k < end; k++) yield { id: stored.id(k), article: undefined, about: stored.citationAbout(k) };
      }
    }
    for (const record of live) if (this.byUri.get(record.uri) === record) for (const a of record.articles) yield { id: a.id, article: a, about: '' };
  }

  /**
   * Makes the stored files' records (until `stop()` says so, checked between files), then
   * puts every file and article in the maps in the order of an eager corpus (the stored files
   * in their order, then those added since). Whether it is done.
   */
  settle(stop: () => boolean = () => false): boolean {
    const stored = this.stored;
    if (!stored) return true;
    for (let f = 0; f < stored.fileCount; f++) {
      if (this.storedState[f] !== undefined) continue;
      if (stop()) return false;
      this.make(f);
    }
    const records = [...this.storedState.filter((r): r is CorpusFileRecord => !!r), ...this.live.filter((r) => this.byUri.get(r.uri) === r)];
    this.byUri.clear();
    this.byId.clear();
    for (const record of records) {
      this.byUri.set(record.uri, record);
      for (const a of record.articles) this.byId.set(a.id, a);
    }
    this.stored = undefined;
    this.storedState = [];
    this.live = [];
    return true;
  }

  /** Takes the stored files in: counted, their documents pointing at their (reserved) slots. */
  private holdStored(stored: StoredFiles): void {
    this.stored = stored;
    this.storedState = new Array<CorpusFileRecord | null | undefined>(stored.fileCount);
    this.slots.length = stored.articleCount;
    this.reserveDocs(this.nextDoc);
    const docSlot = this.docSlot;
    for (let k = 0; k < stored.articleCount; k++) {
      const base = stored.docBase(k);
      const count = stored.sentences(k);
      for (let d = base; d < base + count; d++) docSlot[d] = k + 1;
      this.sentenceTotal += count;
      const figures = stored.figureCount(k);
      if (figures === undefined) this.figuresUnknown++;
      else this.figuresKnown += figures;
    }
    this.articleTotal += stored.articleCount;
  }

  /** The stored file with this uri (not made, not gone), or -1. */
  private storedFile(uri: string): number {
    if (!this.stored) return -1;
    const f = this.stored.fileWithUri(uri);
    return f >= 0 && this.storedState[f] === undefined ? f : -1;
  }

  /** Makes stored file f's record and articles and puts them in the maps and their slots (counted already). */
  private make(f: number): CorpusFileRecord {
    const stored = this.stored!;
    const record = stored.record(f);
    this.storedState[f] = record;
    this.storedOrdinal.set(record, f);
    this.byUri.set(record.uri, record);
    const [first] = stored.articleRange(f);
    record.articles.forEach((a, k) => {
      this.byId.set(a.id, a);
      if (a.sentenceCount > 0) this.slots[first + k] = a;
    });
    return record;
  }

  articlesOfFile(uri: string): IndexedArticle[] {
    return this.file(uri)?.articles ?? [];
  }

  sentence(doc: number): IndexedSentence | undefined {
    const a = this.articleOfDoc(doc);
    return a ? a.sentenceAt(doc - a.docBase) : undefined;
  }

  /** The article holding a document (a stored file's made then). */
  private articleOfDoc(doc: number): Article | undefined {
    const slot = doc < this.docSlot.length ? this.docSlot[doc]! - 1 : -1;
    if (slot < 0) return undefined;
    const a = this.slots[slot];
    if (a || !this.stored || slot >= this.stored.articleCount) return a;
    const f = this.stored.fileOf(slot);
    if (this.storedState[f] !== undefined) return undefined;
    this.make(f);
    return this.slots[slot];
  }

  /**
   * The dimensions of a document's figures, one bit each (`dimensionBit`): a check can pass
   * over a sentence without the claim's kind of figure without making it (reading its
   * article). ANY_FIGURE_KIND when not known.
   */
  figureKinds(doc: number): number {
    return doc < this.docKinds.length ? this.docKinds[doc]! : ANY_FIGURE_KIND;
  }

  /** The documents of the article holding `doc` right before and after it (those that exist). */
  neighbourDocs(doc: number): number[] {
    const a = this.articleOfDoc(doc);
    if (!a) return [];
    const out: number[] = [];
    if (doc > a.docBase) out.push(doc - 1);
    if (doc + 1 < a.docBase + a.sentenceCount) out.push(doc + 1);
    return out;
  }

  /** Ranked documents (sentences, not made) for a set of canonical words; see {@link search}. */
  searchDocs(words: readonly string[], limit: number, withDigits = false, requireGroups?: readonly (readonly string[])[], filter?: (doc: number) => boolean): SearchHit[] {
    return this.index.search(searchTerms(words), {
      limit,
      withDigits,
      ...(requireGroups ? { requireGroups: requireGroups.map((g) => g.map(foldKey)) } : {}),
      ...(filter ? { filter } : {}),
    });
  }

  /** Ranked sentences for a set of canonical words (`withDigits`: only sentences holding an ASCII digit). */
  search(words: readonly string[], limit: number, filter?: (s: IndexedSentence) => boolean, withDigits = false, requireGroups?: readonly (readonly string[])[]): { sentence: IndexedSentence; score: number }[] {
    const hits = this.searchDocs(words, limit, withDigits, requireGroups, filter && ((doc) => {
      const s = this.sentence(doc);
      return s !== undefined && filter(s);
    }));
    const out: { sentence: IndexedSentence; score: number }[] = [];
    for (const h of hits) {
      const s = this.sentence(h.doc);
      if (s) out.push({ sentence: s, score: h.score });
    }
    return out;
  }

  /** Sentences that contain every one of the (canonical) words, in corpus order. */
  sentencesWithAll(words: readonly string[]): IndexedSentence[] {
    const out: IndexedSentence[] = [];
    for (const doc of this.index.docsWithAll(words.map(foldKey))) {
      const s = this.sentence(doc);
      if (s) out.push(s);
    }
    return out;
  }

  /** In how many indexed sentences a canonical word occurs. */
  documentFrequency(word: string): number {
    return this.index.documentFrequency(foldKey(word));
  }

  /** IDF of a canonical word among indexed sentences. */
  idf(word: string): number {
    return this.index.idf(foldKey(word));
  }

  /** Position of an offset of an article's text in the corpus file it came from. */
  positionOf(article: IndexedArticle, offset: number): Position {
    const original = article.toOriginal ? article.toOriginal(offset) : offset;
    const p = article.lines.positionAt(original);
    return { line: p.line + article.lineOffset, character: p.character };
  }

  /** Counts. `figures` covers the articles counted so far; `figuresPending` says how many are not (see {@link countFigures}). */
  stats(): { articles: number; sentences: number; figures: number; figuresPending: number } {
    return { articles: this.articleTotal, sentences: this.sentenceTotal, figures: this.figuresKnown, figuresPending: this.figuresUnknown };
  }

  /**
   * Counts the figures of articles not counted yet, until `stop()` says so (checked between
   * articles). Returns how many articles remain. Figures are otherwise parsed only when a
   * sentence is first used, which keeps indexing cheap.
   */
  countFigures(stop: () => boolean = () => false): number {
    if (!this.figuresUnknown) return 0;
    if (!this.settle(stop)) return this.figuresUnknown;
    for (const record of this.byUri.values()) {
      for (const a of record.articles) {
        if (a.figureCount !== undefined) continue;
        if (stop()) return this.figuresUnknown;
        // Their kinds too: an article prepared without its figures has none known yet.
        this.figuresKnown += a.countFigures(this.docKinds);
        this.figuresUnknown--;
      }
    }
    return this.figuresUnknown;
  }

  /** Packs the search index after a bulk load (and before a snapshot). */
  compact(): void {
    this.index.compact();
  }

  /** Files and index, for the on-disk cache. */
  state(): CorpusState & { figureKinds: Uint8Array } {
    return { files: this.files(), index: this.index, nextDoc: this.nextDoc, figureKinds: this.docKinds.subarray(0, this.nextDoc) };
  }

  /** Takes a file's articles out of the maps, the index and the counts (no version change). */
  private detach(record: CorpusFileRecord): void {
    for (const a of record.articles) {
      this.byId.delete(a.id);
      for (let i = 0; i < a.sentenceCount; i++) this.index.remove(a.docBase + i);
      if (a.sentenceCount > 0) {
        const slot = this.docSlot[a.docBase]!;
        this.docSlot.fill(0, a.docBase, a.docBase + a.sentenceCount);
        this.slots[slot - 1] = undefined;
        this.freeSlots.push(slot - 1);
      }
      this.sentenceTotal -= a.sentenceCount;
      if (a.figureCount === undefined) this.figuresUnknown--;
      else this.figuresKnown -= a.figureCount;
    }
    this.articleTotal -= record.articles.length;
    this.byUri.delete(record.uri);
    const f = this.storedOrdinal.get(record);
    if (f !== undefined && this.stored) this.storedState[f] = null;
  }

  private attach(record: CorpusFileRecord): void {
    this.byUri.set(record.uri, record);
    this.articleTotal += record.articles.length;
    if (this.stored) this.live.push(record);
    for (const a of record.articles) {
      this.byId.set(a.id, a);
      if (a.sentenceCount > 0) {
        const end = a.docBase + a.sentenceCount;
        this.reserveDocs(end);
        const free = this.freeSlots.pop();
        const slot = free ?? this.slots.length;
        this.slots[slot] = a;
        this.docSlot.fill(slot + 1, a.docBase, end);
      }
      this.sentenceTotal += a.sentenceCount;
      if (a.figureCount === undefined) this.figuresUnknown++;
      else this.figuresKnown += a.figureCount;
    }
  }

  /** Room in the per-document tables for documents below `end`. */
  private reserveDocs(end: number): void {
    if (end <= this.docSlot.length) return;
    const size = Math.max(end, this.docSlot.length * 2, 1024);
    const slots = new Int32Array(size);
    slots.set(this.docSlot);
    this.docSlot = slots;
    const kinds = new Uint8Array(size).fill(ANY_FIGURE_KIND);
    kinds.set(this.docKinds);
    this.docKinds = kinds;
  }

  private buildArticle(p: PreparedArticle, file: { uri: string; path: string }, hash: string, lineSource: string | undefined): Article {
    const spans = p.spans;
    const count = spans.length / 3;
    const docBase = this.nextDoc;
    this.nextDoc += count;
    this.reserveDocs(this.nextDoc);
    // Left to count later (`PrepareOptions.figures`): ANY_FIGURE_KIND (every kind) until then.
    if (p.figureKinds) this.docKinds.set(p.figureKinds, docBase);
    if (typeof p.text !== 'string') {
      // A text handed over as UTF-8 is indexed from the bytes, and the article keeps them:
      // it decodes them when first read (like an article from the cache).
      const utf8 = p.text;
      if (!this.index.addUtf8(docBase, utf8.bytes, utf8.units, spans)) {
        const text = UTF8.decode(utf8.bytes);
        for (let i = 0; i < count; i++) this.index.addText(docBase + i, text, spans[3 * i]!, spans[3 * i + 1]!);
      }
      const article = new Article(p.meta.id, file.uri, file.path, p.lineOffset, hash, docBase, count, { source: new Utf8Source(utf8, p.meta, spans) });
      article.figureCount = p.figureCount;
      return article;
    }
    const text = p.text;
    for (let i = 0; i < count; i++) this.index.addText(docBase + i, text, spans[3 * i]!, spans[3 * i + 1]!);
    const article = new Article(p.meta.id, file.uri, file.path, p.lineOffset, hash, docBase, count, {
      text,
      meta: p.meta,
      spans,
      ...(p.toOriginal && lineSource !== undefined ? { lineSource, toOriginal: p.toOriginal } : {}),
    });
    article.figureCount = p.figureCount;
    return article;
  }
}

const UTF8 = new TextDecoder();

/**
 * An article's title, outlet and date, folded (no diacritics, lower case) and on one line:
 * what a citation key typed after `@` is matched against besides the id. The on-disk cache
 * stores it per article, so the first `[@` on an archive need not read 35,000 metadata records.
 */
export function citationAbout(meta: ArticleMeta): string {
  return foldKey([meta.title, meta.outlet, meta.date].filter(Boolean).join(' ')).replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** An article's parts when its text is held as UTF-8 bytes (the snapshot copies them as they are). One object per article, not a closure per part. */
class Utf8Source implements ArticleSource {
  constructor(
    private readonly utf8: Utf8Text,
    private readonly ownMeta: ArticleMeta,
    private readonly ownSpans: Int32Array,
  ) {}

  text(): string {
    return UTF8.decode(this.utf8.bytes);
  }

  meta(): ArticleMeta {
    return this.ownMeta;
  }

  spans(): Int32Array {
    return this.ownSpans;
  }

  rawText(): Uint8Array {
    return this.utf8.bytes;
  }

  rawMeta(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.ownMeta));
  }

  stored(): StoredParts {
    return { textBytes: this.utf8.bytes.length, textChecksum: this.utf8.checksum, units: this.utf8.units };
  }
}

/** The entities an article is about: named in its title or lead, or most mentioned early on. */
function subjectOf(article: Article): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < Math.min(6, article.sentenceCount); i++) for (const e of article.sentenceAt(i).entities) counts.set(e, (counts.get(e) ?? 0) + 1);
  const title = article.meta.title ? findEntities(article.meta.title).map((e) => e.id) : [];
  for (const e of title) counts.set(e, (counts.get(e) ?? 0) + 3);
  return [...counts.entries()].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
