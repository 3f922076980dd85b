/** The cache file writer: atomic, and it clears what killed writes left behind (stale temporary files only). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCacheFile } from '../../server/src/node/indexCache';

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
