/**
 * `npm run bench -- --corpus DIR [--runs N] [--limit FILES]`: end-to-end targets measured
 * through the real language server (`node dist/server.js --stdio`, spawned with the
 * environment the VS Code client gives it, spoken to over LSP) and the real CLI, with
 * MiniSearch side by side where a comparison makes sense.
 *
 * DIR is a folder of articles (e.g. the 35k-article archive unpacked from ../shared/bench,
 * never committed); nothing is unpacked here and nothing is written into DIR or the repo:
 * `buildWorkspace` hard-links the articles into a temporary workspace (`corpus/bg/`, the
 * repo's seed articles in `corpus/seed/`), removed at the end.
 *
 * Every value is the median over `--runs` runs (default 3). Waits are on conditions
 * (notifications, publications, process exits); timeouts only turn a hang into a clear error.
 * Not a unit test: `npm test` (mocha, `test/**\/*.test.ts`) never runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { CompletionRequest, FileChangeType, HoverRequest, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { StatusNotification, type SourcemarkStatus } from '../../server/src/protocol';
import { serverEnvironment } from '../../server/src/node/launchEnv';
import { fileUri, startLsp, type LspSession } from '../support/lspClient';
import { repoRoot } from '../support/memoryWorkspace';
import { mulberry32 } from '../support/prng';
import { buildWorkspace, claims, DraftMaker, listArticles, removeWorkspace, seedFiles, sentencesOf, type BenchWorkspace } from './workspace';

// ---- arguments ------------------------------------------------------------------------------

const { values } = parseArgs({ options: { corpus: { type: 'string' }, runs: { type: 'string' }, limit: { type: 'string' } } });
if (!values.corpus) {
  console.error('usage: npm run bench -- --corpus DIR [--runs N] [--limit FILES]');
  process.exit(2);
}
const RUNS = Math.max(1, Number(values.runs ?? 3) | 0);
const LIMIT = values.limit === undefined ? Infinity : Number(values.limit);
const DIR = path.resolve(values.corpus);

const SERVER = path.join(repoRoot, 'dist/server.js');
const CLI = path.join(repoRoot, 'dist/cli.js');

/** Failure guards only (a hang becomes an error that says what was awaited); never a pacing device. */
const GUARD = { index: 20 * 60_000, request: 60_000, diagnostics: 60_000, cli: 20 * 60_000 };

const COMPLETIONS = 60;
const HOVERS = 60;
const KEYSTROKES = 40;
const REINDEXES = 12;
/** Between hovers while the cache is rewritten (step 8 of a server run). */
const SAVE_HOVER_PACE_MS = 40;

// ---- small helpers --------------------------------------------------------------------------

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const p95 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(0.95 * s.length) - 1)]!;
};

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

/** `VmHWM` / `VmRSS` of a process in MB, from /proc (Linux); undefined elsewhere. */
function procMemoryMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ---- processes and workspaces we own (cleaned up on every exit path) -----------------------

const liveSessions = new Set<LspSession>();
const liveChildren = new Set<ChildProcess>();
const workspaces: BenchWorkspace[] = [];
const tempDirs: string[] = [];

function cleanupSync(): void {
  for (const s of liveSessions) if (s.alive()) s.process.kill('SIGKILL');
  for (const c of liveChildren) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const ws of workspaces.splice(0)) removeWorkspace(ws);
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    cleanupSync();
    process.exit(130);
  });
}

async function closeSession(s: LspSession): Promise<void> {
  try {
    await withTimeout(s.close(), 30_000, 'the server to shut down');
  } finally {
    if (s.alive()) s.process.kill('SIGKILL');
    liveSessions.delete(s);
  }
}

// ---- a server session with timestamped status notifications --------------------------------

interface StatusEvent {
  at: number;
  status: SourcemarkStatus;
}

interface Server {
  session: LspSession;
  spawnedAt: number;
  events: StatusEvent[];
  /** Resolves with the first status event (already received or to come) satisfying `test`. */
  waitStatus(test: (s: SourcemarkStatus) => boolean, what: string, ms?: number): Promise<StatusEvent>;
  /** Resolves with the next status event after this call satisfying `test`. */
  waitNextStatus(test: (s: SourcemarkStatus) => boolean, what: string, ms?: number): Promise<StatusEvent>;
  readySeen(): boolean;
}

/**
 * The server is started as the VS Code client starts it: with the launch environment
 * (`serverEnvironment`: huge pages for malloc on Linux). One warm start per run is also
 * measured without it, as an editor that runs `node dist/server.js --stdio` as it is would.
 */
const LAUNCH_ENV = serverEnvironment(process.env);

async function startServer(root: string, storagePath: string, env: NodeJS.ProcessEnv = LAUNCH_ENV): Promise<Server> {
  const spawnedAt = performance.now();
  // `holdFirstProgress`: the server's indexing waits for our answer to its first
  // `window/workDoneProgress/create`, so no status can slip by before our handler is in place.
  // We answer right after installing it: the hold costs one event-loop turn at most.
  const session = await startLsp(root, {}, { initializationOptions: { storagePath } }, { holdFirstProgress: true, env });
  liveSessions.add(session);
  const events: StatusEvent[] = [];
  const waiters: { test: (s: SourcemarkStatus) => boolean; resolve: (e: StatusEvent) => void; reject: (e: Error) => void }[] = [];
  if (session.statuses.some((s) => s.state === 'ready')) console.warn('bench: a ready status arrived before the bench listened; its time is an upper bound');
  for (const s of session.statuses) events.push({ at: performance.now(), status: s });
  // Replaces lspClient's handler (one handler per method), keeping its `statuses` list filled.
  session.connection.onNotification(StatusNotification.type, (status) => {
    session.statuses.push(status);
    const e = { at: performance.now(), status };
    events.push(e);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.test(status)) waiters.splice(i, 1)[0]!.resolve(e);
    }
  });
  session.process.once('exit', (code, signal) => {
    const err = new Error(`server exited (code ${code}, signal ${signal}); stderr: ${session.stderr.join('').slice(-2000)}`);
    for (const w of waiters.splice(0)) w.reject(err);
  });
  session.releaseProgress();
  const waitNext = (test: (s: SourcemarkStatus) => boolean, what: string, ms = GUARD.index): Promise<StatusEvent> => {
    if (!session.alive()) return Promise.reject(new Error(`server exited before ${what}`));
    return withTimeout(new Promise<StatusEvent>((resolve, reject) => waiters.push({ test, resolve, reject })), ms, what);
  };
  return {
    session,
    spawnedAt,
    events,
    waitStatus(test, what, ms) {
      const found = events.find((e) => test(e.status));
      return found ? Promise.resolve(found) : waitNext(test, what, ms);
    },
    waitNextStatus: waitNext,
    readySeen: () => events.some((e) => e.status.state === 'ready'),
  };
}

// ---- draft positions ------------------------------------------------------------------------

interface Pos {
  line: number;
  character: number;
}

function paragraphLines(lines: string[]): number[] {
  return lines.map((l, i) => (i > 0 && l.trim() && !l.startsWith('#') ? i : -1)).filter((i) => i >= 0);
}

/** Completion positions: after the last word of sentences, and inside `[@` (right after `@`, and after 3 key characters). */
function completionPositions(lines: string[], r: () => number): { prose: Pos[]; cite: Pos[] } {
  const prose: Pos[] = [];
  const cite: Pos[] = [];
  for (const i of paragraphLines(lines)) {
    const l = lines[i]!;
    for (const m of l.matchAll(/[\p{L}](?=[.!?](\s|$))/gu)) prose.push({ line: i, character: m.index! + 1 });
    for (const m of l.matchAll(/\[@/g)) {
      cite.push({ line: i, character: m.index! + 2 });
      cite.push({ line: i, character: Math.min(m.index! + 5, l.indexOf(']', m.index!)) });
    }
  }
  const sample = (xs: Pos[], n: number): Pos[] => (xs.length ? Array.from({ length: n }, () => xs[Math.floor(r() * xs.length)]!) : []);
  const nCite = cite.length ? Math.round(COMPLETIONS / 3) : 0;
  return { prose: sample(prose, COMPLETIONS - nCite), cite: sample(cite, nCite) };
}

function hoverPositions(lines: string[], r: () => number): Pos[] {
  const digits: Pos[] = [];
  for (const i of paragraphLines(lines)) for (const m of lines[i]!.matchAll(/\d/g)) digits.push({ line: i, character: m.index! });
  if (!digits.length) throw new Error('bench: the long draft has no figures to hover');
  return Array.from({ length: HOVERS }, () => digits[Math.floor(r() * digits.length)]!);
}

// ---- one run through the server -------------------------------------------------------------

interface ServerRun {
  coldMs: number;
  /** After the cold ready: the figures counted (status `figuresPending` 0), then the first cache write logged. */
  coldCountedMs: number;
  coldWrittenMs: number;
  status: SourcemarkStatus;
  rssAfterIndexMb: number | undefined;
  peakColdMb: number | undefined;
  warmMs: number;
  warmReadyMs: number;
  /** The same warm start, the server started without the launch environment. */
  warmPlainMs: number;
  /** The same warm start (launch environment) with no retrieval memo: the draft new to the server. */
  warmNewMs: number;
  /** Queries of the retrieval memo the measured warm start loaded (0: none). */
  memoQueries: number;
  peakWarmMb: number | undefined;
  completionP95: number;
  completionProseP95: number;
  completionCiteP95: number;
  completionCiteItems: number;
  /** The first request of each kind (right after the warm start), not in the p95's 95 %. */
  completionFirstProse: number;
  completionFirstCite: number;
  hoverP95: number;
  hoverHits: number;
  keystrokeP95: number;
  keystrokeMedian: number;
  reindexMedian: number;
  reindexNote: string;
  /** The longest hover while the cache was rewritten after the corpus changes (see step 8). */
  saveHoverMax: number;
  saveHovers: number;
  saveWrittenAfter: number;
}

/** A fresh storage folder (removed at the end of the bench) and the long draft, for a run that starts cold. */
function freshRun(ws: BenchWorkspace): { storage: string; draftUri: string; draftText: string } {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-bench-storage-'));
  tempDirs.push(storage);
  return { storage, draftUri: fileUri(ws.longDraft), draftText: fs.readFileSync(ws.longDraft, 'utf8') };
}

async function serverRun(ws: BenchWorkspace, runIndex: number): Promise<ServerRun> {
  const { storage, draftUri, draftText } = freshRun(ws);

  // 1. Cold: fresh storage, time from spawn/initialize to the ready status that ends indexing.
  const cold = await startServer(ws.root, storage);
  const ready = await cold.waitStatus((s) => s.state === 'ready', 'the cold index to be ready');
  const coldMs = ready.at - cold.spawnedAt;
  const status = (await withTimeout(cold.session.status(), GUARD.request, 'sourcemark/status')) as SourcemarkStatus;
  const rssAfterIndexMb = procMemoryMb(cold.session.process.pid, 'VmRSS');
  // The figures are counted once the server is ready, then the cache is written: the warm
  // starts below start from that cache, as the next session of a writer who kept working would.
  const counted = await cold.waitStatus((s) => s.state === 'ready' && !s.figuresPending, 'the figures to be counted after the cold index');
  const coldCountedMs = counted.at - ready.at;
  await withTimeout(cold.session.waitForLog(/^index cache written: /), GUARD.index, 'the cache written after the cold index');
  const coldWrittenMs = performance.now() - ready.at;
  const peakColdMb = procMemoryMb(cold.session.process.pid, 'VmHWM');
  await closeSession(cold.session);

  // 2. Warm: same storage; open the long draft right after `initialized`; time from spawn to
  // the first publication for it that follows the ready status. First in the plain
  // environment (an editor that starts the server as it is), then as the client starts it.
  const firstDiagnostics = async (warm: Server): Promise<number> => {
    const firstReal = warm.session.waitForNextDiagnostics(draftUri, () => warm.readySeen());
    await warm.session.open(draftUri, draftText, 1);
    await withTimeout(firstReal, GUARD.index, 'the long draft\'s diagnostics after the warm index');
    return performance.now() - warm.spawnedAt;
  };
  // The retrieval memo a server keeps beside its cache (what its checks retrieved) is removed
  // before the starts that measure a draft new to the server; the last start finds the one
  // the start before it kept: the draft reopened, as an editor restores it.
  const removeMemos = (): void => {
    for (const f of fs.readdirSync(storage)) if (f.endsWith('.retrievals')) fs.rmSync(path.join(storage, f));
  };
  removeMemos();
  const plain = await startServer(ws.root, storage, process.env);
  const warmPlainMs = await firstDiagnostics(plain);
  await closeSession(plain.session);
  removeMemos();
  const fresh = await startServer(ws.root, storage);
  const warmNewMs = await firstDiagnostics(fresh);
  await closeSession(fresh.session);
  if (!fs.readdirSync(storage).some((f) => f.endsWith('.retrievals'))) throw new Error('bench: the server kept no retrieval memo at shutdown');
  const warm = await startServer(ws.root, storage);
  const s = warm.session;
  const warmMs = await firstDiagnostics(warm);
  const memoQueries = Number(s.logs.map((l) => /^retrieval memo: (\d+) queries$/.exec(l)?.[1]).find((x) => x !== undefined) ?? 0);
  const warmReady = await warm.waitStatus((x) => x.state === 'ready', 'the warm ready status');
  const warmReadyMs = warmReady.at - warm.spawnedAt;

  const lines = draftText.split('\n');
  const r = mulberry32(4242 + runIndex);

  // 4. Completion.
  const { prose, cite } = completionPositions(lines, r);
  const proseMs: number[] = [];
  const citeMs: number[] = [];
  let citeItems = 0;
  for (const [list, out] of [[prose, proseMs], [cite, citeMs]] as const) {
    for (const position of list) {
      const t = performance.now();
      const res = await withTimeout(s.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: draftUri }, position }), GUARD.request, 'a completion');
      out.push(performance.now() - t);
      if (list === cite) citeItems = Math.max(citeItems, Array.isArray(res) ? res.length : res?.items.length ?? 0);
    }
  }

  // 5. Hover on figures.
  const hoverMs: number[] = [];
  let hoverHits = 0;
  for (const position of hoverPositions(lines, r)) {
    const t = performance.now();
    const res = await withTimeout(s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: draftUri }, position }), GUARD.request, 'a hover');
    hoverMs.push(performance.now() - t);
    if (res) hoverHits++;
  }

  // 6. Keystrokes: insert a letter at a word start of a random paragraph, then delete it;
  // time to the publication carrying the version just sent (the server's pause before a re-check included).
  const paras = paragraphLines(lines);
  const keyMs: number[] = [];
  let version = 1;
  let pendingDelete: Pos | undefined;
  for (let k = 0; k < KEYSTROKES; k++) {
    version++;
    const v = version;
    const published = s.waitForNextDiagnostics(draftUri, (p: PublishDiagnosticsParams) => p.version === v);
    const t = performance.now();
    if (pendingDelete) {
      const at = pendingDelete;
      pendingDelete = undefined;
      await s.change(draftUri, v, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }]);
    } else {
      const line = paras[Math.floor(r() * paras.length)]!;
      const starts = [...lines[line]!.matchAll(/ (?=\S)/g)].map((m) => m.index! + 1);
      const at = { line, character: starts.length ? starts[Math.floor(r() * starts.length)]! : 0 };
      pendingDelete = at;
      await s.change(draftUri, v, [{ range: { start: at, end: at }, text: 'a' }]);
    }
    await withTimeout(published, GUARD.diagnostics, `diagnostics for version ${v}`);
    keyMs.push(performance.now() - t);
  }
  if (pendingDelete) throw new Error('bench: KEYSTROKES must be even (the draft is restored after each pair)');

  // 7. One corpus file changed on disk: rewrite a figure, notify, time to a status whose
  // corpusVersion grew. Then let the open draft's revalidation land before the next sample.
  const seedUri = fileUri(ws.editableSeed);
  const original = fs.readFileSync(ws.editableSeed, 'utf8');
  const digitAt = original.search(/\d/);
  if (digitAt < 0) throw new Error(`bench: ${ws.editableSeed} has no figure to change`);
  const modified = original.slice(0, digitAt) + String((Number(original[digitAt]) + 1) % 10) + original.slice(digitAt + 1);
  const reindexMs: number[] = [];
  let reindexNote = '';
  const hasVersion = (x: SourcemarkStatus): boolean => typeof x.corpusVersion === 'number';
  try {
    for (let k = 0; k < REINDEXES; k++) {
      const before = (await withTimeout(s.status(), GUARD.request, 'sourcemark/status')) as SourcemarkStatus;
      if (!hasVersion(before)) {
        reindexNote = 'sourcemark/status has no corpusVersion';
        break;
      }
      const revalidated = s.waitForNextDiagnostics(draftUri);
      fs.writeFileSync(ws.editableSeed, k % 2 === 0 ? modified : original);
      const grown = warm.waitNextStatus((x) => hasVersion(x) && x.corpusVersion > before.corpusVersion, 'a status with a greater corpusVersion', GUARD.diagnostics);
      const t = performance.now();
      await s.watchedFilesChanged([{ uri: seedUri, type: FileChangeType.Changed }]);
      const e = await grown;
      reindexMs.push(e.at - t);
      await withTimeout(revalidated, GUARD.diagnostics, 'the open draft to be re-checked after the corpus change');
    }
  } finally {
    fs.writeFileSync(ws.editableSeed, original);
  }

  // 8. The cache rewrite those changes scheduled (a few seconds after the last one): a hover
  // every SAVE_HOVER_PACE_MS (someone reading the draft) until the server logs that it wrote
  // the cache; the longest a hover waited. (Requests hold the server's background slices back
  // for a moment each, so the pace leaves the save room to go on.)
  const logsBefore = s.logs.length;
  const written = (): boolean => s.logs.slice(logsBefore).some((l) => l.startsWith('index cache written'));
  const saveStarted = performance.now();
  let saveHoverMax = 0;
  let saveHovers = 0;
  const hoverAt = hoverPositions(lines, r)[0]!;
  while (!written()) {
    if (performance.now() - saveStarted > GUARD.diagnostics) throw new Error('bench: the server did not write its cache after the corpus changes');
    const t = performance.now();
    await withTimeout(s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: draftUri }, position: hoverAt }), GUARD.request, 'a hover during the cache rewrite');
    saveHoverMax = Math.max(saveHoverMax, performance.now() - t);
    saveHovers++;
    await new Promise((resolve) => setTimeout(resolve, SAVE_HOVER_PACE_MS));
  }
  const saveWrittenAfter = performance.now() - saveStarted;

  const peakWarmMb = procMemoryMb(s.process.pid, 'VmHWM');
  await closeSession(s);
  fs.rmSync(storage, { recursive: true, force: true });
  tempDirs.splice(tempDirs.indexOf(storage), 1);

  return {
    coldMs,
    coldCountedMs,
    coldWrittenMs,
    status,
    rssAfterIndexMb,
    peakColdMb,
    warmMs,
    warmReadyMs,
    warmPlainMs,
    warmNewMs,
    memoQueries,
    peakWarmMb,
    completionP95: p95([...proseMs, ...citeMs]),
    completionProseP95: p95(proseMs),
    completionCiteP95: citeMs.length ? p95(citeMs) : NaN,
    completionCiteItems: citeItems,
    completionFirstProse: proseMs[0] ?? NaN,
    completionFirstCite: citeMs[0] ?? NaN,
    hoverP95: p95(hoverMs),
    hoverHits,
    keystrokeP95: p95(keyMs),
    keystrokeMedian: median(keyMs),
    reindexMedian: reindexMs.length ? median(reindexMs) : NaN,
    saveHoverMax,
    saveHovers,
    saveWrittenAfter,
    reindexNote,
  };
}

// ---- a writer at work during a cold index ----------------------------------------------------

/** Pace of the requests sent while a cold index runs (a writer reading and typing). */
const BUSY_PACE_MS = 100;

interface BusyColdRun {
  /** Spawn to the ready status, with the requests below going on. */
  readyMs: number;
  hoverMs: number[];
  completionMs: number[];
}

/**
 * A cold start (fresh storage) with the long draft open from the start, and until the index is
 * ready a hover on a figure and a completion after prose every BUSY_PACE_MS, one after the
 * other: how long they wait while the server indexes, and what they cost the index.
 */
async function busyColdRun(ws: BenchWorkspace): Promise<BusyColdRun> {
  const { storage, draftUri, draftText } = freshRun(ws);
  const lines = draftText.split('\n');
  const r = mulberry32(777);
  const hovers = hoverPositions(lines, r);
  const { prose } = completionPositions(lines, r);
  const server = await startServer(ws.root, storage);
  await server.session.open(draftUri, draftText, 1);
  const hoverMs: number[] = [];
  const completionMs: number[] = [];
  for (let k = 0; !server.readySeen(); k++) {
    let t = performance.now();
    await withTimeout(server.session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: draftUri }, position: hovers[k % hovers.length]! }), GUARD.request, 'a hover during the cold index');
    hoverMs.push(performance.now() - t);
    t = performance.now();
    await withTimeout(server.session.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: draftUri }, position: prose[k % prose.length]! }), GUARD.request, 'a completion during the cold index');
    completionMs.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, BUSY_PACE_MS));
  }
  const ready = await server.waitStatus((x) => x.state === 'ready', 'the ready status');
  await closeSession(server.session);
  fs.rmSync(storage, { recursive: true, force: true });
  tempDirs.splice(tempDirs.indexOf(storage), 1);
  return { readyMs: ready.at - server.spawnedAt, hoverMs, completionMs };
}

// ---- the CLI --------------------------------------------------------------------------------

interface CliResult {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(cwd: string, args: string[]): Promise<CliResult> {
  return withTimeout(
    new Promise<CliResult>((resolve, reject) => {
      const t = performance.now();
      const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      liveChildren.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.once('error', reject);
      child.once('close', (code) => {
        liveChildren.delete(child);
        resolve({ ms: performance.now() - t, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
    }),
    GUARD.cli,
    `sourcemark ${args.join(' ')}`,
  );
}

function checkOk(r: CliResult, what: string): void {
  if (r.code !== 0 && r.code !== 1) throw new Error(`bench: ${what} exited with ${r.code}: ${r.stderr.slice(-2000)}`);
}

/** Per claim: the sorted `code@line:char-line:char` of its diagnostics (empty: supported). */
function claimVerdicts(json: string): Map<string, { keys: string[]; messages: string[] }> {
  const report = JSON.parse(json) as { file: string; diagnostics: { code?: string | number; range: { start: Pos; end: Pos }; message: string }[] }[];
  const byFile = new Map(report.map((f) => [f.file.split(path.sep).join('/'), f.diagnostics]));
  const out = new Map<string, { keys: string[]; messages: string[] }>();
  for (const c of claims) {
    const rel = `claims/${c.id}.md`;
    const diags = byFile.get(rel) ?? [...byFile.entries()].find(([f]) => f.endsWith(`/${rel}`))?.[1] ?? [];
    const keys = diags.map((d) => `${d.code ?? '?'}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
    out.set(c.id, { keys, messages: diags.map((d) => d.message).sort() });
  }
  return out;
}

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  for (const f of [SERVER, CLI]) if (!fs.existsSync(f)) throw new Error(`bench: ${f} is missing (npm run build)`);
  const background = listArticles(DIR, LIMIT);
  if (!background.length) throw new Error(`bench: no .txt/.md/.jsonl articles in ${DIR}`);
  const seeds = seedFiles();

  let t = performance.now();
  const sentences = sentencesOf([...background, ...seeds]);
  const splitMs = performance.now() - t;
  const maker = new DraftMaker(sentences);

  t = performance.now();
  const ws = buildWorkspace('bg', background, maker, 100);
  workspaces.push(ws);
  const bare = buildWorkspace('seed-only', [], maker, 0);
  workspaces.push(bare);
  console.error(`bench: workspaces built in ${(performance.now() - t).toFixed(0)} ms (${ws.linked} linked, ${ws.copied} copied) at ${ws.root}`);

  // Server rows.
  const serverRuns: ServerRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    console.error(`bench: server run ${i + 1}/${RUNS}…`);
    serverRuns.push(await serverRun(ws, i));
  }
  console.error('bench: a cold start with a writer at work…');
  const busy = await busyColdRun(ws);

  // MiniSearch on the same sentences, in-process.
  const docs = sentences.map((x, id) => ({ id, text: x.text }));
  const miniMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    console.error(`bench: MiniSearch run ${i + 1}/${RUNS}…`);
    const start = performance.now();
    const ms = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
    ms.addAll(docs);
    miniMs.push(performance.now() - start);
  }

  // 8. CLI over 100 drafts: one warm-up run, then RUNS timed runs.
  console.error('bench: CLI warm-up…');
  const cliArgs = ['check', '--format', 'json', 'drafts/**/*.md'];
  const warmup = await runCli(ws.root, cliArgs);
  checkOk(warmup, 'sourcemark check (warm-up)');
  const cliMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    console.error(`bench: CLI run ${i + 1}/${RUNS}…`);
    const res = await runCli(ws.root, cliArgs);
    checkOk(res, 'sourcemark check');
    cliMs.push(res.ms);
  }
  // The same runs with the retrieval memo removed before each: drafts new to the CLI.
  const cliMemo = path.join(ws.root, '.sourcemark', 'cache', 'index.retrievals');
  if (!fs.existsSync(cliMemo)) throw new Error(`bench: the CLI kept no retrieval memo (${cliMemo})`);
  const cliNewMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    console.error(`bench: CLI run ${i + 1}/${RUNS} without the retrieval memo…`);
    fs.rmSync(cliMemo, { force: true });
    const res = await runCli(ws.root, cliArgs);
    checkOk(res, 'sourcemark check');
    if (res.stdout !== warmup.stdout) throw new Error('bench: the report without the retrieval memo differs from the one with it');
    cliNewMs.push(res.ms);
  }
  const draftsChecked = (JSON.parse(warmup.stdout) as unknown[]).length;
  // Context for row 8: the same CLI start-up and (cached) index without checking any draft.
  // Informational only: a failure is reported, not fatal.
  const indexOnly = await runCli(ws.root, ['index']);

  // 9. Claim verdicts with and without the background corpus.
  console.error('bench: claim verdicts…');
  const claimArgs = ['check', '--format', 'json', 'claims/*.md'];
  const withBg = await runCli(ws.root, claimArgs);
  checkOk(withBg, 'sourcemark check claims (with background)');
  const withoutBg = await runCli(bare.root, claimArgs);
  checkOk(withoutBg, 'sourcemark check claims (seeds only)');
  const a = claimVerdicts(withBg.stdout);
  const b = claimVerdicts(withoutBg.stdout);
  const differing = claims.filter((c) => a.get(c.id)!.keys.join('|') !== b.get(c.id)!.keys.join('|'));
  const messageOnly = claims.filter((c) => !differing.includes(c) && a.get(c.id)!.messages.join('|') !== b.get(c.id)!.messages.join('|'));

  // ---- report --------------------------------------------------------------------------------
  const m = <K extends keyof ServerRun>(k: K): number => median(serverRuns.map((x) => x[k] as number));
  const mOpt = (xs: (number | undefined)[]): number | undefined => (xs.every((x) => x !== undefined) ? median(xs as number[]) : undefined);
  const last = serverRuns[serverRuns.length - 1]!.status;
  const coldMs = m('coldMs');
  const miniMedian = median(miniMs);
  const peak = mOpt(serverRuns.map((x) => (x.peakColdMb === undefined || x.peakWarmMb === undefined ? undefined : Math.max(x.peakColdMb, x.peakWarmMb))));
  const rssAfter = mOpt(serverRuns.map((x) => x.rssAfterIndexMb));
  const debounce = /const DEBOUNCE_MS\s*=\s*([\d_]+)/.exec(fs.readFileSync(path.join(repoRoot, 'server/src/server/startServer.ts'), 'utf8'))?.[1]?.replace(/_/g, '');
  const reindexNotes = [...new Set(serverRuns.map((x) => x.reindexNote).filter(Boolean))];

  const ms = (x: number): string => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' ms' : 'n/a');
  const sec = (x: number): string => (x / 1000).toFixed(2) + ' s';
  const indexOnlyText = indexOnly.code === 0 ? sec(indexOnly.ms) : `failed (exit ${indexOnly.code}: ${indexOnly.stderr.trim().split('\n')[0]})`;
  const mb = (x: number | undefined): string => (x === undefined ? 'n/a' : `${x.toFixed(0)} MB`);
  const pass = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? '✅' : '❌');
  const rows: string[][] = [
    ['Cold index wall time (no cache)', sec(coldMs), `${sec(miniMedian)} (addAll only)`, '≤ 5 s', pass(coldMs <= 5000)],
    ['Cold index: MiniSearch time / Sourcemark time', `${(miniMedian / coldMs).toFixed(2)}×`, '', '≥ 2×', pass(miniMedian / coldMs >= 2)],
    ['Cold index: figures counted / cache written, after ready (not a target)', `${sec(m('coldCountedMs'))} / ${sec(m('coldWrittenMs'))}`, '', '', ''],
    ['Warm start → long draft diagnostics (the draft checked in an earlier session)', sec(m('warmMs')), '', '≤ 1 s', pass(m('warmMs') <= 1000)],
    ['Warm start → long draft diagnostics (the draft new to the server)', sec(m('warmNewMs')), '', '≤ 1 s', pass(m('warmNewMs') <= 1000)],
    ['Peak RSS of the server (max of cold, warm)', mb(peak), '', '≤ 600 MB', pass(peak === undefined ? undefined : peak <= 600)],
    [`Completion p95 (${COMPLETIONS} requests)`, ms(m('completionP95')), '', '≤ 30 ms', pass(m('completionP95') <= 30)],
    [`Hover p95 (${HOVERS} requests on figures)`, ms(m('hoverP95')), '', '≤ 10 ms', pass(m('hoverP95') <= 10)],
    [`Diagnostics after a keystroke p95 (${KEYSTROKES} keystrokes, the pause before the re-check included)`, ms(m('keystrokeP95')), '', '≤ 50 ms', pass(m('keystrokeP95') <= 50)],
    [`One changed corpus file re-indexed (median of ${REINDEXES})`, reindexNotes.length ? `n/a (${reindexNotes.join('; ')})` : ms(m('reindexMedian')), '', '≤ 50 ms', reindexNotes.length ? pass(undefined) : pass(m('reindexMedian') <= 50)],
    [`\`sourcemark check\` of ${draftsChecked} drafts, warm cache (the drafts checked in the run before)`, sec(median(cliMs)), '', '≤ 10 s', pass(median(cliMs) <= 10_000)],
    [`\`sourcemark check\` of ${draftsChecked} drafts, warm cache (the drafts new: no retrieval memo)`, sec(median(cliNewMs)), '', '≤ 10 s', pass(median(cliNewMs) <= 10_000)],
    [`Cold index with a hover and a completion every ${BUSY_PACE_MS} ms (one run; not a target)`, sec(busy.readyMs), '', '', ''],
    [`Hover p95 during that cold index (${busy.hoverMs.length} requests; not a target)`, ms(p95(busy.hoverMs)), '', '', ''],
    [`Seed verdicts with and without background (${claims.length} claims)`, differing.length ? `differ: ${differing.map((c) => c.id).join(', ')}` : 'identical', '', 'identical', pass(differing.length === 0)],
  ];

  console.log(`\n## Sourcemark bench\n`);
  console.log(`- corpus: ${DIR}: ${background.length} files + ${seeds.length} seed files; ${last.articles} articles, ${last.sentences} sentences (server), ${sentences.length} sentences (sentencesOf, for MiniSearch)`);
  console.log(`- machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${os.platform()} ${os.release()}`);
  console.log(`- runs: median of ${RUNS}; server: node dist/server.js --stdio, CLI: node dist/cli.js\n`);
  console.log('| measure | Sourcemark | MiniSearch | target | pass? |');
  console.log('| --- | ---: | ---: | ---: | :---: |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('');
  console.log(`- server RSS after indexing: ${mb(rssAfter)}; indexing rate: ${Math.round(last.sentences / (coldMs / 1000))} sentences/s (server, wall time); MiniSearch addAll: ${Math.round(sentences.length / (miniMedian / 1000))} sentences/s`);
  console.log(`- in-process read + parse + split of the same files (not in the MiniSearch column): ${ms(splitMs)}`);
  console.log(`- warm start: ready status after ${sec(m('warmReadyMs'))}; first diagnostics of the reopened draft ${sec(m('warmMs'))} (runs ${serverRuns.map((x) => sec(x.warmMs)).join(', ')}; retrieval memo of ${serverRuns.map((x) => x.memoQueries).join(', ')} queries), of the draft new to the server ${sec(m('warmNewMs'))} (runs ${serverRuns.map((x) => sec(x.warmNewMs)).join(', ')}) with the client's launch environment (${LAUNCH_ENV.GLIBC_TUNABLES ? `GLIBC_TUNABLES=${LAUNCH_ENV.GLIBC_TUNABLES}` : 'nothing added on this platform'}), ${sec(m('warmPlainMs'))} (runs ${serverRuns.map((x) => sec(x.warmPlainMs)).join(', ')}) without it; cold index runs ${serverRuns.map((x) => sec(x.coldMs)).join(', ')}; cold peak ${mb(mOpt(serverRuns.map((x) => x.peakColdMb)))}, warm peak ${mb(mOpt(serverRuns.map((x) => x.peakWarmMb)))}`);
  console.log(`- completion p95: after prose ${ms(m('completionProseP95'))}, inside \`[@\` ${ms(m('completionCiteP95'))} (${serverRuns[0]!.completionCiteItems} items each); the first after prose ${ms(m('completionFirstProse'))}, the first inside \`[@\` ${ms(m('completionFirstCite'))}`);
  console.log(`- cold start with a writer at work: ready after ${sec(busy.readyMs)} (the cold runs alone: ${sec(coldMs)}); hovers p50 ${ms(median(busy.hoverMs))}, p95 ${ms(p95(busy.hoverMs))}, longest ${ms(Math.max(...busy.hoverMs))}; completions p50 ${ms(median(busy.completionMs))}, p95 ${ms(p95(busy.completionMs))}, longest ${ms(Math.max(...busy.completionMs))}`);
  console.log(`- hover: ${serverRuns[0]!.hoverHits}/${HOVERS} positions answered with a hover card (run 1)`);
  console.log(`- keystroke: median ${ms(m('keystrokeMedian'))}; the server pauses before a re-check as long as the draft's last check took, at most DEBOUNCE_MS = ${debounce ?? 'not found'} ms (server/src/server/startServer.ts)`);
  console.log(`- cache rewrite after the corpus changes: the longest hover waited ${ms(m('saveHoverMax'))} (runs ${serverRuns.map((x) => ms(x.saveHoverMax)).join(', ')}; a hover every ${SAVE_HOVER_PACE_MS} ms, ${serverRuns.map((x) => x.saveHovers).join(', ')} hovers until the server logged the write, ${serverRuns.map((x) => sec(x.saveWrittenAfter)).join(', ')} after the re-checks of the last change had landed)`);
  console.log(`- CLI: warm-up run ${sec(warmup.ms)} (exit ${warmup.code}); timed runs ${cliMs.map(sec).join(', ')}, without the retrieval memo ${cliNewMs.map(sec).join(', ')} (the same report); cache dir ${fs.existsSync(path.join(ws.root, '.sourcemark/cache')) ? 'present' : 'absent'} after the runs; "sourcemark index" alone (same cache): ${indexOnlyText}`);
  console.log(`- claims: ${differing.length} differ in codes/ranges${differing.length ? ` (${differing.map((c) => `${c.id}: [${a.get(c.id)!.keys.join(', ')}] vs seeds only [${b.get(c.id)!.keys.join(', ')}]`).join('; ')})` : ''}; ${messageOnly.length} differ in message text only${messageOnly.length ? ` (${messageOnly.map((c) => c.id).join(', ')})` : ''}`);
}

main()
  .catch((err) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const s of [...liveSessions]) await closeSession(s).catch(() => undefined);
    cleanupSync();
  });
