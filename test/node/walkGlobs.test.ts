/** walkGlobs lists what fast-glob lists with findFiles' options: a differential table over one tree. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fg from 'fast-glob';
import { FAST_GLOB_OPTIONS, walkGlobs } from '../../server/src/node/walkGlobs';

/** Files of the tree (a `->` entry is a symbolic link to what follows, relative to its folder). */
const TREE = [
  'corpus/a.txt',
  'corpus/b.md',
  'corpus/b.meta.yaml',
  'corpus/c.jsonl',
  'corpus/notes.TXT',
  'corpus/sub/d.txt',
  'corpus/sub/d.meta.yaml',
  'corpus/sub/deeper/e.md',
  'corpus/sub/deeper/deepest/f.txt',
  'corpus/.hidden.txt',
  'corpus/.dot/g.txt',
  'corpus/node_modules/h.txt',
  'corpus/sub/node_modules/i.txt',
  'corpus/.git/j.txt',
  'corpus/thỏa thuận.txt',
  'corpus/thoả thuận.md',
  'corpus/a b/k.txt',
  'corpus/x{y}.txt',
  'corpus/link.txt -> a.txt',
  'corpus/linkdir -> ../elsewhere',
  'corpus/sub/uplink.txt -> ../../elsewhere/o.txt',
  'elsewhere/o.txt',
  'elsewhere/p.md',
  'top.txt',
  'drafts/one.md',
  'drafts/two.md',
];

/** Glob sets and whether the walk takes them (else it answers undefined and fast-glob lists). */
const CASES: { globs: string[]; walks: boolean }[] = [
  { globs: ['corpus/**/*.{txt,md,jsonl}', 'corpus/**/*.meta.yaml'], walks: true },
  { globs: ['corpus/**'], walks: true },
  { globs: ['corpus/*.txt'], walks: true },
  { globs: ['corpus/*/*.txt'], walks: true },
  { globs: ['corpus/*/*/*.md'], walks: true },
  { globs: ['**/*.txt'], walks: true },
  { globs: ['*.txt'], walks: true },
  { globs: ['**'], walks: true },
  { globs: ['corpus/**/*.txt', '!corpus/sub/**'], walks: true },
  { globs: ['corpus/**/*.txt', '!**/d.txt', '!corpus/a.txt'], walks: true },
  { globs: ['corpus/.dot/*.txt'], walks: true },
  { globs: ['corpus/.*.txt'], walks: true },
  { globs: ['corpus/.dot/*.txt', '!corpus/**'], walks: true },
  { globs: ['corpus/a.txt'], walks: true },
  { globs: ['corpus/link.txt'], walks: true },
  { globs: ['corpus/sub'], walks: true },
  { globs: ['corpus/node_modules/h.txt'], walks: true },
  { globs: ['corpus/node_modules/*.txt', 'corpus/.git/**'], walks: true },
  { globs: ['**/node_modules/**', '**/.git/*.txt'], walks: true },
  { globs: ['corpus/missing.txt', 'nowhere/**/*.md'], walks: true },
  { globs: ['corpus/**/*.txt', 'corpus/sub/**/*.txt', 'corpus/*.txt'], walks: true },
  { globs: ['corpus/{sub,a b}/*.txt'], walks: true },
  { globs: ['corpus/{sub/deeper,elsewhere}/*.md'], walks: true },
  { globs: ['corpus/*.+(txt|md)'], walks: true },
  { globs: ['corpus/[ab].*'], walks: true },
  { globs: ['corpus/?.md'], walks: true },
  { globs: ['corpus/th*'], walks: true },
  { globs: ['corpus/**/*.TXT'], walks: true },
  { globs: ['{corpus,drafts}/*.md'], walks: true },
  { globs: ['drafts/**/*.md', 'corpus/**/*.md'], walks: true },
  { globs: ['corpus/linkdir/*.txt'], walks: true },
  { globs: ['corpus/**/*.txt', 'corpus/linkdir/*.txt'], walks: true },
  { globs: ['corpus/**/*.md', 'corpus/linkdir/*.txt'], walks: true },
  { globs: ['corpus/**/*.md', 'corpus/sub/**/*.md', 'corpus/linkdir/**'], walks: true },
  { globs: ['!corpus/**'], walks: true },
  { globs: ['./corpus/*.txt'], walks: false },
  { globs: ['../elsewhere/*.txt'], walks: false },
  { globs: ['corpus/../elsewhere/*.md'], walks: false },
  { globs: ['corpus//*.txt'], walks: false },
  { globs: ['corpus/\\*.txt'], walks: false },
];

describe('walkGlobs lists what fast-glob lists', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-walk-'));
    for (const entry of TREE) {
      const [file, target] = entry.split(' -> ');
      const abs = path.join(root, file!);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      if (target === undefined) fs.writeFileSync(abs, file!);
      else fs.symlinkSync(target, abs);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const { globs, walks } of CASES) {
    it(`${globs.join(', ')}${walks ? '' : ' (left to fast-glob)'}`, async () => {
      const walked = await walkGlobs(root, globs);
      if (!walks) {
        assert.equal(walked, undefined);
        return;
      }
      const expected = (await fg(globs, { cwd: root, ...FAST_GLOB_OPTIONS })).sort();
      assert.deepEqual(walked?.sort(), expected);
    });
  }

  it('an absolute glob is left to fast-glob', async () => {
    assert.equal(await walkGlobs(root, [path.join(root, 'corpus/*.txt').split(path.sep).join('/')]), undefined);
  });

  it('the cases between them list every kind of entry (the table is not vacuous)', async () => {
    const all = new Set<string>();
    for (const { globs, walks } of CASES) if (walks) for (const p of (await walkGlobs(root, globs)) ?? []) all.add(p);
    for (const p of ['corpus/.hidden.txt', 'corpus/.dot/g.txt', 'corpus/sub/deeper/deepest/f.txt', 'corpus/thỏa thuận.txt', 'corpus/a b/k.txt', 'top.txt', 'drafts/one.md']) assert.ok(all.has(p), p);
  });
});
