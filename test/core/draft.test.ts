import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDraft, findCitations, draftChunks } from '../../server/src/core/draft/parseDraft';
import { joinLines, repoRoot } from '../support/memoryWorkspace';

// [citation text, expected items as key|locator]
const citations: [string, string[]][] = [
  ['[@002_bd768a52f42e921c]', ['002_bd768a52f42e921c|']],
  ['[@a; @b]', ['a|', 'b|']],
  ['[@doe99, para. 3]', ['doe99|para. 3']],
  ['[see @smith04, p. 12; also @doe99]', ['smith04|p. 12', 'doe99|']],
  ['[-@vn-jp-trade-2025]', ['vn-jp-trade-2025|']],
  ['[@key.with:punct]', ['key.with:punct|']],
  ['[@../../etc/passwd]', ['../../etc/passwd|']], // not a valid key: reported as such, never looked up
  ['[contact me@example.com]', []], // an e-mail address, not a citation
  ['[no citation here]', []],
  ['[@a](http://example.com)', []], // a link
  ['email me@example.com', []],
];

describe('draft parsing', () => {
  for (const [text, expected] of citations) {
    it(`citation ${text}`, () => {
      const items = findCitations(text).flatMap((c) => c.items.map((i) => `${i.key}|${i.locator ?? ''}`));
      assert.deepEqual(items, expected);
      for (const c of findCitations(text)) for (const i of c.items) {
        assert.equal(text.slice(i.start, i.end), i.key);
        assert.equal(Boolean(i.invalid), i.key.startsWith('.'));
      }
    });
  }

  it('keeps only prose: no front matter, code, URLs or citation keys', () => {
    const text = joinLines(
      '---',
      'title: Bài 2024',
      '---',
      '# Tiêu đề 10 năm',
      '',
      'Năm 2024, Tokyo cấp 4,5 tỷ USD [@002_bd768a52f42e921c, para. 3]. Xem `code 123`, https://example.com/2024/07/10/a-123 và [bài 5](http://x.com/99).',
      '',
      '```',
      'const x = 42;',
      '```',
      '<div>999</div>',
    );
    const d = parseDraft(text);
    assert.equal(d.prose.length, text.length);
    for (const gone of ['Bài 2024', 'code 123', 'example.com', 'x.com/99', '002_bd768a52f42e921c', '42', '999']) assert.ok(!d.prose.includes(gone), gone);
    for (const kept of ['Tiêu đề 10 năm', 'Năm 2024, Tokyo cấp 4,5 tỷ USD', 'bài 5']) assert.ok(d.prose.includes(kept), kept);
    assert.deepEqual(d.frontMatter, { start: 0, end: text.indexOf('---', 4) + 3 });
    assert.equal(d.citations.length, 1);
  });

  it('survives deep nesting and long input', () => {
    const nested = '> '.repeat(5000) + 'sâu 10 năm';
    assert.ok(parseDraft(nested).prose.length === nested.length);
  });
});

describe('draft chunks', () => {
  const cases: [string, string[]][] = [
    [joinLines('a', '', 'b'), ['a\n', 'b']],
    [joinLines('```', 'x', '', 'y', '```', '', 'z'), ['```\nx\n\ny\n```\n', 'z']],
    [joinLines('---', 'title: t', '', 'x: 1', '---', 'body', '', 'more'), ['---\ntitle: t\n\nx: 1\n---\nbody\n', 'more']],
    [joinLines('~~~~', '```', '', '~~~~', '', 'p'), ['~~~~\n```\n\n~~~~\n', 'p']],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      assert.deepEqual(draftChunks(text).map((c) => text.slice(c.start, c.end)), expected);
    });
  }

  it('parses the example drafts the same in chunks as in one piece', () => {
    for (const name of ['ukraine-security-pacts.md', 'fact-check-me.md', 'english-brief.md']) {
      const text = fs.readFileSync(path.join(repoRoot, 'examples', name), 'utf8');
      const whole = parseDraft(text, { chunkCache: undefined, maxChars: Infinity });
      const oneChunk = parseDraft(text.replace(/\n\n/g, '\n\n'), {});
      assert.equal(whole.prose, oneChunk.prose, name);
      assert.ok(whole.blocks.length > 5, name);
    }
  });

  it('stops at the parse budget and says where', () => {
    const text = 'Một câu 10 năm.\n\n'.repeat(1000);
    const d = parseDraft(text, { maxChars: 1000 });
    assert.ok(d.parsedUntil !== undefined && d.parsedUntil <= 1000 + 20);
    assert.ok(d.blocks.every((b) => b.end <= d.parsedUntil!));
  });
});
