/**
 * The cache file writer: atomic, and it clears what killed writes left behind (stale temporary
 * files only). The reader: ranges into new memory or into memory it is given, the same bytes.
 * The retrieval memo beside a cache: its name, written and read back, refused unread when far
 * too large or not a file.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRetrievalMemo, openCacheFile, retrievalFileOf, writeCacheFile, writeRetrievalMemo } from '../../server/src/node/indexCache';
import type { SourcemarkService } from '../../server/src/core/service';

describe('writeCacheFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-cachefile-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes stale temporary files a killed write left, and nothing else', async () => {
    const file = path.join(dir, 'index.bin');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    // [name, stale?, expected to remain]
    const table: [string, boolean, boolean][] = [
      ['index.bin.4206.1796274608934.tmp', true, false],
      ['index.bin.77.1.tmp', true, false],
      ['index.bin.4207.1796274608999.tmp', false, true], // a write in progress elsewhere
      ['other.bin.4206.1796274608934.tmp', true, true], // another cache's
      ['index.bin.notes.tmp', true, true], // not ours by name
      ['index.bin.4206.tmp', true, true],
      ['index.bin.old', true, true],
    ];
    for (const [name, stale] of table) {
      fs.writeFileSync(path.join(dir, name), 'x');
      if (stale) fs.utimesSync(path.join(dir, name), hourAgo, hourAgo);
    }
    await writeCacheFile(file, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...fs.readFileSync(file)], [1, 2, 3]);
    for (const [name, , remains] of table) assert.equal(fs.existsSync(path.join(dir, name)), remains, name);
    const left = fs.readdirSync(dir).filter((n) => n.startsWith('index.bin.') && /^\d+\.\d+\.tmp$/.test(n.slice('index.bin.'.length)));
    assert.deepEqual(left, ['index.bin.4207.1796274608999.tmp'], 'only the fresh temporary file of another writer, none of this write');
  });
});

describe('openCacheFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-cachefile-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads ranges into new memory and into given memory alike, and says when it cannot', () => {
    const file = path.join(dir, 'index.bin');
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 0xff);
    fs.writeFileSync(file, bytes);
    const cache = openCacheFile(file)!;
    assert.equal(cache.size, bytes.length);
    assert.equal(cache.freshReads, true);
    // [offset, length]
    const table: [number, number][] = [[0, 0], [0, 1], [17, 4096], [99_999, 1], [0, 100_000], [65_536, 34_464]];
    const target = new Uint8Array(100_010).fill(0xee);
    for (const [offset, length] of table) {
      const fresh = cache.read(offset, length);
      assert.equal(fresh.byteOffset, 0, 'a buffer of its own');
      assert.equal(fresh.buffer.byteLength, length);
      assert.deepEqual([...fresh], [...bytes.subarray(offset, offset + length)], `read ${offset}+${length}`);
      target.fill(0xee);
      const into = target.subarray(5, 5 + length);
      cache.readInto!(offset, into);
      assert.deepEqual([...into], [...bytes.subarray(offset, offset + length)], `readInto ${offset}+${length}`);
      assert.equal(target[4], 0xee, 'nothing written before the target');
      assert.equal(target[5 + length], 0xee, 'nothing written after the target');
    }
    assert.throws(() => cache.readInto!(99_990, new Uint8Array(20)), /shorter than it says/);
    assert.throws(() => cache.read(99_990, 20), /shorter than it says/);
    cache.close();
    assert.throws(() => cache.readInto!(0, new Uint8Array(4)), /closed/);
    assert.equal(openCacheFile(path.join(dir, 'missing.bin')), undefined);
    assert.equal(openCacheFile(dir), undefined, 'a folder is no cache file');
  });
});

describe('the retrieval memo beside a cache file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-memo-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A service stand-in that takes whatever it is given (the core's checks are tested apart). */
  const taker = (): { service: SourcemarkService; given: Uint8Array[] } => {
    const given: Uint8Array[] = [];
    const service = { loadRetrievalMemo: (bytes: Uint8Array) => (given.push(bytes), { ok: true, entries: bytes.length }), retrievalMemo: () => new TextEncoder().encode('memo') } as unknown as SourcemarkService;
    return { service, given };
  };

  it('is named after the cache file, written atomically, read back; missing, too large or unreadable, it is not used', async () => {
    const cache = path.join(dir, 'index-0123456789abcdef.bin');
    assert.equal(retrievalFileOf(cache), path.join(dir, 'index-0123456789abcdef.retrievals'));
    assert.equal(retrievalFileOf(path.join(dir, 'cache')), path.join(dir, 'cache.retrievals'));
    const { service, given } = taker();
    assert.deepEqual(loadRetrievalMemo(service, cache), { state: 'none' });
    assert.equal(await writeRetrievalMemo(service, cache), true);
    assert.deepEqual(fs.readdirSync(dir), ['index-0123456789abcdef.retrievals'], 'no temporary file left');
    assert.deepEqual(loadRetrievalMemo(service, cache), { state: 'used', entries: 4 });
    assert.equal(new TextDecoder().decode(given[0]), 'memo');
    // A file far larger than any memo (sparse: no disk used) is not read.
    fs.truncateSync(retrievalFileOf(cache), 65 * 1024 * 1024);
    assert.deepEqual(loadRetrievalMemo(service, cache), { state: 'refused', reason: 'too large' });
    assert.equal(given.length, 1);
    fs.rmSync(retrievalFileOf(cache));
    fs.mkdirSync(retrievalFileOf(cache));
    const folder = loadRetrievalMemo(service, cache);
    assert.equal(folder.state, 'refused', 'a folder in its place');
    const nothing = { ...service, retrievalMemo: () => undefined } as SourcemarkService;
    assert.equal(await writeRetrievalMemo(nothing, path.join(dir, 'other.bin')), false, 'nothing to keep: nothing written');
    assert.ok(!fs.existsSync(path.join(dir, 'other.retrievals')));
  });
});
