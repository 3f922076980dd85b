/** NodeWorkspace: a listed path's URI and relative path, fast path or not, are what `pathToFileURL` and `path.relative` give. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { fileSignature, NodeWorkspace, SharedSlab } from '../../server/src/node/nodeWorkspace';

describe('NodeWorkspace.file', () => {
  const roots = ['plain', 'with space', 'dấu tiếng Việt', 'odd#%?chars'];
  const paths = ['a.txt', 'corpus/bg/21395276.txt', 'corpus/seed/bai-1.md', 'x/-y_z.meta.yaml', 'a b.txt', 'thỏa-thuận.md', 'a#b.txt', '100%.md', './a.txt', 'x/../a.txt', '../outside.txt', '.hidden/a.txt', 'x//a.txt'];
  let base: string;
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-ws-'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));
  for (const name of roots) {
    it(`under a root named "${name}"`, () => {
      const root = path.join(base, name);
      const ws = new NodeWorkspace(root);
      for (const p of paths) {
        const abs = path.resolve(root, p);
        assert.deepEqual(ws.file(p), { uri: pathToFileURL(abs).href, path: path.relative(root, abs).split(path.sep).join('/') }, p);
      }
    });
  }
});

describe('NodeWorkspace.readFileSync (a preparer thread\'s reads) answers as readFile does', () => {
  let base: string;
  let root: string;
  const outcome = async (read: () => Promise<Uint8Array | undefined> | Uint8Array | undefined): Promise<string> => {
    try {
      const bytes = await read();
      return bytes === undefined ? 'absent' : `bytes ${Buffer.from(bytes).toString('base64')}`;
    } catch (err) {
      return `error ${(err as Error).message}`;
    }
  };
  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-read-')));
    root = path.join(base, 'root');
    fs.mkdirSync(path.join(root, 'corpus', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(base, 'outside', 'secret.txt'), 'secret');
    fs.mkdirSync(path.join(base, 'outside', 'folder'));
    fs.writeFileSync(path.join(base, 'outside', 'folder', 'a.txt'), 'outside a');
    fs.writeFileSync(path.join(root, 'corpus', 'plain.txt'), 'Hiệp định an ninh 10 năm.');
    fs.writeFileSync(path.join(root, 'corpus', 'empty.txt'), '');
    fs.writeFileSync(path.join(root, 'corpus', 'big.txt'), Buffer.alloc(300_000, 'tỷ '));
    fs.writeFileSync(path.join(root, 'corpus', 'sub', 'deep.md'), '# x\n\n4,5 tỷ USD\n');
    fs.symlinkSync(path.join(root, 'corpus', 'plain.txt'), path.join(root, 'corpus', 'link-in.txt'));
    fs.symlinkSync(path.join(base, 'outside', 'secret.txt'), path.join(root, 'corpus', 'link-out.txt'));
    fs.symlinkSync(path.join(base, 'outside', 'folder'), path.join(root, 'corpus', 'linked-folder'));
    fs.symlinkSync(path.join(root, 'corpus', 'sub'), path.join(root, 'corpus', 'linked-sub'));
    fs.symlinkSync(path.join(root, 'corpus', 'nowhere.txt'), path.join(root, 'corpus', 'dangling.txt'));
    fs.mkdirSync(path.join(root, 'corpus', 'folder.txt'));
    if (process.platform !== 'win32') execFileSync('mkfifo', [path.join(root, 'corpus', 'pipe.txt')]);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const cases: [string, RegExp][] = [
    ['corpus/plain.txt', /^bytes /],
    ['corpus/empty.txt', /^bytes $/],
    ['corpus/big.txt', /^bytes /],
    ['corpus/sub/deep.md', /^bytes /],
    ['corpus/link-in.txt', /^bytes /],
    ['corpus/link-out.txt', /^error resolves to .*outside/],
    ['corpus/linked-folder/a.txt', /^error resolves to .*outside/],
    ['corpus/linked-sub/deep.md', /^bytes /],
    ['corpus/dangling.txt', /^absent$/],
    ['corpus/missing.txt', /^absent$/],
    ['corpus/folder.txt', /^error is a folder$/],
    ...(process.platform !== 'win32' ? [['corpus/pipe.txt', /^error not a regular file/] as [string, RegExp]] : []),
  ];
  for (const [p, expected] of cases) {
    it(p, async () => {
      // A fresh workspace per read and one reused: the folder cache must not change answers.
      const reused = new NodeWorkspace(root);
      const uri = reused.file(p).uri;
      const sync = await outcome(() => new NodeWorkspace(root).readFileSync(uri));
      assert.match(sync, expected);
      assert.equal(await outcome(() => reused.readFileSync(uri)), sync, 'a second read through the same workspace');
      assert.equal(await outcome(() => new NodeWorkspace(root).readFile(uri)), sync, 'readFile');
      assert.equal(await outcome(() => new NodeWorkspace(root).readFileSyncWithStats(uri, new SharedSlab())?.bytes), sync, 'read into a shared slab');
      if (sync.startsWith('bytes ')) assert.equal(sync, `bytes ${fs.readFileSync(path.join(root, p)).toString('base64')}`);
      // allowOutside reads whatever the path leads to, as readFile does.
      const open = new NodeWorkspace(root, { allowOutside: true });
      assert.equal(await outcome(() => open.readFileSync(uri)), await outcome(() => open.readFile(uri)), 'with allowOutside');
    });
  }
});

describe('SharedSlab: files read one after another keep their bytes', () => {
  let root: string;
  const sizes = [0, 1, 7, 8, 9, 40, 100, 3, 64];
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-slab-')));
    sizes.forEach((n, i) => fs.writeFileSync(path.join(root, `f${i}.txt`), Buffer.alloc(n, String.fromCharCode(97 + i))));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  // A slab of 128 bytes: reads fill one buffer, move to the next, and a file over 32 bytes gets its own.
  for (const slabBytes of [128, 1 << 20]) {
    it(`in buffers of ${slabBytes} bytes`, () => {
      const ws = new NodeWorkspace(root);
      const slab = new SharedSlab(slabBytes);
      const read = sizes.map((_, i) => ws.readFileSyncWithStats(ws.file(`f${i}.txt`).uri, slab)!);
      // Every read still holds its file after all the others (no room given twice).
      read.forEach((r, i) => {
        assert.equal(Buffer.from(r.bytes).toString('latin1'), fs.readFileSync(path.join(root, `f${i}.txt`), 'latin1'), `f${i}`);
        assert.equal(r.bytes.byteOffset % 8, 0, `f${i} starts on an 8-byte boundary`);
        assert.ok(r.bytes.buffer instanceof SharedArrayBuffer, `f${i} is shared`);
        assert.equal(r.stats?.size, sizes[i]);
      });
      const buffers = new Set(read.map((r) => r.bytes.buffer));
      if (slabBytes === 128) assert.ok(buffers.size > 2, 'several buffers');
      else assert.equal(buffers.size, 1);
    });
  }
});

describe('NodeWorkspace signatures: a listing that skips stat, and the reads that sign instead', () => {
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-sign-')));
    fs.mkdirSync(path.join(root, 'corpus'));
    fs.writeFileSync(path.join(root, 'corpus', 'a.txt'), 'Nhật Bản cam kết 4,5 tỷ USD.\n');
    fs.writeFileSync(path.join(root, 'corpus', 'b.txt'), 'Pháp ký thỏa thuận 10 năm.\n');
    fs.writeFileSync(path.join(root, 'corpus', 'b.meta.yaml'), 'id: phap\n');
    fs.writeFileSync(path.join(root, 'corpus', 'c.md'), '# Đức\n\n7 tỷ euro.\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const globs = ['corpus/**/*.{txt,md}'];

  it('onMatched hears the files (sidecars aside); true lists them without signatures, sidecars still known', async () => {
    const ws = new NodeWorkspace(root);
    const counts: number[] = [];
    const signed = await ws.findFiles(globs, undefined, { onMatched: (n) => (counts.push(n), false) });
    const unsigned = await ws.findFiles(globs, undefined, { onMatched: (n) => (counts.push(n), true) });
    assert.deepEqual(counts, [3, 3]);
    assert.deepEqual(unsigned.map((f) => f.path), signed.map((f) => f.path));
    assert.ok(signed.every((f) => f.signature !== undefined));
    assert.ok(unsigned.every((f) => f.signature === undefined));
    assert.deepEqual(unsigned.map((f) => f.sidecar), signed.map((f) => f.sidecar), 'sidecars known by name');
  });

  it('a signed read and signature() give what the listing gives', async () => {
    const ws = new NodeWorkspace(root);
    for (const f of await ws.findFiles(globs)) {
      const own = ws.readFileSyncWithStats(f.uri)!;
      const sidecar = typeof f.sidecar === 'string' ? ws.readFileSyncWithStats(f.sidecar)!.stats : undefined;
      assert.equal(fileSignature(own.stats!, sidecar), f.signature, f.path);
      assert.equal(await ws.signature({ ...f, signature: undefined }), f.signature, f.path);
    }
  });

  it('a symbolic link is never signed', async () => {
    fs.symlinkSync(path.join(root, 'corpus', 'a.txt'), path.join(root, 'corpus', 'link.txt'));
    const ws = new NodeWorkspace(root);
    const uri = ws.file('corpus/link.txt').uri;
    assert.ok(ws.readFileSyncWithStats(uri)!.bytes.length > 0);
    assert.equal(ws.readFileSyncWithStats(uri)!.stats, undefined);
    assert.equal(await ws.signature(ws.file('corpus/link.txt')), undefined);
  });
});
