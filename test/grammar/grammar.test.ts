/**
 * The Sourcemark TextMate injection, tokenized with the same engine VS Code uses
 * (vscode-textmate + the Oniguruma wasm shipped in vscode-oniguruma, loaded from disk).
 *
 * VS Code's own Markdown grammar is not published as a package, so the base grammar here is
 * a minimal stand-in with the scope names VS Code uses (`text.html.markdown`,
 * `markup.fenced_code.block.markdown`, `markup.inline.raw.string.markdown`, headings, links):
 * enough to exercise the injection selector and its exclusions.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = path.resolve(__dirname, '../..');
const GRAMMAR_PATH = path.join(root, 'syntaxes/sourcemark.tmLanguage.json');
const INJECTION = 'markdown.sourcemark.injection';

/** Stand-in for VS Code's Markdown grammar: headings, fenced code, inline code, links, paragraphs. */
const baseMarkdown = {
  scopeName: 'text.html.markdown',
  patterns: [{ include: '#fenced' }, { include: '#heading' }, { include: '#inline' }],
  repository: {
    fenced: {
      name: 'markup.fenced_code.block.markdown',
      begin: '^\\s*(`{3,}|~{3,})(.*)$',
      end: '^\\s*\\1\\s*$',
      beginCaptures: { 1: { name: 'punctuation.definition.markdown' } },
    },
    heading: {
      name: 'markup.heading.markdown',
      begin: '^(#{1,6})\\s',
      end: '$',
      patterns: [{ include: '#inline' }],
    },
    inline: { patterns: [{ include: '#raw' }, { include: '#link' }] },
    raw: { name: 'markup.inline.raw.string.markdown', begin: '(`+)', end: '\\1' },
    link: {
      name: 'meta.link.inline.markdown',
      match: '(\\[)([^\\[\\]]*)(\\])(\\()([^)]*)(\\))',
      captures: { 2: { name: 'string.other.link.title.markdown' }, 5: { name: 'markup.underline.link.markdown' } },
    },
  },
};

let registry: vsctm.Registry;
let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName === 'text.html.markdown') return vsctm.parseRawGrammar(JSON.stringify(baseMarkdown), 'markdown.json');
      if (scopeName === INJECTION) return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
      return null;
    },
    // What VS Code derives from `contributes.grammars[].injectTo`.
    getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? [INJECTION] : undefined),
  });
  const g = await registry.loadGrammar('text.html.markdown');
  assert.ok(g, 'base grammar loads');
  grammar = g;
});

interface Token {
  text: string;
  start: number;
  end: number;
  scopes: string[];
}

/** Tokenizes lines in sequence (so multi-line rules such as fenced code carry over). */
function tokenize(lines: string[]): Token[][] {
  let state = vsctm.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: t.endIndex, scopes: t.scopes }));
  });
}

/** Per character: the scopes of the token that covers it. */
function scopesPerChar(line: string, tokens: Token[]): string[][] {
  const out: string[][] = Array.from({ length: line.length }, () => []);
  for (const t of tokens) for (let i = t.start; i < t.end && i < line.length; i++) out[i] = t.scopes;
  return out;
}

/** `[text, scope]`: the text carries exactly that scope (the scope's run starts and ends with it). `[text, '!' + scope]`: no character of it does. */
type Expectation = [text: string, scope: string];

const FIG = 'constant.numeric.figure.sourcemark';
const UNIT = 'keyword.other.unit.sourcemark';
const QUAL = 'keyword.other.qualifier.sourcemark';
const CIT = 'meta.citation.sourcemark';
const KEY = 'entity.name.tag.citation-key.sourcemark';
const AT = 'punctuation.definition.citation-key.sourcemark';
const LOC = 'string.other.locator.sourcemark';
const SEP = 'punctuation.separator.citation.sourcemark';
const OPEN = 'punctuation.definition.citation.begin.sourcemark';
const CLOSE = 'punctuation.definition.citation.end.sourcemark';

const cases: [title: string, lines: string[], expected: Expectation[]][] = [
  ['a money figure with scale and unit', ['Nhật Bản cam kết 4,5 tỷ USD cho Ukraine.'], [['Nhật', '!' + FIG], ['4,5 tỷ USD', FIG], ['4,5', '!' + UNIT], ['tỷ USD', UNIT]]],
  ['a count with a thousands separator', ['Khoảng 672.000 người đã rời đi.'], [['Khoảng 672.000 người', FIG], ['Khoảng', QUAL], ['người', UNIT]]],
  ['a date', ['Hội nghị diễn ra ngày 10/7 tại Washington.'], [['10/7', FIG]]],
  ['a date range', ['Thượng đỉnh NATO ngày 11-12/7 ở Vilnius.'], [['11-12/7', FIG]]],
  ['a full date and a month-year', ['Ký ngày 13/6/2024, hiệu lực từ 9/2022.'], [['13/6/2024', FIG], ['9/2022', FIG]]],
  ['a qualifier', ['Pháp hỗ trợ hơn 250 triệu euro.'], [['hơn 250 triệu euro', FIG], ['hơn', QUAL], ['triệu euro', UNIT]]],
  ['a capitalised qualifier at sentence start', ['Hơn 250 triệu euro đã được giải ngân.'], [['Hơn 250 triệu euro', FIG], ['Hơn', QUAL]]],
  ['an English currency figure', ['The US pledged $38 billion over the decade.'], [['$38 billion', FIG], ['$', UNIT], ['billion', UNIT]]],
  ['a glued scale after a currency sign', ['Britain adds £2.5bn and US$5m more.'], [['£2.5bn', FIG], ['US$5m', FIG], ['US$', UNIT]]],
  ['an English qualifier', ['More than 10,000 troops and about 12.5% of it.'], [['More than 10,000 troops', FIG], ['More than', QUAL], ['about 12.5%', FIG], ['%', UNIT]]],
  ['a percentage', ['Tỷ lệ ủng hộ đạt 12,5%.'], [['12,5%', FIG], ['%', UNIT]]],
  ['a duration', ['Thỏa thuận có thời hạn 10 năm.'], [['10 năm', FIG], ['năm', UNIT]]],
  ['a numeric range with a percent sign', ['Lạm phát 10-15% mỗi năm.'], [['10-15%', FIG]]],
  ['bare numbers and labels are no figures', ['Năm 2024, Điều 5 và mã 12345 không phải số liệu.'], [['2024', '!' + FIG], ['5', '!' + FIG], ['12345', '!' + FIG]]],
  ['no figure inside a word or a version', ['COVID-19 người, v1.2 tỷ, abc10 năm.'], [['19 người', '!' + FIG], ['1.2 tỷ', '!' + FIG], ['10 năm', '!' + FIG]]],
  ['a simple citation', ['Theo thỏa thuận [@002_bd768a52f42e921c].'], [['[@002_bd768a52f42e921c]', CIT], ['[', OPEN], ['@002_bd768a52f42e921c', KEY], ['@', AT], [']', CLOSE]]],
  ['several keys and a locator', ['Nguồn [@a; @b, para. 3] nói vậy.'], [['[@a; @b, para. 3]', CIT], ['@a', KEY], [';', SEP], ['@b', KEY], ['para. 3', LOC], ['3', '!' + FIG]]],
  ['a suppressed author and a prefix', ['Như đã viết [see -@smith2020, p. 12].'], [['[see -@smith2020, p. 12]', CIT], ['-', 'keyword.operator.suppress-author.sourcemark'], ['@smith2020', KEY], ['p. 12', LOC]]],
  ['a key with internal punctuation', ['Xem [@vnexpress:2024-06-13.a] nhé.'], [['@vnexpress:2024-06-13.a', KEY]]],
  ['a figure next to a citation', ['Nhật Bản cam kết 4,5 tỷ USD [@002_bd768a52f42e921c].'], [['4,5 tỷ USD', FIG], ['[@002_bd768a52f42e921c]', CIT]]],
  ['a Markdown link is not a citation', ['Đọc [bài của @abc](https://x.vn/10/7) đi.'], [['[bài của @abc]', '!' + CIT], ['10/7', '!' + FIG]]],
  ['an e-mail address is not a citation key', ['Liên hệ [ban biên tập: toa@soan.vn] nhé.'], [['[ban biên tập: toa@soan.vn]', '!' + CIT]]],
  ['a bracket without a key', ['Chú thích [xem thêm] và [@] rỗng.'], [['[xem thêm]', '!' + CIT], ['[@]', '!' + CIT]]],
  ['figures and citations in a heading', ['## Mỹ cam kết 10 năm [@a]'], [['10 năm', FIG], ['[@a]', CIT], ['@a', KEY]]],
  ['no figure in inline code', ['Lệnh `4,5 tỷ USD [@a]` còn 10 năm bên ngoài.'], [['4,5 tỷ USD', '!' + FIG], ['[@a]', '!' + CIT], ['10 năm', FIG]]],
  ['no figure in a fenced code block', ['```text', '4,5 tỷ USD ngày 10/7 [@a]', '```', 'Sau đó 10 năm.'], [['4,5 tỷ USD', '!' + FIG], ['10/7', '!' + FIG], ['[@a]', '!' + CIT], ['10 năm', FIG]]],
];

describe('TextMate grammar: citations and figures', () => {
  for (const [title, lines, expected] of cases) {
    it(title, () => {
      const tokenized = tokenize(lines);
      const all = lines.join('\n');
      const perChar = tokenized.flatMap((tokens, i) => [...scopesPerChar(lines[i]!, tokens), ['\n']]);
      let from = 0;
      for (const [text, spec] of expected) {
        const negate = spec.startsWith('!');
        const scope = negate ? spec.slice(1) : spec;
        const at = all.indexOf(text, from);
        assert.ok(at >= 0, `"${text}" is in the input`);
        const has = (i: number): boolean => (perChar[i] ?? []).includes(scope);
        const dump = (): string => tokenized.flat().map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n  ');
        if (negate) {
          for (let i = at; i < at + text.length; i++) assert.ok(!has(i), `"${text}" must not carry ${scope}; tokens:\n  ${dump()}`);
        } else {
          for (let i = at; i < at + text.length; i++) assert.ok(has(i), `"${text}" carries ${scope} (missing at ${JSON.stringify(all[i])}); tokens:\n  ${dump()}`);
          assert.ok(!has(at - 1) && !has(at + text.length), `${scope} spans exactly "${text}"; tokens:\n  ${dump()}`);
          from = at;
        }
      }
    });
  }

  it('tokenizes pathological lines in linear time', () => {
    const lines = [
      '[' + 'see '.repeat(5000),
      '[' + '@a; '.repeat(3000),
      '1,'.repeat(5000) + 'x',
      'hơn '.repeat(4000) + '1 ',
      '[a '.repeat(4000) + '@b',
      '1-'.repeat(4000),
    ];
    for (const line of lines) {
      const t0 = performance.now();
      tokenize([line]);
      const ms = performance.now() - t0;
      assert.ok(ms < 2000, `${line.slice(0, 12)}… took ${ms.toFixed(0)} ms`);
    }
  });

  it('is contributed to Markdown in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const raw = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8'));
    const entry = pkg.contributes?.grammars?.find((g: { scopeName?: string }) => g.scopeName === INJECTION);
    assert.ok(entry, 'contributes.grammars has the injection');
    assert.deepEqual(entry.injectTo, ['text.html.markdown']);
    assert.equal(path.resolve(root, entry.path), GRAMMAR_PATH);
    assert.equal(raw.scopeName, INJECTION);
    assert.equal(raw.injectionSelector, 'L:text.html.markdown -markup.fenced_code -markup.inline.raw');
  });
});
