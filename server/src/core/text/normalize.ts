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
  if (isPlainNfc(input)) return { text: input, toOriginal: identity, fromOriginal: identity };
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

/**
 * Whether `text` is NFC as it stands because every unit is a plain character: one that NFC
 * leaves alone and that never composes with the character before it (Latin, Vietnamese
 * precomposed letters, Greek, Cyrillic, common punctuation and symbols). A table lookup per
 * unit instead of ICU's normalisation, which cost a preparer thread half a second on the
 * archive (and a warm check, per article read from the cache). Anything else (combining
 * marks, astral characters, the rest) goes through `normalize`.
 */
export function isPlainNfc(text: string): boolean {
  const plain = PLAIN_NFC;
  for (let i = 0; i < text.length; i++) if (plain[text.charCodeAt(i)] === 0) return false;
  return true;
}

/**
 * The plain characters (see `isPlainNfc`), as runs of UTF-16 units: those of Latin, Greek,
 * Cyrillic, Latin Extended Additional (Vietnamese), punctuation, currency, letterlike, arrows,
 * mathematical and box-drawing blocks that NFC leaves alone, alone and after a base letter
 * (`a e o u y A ơ ư â и α` and a space). Written out, not made from `normalize` at load: that
 * took 24 ms of every process's start (the server, the CLI, each preparer thread). A test
 * makes the table again from the engine's own NFC and checks every pair of its characters.
 */
export const PLAIN_NFC_RUNS: readonly (readonly [number, number])[] = [
  [0x0000, 0x02ff], [0x0370, 0x0373], [0x0375, 0x037d], [0x037f, 0x0386], [0x0388, 0x04ff],
  [0x1e00, 0x1eff], [0x2010, 0x205e], [0x20a0, 0x20c0], [0x2100, 0x2125], [0x2127, 0x2129],
  [0x212c, 0x214f], [0x2190, 0x22ff], [0x2500, 0x27bf], [0xfeff, 0xfeff],
];

/** `PLAIN_NFC[u]` is 1 for a plain character. */
const PLAIN_NFC = ((): Uint8Array => {
  const table = new Uint8Array(0x10000);
  for (const [from, to] of PLAIN_NFC_RUNS) table.fill(1, from, to + 1);
  return table;
})();

function nextChar(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1;
}

const ANY_MARK = /^\p{M}/u;

// Old-style placement puts the tone on the second vowel of an open oa/oe/uy syllable
// ("thoả", "hoà", "thuý"); the new style on the first ("thỏa", "hòa", "thúy"). Working on NFC
// text directly (a table, no NFD round trip) keeps this cheap on a 100 MB archive.
const TONED_SECOND: Record<string, [string, number]> = {};
const TONES = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
for (const [base, upper] of [['a', 'A'], ['e', 'E'], ['y', 'Y']] as const) {
  TONES.forEach((tone, t) => {
    TONED_SECOND[(base + tone).normalize('NFC')] = [base, t];
    TONED_SECOND[(upper + tone).normalize('NFC')] = [upper, t];
  });
}
const OLD_STYLE = /([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![\p{L}\p{M}])/gu;
const ONSET = /^[bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX]*$/;

/**
 * Canonicalises tone-mark placement to the "new" style (`hòa`, `thỏa`, `thúy`) on NFC text.
 * Length-preserving: every composed vowel is one UTF-16 unit before and after.
 */
export function foldTones(nfcText: string): string {
  OLD_STYLE.lastIndex = 0;
  if (!OLD_STYLE.test(nfcText)) return nfcText;
  OLD_STYLE.lastIndex = 0;
  return nfcText.replace(OLD_STYLE, (whole: string, v1: string, v2: string, at: number) => {
    let from = at;
    while (from > 0 && /\p{L}/u.test(nfcText[from - 1]!)) from--;
    const onset = nfcText.slice(from, at);
    // Only after consonants; in "qu" the u belongs to the consonant and the mark stays on y.
    if (!ONSET.test(onset) || ((v1 === 'u' || v1 === 'U') && /[qQ]$/.test(onset))) return whole;
    const [base, tone] = TONED_SECOND[v2]!;
    return (v1 + TONES[tone]!).normalize('NFC') + base;
  });
}

/**
 * Lower-cases and strips every diacritic, one UTF-16 unit per input unit. Through a table of
 * what each unit folds to (filled as units are first met) into a reused buffer: the corpus
 * cleaner folds every line of every article, and a string grown a character at a time with a
 * map lookup per letter was a tenth of a preparer thread's time.
 */
export function foldKey(text: string): string {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || (c >= 65 && c <= 90)) break;
    i++;
  }
  if (i === n) return text; // nothing to fold
  if (n > foldBuffer.length) foldBuffer = new Uint16Array(Math.max(n, foldBuffer.length * 2));
  const out = foldBuffer;
  for (let k = 0; k < i; k++) out[k] = text.charCodeAt(k);
  let surrogates = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[i] = c >= 65 && c <= 90 ? c + 32 : c;
    else {
      // Checked on what is written: a few compatibility ideographs fold to half of a pair.
      const f = FOLDED_UNIT[c] || foldUnit(c);
      if ((f & 0xf800) === 0xd800) surrogates = true;
      out[i] = f;
    }
  }
  return unitsToString(out, n, surrogates);
}

/**
 * The string of `units[0, n)`. A UTF-16 decoder makes it in one copy; `String.fromCharCode`
 * spread over the units first copies them into an argument list of 8 bytes per unit, which
 * was 28 % of what `prepareFile` allocated (the cleaner folds every line). Below
 * `DECODE_MIN` units the decoder's call costs more than the list; units with a surrogate go
 * the slow way too (see `utf16`).
 */
function unitsToString(units: Uint16Array, n: number, surrogates: boolean): string {
  if (n >= DECODE_MIN && !surrogates && utf16 !== undefined) return utf16.decode(units.subarray(0, n));
  let s = '';
  for (let at = 0; at < n; at += FOLD_CHUNK) s += String.fromCharCode.apply(null, units.subarray(at, Math.min(n, at + FOLD_CHUNK)) as unknown as number[]);
  return s;
}

/** Units per `String.fromCharCode` call (well under any engine's argument limit). */
const FOLD_CHUNK = 8192;
/** From this many units `unitsToString` decodes. */
const DECODE_MIN = 32;
/**
 * Keeps a leading U+FEFF (the folded text may begin with one). It would turn a lone surrogate
 * into U+FFFD, so `foldKey` decodes only units without surrogates; and a typed array's units
 * are in the platform's byte order, so only where that is little-endian.
 */
const utf16: { decode(units: Uint16Array): string } | undefined =
  typeof TextDecoder === 'function' && new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? new TextDecoder('utf-16le', { ignoreBOM: true }) : undefined;
let foldBuffer = new Uint16Array(1024);
/** `FOLDED_UNIT[u]`: what unit `u` (≥ 0x80) folds to; 0 until first met. */
const FOLDED_UNIT = new Uint16Array(0x10000);

function foldUnit(unit: number): number {
  const ch = String.fromCharCode(unit);
  let folded: string;
  if (ch === 'đ' || ch === 'Đ') folded = 'd';
  else {
    const base = ch.normalize('NFD')[0]!;
    const lower = base.toLowerCase();
    folded = lower.length === 1 ? lower : ch;
    if (COMBINING.test(folded)) folded = ch;
  }
  return (FOLDED_UNIT[unit] = folded.charCodeAt(0));
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
