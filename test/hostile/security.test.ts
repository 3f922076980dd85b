/**
 * Security rules:
 * 1. A citation key is looked up in the in-memory id map only: drafts full of path-like keys
 *    never make the workspace read anything (every `readFile` is recorded), and the keys that
 *    are Pandoc citation keys are reported as `unknown-source`.
 * 2. Corpus globs may not reach outside the workspace unless the user says so: the server drops
 *    escaping globs from `sourcemark.json` always and from editor settings unless started with
 *    `initializationOptions.allowCorpusOutsideWorkspace: true`; `NodeWorkspace` drops matches
 *    whose real path lies outside the root (symbolic links); the CLI refuses an escaping glob in
 *    `sourcemark.json` with exit 2 unless `--allow-outside-corpus`, and accepts `--corpus`.
 * 3. The server never executes anything and never touches the network: a scan of server/src
 *    for process, network and eval APIs; only `node/git.ts` runs a program, and only the CLI
 *    imports it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileChangeType, type DocumentLink, type Location, type SymbolInformation } from 'vscode-languageserver-protocol';
import { parseDraft } from '../../server/src/core/draft/parseDraft';
import { createSourcemarkService, type SourcemarkWorkspace, type WorkspaceFile } from '../../server/src/core/service';
import { NodeWorkspace } from '../../server/src/node/nodeWorkspace';
import { globLeavesFolder } from '../../server/src/node/pathSafety';
import { repoRoot, settings } from '../support/memoryWorkspace';
import { startLsp, type LspSession } from '../support/lspClient';
import { TempWorkspace } from '../protocol/workspace';
import { ensureBuilt, Projects, runCli } from '../cli/support';

const SEED_ARTICLES = 5;
/** A word that occurs only in the secret article outside the workspace. */
const MARKER = 'Zyxwvutsrq';
const SECRET_ARTICLE = `Bí mật ${MARKER}\nNăm 2024, công ty ${MARKER} có 777 nhân viên bí mật.\n`;

/** Path-like citation keys. Those that are Pandoc keys must come back as unknown-source. */
const HOSTILE_KEYS = [
  '../../etc/passwd',
  '/etc/passwd',
  'a/../../x',
  'etc/passwd',
  '..',
  '~/.ssh/id_rsa',
  'file:///etc/passwd',
  '%2e%2e/secret',
  'corpus/../../secret',
  'secret/leak.txt',
  'leak',
  'C:\\Windows\\win.ini',
  '002_bd768a52f42e921c/../../../etc/passwd',
  'corpus/002_bd768a52f42e921c.txt',
  'proc/self/environ',
  'dev/zero',
];

/** Records every path the core asks the disk for. */
class RecordingWorkspace implements SourcemarkWorkspace {
  readonly reads: string[] = [];
  readonly globs: string[][] = [];
  constructor(private readonly inner: NodeWorkspace) {}
  findFiles(globs: readonly string[]): Promise<WorkspaceFile[]> {
    this.globs.push([...globs]);
    return this.inner.findFiles(globs);
  }
  readFile(uri: string): Promise<Uint8Array | undefined> {
    this.reads.push(fileURLToPath(uri));
    return this.inner.readFile(uri);
  }
}

/** A folder outside every workspace, holding `secret/leak.txt`. */
function makeOutside(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-outside-')));
  fs.mkdirSync(path.join(dir, 'secret'));
  fs.writeFileSync(path.join(dir, 'secret', 'leak.txt'), SECRET_ARTICLE);
  fs.writeFileSync(path.join(dir, 'secret', 'leak.md'), SECRET_ARTICLE);
  return dir;
}

/** `to` relative to `from`, with `/`. */
const rel = (from: string, to: string): string => path.relative(from, to).split(path.sep).join('/');

describe('security', function () {
  this.timeout(120_000);
  let outside: string;
  before(() => {
    ensureBuilt();
    outside = makeOutside();
  });
  after(() => fs.rmSync(outside, { recursive: true, force: true }));

  describe('citation keys', () => {
    const projects = new Projects();
    after(() => projects.cleanup());

    it('are looked up in the id map only: checking and every feature read nothing, unknown keys are reported', async () => {
      const dir = projects.make();
      fs.mkdirSync(path.join(dir, 'secret'));
      fs.writeFileSync(path.join(dir, 'secret', 'leak.txt'), SECRET_ARTICLE);
      fs.symlinkSync(path.join(outside, 'secret'), path.join(dir, 'linked-secret'));
      const workspace = new RecordingWorkspace(new NodeWorkspace(dir));
      const service = createSourcemarkService({ workspace });
      await service.indexCorpus(settings);
      const corpusDir = path.join(dir, 'corpus') + path.sep;
      assert.ok(workspace.reads.length > 0);
      for (const p of workspace.reads) assert.ok(p.startsWith(corpusDir), `indexing read only corpus files: ${p}`);
      workspace.reads.length = 0;

      const lines = HOSTILE_KEYS.map((k) => `Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@${k}].`);
      lines.push(`Xem thêm [@${HOSTILE_KEYS.join('; @')}].`);
      const text = lines.join('\n\n') + '\n';
      const doc = { uri: pathToFileURL(path.join(dir, 'draft.md')).href, version: 1, getText: () => text };
      const { diagnostics } = service.checkDocument(doc, settings);
      // Every feature at every character of every citation.
      const textLines = text.split('\n');
      for (let line = 0; line < textLines.length; line++) {
        const at = textLines[line]!.indexOf('[@');
        if (at < 0) continue;
        for (let character = at; character <= textLines[line]!.length; character++) {
          const position = { line, character };
          service.provideHover(doc, position, settings);
          service.provideDefinition(doc, position, settings);
          service.provideCompletions(doc, position, settings);
          service.provideCodeActions(doc, { start: position, end: position }, diagnostics, settings);
        }
      }
      const links = service.provideDocumentLinks(doc, settings);
      service.provideReferences(doc, { line: 0, character: textLines[0]!.indexOf('[@') + 3 }, [doc], settings);
      service.provideWorkspaceSymbols('passwd', settings);
      assert.deepEqual(workspace.reads, [], 'no file was read for a citation key');
      for (const l of links) assert.ok(l.target === undefined || fileURLToPath(l.target).startsWith(corpusDir), `links only into the corpus: ${l.target}`);

      // The keys that are Pandoc citation keys are unknown sources; the others are no citation at all.
      const keys = parseDraft(text).citations.flatMap((c) => c.items.map((i) => i.key));
      assert.ok(keys.includes('etc/passwd') && keys.includes('secret/leak.txt') && keys.includes('corpus/002_bd768a52f42e921c.txt'), JSON.stringify(keys));
      const unknown = diagnostics.filter((d) => d.code === 'unknown-source');
      for (const key of new Set(keys)) assert.ok(unknown.some((d) => textLines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character) === key), `unknown-source for ${key}`);
      assert.equal(unknown.length, keys.length);
      for (const key of HOSTILE_KEYS.filter((k) => !keys.includes(k))) assert.ok(/^[^\p{L}\p{N}_]|\.\.|[\\%]|:\/\//u.test(key), `only keys outside the Pandoc alphabet are not citations: ${key}`);
    });

    it('over LSP: no response to a hostile key ever names a file outside the corpus or its content', async () => {
      const ws = new TempWorkspace({ files: { 'secret/leak.txt': SECRET_ARTICLE } });
      const s = await startLsp(ws.root);
      try {
        await s.waitForProgressEnd(1);
        const text = HOSTILE_KEYS.map((k) => `Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@${k}].`).join('\n\n') + '\n';
        const uri = ws.write('keys.md', text);
        await s.open(uri, text);
        const published = await s.waitForDiagnostics(uri, (p) => p.version === 1);
        assert.ok(published.diagnostics.some((d) => d.code === 'unknown-source' && /etc\/passwd/.test(String(d.message))));
        const answers: unknown[] = [];
        const textLines = text.split('\n');
        for (let line = 0; line < textLines.length; line++) {
          const at = textLines[line]!.indexOf('[@');
          if (at < 0) continue;
          const position = { line, character: at + 3 };
          for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/completion', 'textDocument/references']) {
            answers.push(await s.connection.sendRequest(method, { textDocument: { uri }, position, context: { includeDeclaration: true } }));
          }
        }
        answers.push(await s.connection.sendRequest<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } }));
        answers.push(await s.connection.sendRequest<SymbolInformation[]>('workspace/symbol', { query: MARKER }));
        const all = JSON.stringify(answers);
        assert.ok(!all.includes(MARKER), 'the secret article never shows');
        for (const m of all.matchAll(/file:\/\/[^"#]+/g)) {
          const p = fileURLToPath(m[0]);
          assert.ok(p.startsWith(ws.path('corpus') + path.sep) || p === ws.path('keys.md'), `only corpus files and the draft: ${p}`);
        }
        assert.ok(s.alive());
      } finally {
        await s.close();
        ws.remove();
      }
    });
  });

  describe('corpus globs outside the workspace', () => {
    it('globLeavesFolder recognises every way out, and nothing else', () => {
      const out = ['../secret/**/*.txt', '/etc/**', '**/../../x', '~/.ssh/*', 'C:/Windows/*.ini', 'C:\\Windows\\*.ini', '..\\secret\\*.txt', 'corpus/../../x', './../x', '{.,x}./secret/*', '{corpus,..}/x', '{a,{b,..}}/x', '@(..)/x', '+(a|..)/x', '!../x', 'a/**/../../b', '..'];
      const inside = ['corpus/**/*.{txt,md,jsonl}', '**/*.md', 'corpus/sub/../x.txt', 'a/b/../../c', 'corpus/{1..3}.txt', 'corpus/..hidden/x', 'corpus/x..y.txt', '{corpus,archive}/**/*.txt', './corpus/*.txt', '*.txt', ''];
      for (const g of out) assert.ok(globLeavesFolder(g), `refused: ${g}`);
      for (const g of inside) assert.equal(globLeavesFolder(g), undefined, `accepted: ${g}`);
      assert.ok(globLeavesFolder('{'.repeat(5000)), 'an absurdly long glob is refused');
      assert.ok(globLeavesFolder('{a,b}'.repeat(10)), 'too many alternatives to check is refused');
    });

    it('NodeWorkspace drops matches and refuses reads whose real path is outside the root, unless allowed', async () => {
      const ws = new TempWorkspace();
      try {
        fs.symlinkSync(path.join(outside, 'secret'), ws.path('corpus/linked'));
        fs.symlinkSync(path.join(outside, 'secret', 'leak.txt'), ws.path('corpus/leak.txt'));
        const skipped: string[] = [];
        const strict = new NodeWorkspace(ws.root, { onSkip: (p, reason) => skipped.push(`${p}: ${reason}`) });
        assert.deepEqual(await strict.findFiles(['corpus/linked/*.txt']), []);
        assert.equal(skipped.length, 1);
        assert.match(skipped[0]!, /^corpus\/linked\/leak\.txt: resolves to .*secret\/leak\.txt, outside .* \(a symbolic link\)$/);
        assert.deepEqual(await strict.findFiles([`../${path.basename(outside)}/secret/*.txt`, `${outside}/secret/*.txt`]), []);
        await assert.rejects(strict.readFile(ws.uri('corpus/leak.txt')), /resolves to .*leak\.txt, outside/);
        await assert.rejects(strict.readFile(pathToFileURL(path.join(outside, 'secret', 'leak.txt')).href), /lies outside/);
        // Links that stay inside are fine.
        fs.symlinkSync(ws.path('corpus'), ws.path('corpus-link'));
        assert.equal((await strict.findFiles(['corpus-link/*.txt'])).length, SEED_ARTICLES);

        const allowed = new NodeWorkspace(ws.root, { allowOutside: true });
        assert.equal((await allowed.findFiles(['corpus/linked/*.txt'])).length, 1);
        assert.ok((await allowed.readFile(ws.uri('corpus/leak.txt')))?.length);
      } finally {
        ws.remove();
      }
    });

    describe('language server', () => {
      const sessions: { s: LspSession; ws: TempWorkspace }[] = [];
      afterEach(async () => {
        for (const { s, ws } of sessions.splice(0)) {
          await s.close();
          ws.remove();
        }
      });
      async function start(files: Record<string, string>, editorSettings: Record<string, unknown> = {}, initializationOptions?: Record<string, unknown>): Promise<{ s: LspSession; ws: TempWorkspace }> {
        const ws = new TempWorkspace({ files });
        const s = await startLsp(ws.root, editorSettings, initializationOptions ? { initializationOptions } : {});
        sessions.push({ s, ws });
        await s.waitForProgressEnd(1);
        return { s, ws };
      }
      const symbols = (s: LspSession): Promise<SymbolInformation[]> => s.connection.sendRequest<SymbolInformation[]>('workspace/symbol', { query: MARKER });

      it('drops an escaping glob from sourcemark.json with a warning; the in-folder globs still apply', async () => {
        const escaping = `../${path.basename(outside)}/secret/**/*.txt`;
        const { s, ws } = await start({ 'sourcemark.json': JSON.stringify({ corpus: [escaping, '/etc/**/*.txt', 'corpus/**/*.txt'] }) });
        assert.ok(s.logs.some((l) => l.includes(`sourcemark.json: corpus glob ${JSON.stringify(escaping)} points outside the workspace folder (it climbs out of the folder with ".."): ignored`)), s.logs.join('\n'));
        assert.ok(s.logs.some((l) => l.includes('sourcemark.json: corpus glob "/etc/**/*.txt" points outside the workspace folder (it is an absolute path): ignored')), s.logs.join('\n'));
        assert.equal((await s.status()).articles, SEED_ARTICLES);
        assert.deepEqual(await symbols(s), []);
        // One warning per glob, not one per settings lookup.
        const text = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.\n';
        for (const name of ['a.md', 'b.md', 'c.md']) {
          const uri = ws.write(name, text);
          await s.open(uri, text);
          await s.waitForDiagnostics(uri);
        }
        assert.equal(s.logs.filter((l) => l.includes(JSON.stringify(escaping))).length, 1, s.logs.join('\n'));
      });

      it('refuses an escaping glob from editor settings unless initializationOptions.allowCorpusOutsideWorkspace is true', async () => {
        const absolute = `${outside.split(path.sep).join('/')}/secret/**/*.txt`;
        const refused = await start({}, { corpus: [absolute, 'corpus/**/*.txt'] });
        assert.ok(refused.s.logs.some((l) => l.includes(`settings: corpus glob ${JSON.stringify(absolute)} points outside the workspace folder (it is an absolute path): ignored; set initializationOptions.allowCorpusOutsideWorkspace`)), refused.s.logs.join('\n'));
        assert.equal((await refused.s.status()).articles, SEED_ARTICLES);
        assert.deepEqual(await symbols(refused.s), []);

        const allowed = await start({}, { corpus: [absolute, 'corpus/**/*.txt'] }, { allowCorpusOutsideWorkspace: true });
        assert.ok(!allowed.s.logs.some((l) => l.includes('points outside')), allowed.s.logs.join('\n'));
        assert.equal((await allowed.s.status()).articles, SEED_ARTICLES + 1);
        assert.ok((await symbols(allowed.s)).length > 0, 'the allowed article is indexed');
      });

      it('drops sourcemark.json escapes even when the user allows editor settings outside', async () => {
        const escaping = `../${path.basename(outside)}/secret/**/*.txt`;
        const { s } = await start({ 'sourcemark.json': JSON.stringify({ corpus: [escaping] }) }, {}, { allowCorpusOutsideWorkspace: true });
        assert.ok(s.logs.some((l) => l.includes(`sourcemark.json: corpus glob ${JSON.stringify(escaping)} points outside`)), s.logs.join('\n'));
        // The whole list was dropped, so the editor's (default) corpus applies.
        assert.equal((await s.status()).articles, SEED_ARTICLES);
      });

      it('symbolic links from the corpus to outside files are skipped when listed and when announced by the watcher', async () => {
        const ws0 = new TempWorkspace({ files: { 'sourcemark.json': JSON.stringify({ corpus: ['corpus/**/*.txt', 'corpus/linked/*.txt'] }) } });
        fs.symlinkSync(path.join(outside, 'secret'), ws0.path('corpus/linked'));
        fs.symlinkSync(path.join(outside, 'secret', 'leak.txt'), ws0.path('corpus/leak.txt'));
        const s = await startLsp(ws0.root);
        sessions.push({ s, ws: ws0 });
        await s.waitForProgressEnd(1);
        assert.ok(s.logs.some((l) => /^corpus\/linked\/leak\.txt: resolves to .*, outside .* \(a symbolic link\): skipped$/.test(l)), s.logs.join('\n'));
        assert.equal((await s.status()).articles, SEED_ARTICLES);
        const draft = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.\n';
        const uri = ws0.write('d.md', draft);
        await s.open(uri, draft);
        await s.waitForDiagnostics(uri);
        const recheck = s.waitForNextDiagnostics(uri);
        await s.watchedFilesChanged([{ uri: ws0.uri('corpus/leak.txt'), type: FileChangeType.Created }]);
        await recheck;
        assert.ok(s.logs.some((l) => /^corpus\/leak\.txt: unreadable, skipped: resolves to .*leak\.txt, outside/.test(l)), s.logs.join('\n'));
        assert.equal((await s.status()).articles, SEED_ARTICLES);
        assert.deepEqual(await symbols(s), []);
        const refs = await s.connection.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: ws0.uri('corpus/leak.txt') }, position: { line: 0, character: 0 }, context: { includeDeclaration: true } });
        assert.ok(!JSON.stringify(refs).includes(MARKER));
      });
    });

    describe('CLI', () => {
      const projects = new Projects();
      after(() => projects.cleanup());
      const escapingGlob = (dir: string): string => `${rel(dir, outside)}/secret/**/*.txt`;

      for (const [name, glob] of [
        ['a ../ glob', (dir: string) => escapingGlob(dir)],
        ['an absolute glob', () => '/etc/**'],
        ['a glob climbing out after **', () => '**/../../x/*.txt'],
      ] as const) {
        it(`refuses ${name} in sourcemark.json with exit 2 and one line`, () => {
          const dir = projects.make({ 'draft.md': 'Tokyo.\n' });
          const g = glob(dir);
          fs.writeFileSync(path.join(dir, 'sourcemark.json'), JSON.stringify({ corpus: ['corpus/**/*.txt', g] }));
          for (const args of [['index', '--stats'], ['check', 'draft.md'], ['bib']]) {
            const r = runCli(dir, args);
            assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
            assert.equal(r.stdout, '');
            assert.match(r.stderr, new RegExp(`^sourcemark: sourcemark\\.json: corpus glob ${JSON.stringify(g).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} points outside the working directory \\(it [^)]+\\); refused, pass --allow-outside-corpus to allow it\\n$`));
          }
        });
      }

      it('a --config file is held to the same rule', () => {
        const dir = projects.make();
        fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify({ corpus: [escapingGlob(dir)] }));
        const r = runCli(dir, ['index', '--config', 'team.json']);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^sourcemark: team\.json: corpus glob .* refused, pass --allow-outside-corpus to allow it\n$/);
      });

      it('accepts the escaping glob with --allow-outside-corpus, and --corpus from the command line', () => {
        const dir = projects.make();
        fs.writeFileSync(path.join(dir, 'sourcemark.json'), JSON.stringify({ corpus: ['corpus/**/*.txt', escapingGlob(dir)] }));
        const allowed = runCli(dir, ['index', '--stats', '--format', 'json', '--allow-outside-corpus']);
        assert.equal(allowed.code, 0, allowed.stderr);
        assert.equal((JSON.parse(allowed.stdout) as { articles: number }).articles, SEED_ARTICLES + 1);

        const cli = runCli(dir, ['index', '--format', 'json', '--corpus', 'corpus/**/*.txt', '--corpus', escapingGlob(dir)]);
        assert.equal(cli.code, 0, cli.stderr);
        assert.equal((JSON.parse(cli.stdout) as { articles: number }).articles, SEED_ARTICLES + 1);
        const abs = runCli(dir, ['bib', '--corpus', `${outside.split(path.sep).join('/')}/secret/*.txt`]);
        assert.equal(abs.code, 0, abs.stderr);
        assert.ok(abs.stdout.includes(MARKER));
      });

      it('skips a corpus symlink that leads outside, with a warning, and never prints its content', () => {
        const dir = projects.make();
        fs.symlinkSync(path.join(outside, 'secret'), path.join(dir, 'corpus', 'linked'));
        fs.writeFileSync(path.join(dir, 'sourcemark.json'), JSON.stringify({ corpus: ['corpus/*.txt', 'corpus/linked/*.txt'] }));
        const r = runCli(dir, ['bib']);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /^sourcemark: warning: corpus\/linked\/leak\.txt: resolves to .*leak\.txt, outside .* \(a symbolic link\): skipped\n$/);
        assert.ok(!r.stdout.includes(MARKER));
        assert.equal((JSON.parse(r.stdout) as unknown[]).length, SEED_ARTICLES);
      });
    });
  });

  describe('no execution, no network', () => {
    const FORBIDDEN_MODULES = ['child_process', 'http', 'https', 'http2', 'net', 'dgram', 'tls', 'vm', 'worker_threads', 'cluster', 'inspector'];
    const FORBIDDEN_CALLS = ['fetch(', 'eval(', 'new Function', 'WebSocket', 'XMLHttpRequest', 'process.binding', 'require(', 'import('];
    function* sources(dir: string): Generator<string> {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) yield* sources(p);
        else if (/\.(ts|js|mjs|cjs|json)$/.test(e.name)) yield p;
      }
    }
    const srcRoot = path.join(repoRoot, 'server', 'src');
    const relative = (p: string): string => rel(repoRoot, p);

    /**
     * The exceptions: git through execFile for `--changed-since`, and the corpus preparer
     * threads, which run only our own bundled script (`dist/prepareWorker.js`, a file path,
     * never code as a string).
     */
    const ALLOWED: [string, string][] = [
      ['server/src/node/git.ts', 'child_process'],
      ['server/src/node/preparePool.ts', 'worker_threads'],
      ['server/src/node/prepareWorker.ts', 'worker_threads'],
    ];

    it('server/src imports no process or network module and calls no eval, fetch or new Function (except git and the preparer threads)', () => {
      const offenders: string[] = [];
      for (const file of sources(srcRoot)) {
        const name = relative(file);
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:import|export)[^'";]*?from\s+['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]/g)) {
          const spec = (m[1] ?? m[2]!).replace(/^node:/, '').split('/')[0]!;
          if (FORBIDDEN_MODULES.includes(spec) && !ALLOWED.some(([file, module]) => name === file && spec === module)) offenders.push(`${name} imports ${m[1] ?? m[2]}`);
        }
        for (const call of FORBIDDEN_CALLS) if (text.includes(call)) offenders.push(`${name} uses ${call}`);
      }
      assert.deepEqual(offenders, []);
      assert.match(fs.readFileSync(path.join(srcRoot, 'node', 'git.ts'), 'utf8'), /import \{ execFile \} from 'node:child_process'/, 'git.ts runs git through execFile (no shell)');
      const pool = fs.readFileSync(path.join(srcRoot, 'node', 'preparePool.ts'), 'utf8');
      assert.deepEqual([...pool.matchAll(/new Worker\(([^)]*)\)/g)].map((m) => m[1]), ['script, { workerData: data }'], 'the pool starts a script file, never code (no eval: true)');
    });

    it('node/git.ts is imported from server/src/cli only, and the server bundle does not contain it', () => {
      const importers: string[] = [];
      for (const file of sources(srcRoot)) {
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
          if (!m[1]!.startsWith('.')) continue;
          const target = path.resolve(path.dirname(file), m[1]!);
          if (target === path.join(srcRoot, 'node', 'git')) importers.push(relative(file));
        }
      }
      assert.ok(importers.length > 0, 'the CLI uses it');
      for (const i of importers) assert.ok(i.startsWith('server/src/cli/'), `imported from ${i}`);
      const bundle = fs.readFileSync(path.join(repoRoot, 'dist', 'server.js'), 'utf8');
      assert.ok(!bundle.includes('GIT_TERMINAL_PROMPT'), 'dist/server.js does not bundle the git runner');
    });
  });
});
