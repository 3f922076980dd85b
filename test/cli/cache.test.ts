/**
 * `sourcemark` and its index cache (`.sourcemark/cache/index.bin` in the working directory):
 * written on the first run, used by the next ones (unchanged files are not read again),
 * brought up to date after edits, rebuilt when damaged or made by another engine (with a
 * note on stderr, the results and exit code unchanged), and left alone with `--no-cache`.
 *
 * Runs of different project folders are independent: they run concurrently (a few at a time).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, DRAFTS, Projects, ensureBuilt, parseJsonReport, type CliResult } from './support';
import { createSourcemarkService } from '../../server/src/core/service';
import { resolveSettings } from '../../server/src/core/settings';
import { NodeWorkspace } from '../../server/src/node/nodeWorkspace';
import { bytesSource, decodeSnapshot } from '../../server/src/core/corpus/snapshot';
import { articleTextIn } from '../support/snapshotLayout';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

const CACHE = path.join('.sourcemark', 'cache', 'index.bin');
const JAPAN = 'corpus/002_bd768a52f42e921c';
const CHECK = ['check', '--format', 'json', 'wrong.md', 'correct.md'];

interface IndexReport {
  articles: number;
  sentences: number;
  figures: number;
  agreements: number;
  timeMs: number;
  corpus: string;
  cache: { state: 'off' | 'none' | 'used' | 'rebuilt'; reason?: string; files: number; read: number };
}

/** At most this many CLI processes at once. */
const slots = { free: Math.max(2, Math.min(4, os.cpus().length)), queue: [] as (() => void)[] };

/** Runs `node dist/cli.js ARGS` in `cwd` like `runCli` (pipes, no colours, git fenced in), without blocking the test process. */
async function run(cwd: string, args: string[]): Promise<CliResult> {
  if (slots.free === 0) await new Promise<void>((resolve) => slots.queue.push(resolve));
  else slots.free--;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(cwd) };
    for (const k of ['FORCE_COLOR', 'NO_COLOR', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
    return await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    const next = slots.queue.shift();
    if (next) next();
    else slots.free++;
  }
}

async function index(dir: string, ...extra: string[]): Promise<{ report: IndexReport; stderr: string }> {
  const r = await run(dir, ['index', '--format', 'json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return { report: JSON.parse(r.stdout) as IndexReport, stderr: r.stderr };
}

/** What must not depend on the cache. */
const counts = (r: IndexReport): Partial<IndexReport> => ({ articles: r.articles, sentences: r.sentences, figures: r.figures, agreements: r.agreements, corpus: r.corpus });

/** The note a run prints when the cache cannot be used. */
const note = (reason: RegExp): RegExp => new RegExp(`^sourcemark: note: index cache \\.sourcemark/cache/index\\.bin not used \\((?:${reason.source})\\); rebuilding it\\n$`);

/** A check report with the project folder's URI replaced, so reports of different folders compare. */
const portable = (stdout: string, dir: string): string => stdout.split(pathToFileURL(dir).href).join('file:///PROJECT');

const project = (): string => projects.make({ 'wrong.md': DRAFTS.wrong, 'correct.md': DRAFTS.correct });
const cacheOf = (dir: string): string => path.join(dir, CACHE);

/** Moves a file's modification time, so its signature changes whatever the clock's resolution. */
function touch(file: string, seconds = 7): void {
  const mtime = new Date(fs.statSync(file).mtimeMs + seconds * 1000);
  fs.utimesSync(file, mtime, mtime);
}

/** The head of a cache file (see server/src/core/corpus/snapshot.ts): its JSON, and where it lies. */
function head(bytes: Uint8Array): { length: number; json: { engine: string; eagerBytes: number } } {
  const length = Buffer.from(bytes).readUInt32LE(8);
  return { length, json: JSON.parse(Buffer.from(bytes.subarray(16, 16 + length)).toString('utf8')) };
}

const codesOf = (stdout: string): Record<string, string[]> => Object.fromEntries(parseJsonReport(stdout).map((f) => [f.file, f.diagnostics.map((d) => d.code)]));

describe('sourcemark: the index cache', function () {
  this.timeout(60_000);

  /** A project whose first run wrote the cache; its check report without the cache. */
  let base: string;
  let first: { report: IndexReport; stderr: string };
  let truth: CliResult;
  let valid: Uint8Array;

  /**
   * The tests below are scenarios in folders of their own: they all start (concurrently, a
   * few processes at a time) once the base project is ready, and each test awaits its own.
   */
  const scenarios = new Map<string, () => Promise<void>>();
  const started = new Map<string, Promise<void>>();
  const scenario = (title: string, body: () => Promise<void>): void => {
    scenarios.set(title, body);
    it(title, () => started.get(title)!);
  };

  before(async () => {
    base = project();
    [first, truth] = await Promise.all([index(base), run(base, [...CHECK, '--no-cache'])]);
    assert.equal(truth.code, 1, truth.stderr);
    assert.deepEqual(codesOf(truth.stdout), { 'correct.md': [], 'wrong.md': ['contradicted-figure'] });
    valid = fs.readFileSync(cacheOf(base));
    for (const [title, body] of scenarios) {
      const promise = body();
      promise.catch(() => undefined); // reported by its own test
      started.set(title, promise);
    }
  });

  scenario('is written on the first run (with a .gitignore), then used with no file read, for the same results', async () => {
    assert.deepEqual(first.report.cache, { state: 'none', files: 5, read: 5 });
    assert.equal(first.stderr, '');
    assert.ok(valid.length > 0, 'the cache is written');
    assert.ok(fs.readFileSync(path.join(base, '.sourcemark', '.gitignore'), 'utf8').split('\n').includes('*'), '.sourcemark/.gitignore ignores everything');
    assert.deepEqual(fs.readdirSync(path.join(base, '.sourcemark', 'cache')), ['index.bin'], 'no temporary file is left behind');
    const written = fs.statSync(cacheOf(base)).ino;

    const [second, checked] = await Promise.all([index(base), run(base, CHECK)]);
    assert.deepEqual(second.report.cache, { state: 'used', files: 5, read: 0 });
    assert.deepEqual(counts(second.report), counts(first.report));
    assert.equal(second.stderr, '');
    assert.equal(checked.stderr, '');
    assert.equal(checked.code, truth.code);
    assert.equal(checked.stdout, truth.stdout, 'the same report with and without the cache');
    assert.equal(fs.statSync(cacheOf(base)).ino, written, 'a cache that is up to date is not written again');
  });

  scenario('re-reads only the edited corpus files, and the checks follow the edits', async () => {
    const dir = project();
    await index(dir);

    // 1. A figure in one article: "4,5 tỷ USD" becomes "5,4 tỷ USD" (same size: only the time tells).
    const text = path.join(dir, `${JAPAN}.txt`);
    fs.writeFileSync(text, fs.readFileSync(text, 'utf8').replace('4,5 tỷ USD', '5,4 tỷ USD'));
    touch(text);
    const [edited, editedTruth] = await Promise.all([index(dir), run(dir, [...CHECK, '--no-cache'])]);
    assert.deepEqual(edited.report.cache, { state: 'used', files: 5, read: 1 });
    assert.equal(edited.stderr, '');
    const rewritten = fs.statSync(cacheOf(dir)).ino;
    const checked = await run(dir, CHECK);
    assert.equal(checked.stdout, editedTruth.stdout);
    assert.equal(checked.code, 1);
    assert.deepEqual(codesOf(checked.stdout), { 'correct.md': ['contradicted-figure'], 'wrong.md': [] }, 'the supported figure is now contradicted and the contradicted one supported');
    assert.match(parseJsonReport(checked.stdout)[0]!.diagnostics[0]!.message, /says "5,4 tỷ USD"/);
    assert.equal(fs.statSync(cacheOf(dir)).ino, rewritten, 'the rewritten cache holds the edit: nothing to re-read or write');

    // 2. A metadata sidecar (part of its article's signature), and a file whose time alone changed.
    const sidecar = path.join(dir, `${JAPAN}.meta.yaml`);
    fs.writeFileSync(sidecar, fs.readFileSync(sidecar, 'utf8').replace(/^title: .*$/m, 'title: Tiêu đề đã sửa'));
    touch(sidecar);
    touch(path.join(dir, 'corpus/003_80a1a450f9bb5232.txt'));
    const again = await index(dir);
    assert.deepEqual(again.report.cache, { state: 'used', files: 5, read: 2 });
    assert.deepEqual(counts(again.report), counts(edited.report));
  });

  scenario('keeps what the checks retrieved beside the cache: the next check answers the same; a damaged memo is not used and is written again', async () => {
    const dir = project();
    await index(dir);
    const memoFile = path.join(dir, '.sourcemark', 'cache', 'index.retrievals');
    assert.ok(!fs.existsSync(memoFile), 'indexing alone retrieves nothing');
    const first = await run(dir, CHECK);
    assert.equal(first.stdout, truth.stdout.split(pathToFileURL(base).href).join(pathToFileURL(dir).href));
    const memo = fs.readFileSync(memoFile);
    assert.match(memo.toString('utf8'), /^sourcemark retrieval memo 1\n/);
    const written = fs.statSync(memoFile).mtimeMs;

    const second = await run(dir, CHECK);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.stderr, '');
    assert.equal(fs.statSync(memoFile).mtimeMs, written, 'nothing new retrieved: the memo is not written again');

    const damaged = Buffer.from(memo);
    damaged[damaged.length - 5]! ^= 0x01;
    fs.writeFileSync(memoFile, damaged);
    const third = await run(dir, CHECK);
    assert.equal(third.stdout, first.stdout, 'a damaged memo changes no answer');
    assert.equal(third.stderr, '');
    assert.deepEqual(fs.readFileSync(memoFile), memo, 'the same checks searched again write the same memo');

    // Another cache (the corpus edited): the memo of the old one is not used, and is replaced.
    const text = path.join(dir, `${JAPAN}.txt`);
    fs.writeFileSync(text, fs.readFileSync(text, 'utf8').replace('4,5 tỷ USD', '5,4 tỷ USD'));
    touch(text);
    const edited = await run(dir, CHECK);
    assert.deepEqual(codesOf(edited.stdout), { 'correct.md': ['contradicted-figure'], 'wrong.md': [] });
    assert.notDeepEqual(fs.readFileSync(memoFile), memo, 'the memo now names the new cache');
  });

  scenario('a cache that cannot be written: one warning, the same report, no retrieval memo', async () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, '.sourcemark'), 'not a folder\n');
    const checked = await run(dir, CHECK);
    assert.equal(checked.code, truth.code);
    assert.equal(checked.stdout, truth.stdout.split(pathToFileURL(base).href).join(pathToFileURL(dir).href));
    const warnings = checked.stderr.split('\n').filter(Boolean);
    assert.equal(warnings.length, 1, checked.stderr);
    assert.match(warnings[0]!, /^sourcemark: warning: could not write the index cache \.sourcemark\/cache\/index\.bin: /);
  });

  describe('a cache that cannot be used is rebuilt, with a note', () => {
    /** Replaces the engine version in the head by another of the same length (the head's checksum is left as it was). */
    const sameLengthEngine = (bytes: Uint8Array): Uint8Array => {
      const { engine } = head(bytes).json;
      const at = Buffer.from(bytes).indexOf(engine);
      const version = engine.slice(engine.lastIndexOf('/') + 1);
      const other = version.replace(/[0-9a-z]/g, (c) => (c === '9' ? '8' : '9'));
      assert.notEqual(other, version);
      const out = Buffer.from(bytes);
      out.write(engine.slice(0, -version.length) + other, at, 'utf8');
      return out;
    };

    /** A valid cache of the project, made in-process by an engine of another version. */
    const otherEngine = async (dir: string): Promise<Uint8Array> => {
      const service = createSourcemarkService({ workspace: new NodeWorkspace(dir), engineVersion: '0.0.0+older' });
      await service.indexCorpus(resolveSettings().settings);
      return service.snapshot();
    };

    /** Whether a cache file loads with the engine version it names (the built CLI's, here). */
    const loads = (bytes: Uint8Array): { corpus: unknown } | { error: string } => {
      const { engine } = head(bytes).json;
      // A plain Uint8Array copy: the cache file as the CLI reads it (not a Node Buffer).
      return decodeSnapshot(bytesSource(new Uint8Array(bytes)), engine.split('/').slice(2).join('/'));
    };

    const middleOfHead = (): number => 16 + (head(valid).length >> 1);
    const bodyStart = (): number => (16 + head(valid).length + 7) & ~7;

    // [case, the cache file's new bytes, the reason, the command that meets it first]
    const table: [string, (dir: string) => Uint8Array | Promise<Uint8Array>, RegExp, 'index' | 'check'][] = [
      ['emptied', () => new Uint8Array(0), /too short/, 'index'],
      ['truncated to half', () => valid.subarray(0, valid.length >> 1), /truncated|corrupt \(a section lies outside the file\)/, 'check'],
      ['overwritten in the head', () => Buffer.concat([valid.subarray(0, middleOfHead()), Buffer.alloc(24, 'x'), valid.subarray(middleOfHead() + 24)]), /corrupt \(.*\)|checksum mismatch \(the file is truncated or altered\)/, 'index'],
      ['a flipped byte after the head', () => { const b = Buffer.from(valid); b[bodyStart() + 5]! ^= 0x10; return b; }, /checksum mismatch \(the file is truncated or altered\)/, 'index'],
      ['random bytes', () => Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24)), /not a Sourcemark index cache of this format/, 'index'],
      ['an engine version rewritten in place, same length', () => sameLengthEngine(valid), /made by another engine \(sourcemark-index\/\d+\/[^)]+\)/, 'index'],
      ['a valid cache from another engine version', otherEngine, /made by another engine \(sourcemark-index\/\d+\/0\.0\.0\+older\)/, 'check'],
    ];

    /** One case, start to end. */
    async function damagedCase([, bytes, reason, command]: (typeof table)[number]): Promise<void> {
      const dir = project();
      const damaged = await bytes(dir);
      assert.ok('error' in loads(valid) === false, 'the base cache loads');
      fs.mkdirSync(path.dirname(cacheOf(dir)), { recursive: true });
      fs.writeFileSync(cacheOf(dir), damaged);

      if (command === 'index') {
        const rebuilt = await index(dir);
        assert.equal(rebuilt.report.cache.state, 'rebuilt');
        assert.match(rebuilt.report.cache.reason ?? '', reason);
        assert.deepEqual({ ...rebuilt.report.cache, reason: undefined }, { state: 'rebuilt', reason: undefined, files: 5, read: 5 });
        assert.match(rebuilt.stderr, note(reason));
        assert.ok(rebuilt.stderr.includes(`(${rebuilt.report.cache.reason})`), rebuilt.stderr);
        assert.deepEqual(counts(rebuilt.report), counts(first.report));
      } else {
        // The next run uses the rewritten cache (asked of the CLI itself here; in-process for the other cases).
        const checked = await run(dir, CHECK);
        assert.match(checked.stderr, note(reason));
        assert.equal(checked.code, truth.code, 'the exit code does not depend on the cache');
        assert.equal(portable(checked.stdout, dir), portable(truth.stdout, base));
        const after = await index(dir);
        assert.deepEqual(after.report.cache, { state: 'used', files: 5, read: 0 }, 'the cache was rewritten, valid');
        assert.equal(after.stderr, '');
      }
      const rewritten = fs.readFileSync(cacheOf(dir));
      assert.equal(head(rewritten).json.engine, head(valid).json.engine, "the new cache is the built engine's");
      const decoded = loads(rewritten);
      assert.ok('corpus' in decoded, `the rewritten cache loads: ${'error' in decoded ? decoded.error : ''}`);
    }

    for (const c of table) {
      const [label, , , command] = c;
      scenario(`${label}: ${command === 'index' ? "state 'rebuilt', a note, a valid cache rewritten" : 'a note, the same exit code and report; the rewritten cache is used'}`, () => damagedCase(c));
    }

    // One damaged byte in an article text passes the load (texts are checked when read); the
    // run that reads it drops the cache, says so, and answers from the corpus files.
    it('a damaged article text: the run answers right with a note, and the next run is right', async () => {
      const dir = project();
      await index(dir); // the folder's own cache (one of another folder is of no use: every file would be read again)
      const damaged = fs.readFileSync(cacheOf(dir));
      damaged[articleTextIn(damaged, '002_bd768a52f42e921c')[0] + 100]! ^= 0x02;
      fs.writeFileSync(cacheOf(dir), damaged);
      const once = await run(dir, CHECK);
      if (once.code === 2) assert.match(once.stderr, /index cache/);
      else assert.equal(portable(once.stdout, dir), portable(truth.stdout, base));
      const twice = await run(dir, CHECK);
      assert.equal(twice.code, truth.code, twice.stderr);
      assert.equal(portable(twice.stdout, dir), portable(truth.stdout, base));
    });
  });

  scenario('--no-cache neither reads nor writes .sourcemark', async () => {
    const fresh = projects.make();
    const damaged = project();
    fs.mkdirSync(path.dirname(cacheOf(damaged)), { recursive: true });
    fs.writeFileSync(cacheOf(damaged), 'not a cache');
    const [indexed, ignored] = await Promise.all([index(fresh, '--no-cache'), run(damaged, [...CHECK, '--no-cache'])]);
    assert.deepEqual(indexed.report.cache, { state: 'off', files: 5, read: 5 });
    assert.deepEqual(counts(indexed.report), counts(first.report));
    assert.equal(fs.existsSync(path.join(fresh, '.sourcemark')), false, 'no .sourcemark folder');
    assert.equal(ignored.stderr, '', 'a damaged cache is not even opened');
    assert.equal(ignored.code, truth.code);
    assert.equal(portable(ignored.stdout, damaged), portable(truth.stdout, base));
    assert.equal(fs.readFileSync(cacheOf(damaged), 'utf8'), 'not a cache', 'nor rewritten');
  });
});
