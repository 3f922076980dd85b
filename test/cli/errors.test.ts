/** Usage and configuration errors: exit code 2, nothing on stdout, one line on stderr naming the problem. */
import * as assert from 'node:assert/strict';
import { DRAFTS, Projects, ensureBuilt, git, runCli } from './support';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

// [what, args, stderr pattern, setup: extra files or a git repo]
const table: [string, string[], RegExp, { files?: Record<string, string | Uint8Array>; git?: boolean; corpus?: boolean }?][] = [
  ['missing command', [], /^sourcemark: missing command \(expected check, index, bib; see sourcemark --help\)$/],
  ['unknown command', ['lint'], /^sourcemark: unknown command "lint"/],
  ['unknown option', ['check', '--frobnicate'], /^sourcemark: unknown option --frobnicate \(see sourcemark --help\)$/],
  ['option before the command', ['--format', 'json'], /^sourcemark: unknown option --format before the command/],
  ['option without its value', ['check', '--format'], /^sourcemark: option --format needs a value$/],
  ['value given to a flag', ['check', '--quiet=yes'], /^sourcemark: option --quiet does not take a value$/],
  ['unknown format', ['check', '--format', 'xml'], /^sourcemark: unknown format "xml" \(expected text, json, sarif or github\)$/],
  ['unknown --fail-on level', ['check', '--fail-on', 'fatal'], /^sourcemark: unknown --fail-on level "fatal" \(expected error, warning, information, hint or none\)$/],
  ['--max-findings not a number', ['check', '--max-findings', 'many'], /^sourcemark: --max-findings must be a whole number ≥ 0, got "many"$/],
  ['--max-findings negative', ['check', '--max-findings=-3'], /^sourcemark: --max-findings must be a whole number ≥ 0, got "-3"$/],
  ['--max-findings fractional', ['check', '--max-findings', '1.5'], /^sourcemark: --max-findings must be a whole number ≥ 0/],
  ['missing corpus', ['check', '--corpus', 'sources/**/*.txt'], /^sourcemark: no corpus files match "sources\/\*\*\/\*\.txt"$/],
  ['no corpus folder at all', ['check'], /^sourcemark: no corpus files match "corpus\/\*\*\/\*\.\{txt,md,jsonl\}"$/, { corpus: false, files: { 'a.md': DRAFTS.wrong } }],
  ['missing draft', ['check', 'nope.md'], /^sourcemark: no such file or folder: nope\.md$/],
  ['glob matching nothing', ['check', 'drafts/*.md'], /^sourcemark: no drafts match "drafts\/\*\.md"$/],
  ['unreadable (binary) draft', ['check', 'photo.md'], /^sourcemark: cannot read photo\.md: binary file/, { files: { 'photo.md': PNG } }],
  ['missing --config file', ['check', '--config', 'nope.json'], /^sourcemark: cannot read config nope\.json: file not found$/],
  ['invalid sourcemark.json', ['check'], /^sourcemark: sourcemark\.json: invalid JSON/, { files: { 'sourcemark.json': '{ "corpus": [' } }],
  ['wrong setting type', ['check'], /^sourcemark: sourcemark\.json: "requireCitations" must be true or false$/, { files: { 'sourcemark.json': '{ "requireCitations": "yes" }' } }],
  ['--changed-since outside a git repository', ['check', '--changed-since', 'HEAD'], /^sourcemark: --changed-since: not inside a git repository/],
  ['--changed-since with an unknown ref', ['check', '--changed-since', 'no-such-branch'], /^sourcemark: --changed-since: unknown git ref "no-such-branch"$/, { git: true }],
  ['--changed-since with an option-like ref', ['check', '--changed-since=--output=x'], /^sourcemark: --changed-since: invalid git ref "--output=x"$/, { git: true }],
  ['index with an unknown format', ['index', '--format', 'xml'], /^sourcemark: unknown format "xml" \(expected text or json\)$/],
  ['bib with an unknown format', ['bib', '--format', 'bibtex'], /^sourcemark: unknown format "bibtex" \(expected csl-json\)$/],
  ['bib with a file argument', ['bib', 'a.md'], /^sourcemark: bib takes no file arguments/],
];

describe('usage and configuration errors exit 2 with one line on stderr', () => {
  for (const [what, args, pattern, setup] of table) {
    it(`${what}: sourcemark ${args.join(' ')}`, () => {
      const dir = projects.make(setup?.files ?? {}, { corpus: setup?.corpus ?? true });
      if (setup?.git) {
        git(dir, 'init', '-q');
        git(dir, 'add', '.');
        git(dir, 'commit', '-q', '-m', 'seed');
      }
      const r = runCli(dir, args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^[^\n]*\n$/, `exactly one line: ${JSON.stringify(r.stderr)}`);
      assert.match(r.stderr.trimEnd(), pattern);
    });
  }
});
