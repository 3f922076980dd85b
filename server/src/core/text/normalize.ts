/**
 * Vietnamese-aware text normalisation.
 *
 * Three layers, each cheap and each preserving offsets where it can:
 * - `toNfc` composes the text (NFC) and keeps a map back to the original offsets when the
 *   length changed (decomposed input from some Mac or Word exports).
 * - `foldTones` moves the tone mark of open `oa`, `oe`, `uy` syllables to one place, so the
 *   old style (`thoả`, `hoà`, `thuý`) and the new style (`thỏa`, `hòa`, `thúy`) compare equal.
 *   It never changes the length of NFC text.
 * - `foldKey` drops every diacritic (`đ` → `d`) and lower-cases, one UTF-16 unit in, one out,
 *   so offsets in the key are offsets in the text. `thoa thuan luxembourg` finds
 *   `thỏa thuận ... Luxembourg`.
 */

const COMBINING = /[\u0300-\u036f]/;
const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);

/** NFC text plus a way back to offsets in the text it was made from. */
export interface NormalizedText {
  text: string;
  /** Maps an offset in `text` to the matching offset in the original. Identity when lengths agree. */
  toOriginal(offset: number): number;
  /** Maps an offset in the original to the matching offset in `text`. */
  fromOriginal(offset: number): number;
}

const identity = (offset: number): number => offset;

/**
 * NFC-normalises `input`; when composition changes the length, records for every output
 * offset the original offset of the base character it came from.
 */
export function toNfc(input: string): NormalizedText {
  const text = input.normalize('NFC');
  if (text.length === input.length) return { text, toOriginal: identity, fromOriginal: identity };
  // Walk clusters (a base character and its combining marks) and compose each alone.
  const outToIn: number[] = [];
  let out = '';
  let i = 0;
  while (i < input.length) {
    let j = nextChar(input, i);
    // Extend the cluster over combining marks and over anything that composes with it
    // (Hangul jamo, for instance), so each cluster normalises on its own.
    while (j < input.length) {
      const k = nextChar(input, j);
      const ch = input.slice(j, k);
      if (!ANY_MARK.test(ch) && input.slice(i, k).normalize('NFC').length === input.slice(i, j).normalize('NFC').length + ch.normalize('NFC').length) break;
      j = k;
    }
    const composed = input.slice(i, j).normalize('NFC');
    for (let k = 0; k < composed.length; k++) outToIn.push(i + Math.min(k, j - i - 1));
    out += composed;
    i = j;
  }
  outToIn.push(input.length);
  const inToOut = new Int32Array(input.length + 1);
  for (let o = outToIn.length - 1; o >= 0; o--) inToOut[outToIn[o]!] = o;
  for (let k = 1; k <= input.length; k++) if (inToOut[k] === 0 && k !== 0) inToOut[k] = inToOut[k - 1]!;
  return {
    text: out,
    toOriginal: (offset) => outToIn[Math.max(0, Math.min(offset, outToIn.length - 1))]!,
    fromOriginal: (offset) => inToOut[Math.max(0, Math.min(offset, input.length))]!,
  };
}

function nextChar(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1;
}

const ANY_MARK = /^\p{M}/u;

// An open syllable ending in oa/oe/uy (not after q, where u belongs to the consonant),
// with the tone mark on the second vowel: "thoả", "hoà", "thuý", "khoẻ".
const OLD_STYLE = /(^|[^\p{L}])([\p{L}]*?)([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\p{L}\p{M}])/gu;

/**
 * Canonicalises tone-mark placement to the "new" style (`hòa`, `thỏa`, `thúy`) on NFC text.
 * Length-preserving: every composed vowel is one UTF-16 unit before and after.
 */
export function foldTones(nfcText: string): string {
  if (!/[oOuU]/.test(nfcText)) return nfcText;
  const decomposed = nfcText.normalize('NFD');
  if (!/[\u0300\u0301\u0303\u0309\u0323]/.test(decomposed)) return nfcText;
  const moved = decomposed.replace(OLD_STYLE, (whole, lead: string, onset: string, v1: string, v2: string, tone: string) => {
    const isQu = (v1 === 'u' || v1 === 'U') && /[qQ]$/.test(onset);
    const vowelOnset = /[aăâeêioôơuưy]/i.test(onset.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
    if (isQu || vowelOnset || !TONE_MARKS.has(tone)) return whole;
    return `${lead}${onset}${v1}${tone}${v2}`;
  });
  const result = moved.normalize('NFC');
  return result.length === nfcText.length ? result : nfcText;
}

/** Lower-cases and strips every diacritic, one UTF-16 unit per input unit. */
export function foldKey(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (code < 0x80) {
      out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
      continue;
    }
    out += foldChar(ch);
  }
  return out;
}

const foldCache = new Map<string, string>();

function foldChar(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let folded: string;
  if (ch === 'đ' || ch === 'Đ') folded = 'd';
  else {
    const base = ch.normalize('NFD')[0]!;
    const lower = base.toLowerCase();
    folded = lower.length === 1 ? lower : ch;
    if (COMBINING.test(folded)) folded = ch;
  }
  foldCache.set(ch, folded);
  return folded;
}

/** NFC + tone folding: the form the index and the checker compare. */
export function canonicalText(input: string): string {
  return foldTones(input.normalize('NFC'));
}

/** A word of the text, with its offsets and its diacritic-free key. */
export interface Token {
  start: number;
  end: number;
  /** `foldKey` of the word. */
  key: string;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Splits text into words (letters and digits), keeping offsets. */
export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  const folded = foldKey(text);
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    tokens.push({ start: start + offset, end: end + offset, key: folded.slice(start, end) });
  }
  return tokens;
}
