import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDraft, findCitations, draftChunks, parseChunk, plainParse, type ChunkParse } from '../../server/src/core/draft/parseDraft';
import { mulberry32 } from '../support/prng';
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

describe('draft parsing: the fast path for plain prose', () => {
  /** What a chunk parse decides: which characters are prose, and the blocks. */
  const seen = (source: string, parse: ChunkParse): unknown => {
    const mask = new Uint8Array(source.length);
    for (const p of parse.prose) mask.fill(1, p.start, p.end);
    return { prose: [...mask].join(''), blocks: parse.blocks, frontMatter: parse.frontMatter };
  };

  // [source, taken by the fast path]
  const cases: [string, boolean][] = [
    ['Năm 2024, Tokyo cấp 4,5 tỷ USD [@002_bd768a52f42e921c, para. 3].\nDòng hai (x) "y" ‘z’.\n', true],
    ['# Tiêu đề 10 năm\nĐoạn ngay sau.\n\n## Hai\n\nĐoạn [see @a; @b] và snake_case.', true],
    ['1.5 tỷ USD mở đầu dòng.\n672.000 người.', true],
    ['2024. Một dòng như mục danh sách.', false],
    ['1) mục', false],
    ['- mục', false],
    ['Chữ *nghiêng* đây.', false],
    ['Chữ _nghiêng_ đây.', false],
    ['Mã `x` đây.', false],
    ['Liên kết [a](http://x.vn).', false],
    ['Tham chiếu [a][b].', false],
    ['Xem www.example.com nhé.', false],
    ['Thư a@b.vn nhé.', false],
    ['Dòng có hai dấu cách  \nngắt dòng.', false],
    ['  Thụt lề.', false],
    ['# Tiêu đề đóng #', false],
    ['#hashtag', false],
    ['###### Sáu dấu thăng', true],
    ['####### Bảy dấu thăng là đoạn văn', false],
    ['Tiêu đề\n===', false],
    ['> trích', false],
    ['a &amp; b', false],
    ['a &#35; b', false],
    ['Bộ TT&TT và AT&T.', true],
    ['a \\* b', false],
    ['a | b', false],
    ['a ~~b~~', false],
    ['[^1] chú thích', false],
    ['[x]: http://x.vn', false],
    ['---\ntitle: t\n---\n', false],
  ];
  for (const [source, fast] of cases) {
    it(`${fast ? 'takes' : 'leaves to micromark'} ${JSON.stringify(source.slice(0, 40))}`, () => {
      const parse = plainParse(source);
      assert.equal(parse !== undefined, fast);
      if (parse) assert.deepEqual(seen(source, parse), seen(source, parseChunk(source, true)));
    });
  }

  it('answers as micromark on random prose with Markdown syntax mixed in', () => {
    const r = mulberry32(77);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const words = ['Hà', 'Nội', 'cấp', '4,5', 'tỷ', 'USD', '672.000', 'người', '10/7', 'năm', 'Tokyo', 'Kiev', '(x)', '"y"', '“z”', '[@a_1]', '[see @b, p. 3]', '[x]', 'snake_case', 'TT&TT', 'đ', '%', '$5', '€80', '-', '+', '.', ',', ';', ':', '?', '!'];
    const leads = ['Hà', 'Tokyo', 'Kiev', 'cấp', 'năm', '"y"', '“z”', '(x)', '4,5', '672.000', 'Ông', 'Đức'];
    const rare = ['*', '_', '`', '<b>', '&amp;', '&#35;', '&x;', '\\', '|', '~~', 'www.a.vn', 'http://x.vn', 'a@b.vn', '![', '](', '[^1]', '][', '#', '[]', '\t', '\r', '\u2028'];
    const starts = ['', '', '', '', '# ', '## ', '###### ', '####### ', '#', '1. ', '2) ', '2024. ', '1.5 ', '- ', '+ ', '> ', '= ', ' ', '    ', '[x]: ', '===', '---'];
    let fast = 0;
    const samples = 5000;
    for (let n = 0; n < samples; n++) {
      const lines: string[] = [];
      for (let l = 0, count = 1 + Math.floor(r() * 6); l < count; l++) {
        if (r() < 0.2) {
          lines.push(r() < 0.1 ? ' ' : '');
          continue;
        }
        const tokens: string[] = [];
        // Most lines open with a word, as prose does; the rest with anything.
        tokens.push(r() < 0.8 ? pick(leads) : pick(words));
        for (let w = 0, length = Math.floor(r() * 8); w < length; w++) tokens.push(r() < 0.015 ? pick(rare) : pick(words));
        let line = (r() < 0.15 ? pick(starts) : '') + tokens.join(r() < 0.9 ? ' ' : '');
        if (r() < 0.05) line += pick([' ', '  ', ' #', '#']);
        lines.push(line);
      }
      const source = lines.join('\n') + (r() < 0.5 ? '\n' : '');
      const parse = plainParse(source);
      if (!parse) continue;
      fast++;
      assert.deepEqual(seen(source, parse), seen(source, parseChunk(source, true)), JSON.stringify(source));
    }
    // Both ways are exercised.
    assert.ok(fast > samples * 0.2 && fast < samples * 0.8, `${fast} of ${samples} by the fast path`);
  });

  it('gives parseDraft the same prose and blocks as micromark alone on the bench-like draft', () => {
    const text = joinLines('# Bản nháp', '', 'Năm 2024, Tokyo cấp 4,5 tỷ USD [@002_bd768a52f42e921c].', 'Dòng hai.', '', '## Phần 2', 'Luxembourg có 672.000 người [@a; @b].', '');
    const viaMicromark = parseDraft(text, { chunkCache: { get: (key) => parseChunk(key.slice(1), key[0] === 'F'), set: () => undefined } });
    assert.deepEqual(parseDraft(text), viaMicromark);
  });
});
