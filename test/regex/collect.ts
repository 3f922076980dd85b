/**
 * Collects every regular expression of `server/src/**\/*.ts`: regex literals, and
 * `new RegExp(...)` / `RegExp(...)` whose pattern can be folded from string literals,
 * `String.raw` templates, same-file `const X = '…'` strings and `X.source` of same-file
 * regex literals. A small tokenizer tells strings, template literals (with nested `${}`),
 * comments and regex literals apart (a `/` starts a regex after an operator, an opening
 * bracket, a keyword or the start of the file; it is a division after a value).
 *
 * Constructors whose pattern depends on runtime values are listed in `unresolved`; the ones the
 * guard still covers are rebuilt by hand in `MANUAL` (see there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EN_ORDINALS, EN_TENS, EN_UNITS } from '../../server/src/core/quantity/lexicon';

export interface CollectedRegex {
  /** `server/src/…/file.ts:line:column`. */
  where: string;
  source: string;
  flags: string;
  kind: 'literal' | 'constructor' | 'manual';
}

export interface Unresolved {
  where: string;
  code: string;
  reason: string;
}

export const repoRoot = path.resolve(__dirname, '..', '..');

type Token =
  | { t: 'regex'; source: string; flags: string; pos: number }
  | { t: 'string'; value: string; pos: number }
  | { t: 'template'; parts: string[]; raw: string[]; exprs: string[]; pos: number; end: number }
  | { t: 'ident'; value: string; pos: number }
  | { t: 'num'; pos: number }
  | { t: 'punct'; value: string; pos: number };

const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);

/** The value of a string literal's body (the usual JavaScript escapes). */
function unescapeString(body: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = body[++i];
    if (d === undefined) break;
    if (d in simple) out += simple[d];
    else if (d === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (d === 'u' && body[i + 1] === '{') {
      const close = body.indexOf('}', i);
      out += String.fromCodePoint(parseInt(body.slice(i + 2, close), 16));
      i = close;
    } else if (d === 'u') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (d === '\n') continue;
    else out += d;
  }
  return out;
}

/** Tokenizes TypeScript well enough to find strings, templates and regex literals. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  const regexAllowed = (): boolean => {
    const prev = out[out.length - 1];
    if (!prev) return true;
    if (prev.t === 'ident') return KEYWORDS_BEFORE_REGEX.has(prev.value);
    if (prev.t === 'punct') return !(prev.value === ')' || prev.value === ']' || prev.value === '}');
    return false;
  };
  /** Reads a template literal starting at the backtick at `start`; returns the token. */
  const readTemplate = (start: number): Token & { t: 'template' } => {
    const parts: string[] = [];
    const raw: string[] = [];
    const exprs: string[] = [];
    let j = start + 1;
    let chunk = '';
    for (;;) {
      if (j >= n) break;
      const c = src[j]!;
      if (c === '\\') {
        chunk += src.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (c === '`') {
        j++;
        break;
      }
      if (c === '$' && src[j + 1] === '{') {
        raw.push(chunk);
        parts.push(unescapeString(chunk));
        chunk = '';
        // Skip the expression, which may hold strings, templates and braces.
        let depth = 1;
        let k = j + 2;
        const exprStart = k;
        while (k < n && depth > 0) {
          const d = src[k]!;
          if (d === '{') depth++;
          else if (d === '}') depth--;
          else if (d === '`') {
            k = readTemplate(k).end;
            continue;
          } else if (d === "'" || d === '"') {
            k++;
            while (k < n && src[k] !== d) k += src[k] === '\\' ? 2 : 1;
          }
          k++;
        }
        exprs.push(src.slice(exprStart, k - 1));
        j = k;
        continue;
      }
      chunk += c;
      j++;
    }
    raw.push(chunk);
    parts.push(unescapeString(chunk));
    return { t: 'template', parts, raw, exprs, pos: start, end: j };
  };
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out.push({ t: 'string', value: unescapeString(src.slice(i + 1, j)), pos: i });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const tok = readTemplate(i);
      out.push(tok);
      i = tok.end;
      continue;
    }
    if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < n && src[j] !== '\n') {
        const d = src[j]!;
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (inClass) {
          if (d === ']') inClass = false;
        } else if (d === '[') inClass = true;
        else if (d === '/') break;
        j++;
      }
      const source = src.slice(i + 1, j);
      let k = j + 1;
      while (k < n && /[a-z]/.test(src[k]!)) k++;
      out.push({ t: 'regex', source, flags: src.slice(j + 1, k), pos: i });
      i = k;
      continue;
    }
    if (/[A-Za-z_$\u00c0-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$\u00c0-\uffff]/.test(src[j]!)) j++;
      out.push({ t: 'ident', value: src.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(src[j]!)) j++;
      out.push({ t: 'num', pos: i });
      i = j;
      continue;
    }
    out.push({ t: 'punct', value: c, pos: i });
    i++;
  }
  return out;
}

/** `line:column` (1-based) of an offset. */
const lineOf = (src: string, pos: number): string => {
  const before = src.slice(0, pos);
  const line = before.split('\n').length;
  return `${line}:${pos - before.lastIndexOf('\n')}`;
};

/** Folds an argument (a token range) to a string when it is made of constants. */
function foldString(tokens: Token[], consts: Map<string, string>, regexes: Map<string, Token & { t: 'regex' }>): string | undefined {
  let out = '';
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.t === 'string') out += tok.value;
    else if (tok.t === 'template') {
      const rawTag = k > 0 && tokens[k - 1]!.t === 'ident' && (tokens[k - 1] as { value: string }).value === 'raw';
      const parts = rawTag ? tok.raw : tok.parts;
      let s = parts[0]!;
      for (let e = 0; e < tok.exprs.length; e++) {
        const v = foldExpr(tok.exprs[e]!.trim(), consts, regexes);
        if (v === undefined) return undefined;
        s += v + parts[e + 1]!;
      }
      out += s;
    } else if (tok.t === 'ident' && (tok.value === 'String' || tok.value === 'raw')) continue;
    else if (tok.t === 'punct' && (tok.value === '.' || tok.value === '+')) continue;
    else if (tok.t === 'ident') {
      const next = tokens[k + 1];
      const after = tokens[k + 2];
      if (next?.t === 'punct' && next.value === '.' && after?.t === 'ident' && after.value === 'source' && regexes.has(tok.value)) {
        out += regexes.get(tok.value)!.source;
        k += 2;
      } else if (consts.has(tok.value)) out += consts.get(tok.value)!;
      else return undefined;
    } else return undefined;
  }
  return out;
}

function foldExpr(expr: string, consts: Map<string, string>, regexes: Map<string, Token & { t: 'regex' }>): string | undefined {
  return foldString(tokenize(expr), consts, regexes);
}

/** Every regex of one file. */
export function collectFromSource(file: string, src: string): { found: CollectedRegex[]; unresolved: Unresolved[] } {
  const tokens = tokenize(src);
  const found: CollectedRegex[] = [];
  const unresolved: Unresolved[] = [];
  const consts = new Map<string, string>();
  const regexes = new Map<string, Token & { t: 'regex' }>();
  // Same-file constants: `const X = 'a'`, `const X = String.raw\`…\``, `const X = /…/`.
  for (let k = 0; k + 3 < tokens.length; k++) {
    const [a, b, c] = [tokens[k]!, tokens[k + 1]!, tokens[k + 2]!];
    if (a.t !== 'ident' || a.value !== 'const' || b.t !== 'ident' || c.t !== 'punct' || c.value !== '=') continue;
    let e = k + 3;
    const argTokens: Token[] = [];
    while (e < tokens.length && !(tokens[e]!.t === 'punct' && (tokens[e] as { value: string }).value === ';')) argTokens.push(tokens[e++]!);
    if (argTokens.length === 1 && argTokens[0]!.t === 'regex') regexes.set(b.value, argTokens[0] as Token & { t: 'regex' });
    else {
      const v = foldString(argTokens, consts, regexes);
      if (v !== undefined) consts.set(b.value, v);
    }
  }
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.t === 'regex') {
      found.push({ where: `${file}:${lineOf(src, tok.pos)}`, source: tok.source, flags: tok.flags, kind: 'literal' });
      continue;
    }
    if (tok.t === 'ident' && tok.value === 'RegExp' && tokens[k + 1]?.t === 'punct' && (tokens[k + 1] as { value: string }).value === '(') {
      // Arguments up to the matching ')', split at top-level commas.
      const args: Token[][] = [[]];
      let depth = 0;
      let e = k + 2;
      for (; e < tokens.length; e++) {
        const a = tokens[e]!;
        if (a.t === 'punct' && '([{'.includes(a.value)) depth++;
        if (a.t === 'punct' && ')]}'.includes(a.value)) {
          if (depth === 0) break;
          depth--;
        }
        if (a.t === 'punct' && a.value === ',' && depth === 0) args.push([]);
        else args[args.length - 1]!.push(a);
      }
      const where = `${file}:${lineOf(src, tok.pos)}`;
      const code = src.slice(tok.pos, (tokens[e]?.pos ?? tok.pos) + 1);
      const source = foldString(args[0]!, consts, regexes);
      const flags = args[1] ? foldString(args[1], consts, regexes) : '';
      if (source === undefined || flags === undefined) unresolved.push({ where, code, reason: 'the pattern depends on runtime values' });
      else found.push({ where, source, flags, kind: 'constructor' });
    }
  }
  return { found, unresolved };
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/**
 * Constructors the folding cannot evaluate, rebuilt here by hand from the same data. When the
 * code changes, the test "every unresolved constructor is rebuilt by hand" says which one.
 */
export function manualRegexes(): { key: string; regex: CollectedRegex }[] {
  // parseQuantities.ts: CANDIDATE = digits or number words grouped by first letter.
  const words = ['một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'bẩy', 'tám', 'chín', 'mười', 'thứ', ...EN_UNITS.keys(), ...EN_TENS.keys(), ...EN_ORDINALS.keys()];
  const byFirst = new Map<string, string[]>();
  for (const w of words) byFirst.set(w[0]!, [...(byFirst.get(w[0]!) ?? []), w.slice(1)]);
  const alternation = [...byFirst].map(([f, rests]) => `[${f}${f.toUpperCase()}](?:${rests.sort((a, b) => b.length - a.length).join('|')})`).join('|');
  // cleanArticle.ts: the month names of MONTHS, read from the file itself.
  const clean = fs.readFileSync(path.join(repoRoot, 'server/src/core/corpus/cleanArticle.ts'), 'utf8');
  const monthsBody = /const MONTHS[^=]*=\s*\{([^}]*)\}/.exec(clean)?.[1] ?? '';
  const months = [...monthsBody.matchAll(/([a-z]+)\s*:/g)].map((m) => m[1]!);
  return [
    {
      key: 'server/src/core/quantity/parseQuantities.ts#CANDIDATE',
      regex: { where: 'server/src/core/quantity/parseQuantities.ts (CANDIDATE, rebuilt)', source: `\\d+(?:[.,]\\d+)*|(?:${alternation})(?![\\p{L}\\p{M}\\p{N}])`, flags: 'gu', kind: 'manual' },
    },
    {
      key: 'server/src/core/corpus/cleanArticle.ts#MONTHS',
      regex: { where: 'server/src/core/corpus/cleanArticle.ts (MONTHS alternation, rebuilt)', source: `\\b(?:${months.join('|')})\\b`, flags: 'g', kind: 'manual' },
    },
  ];
}

/** Which manual rebuild covers an unresolved constructor (by the code it holds). */
export function manualKeyFor(u: Unresolved): string | undefined {
  if (u.where.startsWith('server/src/core/quantity/parseQuantities.ts') && u.code.includes('wordAlternation(NUMBER_WORDS)')) return 'server/src/core/quantity/parseQuantities.ts#CANDIDATE';
  if (u.where.startsWith('server/src/core/corpus/cleanArticle.ts') && u.code.includes('Object.keys(MONTHS)')) return 'server/src/core/corpus/cleanArticle.ts#MONTHS';
  return undefined;
}

/** Every regex under `server/src`, plus the unresolved constructors. */
export function collectAll(root = repoRoot): { regexes: CollectedRegex[]; unresolved: Unresolved[]; files: number } {
  const files = listTs(path.join(root, 'server', 'src'));
  const regexes: CollectedRegex[] = [];
  const unresolved: Unresolved[] = [];
  for (const f of files) {
    const rel = path.relative(root, f).split(path.sep).join('/');
    const r = collectFromSource(rel, fs.readFileSync(f, 'utf8'));
    regexes.push(...r.found);
    unresolved.push(...r.unresolved);
  }
  const manual = manualRegexes();
  for (const u of unresolved) {
    const m = manual.find((x) => x.key === manualKeyFor(u));
    if (m) regexes.push(m.regex);
  }
  return { regexes, unresolved, files: files.length };
}
