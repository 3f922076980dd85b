/** `--format github`: workflow commands with GitHub's escaping rules. */
import * as assert from 'node:assert/strict';
import { DRAFTS, Projects, ensureBuilt, runCli } from './support';
import { escapeData, escapeProperty, workflowCommand } from '../../server/src/cli/format/github';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

describe('workflow command escaping', () => {
  // [input, as data, as a property]
  const table: [string, string, string][] = [
    ['plain text', 'plain text', 'plain text'],
    ['50% more', '50%25 more', '50%25 more'],
    ['line one\nline two', 'line one%0Aline two', 'line one%0Aline two'],
    ['crlf\r\n', 'crlf%0D%0A', 'crlf%0D%0A'],
    ['a: b, c', 'a: b, c', 'a%3A b%2C c'],
    ['%0A literally', '%250A literally', '%250A literally'],
  ];
  for (const [input, data, property] of table) {
    it(JSON.stringify(input), () => {
      assert.equal(escapeData(input), data);
      assert.equal(escapeProperty(input), property);
    });
  }

  it('builds a command line', () => {
    assert.equal(workflowCommand('warning', { file: 'a,b.md', line: 3 }, 'x\ny'), '::warning file=a%2Cb.md,line=3::x%0Ay');
    assert.equal(workflowCommand('notice', {}, 'hi'), '::notice::hi');
  });
});

describe('sourcemark check --format github', () => {
  it('prints one command per finding: error, warning and notice, with positions, title and evidence', () => {
    const dir = projects.make({ 'drafts/bài 1, bản 2.md': DRAFTS.wrong + DRAFTS.mismatch + DRAFTS.unsupported });
    const r = runCli(dir, ['check', '--format', 'github']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trimEnd().split('\n');
    const file = 'drafts/bài 1%2C bản 2.md';
    assert.equal(lines[0], `::error file=${file},line=1,col=38,endLine=1,endColumn=48,title=Sourcemark%3A Contradicted figure (contradicted-figure)::"5,4 tỷ USD" contradicts the source: [@002_bd768a52f42e921c] says "4,5 tỷ USD".%0A↳ corpus/002_bd768a52f42e921c.txt:11: 002_bd768a52f42e921c — ${lines[0]!.split('— ')[1]}`);
    assert.doesNotMatch(lines[0]!, /\n|\r/);
    assert.match(lines[1]!, new RegExp(`^::warning file=${file},line=2,col=1,endLine=2,endColumn=9,title=Sourcemark%3A Citation mismatch \\(citation-mismatch\\)::"Năm 2024" is not supported`));
    assert.match(lines[3]!, new RegExp(`^::notice file=${file},line=3,col=18,endLine=3,endColumn=29,title=Sourcemark%3A Unsupported figure \\(unsupported-figure\\)::No source found for "3 triệu tấn"\\.$`));
    assert.equal(lines[4], 'sourcemark: 4 findings (1 error, 2 warnings, 1 info) in 1 file; 4 annotated');
    assert.equal(lines.length, 5);
  });

  it('--quiet prints only the error commands', () => {
    const dir = projects.make({ 'a.md': DRAFTS.mismatch, 'b.md': DRAFTS.unknown });
    const r = runCli(dir, ['check', '--format', 'github', '--quiet']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error file=b\.md,line=1,col=8,[^\n]*unknown-source\)::Unknown source \[@no-such-article\][^\n]*\n$/);
  });
});
