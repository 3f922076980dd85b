/**
 * What every command starts with: settings, the Node workspace, and a service with the
 * corpus indexed (progress on a terminal, corpus problems on stderr).
 */
import { createSourcemarkService, type SourcemarkService } from '../core/service';
import type { SourcemarkSettings } from '../core/settings';
import type { Problem } from '../core/types';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE_VERSION } from '../version';
import { NodeWorkspace } from '../node/nodeWorkspace';
import { workerPreparer } from '../node/preparePool';
import { decodeUtf8 } from '../node/utf8';
import { loadIndexCache, loadRetrievalMemo, writeCacheFile, writeRetrievalMemo } from '../node/indexCache';
import { globLeavesFolder } from '../node/pathSafety';
import { loadSettings, UsageError } from './config';
import { createProgress, type Progress } from './progress';

/** The process as the CLI sees it; tests pass their own. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colours on stdout. */
  isTTY: boolean;
  /** A progress line on stderr. */
  stderrIsTTY?: boolean;
}

export interface Session {
  settings: SourcemarkSettings;
  workspace: NodeWorkspace;
  service: SourcemarkService;
  /** Workspace-relative paths of the corpus files found (indexed or not). */
  corpusPaths: Set<string>;
  progress: Progress;
  /** What the index cache did: `off` (--no-cache), `none` (no cache yet), `used`, or `rebuilt` (unusable: `reason`). */
  cache: { state: 'off' | 'none' | 'used' | 'rebuilt'; reason?: string; files: number; read: number };
  /** The index cache file (absent with --no-cache). */
  cacheFile?: string;
}

export interface SessionOptions {
  corpus?: string[] | undefined;
  config?: string | undefined;
  /** `--allow-outside-corpus`: a settings file may point the corpus outside the working directory. */
  allowOutsideCorpus?: boolean | undefined;
  requireCitations?: boolean | undefined;
  /** Print only corpus problems of severity error (for `--quiet`). */
  quiet?: boolean | undefined;
  /** `--no-cache`: neither read nor write `.sourcemark/cache`. */
  noCache?: boolean | undefined;
}

/** The index cache of a working directory (git-ignored by the `.gitignore` written beside it). */
export const CACHE_FILE = path.join('.sourcemark', 'cache', 'index.bin');

/** Loads settings (flags over `sourcemark.json`), indexes the corpus; a UsageError if none matches. */
export async function openSession(options: SessionOptions, io: CliIo): Promise<Session> {
  const overrides: Partial<SourcemarkSettings> = {};
  if (options.corpus?.length) overrides.corpus = options.corpus;
  if (options.requireCitations) overrides.requireCitations = true;
  const { settings, configPath } = await loadSettings(io.cwd, options.config, overrides);
  // `--corpus` on the command line is the user's own choice; a settings file (often someone
  // else's, checked out with the drafts) may not reach outside the working directory.
  const fromCommandLine = Boolean(options.corpus?.length);
  const escaping = settings.corpus.find((g) => globLeavesFolder(g) !== undefined);
  if (escaping !== undefined && !fromCommandLine && !options.allowOutsideCorpus) {
    const source = configPath ? path.relative(io.cwd, configPath) || configPath : 'settings';
    throw new UsageError(`${source}: corpus glob ${JSON.stringify(escaping)} points outside the working directory (it ${globLeavesFolder(escaping)}); refused, pass --allow-outside-corpus to allow it`);
  }
  const skipped = new Set<string>();
  const warn = (file: string, reason: string): void => {
    if (skipped.has(file)) return;
    skipped.add(file);
    if (!options.quiet) io.stderr(`sourcemark: warning: ${file}: ${reason}: skipped\n`);
  };
  const workspace = new NodeWorkspace(io.cwd, { allowOutside: escaping !== undefined, onSkip: warn });
  // No logger: the problems come back from indexCorpus, and printing them here lets --quiet filter them.
  const preparer = workerPreparer({ root: io.cwd, allowOutside: escaping !== undefined });
  // Every query of a run's drafts is remembered (a CI run checks them all again next time).
  const service = createSourcemarkService({ workspace, engineVersion: ENGINE_VERSION, decodeUtf8, retrievalCapacity: CLI_RETRIEVALS, ...(preparer ? { preparer } : {}) });
  const corpusFiles = await workspace.findFiles(settings.corpus);
  if (!corpusFiles.length) throw new UsageError(`no corpus files match ${settings.corpus.map((g) => JSON.stringify(g)).join(', ')}`);
  const cacheFile = options.noCache ? undefined : path.join(io.cwd, CACHE_FILE);
  const loaded = cacheFile ? loadIndexCache(service, cacheFile) : { state: 'off' as const };
  if (loaded.state === 'rebuilt' && !options.quiet) io.stderr(`sourcemark: note: index cache ${CACHE_FILE} not used (${loaded.reason}); rebuilding it\n`);
  // A memo that does not belong to this cache is simply not used: the checks search again.
  if (cacheFile && loaded.state === 'used') loadRetrievalMemo(service, cacheFile);
  const progress = createProgress(Boolean(io.stderrIsTTY), io.stderr);
  // The listing above, not a second one (a `stat` per file: 0.2 s on an archive of 35,000).
  const problems = await service.indexCorpus(settings, (done, total) => progress.update('indexing', done, total), undefined, corpusFiles);
  progress.clear();
  const cache: Session['cache'] = { state: loaded.state, ...(loaded.state === 'rebuilt' ? { reason: loaded.reason } : {}), files: service.lastIndexRun?.files ?? 0, read: service.lastIndexRun?.read ?? 0 };
  if (cacheFile && service.snapshotStale) await saveCache(service, cacheFile, io, options.quiet);
  printProblems(problems, io, options.quiet);
  return { settings, workspace, service, corpusPaths: new Set(corpusFiles.map((f) => f.path)), progress, cache, ...(cacheFile ? { cacheFile } : {}) };
}

/** Queries remembered by the CLI's checks (a few hundred bytes each). */
const CLI_RETRIEVALS = 65_536;

/**
 * Keeps what the session's checks retrieved beside the index cache, for the next run on the
 * same cache (see `SourcemarkService.retrievalMemo`); a failure is a warning, never fatal.
 */
export async function keepRetrievals(session: Session, io: CliIo, quiet: boolean | undefined): Promise<void> {
  // No cache on disk (it could not be written: one warning said so already), nothing it could name.
  if (!session.cacheFile || !fs.existsSync(session.cacheFile)) return;
  try {
    await writeRetrievalMemo(session.service, session.cacheFile);
  } catch (err) {
    if (!quiet) io.stderr(`sourcemark: warning: could not write the retrieval memo beside ${path.relative(io.cwd, session.cacheFile)}: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

/** Writes the cache; a failure (a read-only folder) is a warning, never fatal. */
async function saveCache(service: SourcemarkService, file: string, io: CliIo, quiet: boolean | undefined): Promise<void> {
  try {
    await writeCacheFile(file, service.snapshotParts(), { gitignore: true });
  } catch (err) {
    if (!quiet) io.stderr(`sourcemark: warning: could not write the index cache ${path.relative(io.cwd, file)}: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function printProblems(problems: Problem[], io: CliIo, quiet: boolean | undefined): void {
  for (const p of problems) {
    if (quiet && p.severity !== 'error') continue;
    io.stderr(`sourcemark: ${p.severity === 'error' ? 'error' : 'warning'}: ${p.file}: ${p.message}\n`);
  }
}
