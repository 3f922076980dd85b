/**
 * The language server: adapters between LSP and the analysis core. Each handler finds the
 * document and its folder, returns early when there is nothing to do, and forwards the
 * parameters and the cancellation token to the service. All state lives in this closure,
 * one per connection.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  ErrorCodes,
  type Disposable,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CancelledError } from '../core/cancellation';
import { CacheDamageError } from '../core/cacheDamage';
import type { SourcemarkSettings } from '../core/settings';
import { toCslItems } from '../core/bibliography';
import type { IndexedArticle } from '../core/corpus/corpus';
import { BibliographyRequest, CheckAllRequest, PreviewDataRequest, ReindexRequest, StatusNotification, StatusRequest, type PreviewData, type SourcemarkStatus } from '../protocol';
import { FolderState } from './folders';
import { sidecarGlob } from '../node/nodeWorkspace';
import { loadIndexCache, loadRetrievalMemo, writeCacheFile, writeRetrievalMemo } from '../node/indexCache';
import { toPreviewData } from './previewData';
import { SettingsStore } from './settings';
import { BackgroundGate } from './backgroundGate';

/** Background work (figure counting) runs in slices this long between requests: a request waits at most about this long. */
const BACKGROUND_SLICE_MS = 4;
/** A background slice's `stop()`: true once BACKGROUND_SLICE_MS have passed since it was made. */
function sliceStop(): () => boolean {
  const deadline = performance.now() + BACKGROUND_SLICE_MS;
  return () => performance.now() > deadline;
}
/** Background slices wait until requests have stopped this long (a burst of completions is answered first)… */
const BACKGROUND_QUIET_MS = 20;
/** …but never longer than this between two slices. */
const BACKGROUND_MAX_WAIT_MS = 250;
/** Indexing progress: at most one report this often while the percentage stands still. */
const PROGRESS_MS = 250;
/** A changed corpus is written to the index cache this long after the last change. */
const SAVE_DELAY_MS = 5_000;

/** The longest pause typing must make before a draft is re-checked (see onDidChangeContent). */
const DEBOUNCE_MS = 150;

type ParamShape = 'document' | 'position' | 'range';

const isPosition = (p: unknown): boolean =>
  typeof p === 'object' && p !== null && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character) && (p as { line: number }).line >= 0 && (p as { character: number }).character >= 0;

/** Malformed parameters answer `InvalidParams` instead of failing deep inside a handler. */
function validateParams(params: unknown, shape: ParamShape): void {
  const p = params as { textDocument?: { uri?: unknown }; position?: unknown; range?: { start?: unknown; end?: unknown } } | null;
  if (!p || typeof p !== 'object' || typeof p.textDocument?.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'missing textDocument.uri');
  if (shape === 'position' && !isPosition(p.position)) throw new ResponseError(ErrorCodes.InvalidParams, 'missing or invalid position');
  if (shape === 'range' && !(isPosition(p.range?.start) && isPosition(p.range?.end))) throw new ResponseError(ErrorCodes.InvalidParams, 'missing or invalid range');
}

export interface ServerOptions {
  version?: string;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const folders: FolderState[] = [];
  const log = (m: string): void => connection.console.warn(m);
  const logger = { warn: log, info: (m: string) => connection.console.info(m) };
  let loose: FolderState | undefined;
  let supportsConfiguration = false;
  let supportsDynamicWatch = false;
  let supportsRelativePatterns = false;
  let supportsProgress = false;
  let settings: SettingsStore;
  /** `initializationOptions.allowCorpusOutsideWorkspace`: the user (not the workspace) allowed corpus globs outside the folder. */
  let allowOutside = false;
  /** `initializationOptions.storagePath`: the client's storage folder, where index caches are kept (none without it). */
  let storagePath: string | undefined;
  const pending = new Map<string, { timer: ReturnType<typeof setTimeout>; cts: CancellationTokenSource }>();
  /** Requests, draft re-checks due and corpus re-reads in flight, or just ended: background slices wait meanwhile. */
  const gate = new BackgroundGate(BACKGROUND_QUIET_MS, BACKGROUND_MAX_WAIT_MS);
  /** Resolves when background work may take its next slice (a corpus listing's stats, in slices too). */
  const backgroundTurn = (): Promise<void> =>
    new Promise((resolve) => {
      const step = (): void => {
        const wait = gate.wait();
        if (wait > 0) setTimeout(step, wait);
        else resolve();
      };
      setImmediate(step);
    });
  let watchRegistration: Promise<Disposable | undefined> = Promise.resolve(undefined);
  /** Set by the shutdown request: saves no longer wait between slices. */
  let shuttingDown = false;
  /** How long the last check of each open draft took (ms). */
  const checkMs = new Map<string, number>();

  const folderFor = (uri: string): FolderState => {
    let best: FolderState | undefined;
    for (const f of folders) if (f.contains(uri) && (!best || (f.uri?.length ?? 0) > (best.uri?.length ?? 0))) best = f;
    if (best) return best;
    loose ??= new FolderState(undefined, logger, allowOutside);
    return loose;
  };
  const settingsFor = (uri: string, folder = folderFor(uri)): Promise<SourcemarkSettings> => settings.get(uri, folder.uri);

  // ---- lifecycle -------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    supportsConfiguration = Boolean(caps.workspace?.configuration);
    supportsDynamicWatch = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    supportsRelativePatterns = Boolean(caps.workspace?.didChangeWatchedFiles?.relativePatternSupport);
    supportsProgress = Boolean(caps.window?.workDoneProgress);
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; allowCorpusOutsideWorkspace?: unknown; storagePath?: unknown };
    allowOutside = init.allowCorpusOutsideWorkspace === true;
    storagePath = typeof init.storagePath === 'string' && path.isAbsolute(init.storagePath) ? init.storagePath : undefined;
    settings = new SettingsStore(connection, () => supportsConfiguration, init.settings, log, allowOutside);
    const roots = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    for (const uri of roots) folders.push(new FolderState(uri, logger, allowOutside, storagePath, backgroundTurn));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['@', ' ', '['], resolveProvider: true },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        definitionProvider: true,
        referencesProvider: true,
        workspaceSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'sourcemark', ...(options.version ? { version: options.version } : {}) },
    };
  });

  connection.onInitialized(() => {
    void registerWatchers();
    void Promise.all(folders.map((f) => indexFolder(f)));
    if (supportsConfiguration) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const removed of e.removed) {
          const i = folders.findIndex((f) => f.uri === removed.uri);
          if (i >= 0) folders.splice(i, 1);
        }
        for (const added of e.added) {
          const f = new FolderState(added.uri, logger, allowOutside, storagePath, backgroundTurn);
          folders.push(f);
          void indexFolder(f);
        }
        void registerWatchers();
      });
    }
  });

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    void Promise.all(folders.map((f) => indexFolder(f)));
    void registerWatchers();
  });

  // ---- indexing --------------------------------------------------------------------------

  async function indexFolder(folder: FolderState): Promise<void> {
    const generation = ++folder.generation;
    folder.state = 'indexing';
    sendStatus();
    const asked = settingsFor(folder.uri ?? '', folder);
    // The cache does not depend on the settings: it is read (at the folder's first indexing)
    // while the client answers the request for them, not after.
    const cached = loadCache(folder);
    const s = await asked;
    folder.useSettings(s);
    if (cached) {
      // Answer from the cache at once (the folder is ready); the run below re-checks every
      // file's signature and re-reads what changed while the server was not running. (A
      // newer run, started meanwhile by new settings, goes on from this corpus as this one would.)
      folder.state = 'ready';
      sendStatus();
      revalidateOpen(folder);
    }
    if (generation !== folder.generation) return;
    const progress = supportsProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('Sourcemark: indexing corpus', 0, 'listing files…', false);
    try {
      // A report when the percentage moves, at most every PROGRESS_MS otherwise, and the
      // last one: an archive's 35,000 files must not become 35,000 notifications.
      let reported = { percent: -1, at: 0 };
      folder.problems = await folder.service.indexCorpus(s, (done, total) => {
        if (generation !== folder.generation) return;
        const percent = total ? Math.round((done / total) * 100) : 100;
        const now = performance.now();
        if (percent === reported.percent && now - reported.at < PROGRESS_MS && done !== total) return;
        reported = { percent, at: now };
        progress?.report(percent, `${done} of ${total} articles`);
        sendStatus();
      });
    } catch (err) {
      log(`indexing ${folder.uri}: ${String(err)}`);
    } finally {
      progress?.done();
    }
    if (generation !== folder.generation) return;
    folder.state = 'ready';
    sendStatus();
    revalidateOpen(folder);
    // A cold index leaves the figures to count once it is ready (see FolderState's preparer):
    // the cache is then written when they are counted (countInBackground; a warm start then
    // has their kinds), or at shutdown if that comes first.
    if (folder.service.stats().figuresPending === 0) scheduleSave(folder, 0);
    countInBackground(folder, generation);
  }

  /** Reads the folder's index cache once (at its first indexing); whether it was used. */
  function loadCache(folder: FolderState): boolean {
    if (folder.cacheTried || !folder.cacheFile) return false;
    folder.cacheTried = true;
    const started = performance.now();
    const loaded = loadIndexCache(folder.service, folder.cacheFile);
    if (loaded.state === 'rebuilt') log(`index cache ${folder.cacheFile} not used (${loaded.reason}); rebuilding it`);
    if (loaded.state !== 'used') return false;
    folder.cache = loaded.cache;
    connection.console.info(`index cache: ${loaded.files} files in ${Math.round(performance.now() - started)} ms`);
    // What the checks of an earlier session retrieved from this very cache: a draft checked
    // then is checked again without searching.
    const memo = loadRetrievalMemo(folder.service, folder.cacheFile);
    if (memo.state === 'used') connection.console.info(`retrieval memo: ${memo.entries} queries`);
    else if (memo.state === 'refused') log(`retrieval memo not used (${memo.reason})`);
    return true;
  }

  /**
   * Background work, in slices that leave the server free to answer: the keys citation
   * completion matches, the figure counts for the status (figures are otherwise parsed when
   * a sentence is first used), then the agreement records.
   */
  function countInBackground(folder: FolderState, generation: number): void {
    const slice = (): void => {
      try {
        work();
      } catch (err) {
        if (!heal(folder, err)) log(`counting figures: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    };
    // Each slice waits for its turn at the gate (requests, due re-checks and re-reads first).
    const next = (): void => void backgroundTurn().then(slice);
    const work = (): void => {
      if (generation !== folder.generation) return;
      const stop = sliceStop();
      // First what the first `[@` completion needs, then the figure counts.
      if (!folder.service.prepareCompletions(stop)) {
        next();
        return;
      }
      const before = folder.service.stats().figuresPending;
      const left = folder.service.countFigures(stop);
      if (left < before) folder.countedSinceSave = true;
      if (left > 0) {
        next();
        return;
      }
      // This slice counted the last ones (figures are left to count only by the run that
      // started this pass): the status stops saying it counts, and the cache write that run
      // held back for them goes now.
      if (before > 0) {
        sendStatus();
        scheduleSave(folder, 0);
      }
      // The agreement records (the status counts them), their sentences made in slices too.
      if (!folder.service.prepareAgreements(stop)) {
        next();
        return;
      }
      sendStatus();
      // The counts go to the cache with its next write (a corpus change, or shutdown): writing
      // 100s of MB for counts alone would stall requests for seconds on a large archive.
    };
    next();
  }

  /**
   * A part of the index cache read on demand was damaged: forget the cache and index the
   * folder again from its files (which writes a fresh cache). Whether `err` was that.
   */
  function heal(folder: FolderState, err: unknown): boolean {
    if (!(err instanceof CacheDamageError)) return false;
    if (!folder.cache) return true; // already dropped: a request still held an old article
    log(`${err.message}: the cache is dropped and the corpus indexed again`);
    folder.cache?.close();
    folder.cache = undefined;
    folder.service.forgetIndex();
    void indexFolder(folder);
    return true;
  }

  /** Writes the folder's index cache when it is stale, `delay` ms from now (later calls replace earlier ones). */
  function scheduleSave(folder: FolderState, delay = SAVE_DELAY_MS): void {
    if (!folder.cacheFile) return;
    if (folder.saveTimer) clearTimeout(folder.saveTimer);
    folder.saveTimer = setTimeout(() => {
      folder.saveTimer = undefined;
      void saveNow(folder);
    }, delay);
    folder.saveTimer.unref?.();
  }

  /**
   * Writes the folder's index cache if it is stale; one write at a time. What it writes is
   * made between requests (`prepareSnapshot`: the stored files' records, the index's
   * compaction, the rows), except once shutdown began (the shutdown request in flight would
   * hold every slice back; `snapshotParts` makes what is left at once).
   */
  function saveNow(folder: FolderState): Promise<void> {
    folder.saving = (folder.saving ?? Promise.resolve()).then(async () => {
      if (!folder.cacheFile || folder.state !== 'ready' || (!folder.service.snapshotStale && !folder.countedSinceSave)) return;
      const started = performance.now();
      // Counts made while the save is made in slices may miss it: they mark it again.
      const counted = folder.countedSinceSave;
      folder.countedSinceSave = false;
      try {
        // The stored files' records, the index's compaction, the rows: in slices between
        // requests (what is left at once once shutdown began).
        while (!shuttingDown) {
          if (folder.service.prepareSnapshot(sliceStop())) break;
          await backgroundTurn();
          if (folder.state !== 'ready') {
            folder.countedSinceSave ||= counted;
            return;
          }
        }
        const parts = folder.service.snapshotParts();
        await writeCacheFile(folder.cacheFile, parts);
        connection.console.info(`index cache written: ${parts.size} bytes in ${Math.round(performance.now() - started)} ms`);
        await saveMemo(folder);
      } catch (err) {
        folder.countedSinceSave ||= counted;
        if (!heal(folder, err)) log(`index cache not written: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return folder.saving;
  }

  /** Writes the folder's retrieval memo beside its cache when the service has one to keep (a few hundred KB at most). */
  async function saveMemo(folder: FolderState): Promise<void> {
    if (!folder.cacheFile) return;
    try {
      if (await writeRetrievalMemo(folder.service, folder.cacheFile)) connection.console.info('retrieval memo written');
    } catch (err) {
      log(`retrieval memo not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // A cache write still due when the client shuts the server down is done first, and so
  // is one that only carries new figure counts; then the retrievals the checks made.
  connection.onShutdown(async () => {
    // A save running in slices stops waiting between them: what is left is made at once.
    shuttingDown = true;
    await Promise.all(
      folders.map((f) => {
        if (f.saveTimer) {
          clearTimeout(f.saveTimer);
          f.saveTimer = undefined;
        }
        return saveNow(f).then(() => saveMemo(f));
      }),
    );
  });

  /** (Re-)registers the corpus watchers for the current folders and globs, replacing the previous registration. Calls run one after another. */
  function registerWatchers(): Promise<void> {
    if (!supportsDynamicWatch) return Promise.resolve();
    watchRegistration = watchRegistration.then(async (previous) => {
      previous?.dispose();
      const watchers = [];
      for (const f of folders) {
        if (!f.uri) continue;
        const s = await settingsFor(f.uri, f);
        for (const pattern of [...s.corpus.flatMap((g) => [g, sidecarGlob(g)]), 'sourcemark.json']) {
          watchers.push({ globPattern: supportsRelativePatterns ? { baseUri: f.uri, pattern } : `${fileURLToPath(f.uri).split('\\').join('/')}/${pattern}` });
        }
      }
      return connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch((err): undefined => {
        log(`could not watch the corpus: ${String(err)}`);
        return undefined;
      });
    });
    return watchRegistration.then(() => undefined);
  }

  connection.onDidChangeWatchedFiles(async (params) => {
    // Background slices pause while this awaits its reads: each await would otherwise wait a slice.
    gate.begin();
    try {
      await corpusFilesChanged(params.changes);
    } finally {
      gate.end();
    }
  });

  async function corpusFilesChanged(changes: DidChangeWatchedFilesParams['changes']): Promise<void> {
    const touched = new Set<FolderState>();
    for (const change of changes) {
      const folder = folderFor(change.uri);
      if (/(^|\/)sourcemark\.json$/.test(change.uri)) {
        settings.clear();
        void indexFolder(folder);
        void registerWatchers();
        continue;
      }
      const target = folder.isSidecar(change.uri) ? change.uri.replace(/\.meta\.yaml$/i, '') : change.uri;
      const candidates = folder.isSidecar(change.uri) ? ['.txt', '.md', '.jsonl'].map((ext) => target + ext) : [target];
      for (const uri of candidates) {
        if (!folder.isCorpusFile(uri) || !folder.workspace) continue;
        if (change.type === FileChangeType.Deleted && uri === change.uri) folder.service.removeCorpusFile(uri);
        else if (uri === change.uri || folder.service.corpus.hasFile(uri)) {
          const problems = await folder.service.updateCorpusFile(folder.workspace.file(fileURLToPath(uri)));
          folder.problems = folder.problems.filter((p) => p.file !== folder.relative(uri)).concat(problems);
        }
        touched.add(folder);
      }
    }
    if (touched.size) sendStatus();
    for (const f of touched) {
      revalidateOpen(f);
      scheduleSave(f);
    }
  }

  // ---- documents and diagnostics ---------------------------------------------------------

  const isDraft = (doc: TextDocument, folder: FolderState): boolean => (doc.languageId === 'markdown' || /\.(md|markdown)$/i.test(doc.uri)) && !folder.isCorpusFile(doc.uri);

  function schedule(doc: TextDocument, delay = DEBOUNCE_MS): void {
    const previous = pending.get(doc.uri);
    if (previous) {
      clearTimeout(previous.timer);
      previous.cts.cancel();
    } else gate.begin(); // A re-check is due: background slices wait for it (a keystroke's diagnostics must not queue behind one).
    const cts = new CancellationTokenSource();
    const timer = setTimeout(() => {
      pending.delete(doc.uri);
      void validate(doc.uri, cts.token).finally(() => gate.end());
    }, delay);
    pending.set(doc.uri, { timer, cts });
  }

  async function validate(uri: string, token: CancellationToken): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const folder = folderFor(uri);
    if (!isDraft(doc, folder)) return;
    try {
      const s = await settingsFor(uri, folder);
      if (token.isCancellationRequested) return;
      const started = performance.now();
      const { diagnostics } = folder.service.checkDocument(doc, s, token);
      checkMs.set(uri, performance.now() - started);
      if (token.isCancellationRequested || documents.get(uri)?.version !== doc.version) return;
      await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    } catch (err) {
      if (!(err instanceof CancelledError) && !heal(folder, err)) log(`checking ${uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }

  function revalidateOpen(folder?: FolderState): void {
    for (const doc of documents.all()) if (!folder || folderFor(doc.uri) === folder) schedule(doc, 0);
  }

  documents.onDidOpen((e) => schedule(e.document, 0));
  // The pause before a re-check is as long as the last check took (at most DEBOUNCE_MS): a
  // cheap re-check (one changed paragraph) shows at once, an expensive one waits for typing
  // to pause, so work thrown away by the next keystroke stays a small share.
  documents.onDidChangeContent((e) => schedule(e.document, Math.min(DEBOUNCE_MS, Math.ceil(checkMs.get(e.document.uri) ?? DEBOUNCE_MS))));
  documents.onDidClose((e) => {
    const p = pending.get(e.document.uri);
    if (p) {
      clearTimeout(p.timer);
      p.cts.cancel();
      pending.delete(e.document.uri);
      gate.end();
    }
    folderFor(e.document.uri).service.forgetDocument(e.document.uri);
    checkMs.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // ---- features: thin adapters -----------------------------------------------------------

  /** Wraps a handler: unknown documents answer `fallback`, cancellation answers the LSP error, failures are logged. */
  function handler<P extends { textDocument: { uri: string } }, R>(fallback: R, run: (doc: TextDocument, folder: FolderState, s: SourcemarkSettings, params: P, token: CancellationToken) => R, shape: ParamShape = 'position'): (params: P, token: CancellationToken) => Promise<R> {
    return guarded(async (params: P, token: CancellationToken) => {
      validateParams(params, shape);
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return fallback;
      const folder = folderFor(doc.uri);
      try {
        const s = await settingsFor(doc.uri, folder);
        if (token.isCancellationRequested) throw new CancelledError();
        return run(doc, folder, s, params, token);
      } catch (err) {
        if (err instanceof CancelledError || err instanceof ResponseError) throw err;
        if (!heal(folder, err)) log(`request on ${doc.uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return fallback;
      }
    });
  }

  /** Cancellation becomes `RequestCancelled`, anything else unexpected an `InternalError` with a log line. */
  function guarded<P, R>(run: (params: P, token: CancellationToken) => Promise<R>): (params: P, token: CancellationToken) => Promise<R> {
    return async (params, token) => {
      gate.begin();
      try {
        return await run(params, token);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        if (err instanceof CancelledError) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
        log(`request failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        throw new ResponseError(ErrorCodes.InternalError, err instanceof Error ? err.message : String(err));
      } finally {
        gate.end();
      }
    };
  }

  connection.onCompletion(handler<CompletionParams, CompletionList | CompletionItem[]>([], (doc, folder, s, p, token) => (isDraft(doc, folder) ? folder.service.provideCompletionList(doc, p.position, s, token) : [])));
  // Citation items past the first few come without byline and card: added here when shown.
  connection.onCompletionResolve(guarded(async (item: CompletionItem) => {
    if (!item || typeof item !== 'object') throw new ResponseError(ErrorCodes.InvalidParams, 'completionItem/resolve needs a completion item');
    for (const folder of folders) {
      const resolved = folder.service.resolveCompletionItem(item, await settingsFor(folder.uri ?? '', folder));
      if (resolved) return resolved;
    }
    return item;
  }));
  connection.onHover(handler(null, (doc, folder, s, p, token) => (isDraft(doc, folder) ? folder.service.provideHover(doc, p.position, s, token) ?? null : null)));
  connection.onCodeAction(handler([], (doc, folder, s, p, token) => (isDraft(doc, folder) ? folder.service.provideCodeActions(doc, p.range, Array.isArray(p.context?.diagnostics) ? p.context.diagnostics : [], s, token) : []), 'range'));
  connection.onDefinition(handler([], (doc, folder, s, p, token) => (isDraft(doc, folder) ? folder.service.provideDefinition(doc, p.position, s, token) : [])));
  connection.onDocumentLinks(handler([], (doc, folder, s, _p, token) => (isDraft(doc, folder) ? folder.service.provideDocumentLinks(doc, s, token) : []), 'document'));
  connection.onReferences(guarded(async (params, token) => {
    validateParams(params, 'position');
    const doc = documents.get(params.textDocument.uri) ?? (await readDocument(params.textDocument.uri));
    if (!doc) return [];
    const folder = folderFor(doc.uri);
    const s = await settingsFor(doc.uri, folder);
    const drafts = await allDrafts(folder, s);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    return folder.service.provideReferences(doc, params.position, drafts, s, token);
  }));
  connection.onWorkspaceSymbol(guarded(async (params, token) => {
    if (typeof params?.query !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'workspace/symbol needs a string "query"');
    const out = [];
    for (const f of folders) out.push(...f.service.provideWorkspaceSymbols(params.query, await settingsFor(f.uri ?? '', f), token));
    return out;
  }));

  /** Open drafts as they are in the editor, the rest as they are on disk. */
  async function allDrafts(folder: FolderState, s: SourcemarkSettings): Promise<TextDocument[]> {
    const open = new Map(documents.all().map((d) => [d.uri, d]));
    const out = [...open.values()].filter((d) => isDraft(d, folder));
    if (folder.workspace) {
      for (const f of await folder.workspace.findFiles(s.drafts)) {
        if (open.has(f.uri) || folder.isCorpusFile(f.uri)) continue;
        const doc = await readDocument(f.uri);
        if (doc) out.push(doc);
      }
    }
    return out;
  }

  async function readDocument(uri: string): Promise<TextDocument | undefined> {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return TextDocument.create(uri, 'markdown', -1, await readFile(fileURLToPath(uri), 'utf8'));
    } catch {
      return undefined;
    }
  }

  // ---- custom requests -------------------------------------------------------------------

  function status(): SourcemarkStatus {
    const active = folders.length ? folders : loose ? [loose] : [];
    const total = { articles: 0, sentences: 0, figures: 0, figuresPending: 0, agreements: 0, problems: 0, corpusVersion: 0 };
    for (const f of active) {
      const s = f.service.stats();
      total.articles += s.articles;
      total.sentences += s.sentences;
      total.figures += s.figures;
      total.figuresPending += s.figuresPending;
      total.agreements += s.agreements;
      total.problems += f.problems.length;
      total.corpusVersion += f.service.corpus.version;
    }
    const state = active.some((f) => f.state === 'indexing') ? 'indexing' : active.every((f) => f.state === 'ready') && active.length ? 'ready' : folders.length ? 'starting' : 'ready';
    return { state, ...total, folders: folders.length };
  }

  function sendStatus(): void {
    void connection.sendNotification(StatusNotification.type, status());
  }

  connection.onRequest(StatusRequest.type, () => status());
  connection.onRequest(ReindexRequest.type, async () => {
    settings.clear();
    await Promise.all(folders.map((f) => indexFolder(f)));
    return status();
  });
  const checkAll = guarded(async (_params: undefined, token: CancellationToken) => {
    const result = { files: 0, errors: 0, warnings: 0 };
    for (const folder of folders) {
      const s = await settingsFor(folder.uri ?? '', folder);
      for (const doc of await allDrafts(folder, s)) {
        if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
        const { diagnostics } = folder.service.checkDocument(doc, s, token);
        if (doc.version < 0) folder.service.forgetDocument(doc.uri);
        result.files++;
        result.errors += diagnostics.filter((d) => d.severity === 1).length;
        result.warnings += diagnostics.filter((d) => d.severity === 2).length;
        await connection.sendDiagnostics({ uri: doc.uri, diagnostics });
      }
    }
    return result;
  });
  // A request without parameters: its handler gets the token first, or second when a client
  // sends `"params": null` (vscode-jsonrpc's own clients do): the token is always the last argument.
  connection.onRequest(CheckAllRequest.method, (...args: unknown[]) => checkAll(undefined, args[args.length - 1] as CancellationToken));
  connection.onRequest(BibliographyRequest.type, () => {
    // One item per id: with several folders, the first folder's article wins.
    const byId = new Map<string, IndexedArticle>();
    for (const f of folders.length ? folders : loose ? [loose] : []) for (const a of f.service.corpus.articles()) if (!byId.has(a.meta.id)) byId.set(a.meta.id, a);
    return toCslItems([...byId.values()]);
  });
  connection.onRequest(PreviewDataRequest.type, async (params, token): Promise<PreviewData> => {
    if (typeof params?.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'sourcemark/previewData needs a string "uri"');
    const none: PreviewData = { articles: [], figures: [] };
    const doc = documents.get(params.uri) ?? (await readDocument(params.uri));
    if (!doc) return none;
    const folder = folderFor(doc.uri);
    if (!isDraft(doc, folder)) return none;
    try {
      const { checked } = folder.service.checkDocument(doc, await settingsFor(doc.uri, folder), token);
      if (doc.version < 0) folder.service.forgetDocument(doc.uri);
      return toPreviewData(folder.service.corpus, checked);
    } catch (err) {
      if (err instanceof CancelledError) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      log(`preview data for ${doc.uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return none;
    }
  });

  // Hidden, for the stress test only: heap in use after a full GC (start node with --expose-gc).
  if (process.env.SOURCEMARK_DEBUG === '1') {
    connection.onRequest('sourcemark/debug/memory', () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      return process.memoryUsage().heapUsed;
    });
  }

  documents.listen(connection);
  connection.listen();
}
