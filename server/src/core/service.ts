/**
 * The one entry point of the analysis core. Hosts (the language server, the CLI, tests)
 * create a service with an injected workspace and call its methods; nothing here touches
 * the file system, the network or an editor API.
 */
import type { Problem } from './types';
import { Corpus, type IndexedArticle, type IndexedSentence } from './corpus/corpus';
import { bytesSource, decodeSnapshot, encodeSnapshotParts, joinParts, snapshotSteps, type SnapshotParts, type SnapshotSource } from './corpus/snapshot';
export type { SnapshotParts, SnapshotSource } from './corpus/snapshot';
import type { Utf8Decoder } from './corpus/decode';
export { CacheDamageError } from './cacheDamage';
import { BlockCache, RetrievalCache, checkDraft, defaultThresholds, type DraftCheck } from './check/checkDraft';
import { decodeRetrievalMemo, encodeRetrievalMemo } from './check/retrievalMemo';
import { parseDraft } from './draft/parseDraft';
import { toDiagnostics, type Diagnostic } from './check/diagnostics';
import type { SourcemarkSettings } from './settings';
import { throwIfCancelled, type CancellationToken } from './cancellation';
import { agreementCandidates, articleMentions, candidatesByArticle, extractAgreements, type AgreementRecord } from './agreements/extractAgreements';
import type * as lsp from 'vscode-languageserver-types';
import { LineIndex } from './text/lineIndex';
import { runSteps, runToEnd } from './steps';
import type { CheckedDraft, DraftDocument, FeatureContext } from './languageFeatures/context';
import { prepareCitationCatalogue, provideCompletionList, resolveCompletionItem } from './languageFeatures/completion';
import { provideHover } from './languageFeatures/hover';
import { provideCodeActions } from './languageFeatures/codeActions';
import { provideDefinition, provideDocumentLinks, provideReferences, provideWorkspaceSymbols, referencedArticles } from './languageFeatures/navigation';

export type { DraftDocument } from './languageFeatures/context';

/** Corpus files read ahead of the one being parsed. */
const READ_AHEAD = 16;
/** A run of at least this many files to read uses the host's preparer (worker threads), if any. */
const PREPARE_ELSEWHERE_MIN = 200;
/**
 * Files in flight with a preparer. Enough to keep its threads busy through the indexing
 * thread's pauses (a scavenge of its heap takes 15–50 ms on an archive) and the threads'
 * uneven pace: with 256 (about 15 ms of their work) the host and the threads each sat idle a
 * fifth of a cold index of the archive, waiting on one another; the cold index went from
 * 4.94–5.07 s to 4.60–4.74 s (2,048 and 4,096 alike). The texts in flight are the ones the
 * corpus then keeps, so a deeper window holds little more at its peak (5–12 MB here).
 */
const PREPARE_AHEAD = 2048;
/** Postings gathered in the index's pending stream before they are packed into a segment. */
const PACK_POSTINGS = 1_000_000;

import { loadCorpusFile, type ReadyFile, type WorkspaceFile } from './corpus/ingest';
export { loadCorpusFile, sidecarOf, type PreparedFile, type ReadyFile, type WorkspaceFile } from './corpus/ingest';

/**
 * Reads and prepares corpus files elsewhere (the Node hosts: worker threads), for a bulk
 * index run. Must give what `loadCorpusFile` and `prepareFile` give inline; a file it cannot
 * prepare (a thread failed) it rejects, and the service reads that one inline.
 */
export interface CorpusPreparer {
  prepare(file: WorkspaceFile): Promise<ReadyFile>;
  /** The run is over (the workers can go). */
  close(): void;
}

/** How the core reaches files. The server implements it over the disk and open documents. */
export interface SourcemarkWorkspace {
  /** Corpus files matching the globs, in a stable order. */
  findFiles(globs: readonly string[], token?: CancellationToken, options?: FindFilesOptions): Promise<WorkspaceFile[]>;
  /** The bytes of a file, or `undefined` when it does not exist. Throws with a reason when unreadable. */
  readFile(uri: string, token?: CancellationToken): Promise<Uint8Array | undefined>;
  /** The change signature of a file listed without one (see `FindFilesOptions`), when it can have one. */
  signature?(file: WorkspaceFile): Promise<string | undefined>;
}

export interface FindFilesOptions {
  /**
   * Hears how many files matched (sidecars aside) as soon as the names are known, before the
   * files are looked at one by one (a `stat` each: a while on a large corpus). The service
   * starts its preparer threads then, so they are ready when the listing is; it returns true
   * when it will read every file through them, and the listing then skips the `stat` calls:
   * files come without a signature, and the preparer gives each one's from what it read
   * (`PreparedFile.signature`).
   */
  onMatched?: (count: number) => boolean;
}

export interface Logger {
  warn(message: string): void;
  info(message: string): void;
}

export interface IndexProgress {
  (done: number, total: number): void;
}

export interface SourcemarkService {
  /**
   * Brings the index up to date with the corpus files: reads new and changed files (changed:
   * the listing's signature differs from the indexed one, or there is none), forgets removed
   * ones. Reports progress; returns the problems of every corpus file (replayed for files not
   * read again). `listed`: the corpus listing (`findFiles` of `settings.corpus`) when the
   * host already made one for this run (the CLI does, to refuse an empty corpus early):
   * listing an archive again costs a `stat` per file.
   */
  indexCorpus(settings: SourcemarkSettings, progress?: IndexProgress, token?: CancellationToken, listed?: WorkspaceFile[]): Promise<Problem[]>;
  /**
   * Replaces the index with a cached snapshot (from {@link snapshot}): its head now, article
   * texts and postings from `source` when first used. The reason when it cannot be used.
   * Follow with `indexCorpus` to catch up with the files.
   */
  loadSnapshot(source: SnapshotSource | Uint8Array): { ok: true; files: number } | { ok: false; reason: string };
  /** The index as bytes for the on-disk cache. */
  snapshot(): Uint8Array;
  /** The same as a stream of chunks (what hosts write: no second copy of the archive in memory). */
  snapshotParts(): SnapshotParts;
  /**
   * Makes, until `stop()` says so, what `snapshotParts` returns, a step at a time: the
   * records of the files a loaded cache left stored (35,000 made at once held the server
   * about 0.3 s), the index's compaction, the rows, the head (see `snapshotSteps`; made at
   * once, the archive's held it 0.5–0.9 s). Whether it is all done. A change to the corpus
   * in between makes it start again; `snapshotParts` then makes what is left at once.
   */
  prepareSnapshot(stop?: () => boolean): boolean;
  /** Whether the index changed since it was loaded from or saved to a snapshot. */
  readonly snapshotStale: boolean;
  /** Forgets the whole index (after a damaged cache): the next `indexCorpus` reads every file. */
  forgetIndex(): void;
  /**
   * The retrievals the checks made (the documents each query found), encoded for the host to
   * keep beside the index cache (see `retrievalMemo.ts`): only while the corpus is exactly what
   * the snapshot last loaded or made holds, and when there is something the memo the host
   * keeps lacks (entries retrieved since it was loaded or last taken, or a new snapshot).
   */
  retrievalMemo(): Uint8Array | undefined;
  /**
   * Takes in the memo kept beside the snapshot just loaded, before the corpus changes:
   * refused, with why, unless this engine made it from this very snapshot.
   */
  loadRetrievalMemo(bytes: Uint8Array): { ok: true; entries: number } | { ok: false; reason: string };
  /** The last `indexCorpus` run: corpus files found, and how many of them were read (the rest were unchanged). */
  readonly lastIndexRun: { files: number; read: number; /** Of those read, how many the host's preparer (worker threads) read and parsed. */ prepared: number } | undefined;
  /** Counts figures not yet counted until `stop()` (figures are parsed lazily); returns the articles left. */
  countFigures(stop?: () => boolean): number;
  /**
   * Prepares, until `stop()` says so, what the first completion inside `[@` would otherwise
   * make (each article's folded title, outlet and date, and the catalogue of every article's
   * keys); whether it is all done.
   */
  prepareCompletions(stop?: () => boolean): boolean;
  /**
   * Makes, until `stop()` says so, the sentences the agreement records are read from, then
   * the records: the first agreement completion (or the status) then finds them made. Whether
   * it is all done.
   */
  prepareAgreements(stop?: () => boolean): boolean;
  /** Re-reads one corpus file (added or changed). */
  updateCorpusFile(file: WorkspaceFile, token?: CancellationToken): Promise<Problem[]>;
  /** Forgets one corpus file. */
  removeCorpusFile(uri: string): boolean;
  /** Checks a draft: verdicts per figure and the diagnostics to show. */
  checkDraft(text: string, settings: SourcemarkSettings, token?: CancellationToken): { check: DraftCheck; diagnostics: Diagnostic[] };
  /** Agreement records of the whole corpus. */
  agreements(): AgreementRecord[];
  /**
   * Counts for status bars and `sourcemark index --stats`. Cheap unless `exact`: figures of
   * articles not counted yet are left out (`figuresPending` says how many articles), and
   * agreements are those of the last extraction.
   */
  stats(options?: { exact?: boolean }): { articles: number; sentences: number; figures: number; figuresPending: number; agreements: number };
  /** The corpus model, for feature providers. */
  readonly corpus: Corpus;

  /** The check and diagnostics of a draft, cached per document version and corpus version. */
  checkDocument(doc: DraftDocument, settings: SourcemarkSettings, token?: CancellationToken): { checked: CheckedDraft; diagnostics: Diagnostic[] };
  /** Forgets the cached check of a closed document. */
  forgetDocument(uri: string): void;
  provideCompletions(doc: DraftDocument, position: lsp.Position, settings: SourcemarkSettings, token?: CancellationToken): lsp.CompletionItem[];
  /** The same items, with `isIncomplete` set when the editor must ask again as the writer types (citation keys). */
  provideCompletionList(doc: DraftDocument, position: lsp.Position, settings: SourcemarkSettings, token?: CancellationToken): lsp.CompletionList;
  /** An item of those with its byline and card added (`completionItem/resolve`); undefined when it is not one of this corpus's. */
  resolveCompletionItem(item: lsp.CompletionItem, settings: SourcemarkSettings): lsp.CompletionItem | undefined;
  provideHover(doc: DraftDocument, position: lsp.Position, settings: SourcemarkSettings, token?: CancellationToken): lsp.Hover | undefined;
  provideCodeActions(doc: DraftDocument, range: lsp.Range, diagnostics: readonly lsp.Diagnostic[], settings: SourcemarkSettings, token?: CancellationToken): lsp.CodeAction[];
  provideDefinition(doc: DraftDocument, position: lsp.Position, settings: SourcemarkSettings, token?: CancellationToken): lsp.Location[];
  /** Citations of the article under the cursor (in a draft) or of the corpus file `doc` itself, across `drafts`. */
  provideReferences(doc: DraftDocument, position: lsp.Position, drafts: Iterable<DraftDocument>, settings: SourcemarkSettings, token?: CancellationToken): lsp.Location[];
  provideWorkspaceSymbols(query: string, settings: SourcemarkSettings, token?: CancellationToken): lsp.SymbolInformation[];
  provideDocumentLinks(doc: DraftDocument, settings: SourcemarkSettings, token?: CancellationToken): lsp.DocumentLink[];
}

/** Creates the analysis service. */
export function createSourcemarkService(init: {
  workspace: SourcemarkWorkspace;
  logger?: Logger;
  /** Keys the snapshot: a snapshot from another version is not used. */
  engineVersion?: string;
  /** For a bulk index run: reads and prepares files elsewhere (undefined: inline). */
  preparer?: () => CorpusPreparer | undefined;
  /** How many queries' retrievals the checks remember (see `RetrievalCache`); a batch run over many drafts wants them all. */
  retrievalCapacity?: number;
  /**
   * The host will index a corpus (a language server's folder): until a run finishes or a
   * snapshot loads, checks are provisional and say so. Not for a service that is never indexed
   * (drafts outside every folder) nor one indexed before it checks (the CLI).
   */
  awaitsIndex?: boolean;
  /** A host's faster UTF-8 decoder, for corpus files read here and for the texts of a loaded snapshot (see `Utf8Decoder`). */
  decodeUtf8?: Utf8Decoder;
  /**
   * Asked after each file an index run adds: a promise to wait for before the next one (a
   * host that answers requests lets its event loop turn), or undefined to go on. Files a
   * preparer has made ready are otherwise added one after another without a pause (up to
   * its window, {@link PREPARE_AHEAD}).
   */
  pause?: () => Promise<void> | undefined;
}): SourcemarkService {
  const { workspace, logger } = init;
  const engineVersion = init.engineVersion ?? 'dev';
  let corpus = new Corpus();
  let agreementCache: { version: number; records: AgreementRecord[] } | undefined;
  /** The corpus's cache version at the last snapshot load or save. */
  let snapshotVersion = -1;
  /** A snapshot being made in steps (`prepareSnapshot`), for one corpus version (versions are unique across corpora). */
  let saving: { version: number; steps: Generator<void, SnapshotParts>; parts?: SnapshotParts } | undefined;
  /**
   * The snapshot the corpus is exactly (every file of it stored there), and the corpus
   * version then: retrievals made while the version is still that one are true of it.
   */
  let asSnapshot: { id: string; version: number } | undefined;
  /** The snapshot the host's retrieval memo was last loaded or taken for. */
  let memoFor: string | undefined;
  /** The corpus is now what snapshot `id` holds (loaded from it, or made into it: `complete` when no file was left out). */
  const becameSnapshot = (id: string, complete: boolean): void => {
    snapshotVersion = corpus.cacheVersion;
    asSnapshot = complete ? { id, version: corpus.version } : undefined;
  };
  /** The snapshot the corpus still is exactly (no change since it was loaded or made), if any. */
  const currentSnapshot = (): { id: string } | undefined => (asSnapshot?.version === corpus.version ? asSnapshot : undefined);
  let lastIndexRun: { files: number; read: number; prepared: number } | undefined;
  /** Index runs reading files right now. */
  let reading = 0;
  /**
   * While an index run reads files (the corpus changes with each one), the corpus version the
   * first of them started from. A draft's check made meanwhile stands until the runs end (a
   * hover, a code action or a keystroke during a cold index of an archive re-checked the whole
   * draft against a corpus a few files larger); the host checks the drafts again when they do.
   */
  let readingFrom: number | undefined;
  /** Files done of those listed, while index runs read files (of the last to start). */
  let runProgress: { done: number; total: number } | undefined;
  /** Whether the corpus was indexed (a run finished or a snapshot loaded) since it was forgotten, or, unless `awaitsIndex`, since the start. */
  let indexedOnce = init.awaitsIndex !== true;
  /** Index runs started. */
  let runs = 0;
  /** Whether a check made now may change once the corpus is read: files are being read, or an awaited index is not made yet. */
  const indexing = (): boolean => reading > 0 || !indexedOnce;
  /** The corpus version drafts' checks, their blocks and retrievals are kept for. */
  const checkVersion = (): number => readingFrom ?? corpus.version;

  const report = (problems: Problem[]): Problem[] => {
    for (const p of problems) logger?.warn(`${p.file}: ${p.message}`);
    return problems;
  };

  function addLoaded(file: WorkspaceFile, ready: ReadyFile): Problem[] {
    if ('skip' in ready) {
      corpus.deleteFile(file.uri);
      return ready.skip;
    }
    // A file listed without a signature takes the one its reader gave (see FindFilesOptions).
    if ('prepared' in ready) return corpus.setPrepared(file, ready.prepared, file.signature ?? ready.prepared.signature);
    return corpus.setFile({ uri: file.uri, path: file.path, content: ready.text, ...(ready.sidecar ? { sidecar: ready.sidecar } : {}) }, ready.problems, file.signature ?? ready.signature);
  }

  const readInline = async (file: WorkspaceFile, token?: CancellationToken): Promise<ReadyFile> => {
    // A file listed without a signature (its preparer failed it) is signed before it is read,
    // so a change made meanwhile shows at the next start.
    const signature = file.signature === undefined ? await workspace.signature?.(file) : undefined;
    const loaded = await loadCorpusFile(file, (uri, t) => workspace.readFile(uri, t), token, init.decodeUtf8);
    return signature !== undefined && 'text' in loaded ? { ...loaded, signature } : loaded;
  };

  async function loadFile(file: WorkspaceFile, token?: CancellationToken): Promise<Problem[]> {
    const loaded = await readInline(file, token);
    throwIfCancelled(token);
    return addLoaded(file, loaded);
  }

  /** What `prepareAgreements` has made so far, for one corpus version. */
  let agreementPrep: { version: number; docs: number[]; next: number; groups: { list: [IndexedArticle, IndexedSentence[]][]; next: number } | undefined } | undefined;
  const checks = new Map<string, { key: string; checked: CheckedDraft; diagnostics: Diagnostic[] }>();
  const blockCaches = new Map<string, BlockCache>();
  const retrieval = new RetrievalCache(init.retrievalCapacity);
  const featureContext = (settings: SourcemarkSettings): FeatureContext => ({ corpus, agreements: () => service.agreements(), locale: settings.locale, ...(indexing() ? { indexing: runProgress ? { ...runProgress } : { done: 0, total: 0 } } : {}) });
  const checked = (doc: DraftDocument, settings: SourcemarkSettings, token?: CancellationToken): CheckedDraft => service.checkDocument(doc, settings, token).checked;
  /** Parses (without checks) of drafts whose check is not of their current text. */
  const parses = new Map<string, CheckedDraft>();
  /**
   * What completion needs of a draft: its parse. The last check when it is of this text
   * (whatever the corpus since), else the parse alone: a keystroke's completion, or one
   * after the corpus changed, does not wait for the draft's figures to be checked.
   */
  const parsed = (doc: DraftDocument): CheckedDraft => {
    const text = doc.getText();
    const cached = checks.get(doc.uri)?.checked;
    if (cached?.text === text) return cached;
    const known = parses.get(doc.uri);
    if (known?.text === text) return known;
    const draft: CheckedDraft = { uri: doc.uri, text, lines: new LineIndex(text), check: { draft: parseDraft(text), figures: [], unknownCitations: [] } };
    parses.set(doc.uri, draft);
    return draft;
  };
  const offsetOf = (draft: CheckedDraft, position: lsp.Position): number => draft.lines.offsetAt(position);

  /** An index run (see `SourcemarkService.indexCorpus`). */
  async function indexRun(settings: SourcemarkSettings, progress: IndexProgress | undefined, token: CancellationToken | undefined, listed: WorkspaceFile[] | undefined): Promise<Problem[]> {
    // The preparer threads take 0.1–0.2 s to start. The first run over an empty corpus (a
    // cold start) starts them before the listing, which covers that on a large folder (on the
    // archive the host waited about 0.1 s for them after the listing); they are closed unused
    // when the listing finds fewer than PREPARE_ELSEWHERE_MIN files to read. Otherwise a
    // large corpus the index does not hold yet starts them once the listing has matched it,
    // while the files are stat-ed.
    let early = runs++ === 0 && listed === undefined && corpus.fileCount() === 0 ? init.preparer?.() : undefined;
    const onMatched = (count: number): boolean => {
      if (count < PREPARE_ELSEWHERE_MIN) return false;
      if (!early && corpus.stats().articles < PREPARE_ELSEWHERE_MIN) early = init.preparer?.();
      // Files listed without a signature are all stale (none matches a record): all of
      // them, at least PREPARE_ELSEWHERE_MIN, go to the preparer, which signs what it reads.
      return early !== undefined;
    };
    let files: WorkspaceFile[];
    try {
      files = listed ?? (await workspace.findFiles(settings.corpus, token, { onMatched }));
    } catch (err) {
      early?.close();
      throw err;
    }
    const keep = new Set(files.map((f) => f.uri));
    // Records are not made for this (a warm start's files stay stored until needed).
    for (const uri of corpus.fileUris()) if (!keep.has(uri)) corpus.deleteFile(uri);
    const problems: Problem[] = [];
    const stale = files.filter((f) => {
      const known = corpus.fileSummary(f.uri);
      if (known && f.signature !== undefined && known.signature === f.signature) {
        problems.push(...known.problems);
        return false;
      }
      return true;
    });
    // Reads run ahead of indexing (a window of files in flight), so the disk and the CPU
    // overlap. A bulk run hands reading and parsing to the host's preparer (worker
    // threads) when it has one; the sentences are still numbered here, in listing order.
    const preparer = stale.length >= PREPARE_ELSEWHERE_MIN ? (early ?? init.preparer?.()) : undefined;
    if (early && early !== preparer) early.close();
    const window = preparer ? PREPARE_AHEAD : READ_AHEAD;
    const read = preparer ? (f: WorkspaceFile): Promise<ReadyFile> => preparer.prepare(f).catch(() => readInline(f, token)) : (f: WorkspaceFile): Promise<ReadyFile> => readInline(f, token);
    const reads = new Map<number, Promise<ReadyFile>>();
    /** The next file to ask for: files are asked for in order, up to `window` ahead of the one indexed. */
    let asked = 0;
    const ahead = (i: number): void => {
      // (Not a look at every file of the window per file indexed: 256 map lookups for each of
      // 35,000 files were 0.1–0.15 s of the indexing thread.)
      for (const to = Math.min(stale.length, i + window); asked < to; asked++) reads.set(asked, read(stale[asked]!));
    };
    const run = (lastIndexRun = { files: files.length, read: stale.length, prepared: 0 });
    // Files done of those listed: the unchanged ones, then each one read (also what a hover tells while the run reads).
    const progressOfRun = { done: files.length - stale.length, total: files.length };
    progress?.(progressOfRun.done, files.length);
    if (stale.length) {
      if (reading++ === 0) readingFrom = corpus.version;
      runProgress = progressOfRun;
    }
    try {
      for (let i = 0; i < stale.length; i++) {
        throwIfCancelled(token);
        ahead(i);
        const loaded = await reads.get(i)!;
        reads.delete(i);
        if ('prepared' in loaded) run.prepared++;
        problems.push(...addLoaded(stale[i]!, loaded));
        // Pending postings cost twice their packed form (a term and a document each): pack
        // them as they pile up, so memory stays flat while an archive is read.
        if (corpus.index.pendingPostings > PACK_POSTINGS) corpus.compact();
        // Counted apart: `progress?.(++…)` skips its argument when there is no callback.
        progressOfRun.done++;
        progress?.(progressOfRun.done, files.length);
        const pause = init.pause?.();
        if (pause) await pause;
      }
    } finally {
      preparer?.close();
      if (stale.length && --reading === 0) readingFrom = runProgress = undefined;
    }
    // Pack the postings after a bulk load; a few changed files stay pending.
    if (stale.length > 1000 || stale.length * 10 > files.length) corpus.compact();
    return report(problems);
  }

  const service: SourcemarkService = {
    get corpus() {
      return corpus;
    },
    async indexCorpus(settings, progress, token, listed) {
      try {
        return await indexRun(settings, progress, token, listed);
      } finally {
        // A run that ended, failed or was cancelled is over: nothing it was reading will come to change a check.
        indexedOnce = true;
      }
    },
    loadSnapshot(source) {
      const decoded = decodeSnapshot(source instanceof Uint8Array ? bytesSource(source) : source, engineVersion, init.decodeUtf8);
      if ('error' in decoded) return { ok: false, reason: decoded.error };
      corpus = decoded.corpus;
      indexedOnce = true;
      if (readingFrom !== undefined) readingFrom = corpus.version;
      becameSnapshot(decoded.id, true);
      checks.clear();
      return { ok: true, files: corpus.fileCount() };
    },
    snapshot() {
      const parts = encodeSnapshotParts(corpus, engineVersion);
      const bytes = joinParts(parts);
      becameSnapshot(parts.id, parts.complete);
      return bytes;
    },
    prepareSnapshot(stop = () => false) {
      // A file or a step at least per call, then as many as `stop` allows.
      let first = true;
      const afterOne = (): boolean => (first ? (first = false) : stop());
      if (!corpus.settle(afterOne)) return false;
      if (saving?.version !== corpus.version) saving = { version: corpus.version, steps: snapshotSteps(corpus, engineVersion) };
      const made = saving;
      if (!made.parts) {
        let ran: { value: SnapshotParts } | undefined;
        try {
          ran = runSteps(made.steps, afterOne);
        } catch (err) {
          // A generator that threw is over: the next call starts again (or the caller heals a damaged cache).
          saving = undefined;
          throw err;
        }
        if (!ran) return false;
        made.parts = ran.value;
      }
      return true;
    },
    snapshotParts() {
      // What `prepareSnapshot` made (or began), when the corpus is still as it was made of.
      const prepared = saving?.version === corpus.version ? saving : undefined;
      saving = undefined;
      const parts = prepared ? (prepared.parts ?? runToEnd(prepared.steps)) : encodeSnapshotParts(corpus, engineVersion);
      becameSnapshot(parts.id, parts.complete);
      return parts;
    },
    forgetIndex() {
      corpus = new Corpus();
      indexedOnce = false;
      if (readingFrom !== undefined) readingFrom = corpus.version;
      snapshotVersion = -1;
      asSnapshot = undefined;
      agreementCache = undefined;
      checks.clear();
      blockCaches.clear();
    },
    retrievalMemo() {
      const snapshot = currentSnapshot();
      if (!snapshot) return undefined;
      const entries = retrieval.take(corpus.version, memoFor !== snapshot.id);
      if (!entries) return undefined;
      memoFor = snapshot.id;
      return encodeRetrievalMemo({ engine: engineVersion, snapshot: snapshot.id, entries });
    },
    loadRetrievalMemo(bytes) {
      const snapshot = currentSnapshot();
      if (!snapshot) return { ok: false, reason: 'the index is not the cache it was kept beside' };
      const decoded = decodeRetrievalMemo(bytes, engineVersion, snapshot.id);
      if ('error' in decoded) return { ok: false, reason: decoded.error };
      retrieval.prime(corpus.version, decoded.entries);
      memoFor = snapshot.id;
      return { ok: true, entries: decoded.entries.length };
    },
    get lastIndexRun() {
      return lastIndexRun;
    },
    get snapshotStale() {
      return corpus.cacheVersion !== snapshotVersion;
    },
    prepareCompletions(stop = () => false) {
      // The catalogue of every article's keys, in slices; a warm start's stored files are not
      // made for it (their lines come from the cache).
      return prepareCitationCatalogue(corpus, stop);
    },
    prepareAgreements(stop = () => false) {
      if (agreementCache?.version === corpus.version) return true;
      if (agreementPrep?.version !== corpus.version) agreementPrep = { version: corpus.version, docs: agreementCandidates(corpus), next: 0, groups: undefined };
      const prep = agreementPrep;
      // The candidate sentences, then what each article says, then the records (a merge).
      while (prep.next < prep.docs.length) {
        corpus.sentence(prep.docs[prep.next++]!);
        if (stop()) return false;
      }
      prep.groups ??= { list: [...candidatesByArticle(corpus, prep.docs)], next: 0 };
      while (prep.groups.next < prep.groups.list.length) {
        const [article, sentences] = prep.groups.list[prep.groups.next++]!;
        articleMentions(article, sentences);
        if (stop()) return false;
      }
      agreementCache = { version: corpus.version, records: extractAgreements(corpus, 'vi', prep.docs) };
      agreementPrep = undefined;
      return true;
    },
    countFigures(stop) {
      return corpus.countFigures(stop);
    },
    async updateCorpusFile(file, token) {
      return report(await loadFile(file, token));
    },
    removeCorpusFile(uri) {
      return corpus.deleteFile(uri);
    },
    checkDraft(text, settings, token) {
      const check = checkDraft(text, corpus, token, defaultThresholds, { retrieval });
      return { check, diagnostics: toDiagnostics(check, corpus, settings) };
    },
    agreements() {
      const version = checkVersion();
      if (!agreementCache || agreementCache.version !== version) agreementCache = { version, records: extractAgreements(corpus) };
      return agreementCache.records;
    },
    stats(options) {
      if (options?.exact) {
        corpus.countFigures();
        service.agreements();
      }
      return { ...corpus.stats(), agreements: agreementCache?.records.length ?? 0 };
    },
    checkDocument(doc, settings, token) {
      // Keyed by the text itself, not only the version: not every client bumps versions, and
      // TextDocument.getText() returns the same string instance, so the comparison is cheap.
      const version = checkVersion();
      const provisional = indexing();
      // Made while files are read, a check's diagnostics say their verdicts may change: not the same entry as one made after.
      const key = `${version}|${provisional}|${JSON.stringify(settings)}`;
      const text = doc.getText();
      const cached = checks.get(doc.uri);
      if (cached && cached.key === key && cached.checked.text === text) return cached;
      let blocks = blockCaches.get(doc.uri);
      if (!blocks) blockCaches.set(doc.uri, (blocks = new BlockCache()));
      const check = checkDraft(text, corpus, token, defaultThresholds, { cache: blocks, retrieval, version });
      const entry = { key, checked: { uri: doc.uri, text, lines: new LineIndex(text), check }, diagnostics: toDiagnostics(check, corpus, settings, { indexing: provisional }) };
      checks.set(doc.uri, entry);
      return entry;
    },
    forgetDocument(uri) {
      checks.delete(uri);
      parses.delete(uri);
      blockCaches.delete(uri);
    },
    provideCompletions(doc, position, settings, token) {
      return service.provideCompletionList(doc, position, settings, token).items;
    },
    provideCompletionList(doc, position, settings, token) {
      const draft = parsed(doc);
      return provideCompletionList(featureContext(settings), draft, offsetOf(draft, position), token);
    },
    resolveCompletionItem(item, settings) {
      return resolveCompletionItem(featureContext(settings), item);
    },
    provideHover(doc, position, settings, token) {
      const draft = checked(doc, settings, token);
      return provideHover(featureContext(settings), draft, offsetOf(draft, position));
    },
    provideCodeActions(doc, range, diagnostics, settings, token) {
      const draft = checked(doc, settings, token);
      return provideCodeActions(draft, offsetOf(draft, range.start), offsetOf(draft, range.end), diagnostics);
    },
    provideDefinition(doc, position, settings, token) {
      const draft = checked(doc, settings, token);
      return provideDefinition(featureContext(settings), draft, offsetOf(draft, position));
    },
    provideReferences(doc, position, drafts, settings, token) {
      const ctx = featureContext(settings);
      const isCorpus = corpus.articlesOfFile(doc.uri).length > 0;
      const draft = isCorpus ? undefined : checked(doc, settings, token);
      const ids = referencedArticles(ctx, doc.uri, draft, draft ? offsetOf(draft, position) : 0);
      return provideReferences(ids, drafts, token);
    },
    provideWorkspaceSymbols(query, settings, token) {
      return provideWorkspaceSymbols(featureContext(settings), query, token);
    },
    provideDocumentLinks(doc, settings, token) {
      return provideDocumentLinks(featureContext(settings), checked(doc, settings, token));
    },
  };
  return Object.freeze(service);
}
