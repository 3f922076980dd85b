/**
 * Protocol: the index cache of a workspace folder, kept in the client's storage folder
 * (`initializationOptions.storagePath`). The first server writes it once indexing and figure
 * counting are done; the next one answers from it before re-checking the files; a corpus file
 * edited while no server ran is re-read; a damaged cache is not used, and is rebuilt.
 *
 * One workspace and one storage folder for the whole file: each test starts the next server.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startLsp, type LspSession, type StartOptions } from '../support/lspClient';
import { articleTextIn } from '../support/snapshotLayout';
import { CONTRADICTED, ID_JAPAN, SUPPORTED, TempWorkspace, messageOf } from './workspace';

const codes = (p: PublishDiagnosticsParams): (string | number | undefined)[] => p.diagnostics.map((d) => d.code);
const JAPAN_FILE = `corpus/${ID_JAPAN}.txt`;

interface Server {
  session: LspSession;
  /** Resolves with the match of the first `window/logMessage` matching `pattern` (one already received counts); rejects if the server exits. */
  log(pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Starts a server on `root` with `storage` as its storage folder. */
async function start(root: string, storage: string, options: StartOptions = {}): Promise<Server> {
  const session = await startLsp(root, {}, { initializationOptions: { storagePath: storage } }, options);
  return {
    session,
    async log(pattern) {
      try {
        return (await session.waitForLog(pattern)).match(pattern)!;
      } catch (err) {
        throw new Error(`${err instanceof Error ? err.message : String(err)}, while waiting for a log line matching ${pattern}; logs:\n${session.logs.join('\n')}`);
      }
    },
  };
}

const WRITTEN = /^index cache written: (\d+) bytes in \d+ ms$/;
const LOADED = /^index cache: (\d+) files in \d+ ms$/;
const NOT_USED = /^index cache (.+) not used \((.+)\); rebuilding it$/;
const MEMO_USED = /^retrieval memo: (\d+) queries$/;
const MEMO_NOT_USED = /^retrieval memo not used \((.+)\)$/;

describe('protocol: the index cache in the storage folder', function () {
  this.timeout(30_000);
  let ws: TempWorkspace;
  let storage: string;
  let server: Server | undefined;
  /** Diagnostics of the drafts from the first server (indexed from the files). */
  const reference = new Map<string, Diagnostic[]>();

  before(() => {
    ws = new TempWorkspace({ files: { 'contradicted.md': `${CONTRADICTED}\n`, 'supported.md': `${SUPPORTED}\n` } });
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-storage-'));
  });

  afterEach(async () => {
    await server?.session.close();
    server = undefined;
  });

  after(() => {
    ws?.remove();
    fs.rmSync(storage, { recursive: true, force: true });
  });

  const cacheFiles = (): string[] => fs.readdirSync(storage).filter((f) => /^index-[0-9a-f]{16}\.bin$/.test(f));

  /** Opens the drafts and resolves with their diagnostics once `ready` holds for each. */
  async function openDrafts(s: LspSession, ready: (name: string, p: PublishDiagnosticsParams) => boolean): Promise<Map<string, PublishDiagnosticsParams>> {
    const out = new Map<string, PublishDiagnosticsParams>();
    for (const name of ['contradicted.md', 'supported.md']) {
      await s.open(ws.uri(name), ws.read(name));
      out.set(name, await s.waitForDiagnostics(ws.uri(name), (p) => ready(name, p)));
    }
    return out;
  }

  it('the first server indexes the files, then writes the cache', async () => {
    assert.deepEqual(cacheFiles(), []);
    server = await start(ws.root, storage);
    await server.session.waitForProgressEnd(1);
    const drafts = await openDrafts(server.session, () => true);
    assert.deepEqual(codes(drafts.get('contradicted.md')!), ['contradicted-figure']);
    assert.deepEqual(codes(drafts.get('supported.md')!), []);
    for (const [name, p] of drafts) reference.set(name, p.diagnostics);

    const [, bytes] = await server.log(WRITTEN);
    const files = cacheFiles();
    assert.equal(files.length, 1, `one cache file per folder: ${fs.readdirSync(storage).join(', ')}`);
    assert.equal(fs.statSync(path.join(storage, files[0]!)).size, Number(bytes));
    assert.ok(!server.session.logs.some((l) => NOT_USED.test(l) || LOADED.test(l)), server.session.logs.join('\n'));
  });

  it('the next server answers from the cache before indexing, with the same diagnostics', async () => {
    assert.equal(reference.size, 2, 'needs the first test');
    // Indexing waits for the client to answer its progress request: held, only the cache can answer.
    server = await start(ws.root, storage, { holdFirstProgress: true });
    const [, files] = await server.log(LOADED);
    assert.equal(Number(files), 5);
    // What the first server's checks retrieved comes with the cache: the drafts are not searched again.
    const [, queries] = await server.log(MEMO_USED);
    assert.ok(Number(queries) > 0, 'the first server kept its retrievals');
    await server.session.waitForProgressCreate();
    const early = await openDrafts(server.session, () => true);
    for (const [name, p] of early) assert.deepEqual(p.diagnostics, reference.get(name), `${name}, answered from the cache`);
    assert.equal((await server.session.status()).articles, 5);
    assert.equal(server.session.progressEnds, 0, 'indexing has not run yet');

    server.session.releaseProgress();
    await server.session.waitForProgressEnd(1);
    for (const [name, expected] of reference) {
      const after = await server.session.waitForDiagnostics(ws.uri(name));
      assert.deepEqual(after.diagnostics, expected, `${name}, after the files were re-checked`);
    }
    const publications = server.session.publications.filter((p) => p.uri === ws.uri('contradicted.md'));
    assert.ok(publications.every((p) => codes(p).join() === 'contradicted-figure'), 'never another answer in between');
    assert.ok(!server.session.logs.some((l) => NOT_USED.test(l)), server.session.logs.join('\n'));
  });

  it('the next server reads the cache while the client answers its request for settings', async () => {
    assert.equal(reference.size, 2, 'needs the first test');
    // The client answers no request for settings until the cache is read: a server that asked
    // for them first and waited would never read it.
    server = await start(ws.root, storage, { holdConfiguration: true });
    await server.log(LOADED);
    assert.ok(server.session.configurationRequests.length > 0, 'the settings were asked for before the cache was read');
    server.session.releaseConfiguration();
    await server.session.waitForStatus((s) => s.state === 'ready');
    const drafts = await openDrafts(server.session, () => true);
    for (const [name, p] of drafts) assert.deepEqual(p.diagnostics, reference.get(name), name);
  });

  it('a damaged retrieval memo is not used (logged), and the answers are the same', async () => {
    assert.equal(reference.size, 2, 'needs the first tests');
    const memo = path.join(storage, cacheFiles()[0]!.replace(/\.bin$/, '.retrievals'));
    const bytes = fs.readFileSync(memo);
    bytes[bytes.length - 4]! ^= 0x01;
    fs.writeFileSync(memo, bytes);
    server = await start(ws.root, storage);
    const [, why] = await server.log(MEMO_NOT_USED);
    assert.match(why!, /checksum mismatch/);
    const drafts = await openDrafts(server.session, () => true);
    for (const [name, p] of drafts) assert.deepEqual(p.diagnostics, reference.get(name), name);
    assert.ok(!server.session.logs.some((l) => MEMO_USED.test(l)), server.session.logs.join('\n'));
  });

  it('a corpus file edited while no server ran is re-read, and the cache rewritten', async () => {
    const file = ws.path(JAPAN_FILE);
    ws.write(JAPAN_FILE, ws.read(JAPAN_FILE).replace('4,5 tỷ USD', '5,4 tỷ USD'));
    const mtime = new Date(fs.statSync(file).mtimeMs + 7_000); // the same size: only the time tells
    fs.utimesSync(file, mtime, mtime);
    const before = fs.statSync(path.join(storage, cacheFiles()[0]!)).ino;

    server = await start(ws.root, storage);
    await server.log(LOADED);
    await server.session.waitForProgressEnd(1);
    const drafts = await openDrafts(server.session, (name, p) => (name === 'contradicted.md' ? codes(p).length === 0 : codes(p).includes('contradicted-figure')));
    const d = drafts.get('supported.md')!.diagnostics[0]!;
    assert.match(messageOf(d), /5,4 tỷ USD/);
    assert.equal(d.relatedInformation?.[0]?.location.uri, ws.uri(JAPAN_FILE));

    await server.log(WRITTEN);
    assert.notEqual(fs.statSync(path.join(storage, cacheFiles()[0]!)).ino, before, 'the cache file was replaced');
    reference.set('contradicted.md', drafts.get('contradicted.md')!.diagnostics);
    reference.set('supported.md', drafts.get('supported.md')!.diagnostics);
  });

  // [damage, the reason logged]
  const damages: [string, (bytes: Buffer) => Buffer, RegExp][] = [
    ['truncated', (b) => b.subarray(0, b.length >> 1), /truncated|outside the file/],
    ['a flipped byte after the head', (b) => { const out = Buffer.from(b); out[((16 + b.readUInt32LE(8) + 7) & ~7) + 3]! ^= 0x40; return out; }, /checksum mismatch/],
  ];
  for (const [damage, alter, reason] of damages) {
    it(`a damaged cache (${damage}) is not used, the diagnostics are right, and the cache is rebuilt`, async () => {
      assert.equal(reference.size, 2, 'needs the first tests');
      const [name] = cacheFiles();
      const cache = path.join(storage, name!);
      fs.writeFileSync(cache, alter(fs.readFileSync(cache)));

      server = await start(ws.root, storage);
      const [, file, why] = await server.log(NOT_USED);
      assert.equal(file, cache);
      assert.match(why!, reason);
      await server.session.waitForProgressEnd(1);
      const drafts = await openDrafts(server.session, () => true);
      for (const [draft, p] of drafts) assert.deepEqual(p.diagnostics, reference.get(draft), draft);
      assert.ok(!server.session.logs.some((l) => LOADED.test(l)), 'not loaded');

      const [, bytes] = await server.log(WRITTEN);
      assert.equal(fs.statSync(cache).size, Number(bytes));
      assert.deepEqual(cacheFiles(), [name], 'rewritten in place');
    });
  }

  it('the rebuilt cache is used by the next server', async () => {
    server = await start(ws.root, storage);
    await server.log(LOADED);
    await server.session.waitForProgressEnd(1);
    const drafts = await openDrafts(server.session, () => true);
    for (const [draft, p] of drafts) assert.deepEqual(p.diagnostics, reference.get(draft), draft);
    assert.ok(!server.session.logs.some((l) => NOT_USED.test(l)), server.session.logs.join('\n'));
  });

  // A damaged byte in an article text passes the load (texts are checked when read); whatever
  // reads it first (a check, the background count) drops the cache and the folder is indexed
  // again from its files. Keep this test last: it damages the cache.
  it('a damaged article text in the cache: the server survives, rebuilds and answers right', async () => {
    assert.equal(reference.size, 2, 'needs the first tests');
    const [name] = cacheFiles();
    const cache = path.join(storage, name!);
    const bytes = fs.readFileSync(cache);
    bytes[articleTextIn(bytes, ID_JAPAN)[0] + 100]! ^= 0x02;
    fs.writeFileSync(cache, bytes);

    server = await start(ws.root, storage);
    await server.session.waitForProgressEnd(1);
    const drafts = await openDrafts(server.session, () => true);
    for (const [draft, p] of drafts) assert.deepEqual(p.diagnostics, reference.get(draft), draft);
    await server.log(WRITTEN);
    assert.ok(server.session.alive());
  });
});
