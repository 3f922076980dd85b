/**
 * Bulk indexing in worker threads (`dist/prepareWorker.js`) builds the index the inline path
 * builds: the same cache bytes, the same statistics, the same problems on stderr, the same
 * findings. The corpus is past the bulk threshold and holds the awkward files: decomposed
 * Unicode (parsed by the host: its offset map cannot cross threads), invalid UTF-8, a binary
 * file, a sidecar, broken front matter, a link out of the folder (never listed). A worker that cannot run
 * leaves its files to the inline reader.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DRAFTS, Projects, ensureBuilt, runCli } from './support';
import { repoRoot } from '../support/memoryWorkspace';
import { mulberry32 } from '../support/prng';
import { createSourcemarkService } from '../../server/src/core/service';
import { resolveSettings } from '../../server/src/core/settings';
import { NodeWorkspace } from '../../server/src/node/nodeWorkspace';
import { workerPreparer } from '../../server/src/node/preparePool';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

const CACHE = path.join('.sourcemark', 'cache', 'index.bin');
/** The built preparer thread (running from sources there is none beside the module). */
const WORKER = path.join(repoRoot, 'dist', 'prepareWorker.js');
/** More than the service's bulk threshold (200 files to read). */
const GENERATED = 260;

/** Articles made of the seed articles' paragraphs, shuffled: real Vietnamese text, other files. */
function generatedCorpus(seed: number): Record<string, string | Uint8Array> {
  const seeds = fs
    .readdirSync(path.join(repoRoot, 'corpus'))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(repoRoot, 'corpus', f), 'utf8').split(/\n\s*\n/).filter((p) => p.trim()));
  const r = mulberry32(seed);
  const files: Record<string, string | Uint8Array> = {};
  for (let i = 0; i < GENERATED; i++) {
    const paras = seeds[i % seeds.length]!;
    const picked = paras.filter(() => r() < 0.6);
    files[`corpus/gen/a${String(i).padStart(3, '0')}.txt`] = `Bài ${i}: ${paras[0]!.slice(0, 60)}\n\n${picked.join('\n\n')}\n`;
  }
  files['corpus/gen/nfd.txt'] = 'Thỏa thuận an ninh\n\nNhật Bản cam kết viện trợ 4,5 tỷ USD cho Ukraine trong năm 2024.\n'.normalize('NFD');
  files['corpus/gen/bad-utf8.txt'] = Buffer.concat([Buffer.from('Hà Nội ký thỏa thuận trị giá 3 tỷ USD. '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' Hết.\n')]);
  files['corpus/gen/binary.txt'] = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0]);
  files['corpus/gen/sidecar.txt'] = 'Ukraine và Pháp ký thỏa thuận an ninh 10 năm hôm 16/2.\n';
  files['corpus/gen/sidecar.meta.yaml'] = 'id: phap-2024\ntitle: Pháp và Ukraine\noutlet: Báo Mẫu\ndate: 2024-02-16\n';
  files['corpus/gen/broken.md'] = '---\ntitle: [unclosed\n---\n\nĐức cam kết 7 tỷ euro cho Ukraine.\n';
  return files;
}

function project(): string {
  const dir = projects.make({ ...generatedCorpus(3), 'draft.md': DRAFTS.wrong + DRAFTS.unsupported + DRAFTS.mismatch, 'sourcemark.json': JSON.stringify({ corpus: ['corpus/**/*.{txt,md}'] }) });
  const outside = projects.tempDir('sourcemark-outside-');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'Bí mật: 42 tỷ USD.\n');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'corpus', 'gen', 'link-out.txt'));
  return dir;
}

/** The `index --format json` report without what differs between runs (time, threads). */
const withoutTime = (stdout: string): unknown => {
  const { timeMs: _, preparedInThreads: __, ...rest } = JSON.parse(stdout) as { timeMs: number; preparedInThreads: number };
  return rest;
};

describe('cli: indexing in worker threads', function () {
  this.timeout(120_000);

  it('builds the same index, problems and findings as the inline path', () => {
    const dir = project();
    const inline = runCli(dir, ['index', '--format', 'json'], { SOURCEMARK_WORKERS: '0' });
    assert.equal(inline.code, 0, inline.stderr);
    const inlineCache = fs.readFileSync(path.join(dir, CACHE));
    const inlineCheck = runCli(dir, ['check', '--format', 'json', '--no-cache', 'draft.md'], { SOURCEMARK_WORKERS: '0' });
    fs.rmSync(path.join(dir, '.sourcemark'), { recursive: true });

    const threaded = runCli(dir, ['index', '--format', 'json'], { SOURCEMARK_WORKERS: '2' });
    assert.equal(threaded.code, 0, threaded.stderr);
    const report = withoutTime(threaded.stdout) as { articles: number; cache: { read: number } };
    assert.ok(report.articles > GENERATED, `${report.articles} articles`);
    assert.ok(report.cache.read > 200, 'a bulk run (past the threshold for threads)');
    // Every file the threads could prepare; the decomposed one, and those not indexed, come back to the host.
    const prepared = (JSON.parse(threaded.stdout) as { preparedInThreads: number }).preparedInThreads;
    assert.ok(prepared >= GENERATED && prepared < report.cache.read, `${prepared} of ${report.cache.read} prepared in threads`);
    assert.equal((JSON.parse(inline.stdout) as { preparedInThreads: number }).preparedInThreads, 0);
    assert.deepEqual(report, withoutTime(inline.stdout));
    assert.equal(threaded.stderr, inline.stderr);
    for (const reason of ['binary', 'invalid UTF-8', 'front matter']) assert.match(threaded.stderr, new RegExp(reason), `stderr names the ${reason} file`);
    assert.ok(fs.readFileSync(path.join(dir, CACHE)).equals(inlineCache), 'the same cache bytes');
    const threadedCheck = runCli(dir, ['check', '--format', 'json', '--no-cache', 'draft.md'], { SOURCEMARK_WORKERS: '2' });
    assert.equal(threadedCheck.stdout, inlineCheck.stdout);
    assert.match(threadedCheck.stdout, /contradicted-figure/);
  });

  it('a worker that cannot start leaves its files to the inline reader', async () => {
    const dir = project();
    const bad = path.join(dir, 'broken-worker.js');
    fs.writeFileSync(bad, "throw new Error('this worker cannot start');\n");
    const { settings } = resolveSettings({ corpus: ['corpus/**/*.{txt,md}'] });
    const make = workerPreparer({ root: dir, allowOutside: false, threads: 2, script: bad });
    assert.ok(make, 'a preparer');
    const threaded = createSourcemarkService({ workspace: new NodeWorkspace(dir), engineVersion: 'test', preparer: make });
    const inline = createSourcemarkService({ workspace: new NodeWorkspace(dir), engineVersion: 'test' });
    const problems = await threaded.indexCorpus(settings);
    assert.deepEqual(problems, await inline.indexCorpus(settings));
    assert.ok(threaded.lastIndexRun!.read > 200, 'a bulk run (past the threshold for threads)');
    assert.equal(threaded.lastIndexRun!.prepared, 0, 'every file read inline');
    assert.deepEqual(threaded.snapshot(), inline.snapshot(), 'the index the inline path builds');
  });

  it('a cold start lists without stat-ing each file; the threads sign what they read, and the next start reads nothing', async () => {
    const dir = project();
    const { settings } = resolveSettings({ corpus: ['corpus/**/*.{txt,md}'] });
    const workspace = new NodeWorkspace(dir);
    const answers: boolean[] = [];
    const findFiles = workspace.findFiles.bind(workspace);
    workspace.findFiles = (globs, token, options = {}) =>
      findFiles(globs, token, {
        onMatched: (count) => {
          const unsigned = options.onMatched?.(count) ?? false;
          answers.push(unsigned);
          return unsigned;
        },
      });
    const cold = createSourcemarkService({ workspace, engineVersion: 'test', preparer: workerPreparer({ root: dir, allowOutside: false, threads: 2, script: WORKER })! });
    await cold.indexCorpus(settings);
    assert.deepEqual(answers, [true], 'the listing skipped the stat calls');
    assert.ok(cold.lastIndexRun!.prepared >= GENERATED, `${cold.lastIndexRun!.prepared} prepared in threads`);
    // Each file read carries the signature a listing that stats gives (the sidecar's too).
    const listed = await new NodeWorkspace(dir).findFiles(settings.corpus);
    let signed = 0;
    for (const f of listed) {
      const record = cold.corpus.file(f.uri);
      if (!record) continue; // not indexed (binary)
      assert.equal(record.signature, f.signature, f.path);
      signed++;
    }
    assert.ok(signed > GENERATED, `${signed} files signed`);
    assert.ok(listed.some((f) => f.path.endsWith('sidecar.txt') && f.signature!.includes('|')), 'a signature with its sidecar part');
    // The next start, from the snapshot: nothing to read again.
    const warm = createSourcemarkService({ workspace: new NodeWorkspace(dir), engineVersion: 'test', preparer: workerPreparer({ root: dir, allowOutside: false, threads: 2, script: WORKER })! });
    assert.ok(warm.loadSnapshot(cold.snapshot()).ok);
    await warm.indexCorpus(settings);
    assert.equal(warm.lastIndexRun!.read, 1, 'only the binary file (never indexed, so never signed) is read again');
  });

  it('without the worker script (running from sources) there is no preparer', () => {
    assert.equal(workerPreparer({ root: os.tmpdir(), allowOutside: false, threads: 2, script: path.join(os.tmpdir(), 'no-such-worker.js') }), undefined);
    assert.equal(workerPreparer({ root: os.tmpdir(), allowOutside: false, threads: 0 }), undefined);
  });
});
