/** `--changed-since REF`: a pull request is judged on the lines it touches. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DRAFTS, Projects, ensureBuilt, git, parseJsonReport, runCli, write } from './support';
import { parseChangedLines, touchesChangedLines } from '../../server/src/cli/changedLines';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

describe('parsing git diff --unified=0', () => {
  // [hunk headers, changed 1-based lines]
  const table: [string, number[]][] = [
    ['@@ -3 +3 @@', [3]],
    ['@@ -1,0 +2,3 @@ heading', [2, 3, 4]],
    ['@@ -5,2 +4,0 @@', []],
    ['@@ -0,0 +1,2 @@\n+a\n+b\n@@ -9 +10,1 @@\n-x\n+y', [1, 2, 10]],
    ['diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n+@@ -1 +99 @@ not a header, content', []],
  ];
  for (const [diff, lines] of table) {
    it(JSON.stringify(diff.split('\n')[0]), () => assert.deepEqual([...parseChangedLines(diff)].sort((a, b) => a - b), lines));
  }

  it('a finding counts when any of its lines changed', () => {
    const changed = new Set([3]);
    assert.equal(touchesChangedLines(changed, 2, 2), true); // 0-based line 2 is line 3
    assert.equal(touchesChangedLines(changed, 0, 1), false);
    assert.equal(touchesChangedLines(changed, 1, 4), true);
    assert.equal(touchesChangedLines('all', 7, 7), true);
  });
});

describe('sourcemark check --changed-since', () => {
  let dir: string;
  beforeEach(() => {
    // A committed draft with an old contradiction on line 1.
    dir = projects.make({ 'drafts/old.md': DRAFTS.wrong + '\nMột đoạn.\n', 'drafts/same.md': DRAFTS.unknown });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'seed');
  });

  const findings = (args: string[]) => {
    const r = runCli(dir, ['check', '--format', 'json', ...args]);
    return { code: r.code, stderr: r.stderr, found: parseJsonReport(r.stdout).flatMap((f) => f.diagnostics.map((d) => `${f.file}:${d.range.start.line + 1}:${d.code}`)) };
  };

  it('reports only findings on lines edited since the ref, and exits 0 when those are clean', () => {
    fs.appendFileSync(path.join(dir, 'drafts/old.md'), DRAFTS.correct);
    assert.deepEqual(findings([]).found, ['drafts/old.md:1:contradicted-figure', 'drafts/same.md:1:unknown-source']);
    const r = findings(['--changed-since', 'HEAD']);
    assert.deepEqual([r.code, r.found, r.stderr], [0, [], '']);
  });

  it('reports a new wrong figure on an edited line and fails', () => {
    write(dir, 'drafts/old.md', DRAFTS.wrong + '\n' + DRAFTS.unknown);
    const r = findings(['--changed-since', 'HEAD']);
    assert.deepEqual([r.code, r.found], [1, ['drafts/old.md:3:unknown-source']]);
  });

  it('treats untracked and newly added files as changed everywhere', () => {
    write(dir, 'drafts/new.md', DRAFTS.wrong);
    write(dir, 'drafts/staged.md', DRAFTS.unknown);
    git(dir, 'add', 'drafts/staged.md');
    const r = findings(['--changed-since', 'HEAD']);
    assert.deepEqual([r.code, r.found], [1, ['drafts/new.md:1:contradicted-figure', 'drafts/staged.md:1:unknown-source']]);
  });

  it('compares with older commits too, committed changes included, and says so in the text summary', () => {
    write(dir, 'drafts/same.md', DRAFTS.unknown + DRAFTS.wrong);
    git(dir, 'commit', '-q', '-am', 'edit');
    assert.deepEqual(findings(['--changed-since', 'HEAD']).found, []);
    assert.deepEqual(findings(['--changed-since', 'HEAD~1']).found, ['drafts/same.md:2:contradicted-figure']);
    const text = runCli(dir, ['check', '--changed-since', 'HEAD~1']);
    assert.match(text.stdout, /✖ 1 finding \(1 error, 0 warnings, 0 info\) in 2 files on lines changed since HEAD~1\n$/);
  });

  it('works from a subfolder of the repository', () => {
    const sub = path.join(dir, 'drafts');
    fs.cpSync(path.join(dir, 'corpus'), path.join(sub, 'corpus'), { recursive: true });
    write(dir, 'drafts/old.md', DRAFTS.wrong + '\n' + DRAFTS.unknown);
    const r = runCli(sub, ['check', '--format', 'json', '--changed-since', 'HEAD', 'old.md', 'same.md'], { GIT_CEILING_DIRECTORIES: path.dirname(dir) });
    assert.equal(r.stderr, '');
    assert.deepEqual(parseJsonReport(r.stdout).map((f) => [f.file, f.diagnostics.map((d) => d.range.start.line + 1)]), [['old.md', [3]], ['same.md', []]]);
  });
});
