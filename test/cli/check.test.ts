/** `sourcemark check`: exit codes, draft selection, the text and JSON formats, --quiet and --max-findings. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DRAFTS, Projects, ensureBuilt, parseJsonReport, runCli } from './support';
import { repoRoot, seedCorpus, serviceFor } from '../support/memoryWorkspace';
import { createProgress } from '../../server/src/cli/progress';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

describe('sourcemark check: exit codes', () => {
  // [draft kind, extra args, expected exit code]
  const table: [keyof typeof DRAFTS, string[], number][] = [
    ['correct', [], 0],
    ['wrong', [], 1],
    ['wrong', ['--fail-on', 'none'], 0],
    ['unknown', [], 1],
    ['mismatch', [], 0],
    ['mismatch', ['--fail-on', 'warning'], 1],
    ['unsupported', ['--fail-on', 'warning'], 0],
    ['unsupported', ['--fail-on', 'information'], 1],
    ['unsupported', ['--fail-on', 'info'], 1],
    ['uncited', ['--fail-on', 'warning'], 0],
    ['uncited', ['--fail-on', 'warning', '--require-citations'], 1],
  ];
  for (const [kind, args, code] of table) {
    it(`${kind} ${args.join(' ') || '(defaults)'} → ${code}`, () => {
      const dir = projects.make({ 'draft.md': DRAFTS[kind] });
      const r = runCli(dir, ['check', ...args, 'draft.md']);
      assert.equal(r.code, code, r.stdout + r.stderr);
      assert.equal(r.stderr, '', 'no progress line and no warning when stderr is not a terminal');
    });
  }
});

describe('sourcemark check: which drafts', () => {
  it('checks every Markdown draft outside the corpus by default, sorted by path', () => {
    const dir = projects.make({
      'b.md': DRAFTS.wrong,
      'a.md': DRAFTS.correct,
      'notes/c.md': DRAFTS.unknown,
      'node_modules/pkg/readme.md': DRAFTS.wrong,
      'corpus/extra.md': '---\nid: extra\ntitle: Extra\n---\nHà Nội có 8 triệu người dân.\n',
    });
    const r = runCli(dir, ['check', '--format', 'json']);
    assert.equal(r.code, 1);
    assert.deepEqual(parseJsonReport(r.stdout).map((f) => f.file), ['a.md', 'b.md', 'notes/c.md']);
  });

  it('reads the drafts setting and the corpus setting from sourcemark.json', () => {
    const dir = projects.make({ 'sourcemark.json': JSON.stringify({ drafts: ['drafts/**/*.md'], corpus: ['corpus/*.txt'] }), 'drafts/x.md': DRAFTS.wrong, 'other.md': DRAFTS.unknown });
    const r = runCli(dir, ['check', '--format', 'json']);
    assert.deepEqual(parseJsonReport(r.stdout).map((f) => f.file), ['drafts/x.md']);
  });

  it('expands folders and globs given on the command line', () => {
    const dir = projects.make({ 'drafts/one.md': DRAFTS.wrong, 'drafts/sub/two.markdown': DRAFTS.correct, 'drafts/skip.txt': DRAFTS.wrong, 'x/three.md': DRAFTS.correct });
    assert.deepEqual(parseJsonReport(runCli(dir, ['check', '--format', 'json', 'drafts']).stdout).map((f) => f.file), ['drafts/one.md', 'drafts/sub/two.markdown']);
    assert.deepEqual(parseJsonReport(runCli(dir, ['check', '--format', 'json', '**/t*.md']).stdout).map((f) => f.file), ['x/three.md']);
  });

  it('takes --corpus globs (repeatable) over the setting', () => {
    const dir = projects.make({ 'draft.md': DRAFTS.wrong });
    fs.renameSync(path.join(dir, 'corpus'), path.join(dir, 'sources'));
    const r = runCli(dir, ['check', '--corpus', 'sources/00[0-1]*.txt', '--corpus', 'sources/002*.txt', '--format', 'json', 'draft.md']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(parseJsonReport(r.stdout)[0]!.diagnostics[0]!.code, 'contradicted-figure');
  });
});

describe('sourcemark check --format json', () => {
  it('prints the core diagnostics unchanged, files sorted and diagnostics by position, the same bytes every run', async () => {
    const text = ['# Nháp', '', DRAFTS.unsupported.trim(), DRAFTS.wrong.trim() + ' ' + DRAFTS.unknown.trim(), DRAFTS.mismatch.trim()].join('\n') + '\n';
    const dir = projects.make({ 'z.md': text, 'a.md': DRAFTS.correct });
    const r1 = runCli(dir, ['check', '--format', 'json']);
    const r2 = runCli(dir, ['check', '--format', 'json']);
    assert.equal(r1.stdout, r2.stdout);
    const report = parseJsonReport(r1.stdout);
    assert.deepEqual(report.map((f) => f.file), ['a.md', 'z.md']);
    assert.deepEqual(report[0]!.diagnostics, []);
    const diags = report[1]!.diagnostics;
    const positions = diags.map((d) => [d.range.start.line, d.range.start.character]);
    assert.deepEqual(positions, [...positions].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));

    // Same engine, same diagnostics as the editor: compare with the core run in-process.
    const { service, settings } = await serviceFor(seedCorpus());
    const expected = service.checkDraft(text, settings).diagnostics;
    const strip = (d: { relatedInformation?: unknown }) => ({ ...d, relatedInformation: undefined });
    assert.deepEqual(diags.map(strip), JSON.parse(JSON.stringify(expected)).map(strip));
    const related = diags.find((d) => d.code === 'contradicted-figure')!.relatedInformation![0]!;
    assert.equal(related.location.uri, pathToFileURL(path.join(fs.realpathSync(dir), 'corpus', '002_bd768a52f42e921c.txt')).href);
  });

  it('gives zero-based ranges that cover the figure', () => {
    const dir = projects.make({ 'draft.md': '# Tiêu đề\n\n' + DRAFTS.wrong });
    const [d] = parseJsonReport(runCli(dir, ['check', '--format', 'json']).stdout)[0]!.diagnostics;
    assert.deepEqual(d!.range, { start: { line: 2, character: 37 }, end: { line: 2, character: 47 } });
  });
});

describe('sourcemark check --format text', () => {
  it('groups by file like ESLint stylish, with the evidence under a contradiction and a summary', () => {
    const dir = projects.make({ 'b.md': DRAFTS.wrong, 'a.md': DRAFTS.unknown, 'c.md': DRAFTS.correct });
    const r = runCli(dir, ['check']);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'a.md');
    assert.match(lines[1]!, /^ {2}1:8 {2}error {2}Unknown source \[@no-such-article\]: .* {2}unknown-source$/);
    assert.equal(lines[2], '');
    assert.equal(lines[3], 'b.md');
    assert.match(lines[4]!, /^ {2}1:38 {2}error {2}"5,4 tỷ USD" contradicts the source: \[@002_bd768a52f42e921c\] says "4,5 tỷ USD"\. {2}contradicted-figure$/);
    // The evidence starts under the message: 2 + "1:38" + 2 + "error" + 2 columns in.
    assert.match(lines[5]!, /^ {15}↳ corpus\/002_bd768a52f42e921c\.txt:\d+:\d+ 002_bd768a52f42e921c — .*4,5 tỷ USD/);
    assert.equal(lines[6], '');
    assert.equal(lines[7], '✖ 2 findings (2 errors, 0 warnings, 0 info) in 3 files');
    assert.equal(lines.length, 9);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colours when stdout is not a terminal');
  });

  it('says so when clean, and colours only when asked (FORCE_COLOR) and not with NO_COLOR', () => {
    const dir = projects.make({ 'a.md': DRAFTS.correct, 'b.md': DRAFTS.wrong });
    assert.equal(runCli(dir, ['check', 'a.md']).stdout, '✔ 0 findings (0 errors, 0 warnings, 0 info) in 1 file\n');
    assert.match(runCli(dir, ['check', 'b.md'], { FORCE_COLOR: '1' }).stdout, /\u001b\[31merror/);
  });

  it('--quiet lists errors only, without a summary, and still fails on hidden warnings', () => {
    const dir = projects.make({ 'a.md': DRAFTS.mismatch + DRAFTS.wrong, 'b.md': DRAFTS.mismatch });
    const r = runCli(dir, ['check', '--quiet', '--fail-on', 'warning']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /warning|finding|b\.md/);
    assert.match(r.stdout, /^a\.md\n {2}2:38 {2}error/);
    const clean = runCli(dir, ['check', '--quiet', 'b.md']);
    assert.deepEqual([clean.code, clean.stdout], [0, '']);
  });
});

describe('sourcemark check --max-findings', () => {
  const drafts = { 'a.md': DRAFTS.wrong, 'b.md': DRAFTS.unknown + DRAFTS.wrong };
  // [format, N, check of stdout and stderr]
  const table: [string, string, (out: string, err: string) => void][] = [
    ['text', '1', (out) => {
      assert.equal((out.match(/contradicted-figure|unknown-source/g) ?? []).length, 1);
      assert.match(out, /… 2 more findings not shown \(--max-findings 1\)\n✖ 3 findings \(3 errors/);
    }],
    ['json', '2', (out, err) => {
      assert.deepEqual(parseJsonReport(out).map((f) => f.diagnostics.length), [1, 1]);
      assert.equal(err, 'sourcemark: 1 more finding not listed (--max-findings 2)\n');
    }],
    ['sarif', '0', (out) => {
      const run = JSON.parse(out).runs[0];
      assert.deepEqual([run.results.length, run.properties.omittedFindings, run.properties.maxFindings], [0, 3, 0]);
    }],
    ['github', '2', (out) => {
      assert.equal((out.match(/^::error /gm) ?? []).length, 2);
      assert.match(out, /^::warning title=Sourcemark::1 more finding not shown \(--max-findings 2\)$/m);
    }],
  ];
  for (const [format, n, verify] of table) {
    it(`${format}: lists ${n}, says how many were left out, and exits 1 for all of them`, () => {
      const dir = projects.make(drafts);
      const r = runCli(dir, ['check', '--format', format, '--max-findings', n]);
      assert.equal(r.code, 1);
      verify(r.stdout, r.stderr);
    });
  }
});

describe('sourcemark --help, --version and the progress line', () => {
  it('prints usage and the package version', () => {
    const dir = projects.make();
    for (const args of [['--help'], ['-h'], ['check', '--help'], ['bib', '-h']]) {
      const r = runCli(dir, args);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: sourcemark <command>/);
      assert.match(r.stdout, /--changed-since REF/);
    }
    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
    assert.deepEqual(runCli(dir, ['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('rewrites one progress line on a terminal, throttled, and writes nothing otherwise', () => {
    let out = '';
    let t = 0;
    const p = createProgress(true, (s) => (out += s), () => t);
    p.update('indexing', 1, 4); // a quick run shows nothing
    t = 400;
    p.update('indexing', 2, 4);
    t += 10;
    p.update('indexing', 3, 4); // too soon after the last redraw: skipped
    t += 10;
    p.update('indexing', 4, 4); // the last step always shows
    p.clear();
    assert.equal(out, '\r\u001b[Kindexing 2/4…\r\u001b[Kindexing 4/4…\r\u001b[K');
    let none = '';
    const off = createProgress(false, (s) => (none += s));
    off.update('indexing', 1, 1);
    off.clear();
    assert.equal(none, '');
  });
});
