/**
 * Hostile corpus files, through all three hosts (the core with an in-memory or injected
 * workspace, the CLI in temporary folders, the language server over stdio): binary data,
 * invalid UTF-8, UTF-16 with BOM, CRLF and lone CR line breaks, a 20 MB single line, files
 * over the size cap, empty files, broken and hostile YAML, duplicate ids, a symlink loop,
 * files that vanish or become unreadable mid-index, and 10,000 files in one folder.
 *
 * Each bad file is skipped or partly indexed with a warning that names it and says why; the
 * rest of the corpus is unaffected (the known contradictions are still found), and the
 * related information of a contradiction lands on the source figure in the file as stored.
 * Timings are printed as `[measure]` lines.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSourcemarkService, type WorkspaceFile } from '../../server/src/core/service';
import { MAX_FILE_BYTES, NodeWorkspace } from '../../server/src/node/nodeWorkspace';
import { MAX_LINE_CHARS } from '../../server/src/core/corpus/parseArticle';
import { InMemoryWorkspace, seedCorpus, settings } from '../support/memoryWorkspace';
import { startLsp, type LspSession } from '../support/lspClient';
import { TempWorkspace } from '../protocol/workspace';
import { DRAFTS, ensureBuilt, parseJsonReport, Projects, runCli, write } from '../cli/support';
import { decodedFact, EXPECTED_WARNINGS, factsDraft, FACTS, HOSTILE_ARTICLES, hostileFiles, textAtRange, writeHostileFiles } from './fixtures';

const SEED_ARTICLES = 5;
const WRONG = DRAFTS.wrong.trim();
/** The seed contradiction: "5,4 tỷ USD" against the source's "4,5 tỷ USD". */
const SEED_FIGURE = '4,5 tỷ USD';

export const measured: Record<string, string> = {};
function measure(name: string, ms: number, extra = ''): void {
  measured[name] = `${Math.round(ms)} ms${extra ? ` (${extra})` : ''}`;
  console.log(`      [measure] ${name}: ${measured[name]}`);
}

/** Asserts every expected warning occurs in `lines`, each at most as often as expected. */
function assertWarnings(lines: string[], expected: RegExp[] = EXPECTED_WARNINGS): void {
  for (const re of expected) assert.ok(lines.some((l) => re.test(l)), `a warning matching ${re}:\n${lines.join('\n')}`);
}

/** Related information of each contradiction, checked against the stored file (decoded as an editor would). */
function assertFactContradictions(diagnostics: { code?: unknown; relatedInformation?: { location: { uri: string; range: import('vscode-languageserver-types').Range } }[] }[], fileOf: (uri: string) => string): void {
  const contradicted = diagnostics.filter((d) => d.code === 'contradicted-figure');
  for (const f of FACTS) {
    const d = contradicted.find((x) => x.relatedInformation?.some((r) => fileOf(r.location.uri) === f.file));
    assert.ok(d, `a contradiction pointing at ${f.file}: ${JSON.stringify(contradicted.map((x) => x.relatedInformation?.[0]?.location.uri))}`);
    const r = d.relatedInformation!.find((x) => fileOf(x.location.uri) === f.file)!;
    assert.equal(textAtRange(decodedFact(f), r.location.range), f.figure, `${f.file} (${f.encoding}): ${JSON.stringify(r.location.range)}`);
  }
}

/** A workspace that fails on chosen files the way a disk does when files vanish or lose permissions mid-index. */
class FlakyWorkspace extends InMemoryWorkspace {
  readonly reads: string[] = [];
  constructor(
    files: Record<string, string | Uint8Array>,
    private readonly failures: Record<string, string>,
  ) {
    super(files);
  }
  override async readFile(uri: string): Promise<Uint8Array | undefined> {
    this.reads.push(uri);
    const p = uri.replace('memory:///', '');
    const code = this.failures[p];
    if (code === 'undefined') return undefined;
    if (code) throw Object.assign(new Error(`${code}: simulated, open '${p}'`), { code });
    return super.readFile(uri);
  }
}

describe('hostile corpus', function () {
  this.timeout(180_000);
  before(() => ensureBuilt());
  after(() => {
    if (Object.keys(measured).length) console.log(`      [measure] summary ${JSON.stringify(measured)}`);
  });

  describe('core service (in-memory workspace)', () => {
    it('skips or partly indexes each bad file with a warning naming it, and indexes the rest', async () => {
      const workspace = new InMemoryWorkspace({ ...seedCorpus(), ...hostileFiles() });
      const service = createSourcemarkService({ workspace });
      const problems = await service.indexCorpus(settings);
      const lines = problems.map((p) => `${p.file}: ${p.message}`);
      assertWarnings(lines);
      for (const p of problems) assert.ok(p.file.startsWith('corpus/'), `names the file: ${p.file}`);
      // Good files raise nothing.
      for (const file of [...Object.keys(seedCorpus()), ...FACTS.filter((f) => f.encoding !== 'invalid-utf8' && f.encoding !== 'broken-yaml-crlf').map((f) => f.file)]) {
        assert.ok(!problems.some((p) => p.file === file), `no problem for ${file}: ${lines.join('\n')}`);
      }
      assert.equal(service.stats().articles, SEED_ARTICLES + HOSTILE_ARTICLES);
      const { diagnostics } = service.checkDraft(factsDraft([WRONG]), settings);
      assertFactContradictions(diagnostics, (uri) => uri.replace('memory:///', ''));
      const seed = diagnostics.find((d) => d.code === 'contradicted-figure' && d.relatedInformation?.[0]?.location.uri.includes('002_bd768a52f42e921c'));
      assert.ok(seed, 'the seed contradiction is still found');
    });

    it('reports files that vanish, lose permissions or turn into folders mid-index, and keeps the rest', async () => {
      const failures = { 'corpus/001_480f489f3fef32bb.txt': 'ENOENT', 'corpus/003_80a1a450f9bb5232.txt': 'EACCES', 'corpus/brazil.txt': 'EISDIR', 'corpus/india.txt': 'EIO', 'corpus/chile.txt': 'undefined' };
      const workspace = new FlakyWorkspace({ ...seedCorpus(), ...hostileFiles() }, failures);
      const service = createSourcemarkService({ workspace });
      const problems = await service.indexCorpus(settings);
      const lines = problems.map((p) => `${p.file}: ${p.message}`);
      assert.ok(lines.includes('corpus/001_480f489f3fef32bb.txt: unreadable, skipped: file not found'), lines.join('\n'));
      assert.ok(lines.includes('corpus/003_80a1a450f9bb5232.txt: unreadable, skipped: permission denied'), lines.join('\n'));
      assert.ok(lines.includes('corpus/brazil.txt: unreadable, skipped: is a folder'), lines.join('\n'));
      assert.ok(lines.includes('corpus/india.txt: unreadable, skipped: EIO'), lines.join('\n'));
      // A file gone between listing and reading (the workspace answers undefined) is simply no longer in the corpus.
      assert.ok(!lines.some((l) => l.startsWith('corpus/chile.txt')), lines.join('\n'));
      assert.equal(service.stats().articles, SEED_ARTICLES + HOSTILE_ARTICLES - 5);
      assert.ok(service.checkDraft(WRONG, settings).diagnostics.some((d) => d.code === 'contradicted-figure'), 'the rest of the corpus still works');
      // A re-read that now succeeds brings the article back (the watcher path).
      delete (failures as Record<string, string>)['corpus/003_80a1a450f9bb5232.txt'];
      assert.deepEqual(await service.updateCorpusFile({ uri: InMemoryWorkspace.uri('corpus/003_80a1a450f9bb5232.txt'), path: 'corpus/003_80a1a450f9bb5232.txt' }), []);
      assert.equal(service.stats().articles, SEED_ARTICLES + HOSTILE_ARTICLES - 4);
    });

    it(`skips a 20 MB single line (.txt) and an over-long JSONL record in bounded time`, async () => {
      const line = 'Hà Nội cho biết dân số tăng 3 triệu người. '.repeat(Math.ceil(20e6 / 43)).slice(0, 20e6);
      const jsonl = [JSON.stringify({ id: 'long-record', body: 'Dài quá. '.repeat(Math.ceil((MAX_LINE_CHARS + 10) / 9)) }), JSON.stringify({ id: 'short-record', title: 'Tin ngắn', body: 'Năm 2017, Peru xuất khẩu 2,4 triệu tấn đồng.' })].join('\n');
      const workspace = new InMemoryWorkspace({ ...seedCorpus(), 'corpus/huge-line.txt': line, 'corpus/records.jsonl': jsonl });
      const service = createSourcemarkService({ workspace });
      const started = performance.now();
      const problems = await service.indexCorpus(settings);
      const ms = performance.now() - started;
      measure('core: 20 MB single line + 1 MB JSONL record', ms);
      const lines = problems.map((p) => `${p.file}: ${p.message}`);
      assert.ok(lines.includes(`corpus/huge-line.txt: line 1 is 20,000,000 characters long (more than 1,000,000): not article text, skipped`), lines.join('\n'));
      assert.ok(lines.some((l) => /^corpus\/records\.jsonl: line 1: record is [\d,]+ characters long \(more than 1,000,000\): skipped$/.test(l)), lines.join('\n'));
      assert.ok(service.corpus.article('short-record'), 'the other record is indexed');
      assert.equal(service.stats().articles, SEED_ARTICLES + 1);
      assert.ok(ms < 10_000, `bounded time: ${ms} ms`);
    });
  });

  describe('CLI', () => {
    const projects = new Projects();
    after(() => projects.cleanup());

    it('index --stats and check: every bad file warned about on stderr, the rest indexed, positions exact', () => {
      const dir = projects.make({ 'drafts/facts.md': factsDraft([WRONG]) });
      writeHostileFiles(dir);
      let started = performance.now();
      const index = runCli(dir, ['index', '--stats', '--format', 'json']);
      measure('CLI index of seed + hostile files (symlink loop included)', performance.now() - started);
      assert.equal(index.code, 0, index.stderr);
      const stats = JSON.parse(index.stdout) as { articles: number };
      assert.equal(stats.articles, SEED_ARTICLES + HOSTILE_ARTICLES);
      const lines = index.stderr.trim().split('\n');
      for (const l of lines) assert.match(l, /^sourcemark: warning: corpus\/[^/]+: /, 'one warning per line, naming the file');
      assertWarnings(lines);
      assert.ok(!/YAMLWarning|loop\//.test(index.stderr), index.stderr);

      started = performance.now();
      const check = runCli(dir, ['check', '--format', 'json', 'drafts/facts.md']);
      measure('CLI check of the facts draft', performance.now() - started);
      assert.equal(check.code, 1, check.stderr);
      const [report] = parseJsonReport(check.stdout);
      assert.ok(report);
      assertFactContradictions(report.diagnostics as never, (uri) => path.relative(dir, fileURLToPath(uri)).split(path.sep).join('/'));
      const seed = report.diagnostics.find((d) => d.code === 'contradicted-figure' && d.relatedInformation?.[0]?.location.uri.includes('002_bd768a52f42e921c'));
      assert.ok(seed, 'the seed contradiction is still found');
    });

    it('a 20 MB single line is skipped with a warning in bounded time; the contradiction is still found', () => {
      const dir = projects.make({ 'drafts/wrong.md': DRAFTS.wrong });
      write(dir, 'corpus/huge-line.txt', 'Hà Nội cho biết dân số tăng 3 triệu người. '.repeat(Math.ceil(20e6 / 43)).slice(0, 20e6));
      const started = performance.now();
      const index = runCli(dir, ['index', '--stats', '--format', 'json']);
      const ms = performance.now() - started;
      measure('CLI index with a 20 MB single-line file', ms);
      assert.equal(index.code, 0, index.stderr);
      assert.equal(index.stderr, 'sourcemark: warning: corpus/huge-line.txt: line 1 is 20,000,000 characters long (more than 1,000,000): not article text, skipped\n');
      assert.equal((JSON.parse(index.stdout) as { articles: number }).articles, SEED_ARTICLES);
      assert.ok(ms < 30_000, `bounded: ${ms} ms`);
      const check = runCli(dir, ['check', '--format', 'json', 'drafts/wrong.md']);
      assert.equal(check.code, 1, check.stderr);
      assert.ok(parseJsonReport(check.stdout)[0]!.diagnostics.some((d) => d.code === 'contradicted-figure'));
    });

    it(`a file over the ${MAX_FILE_BYTES / 1024 / 1024} MB cap is skipped without being read`, async () => {
      const dir = projects.make({ 'drafts/wrong.md': DRAFTS.wrong });
      // A sparse file: no 65 MB written to disk, and reading it would show in the time taken.
      const fd = fs.openSync(path.join(dir, 'corpus/dump.txt'), 'w');
      fs.ftruncateSync(fd, MAX_FILE_BYTES + 1);
      fs.closeSync(fd);
      const r = runCli(dir, ['check', '--format', 'json', 'drafts/wrong.md']);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, 'sourcemark: error: corpus/dump.txt: unreadable, skipped: larger than 64 MB\n');
      assert.ok(parseJsonReport(r.stdout)[0]!.diagnostics.some((d) => d.code === 'contradicted-figure'));
    });

    it('a symlink loop in the corpus does not hang the listing (fast-glob does not follow links)', async () => {
      const dir = projects.make();
      fs.symlinkSync('.', path.join(dir, 'corpus', 'loop'));
      fs.symlinkSync('..', path.join(dir, 'corpus', 'up'));
      fs.mkdirSync(path.join(dir, 'corpus', 'a', 'b'), { recursive: true });
      fs.symlinkSync('../..', path.join(dir, 'corpus', 'a', 'b', 'back'));
      const workspace = new NodeWorkspace(dir);
      const started = performance.now();
      const files = await workspace.findFiles(['corpus/**/*.{txt,md,jsonl}', '**/*.md']);
      measure('NodeWorkspace.findFiles with symlink loops', performance.now() - started);
      assert.deepEqual(files.map((f) => f.path), Object.keys(seedCorpus()).filter((p) => !p.endsWith('.meta.yaml')));
    });

    it('files deleted while the corpus is being read are dropped quietly; the rest is indexed (NodeWorkspace)', async () => {
      const dir = projects.make();
      const victims = ['corpus/001_480f489f3fef32bb.txt', 'corpus/003_80a1a450f9bb5232.txt'];
      const disk = new NodeWorkspace(dir);
      // Deletes the victims once the corpus has been listed, before they are read (files are
      // read ahead of parsing, so "mid-index" means between listing and reading): a sync tool
      // or `git checkout` racing the indexer.
      const racing = {
        findFiles: async (globs: readonly string[]): Promise<WorkspaceFile[]> => {
          const files = await disk.findFiles(globs);
          for (const v of victims) fs.rmSync(path.join(dir, v), { force: true });
          return files;
        },
        readFile: (uri: string): Promise<Uint8Array | undefined> => disk.readFile(uri),
      };
      const service = createSourcemarkService({ workspace: racing });
      const problems = await service.indexCorpus(settings);
      assert.deepEqual(problems, []);
      assert.equal(service.stats().articles, SEED_ARTICLES - 2);
      assert.ok(service.checkDraft(WRONG, settings).diagnostics.some((d) => d.code === 'contradicted-figure'));
    });

    it('10,000 files in one folder: indexing completes and the contradiction is still found', function () {
      this.timeout(300_000);
      const dir = projects.make({ 'drafts/wrong.md': DRAFTS.wrong });
      const provinces = ['Thái Bình', 'Nam Định', 'An Giang', 'Đồng Tháp', 'Kiên Giang', 'Sóc Trăng', 'Long An', 'Cà Mau'];
      for (let i = 0; i < 10_000; i++) {
        const name = `corpus/tin-${String(i).padStart(5, '0')}.txt`;
        fs.writeFileSync(path.join(dir, name), `Mùa vụ ${i} ở ${provinces[i % provinces.length]}\nNăm ${2000 + (i % 24)}, tỉnh ${provinces[i % provinces.length]} thu hoạch ${100 + (i % 900)} nghìn tấn lúa, theo sở nông nghiệp số ${i}.\n`);
      }
      let started = performance.now();
      const index = runCli(dir, ['index', '--stats', '--format', 'json']);
      const wall = performance.now() - started;
      assert.equal(index.code, 0, index.stderr);
      const stats = JSON.parse(index.stdout) as { articles: number; sentences: number; timeMs: number };
      measure('CLI index of 10,005 files in one folder', wall, `timeMs ${stats.timeMs}, ${stats.sentences} sentences`);
      assert.equal(stats.articles, 10_000 + SEED_ARTICLES);
      assert.equal(index.stderr, '');
      started = performance.now();
      const check = runCli(dir, ['check', '--format', 'json', 'drafts/wrong.md']);
      measure('CLI check against 10,005 files', performance.now() - started);
      assert.equal(check.code, 1, check.stderr);
      assert.ok(parseJsonReport(check.stdout)[0]!.diagnostics.some((d) => d.code === 'contradicted-figure' && d.relatedInformation?.[0]?.location.uri.includes('002_bd768a52f42e921c')));
    });
  });

  describe('language server', () => {
    let ws: TempWorkspace;
    let s: LspSession;
    before(async () => {
      ws = new TempWorkspace();
      writeHostileFiles(ws.root);
      s = await startLsp(ws.root);
      await s.waitForProgressEnd(1);
    });
    after(async () => {
      await s?.close();
      ws?.remove();
    });

    it('logs a warning naming each bad file (window/logMessage) and indexes the rest', async () => {
      assertWarnings(s.logs);
      assert.ok(!s.logs.some((l) => /loop\//.test(l)), s.logs.join('\n'));
      assert.ok(!s.stderr.join('').includes('YAMLWarning'), s.stderr.join(''));
      const status = await s.status();
      assert.equal(status.state, 'ready');
      assert.equal(status.articles, SEED_ARTICLES + HOSTILE_ARTICLES);
      assert.ok(status.problems >= EXPECTED_WARNINGS.length, JSON.stringify(status));
    });

    it('publishes contradictions whose related information lands on the source figure in every encoding', async () => {
      const text = factsDraft([WRONG]);
      const uri = ws.write('drafts/facts.md', text);
      await s.open(uri, text);
      const published = await s.waitForDiagnostics(uri, (p) => p.version === 1);
      assertFactContradictions(published.diagnostics, (u) => path.relative(ws.root, fileURLToPath(u)).split(path.sep).join('/'));
      const seed = published.diagnostics.find((d) => d.code === 'contradicted-figure' && d.relatedInformation?.[0]?.location.uri.includes('002_bd768a52f42e921c'));
      assert.ok(seed);
      const r = seed.relatedInformation![0]!.location;
      assert.equal(textAtRange(fs.readFileSync(fileURLToPath(r.uri), 'utf8'), r.range), SEED_FIGURE);
      await s.closeDocument(uri);
    });
  });
});
