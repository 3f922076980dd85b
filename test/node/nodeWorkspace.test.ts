/** NodeWorkspace: a listed path's URI and relative path, fast path or not, are what `pathToFileURL` and `path.relative` give. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NodeWorkspace } from '../../server/src/node/nodeWorkspace';

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
