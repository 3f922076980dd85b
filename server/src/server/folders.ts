/**
 * One analysis service per workspace folder: its corpus, its index state, and which files
 * belong to it. Documents outside every folder use a folder-less service with an empty corpus.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { createSourcemarkService, type Logger, type SourcemarkService } from '../core/service';
import { workerPreparer } from '../node/preparePool';
import { decodeUtf8 } from '../node/utf8';
import type { SourcemarkSettings } from '../core/settings';
import type { Problem } from '../core/types';
import type { IndexState } from '../protocol';
import { NodeWorkspace, nextTurn } from '../node/nodeWorkspace';
import { createHash } from 'node:crypto';
import type { CacheFile } from '../node/indexCache';
import { ENGINE_VERSION } from '../version';

/**
 * An index run lets the event loop turn at least this often (ms), so requests are answered
 * while it adds files a preparer has made ready (up to 2,048 of them may be waiting).
 */
const INDEX_TURN_MS = 3;

/** A service's `pause`: a turn of the event loop once INDEX_TURN_MS have gone by since the last. */
export function eventLoopTurns(turnMs: number = INDEX_TURN_MS, now: () => number = () => performance.now()): () => Promise<void> | undefined {
  let last = now();
  return () => {
    if (now() - last < turnMs) return undefined;
    return nextTurn().then(() => {
      last = now();
    });
  };
}

export class FolderState {
  readonly service: SourcemarkService;
  readonly workspace: NodeWorkspace | undefined;
  state: IndexState = 'starting';
  problems: Problem[] = [];
  /** Bumped when an indexing run starts; a run that is no longer current stops reporting. */
  generation = 0;
  private corpusMatcher: ((p: string) => boolean) | undefined;
  private draftMatcher: ((p: string) => boolean) | undefined;

  /** The folder's index cache file (in the editor's storage folder), when the client gave one. */
  readonly cacheFile: string | undefined;
  /** Whether the cache was already tried (it is read once, at the first indexing). */
  cacheTried = false;
  /** The open cache the corpus reads article texts from. */
  cache: CacheFile | undefined;
  /** Whether figures were counted since the cache was written (the counts go into the next one). */
  countedSinceSave = false;
  saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** The cache write in progress (writes run one after another). */
  saving: Promise<void> | undefined;

  constructor(
    readonly uri: string | undefined,
    logger: Logger,
    /** The user allowed corpus globs outside the folder (`initializationOptions.allowCorpusOutsideWorkspace`). */
    allowOutside = false,
    /** `initializationOptions.storagePath`: where index caches live. */
    storagePath?: string,
    /** Between slices of a long listing: resolves when background work may go on. */
    pause?: () => Promise<void>,
  ) {
    this.workspace = uri?.startsWith('file:') ? new NodeWorkspace(fileURLToPath(uri), { allowOutside, onSkip: (p, reason) => logger.warn(`${p}: ${reason}: skipped`), ...(pause ? { pause } : {}) }) : undefined;
    // A cold index leaves the figures' counts and kinds to count once the folder is ready
    // (`PrepareOptions.figures`, then `countFigures` in the background): the index is
    // complete without them, and a check meanwhile reads every kind of figure.
    const preparer = this.workspace ? workerPreparer({ root: this.workspace.root, allowOutside, figures: false }) : undefined;
    this.service = createSourcemarkService({
      workspace: this.workspace ?? { findFiles: async () => [], readFile: async () => undefined },
      logger,
      engineVersion: ENGINE_VERSION,
      decodeUtf8,
      ...(preparer ? { preparer } : {}),
      // A folder's corpus is indexed as the server starts: checks made before say so. Drafts outside every folder have none coming.
      awaitsIndex: this.workspace !== undefined,
      pause: eventLoopTurns(),
    });
    if (storagePath && this.workspace && uri) this.cacheFile = path.join(storagePath, `index-${createHash('sha256').update(uri).digest('hex').slice(0, 16)}.bin`);
  }

  /** Path of `uri` relative to the folder, or undefined when it lies outside. */
  relative(uri: string): string | undefined {
    if (!this.workspace || !uri.startsWith('file:')) return undefined;
    const rel = path.relative(this.workspace.root, fileURLToPath(uri));
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  contains(uri: string): boolean {
    return this.relative(uri) !== undefined;
  }

  useSettings(settings: SourcemarkSettings): void {
    this.corpusMatcher = picomatch(settings.corpus, { dot: false });
    this.draftMatcher = picomatch(settings.drafts, { dot: false });
  }

  isCorpusFile(uri: string): boolean {
    const rel = this.relative(uri);
    return rel !== undefined && (this.corpusMatcher?.(rel) ?? false);
  }

  isSidecar(uri: string): boolean {
    return /\.meta\.yaml$/i.test(uri) && this.contains(uri);
  }

  isDraftFile(uri: string): boolean {
    const rel = this.relative(uri);
    return rel !== undefined && !this.isCorpusFile(uri) && (this.draftMatcher?.(rel) ?? false);
  }
}
