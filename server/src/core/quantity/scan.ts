/**
 * Cheap, bounded look-around helpers for the quantity parser. Every reader here looks at a
 * bounded number of characters (a few spaces, a word of at most `MAX_WORD` letters), so the
 * parser as a whole stays linear in the length of the text whatever the input.
 */
import { foldKey } from '../text/normalize';

/** Longer letter runs are not words a figure cares about (and reading them is bounded). */
export const MAX_WORD = 30;
/** Longer digit runs (with separators) are not numbers: IDs, "1.1.1.1…" noise. */
export const MAX_NUMBER = 40;

/** A word next to a figure. */
export interface Word {
  readonly start: number;
  readonly end: number;
  /** Lower-cased, diacritics kept. */
  readonly lower: string;
  /** `foldKey` of the word: lower-cased, diacritics dropped (computed on first use). */
  readonly key: string;
  /** First letter is upper-case. */
  readonly cap: boolean;
}

class TextWord implements Word {
  readonly lower: string;
  readonly cap: boolean;
  private folded: string | undefined;

  constructor(
    raw: string,
    readonly start: number,
    readonly end: number,
  ) {
    this.lower = raw.toLowerCase();
    this.cap = codeAt(raw, 0) !== codeAt(this.lower, 0);
  }

  get key(): string {
    // Most words are only compared by `lower`; folding is deferred until a caller needs it.
    if (this.folded === undefined) this.folded = foldKey(this.lower);
    return this.folded;
  }
}

/**
 * `text.charCodeAt(i)`, NaN outside the text as it is, but never asked of the engine out of
 * bounds: the parser reads one unit past a word or a number all the time, and each such read
 * made V8 throw away the optimized code of the function it was inlined in (the first time per
 * place), so the parser's largest functions were compiled 17–22 times over an archive.
 */
export function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : NaN;
}

/** `text.charAt(i)` (`''` outside the text), read as `codeAt` reads. */
export function charAtOrEmpty(text: string, i: number): string {
  return i >= 0 && i < text.length ? text[i]! : '';
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Spaces inside a line: space, tab, no-break and thin spaces. */
export function isHSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007;
}

/** Hyphen, en dash, em dash, minus. */
export function isDash(c: number): boolean {
  return c === 45 || c === 0x2013 || c === 0x2014 || c === 0x2212 || c === 0x2010;
}

const LETTER = /[\p{L}\p{M}]/u;

/** Letter (or combining mark) test by code unit, without allocating for Latin text. */
export function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c <= 0x2ff) return c !== 0xd7 && c !== 0xf7;
  if (c <= 0x36f) return true; // combining diacritics (decomposed input)
  if (c >= 0x1e00 && c <= 0x1eff) return true; // Latin Extended Additional: Vietnamese
  if (c >= 0x2000 && c <= 0x2bff) return false; // punctuation, currency, arrows, symbols
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return LETTER.test(String.fromCharCode(c));
}

/**
 * The words made last, by their start (a slot per start modulo the size): a figure's checks
 * read the words around it again and again (the unit, the count noun, the qualifier look
 * at the same neighbours), 2.4 times each on the archive; a word is the same object each
 * time (words are read-only).
 */
const MEMO_SLOTS = 64;
const memoText: (string | undefined)[] = new Array<string | undefined>(MEMO_SLOTS).fill(undefined);
const memoStart = new Int32Array(MEMO_SLOTS).fill(-1);
const memoEnd = new Int32Array(MEMO_SLOTS);
const memoWord: (Word | undefined)[] = new Array<Word | undefined>(MEMO_SLOTS).fill(undefined);

function makeWord(text: string, start: number, end: number): Word {
  const slot = start & (MEMO_SLOTS - 1);
  if (memoStart[slot] === start && memoEnd[slot] === end && memoText[slot] === text) return memoWord[slot]!;
  const word = new TextWord(text.slice(start, end), start, end);
  memoText[slot] = text;
  memoStart[slot] = start;
  memoEnd[slot] = end;
  memoWord[slot] = word;
  return word;
}

/**
 * The word starting at `pos` after at most `maxSpaces` horizontal spaces, or null when the
 * next thing is not a letter (punctuation, digit, line break) or the word is too long.
 */
export function wordAfter(text: string, pos: number, maxSpaces = 2): Word | null {
  let p = pos;
  const n = text.length;
  let spaces = 0;
  while (p < n && spaces < maxSpaces && isHSpace(codeAt(text, p))) {
    p++;
    spaces++;
  }
  if (p >= n || !isLetter(codeAt(text, p))) return null;
  let e = p + 1;
  while (e < n && isLetter(codeAt(text, e))) {
    if (e - p >= MAX_WORD) return null;
    e++;
  }
  return makeWord(text, p, e);
}

/** The word ending just before `pos` (after at most two spaces), not starting before `limit`. */
export function wordBefore(text: string, pos: number, limit = 0, maxSpaces = 2): Word | null {
  let p = pos;
  let spaces = 0;
  while (p > limit && spaces < maxSpaces && isHSpace(codeAt(text, p - 1))) {
    p--;
    spaces++;
  }
  if (p <= limit || !isLetter(codeAt(text, p - 1))) return null;
  let s = p - 1;
  while (s > 0 && isLetter(codeAt(text, s - 1))) {
    if (p - s >= MAX_WORD) return null;
    s--;
  }
  if (s < limit) return null;
  return makeWord(text, s, p);
}

/** Position after at most `max` horizontal spaces from `pos`. */
export function skipSpaces(text: string, pos: number, max = 2): number {
  let p = pos;
  while (p < text.length && p - pos < max && isHSpace(codeAt(text, p))) p++;
  return p;
}

/** A plain run of digits (no separators) at `pos`. */
export interface IntRun {
  value: number;
  end: number;
  len: number;
}

/**
 * The plain digit run at `pos` if it has 1..`maxLen` digits and is not followed by another
 * digit or a separator-and-digit (so "12" in "12.500" is not a plain run).
 */
export function readInt(text: string, pos: number, maxLen: number): IntRun | null {
  let p = pos;
  let value = 0;
  while (p < text.length && isDigit(codeAt(text, p))) {
    if (p - pos >= maxLen) return null;
    value = value * 10 + (codeAt(text, p) - 48);
    p++;
  }
  if (p === pos) return null;
  const c = codeAt(text, p);
  if ((c === 46 || c === 44) && isDigit(codeAt(text, p + 1))) return null;
  return { value, end: p, len: p - pos };
}

/** End of a digit run with `.`/`,` separators at `pos` (as the candidate regex matches it). */
export function numberEnd(text: string, pos: number): number {
  let p = pos;
  const n = text.length;
  while (p < n && p - pos <= MAX_NUMBER) {
    const c = codeAt(text, p);
    if (isDigit(c)) p++;
    else if ((c === 46 || c === 44) && p > pos && isDigit(codeAt(text, p + 1))) p++;
    else break;
  }
  return p;
}

/** A parsed numeral: value = mantissa / 10^frac. */
export interface Numeral {
  mantissa: number;
  /** Digits after the decimal separator. */
  frac: number;
  /** No separators at all. */
  plain: boolean;
}

/**
 * Reads a digit run with `.`/`,` separators.
 *
 * Separator rules: a separator repeated, or followed by exactly three digits where thousands
 * are expected, groups thousands; the other one is the decimal point. `english` decides the
 * only truly ambiguous case, one separator followed by exactly three digits: "672.000" is
 * 672000 in Vietnamese, "4,500" is 4500 in English. Anything else ("1.2.3", "192.168.1.1",
 * "090.123.4567") is not a number and gives null.
 */
export function parseNumeral(lit: string, english: boolean): Numeral | null {
  const n = lit.length;
  if (n === 0 || n > MAX_NUMBER) return null;
  let dots = 0;
  let commas = 0;
  let lastSep = -1;
  for (let i = 0; i < n; i++) {
    const c = codeAt(lit, i);
    if (c === 46) dots++;
    else if (c === 44) commas++;
    else continue;
    lastSep = i;
  }
  if (lastSep < 0) return { mantissa: Number(lit), frac: 0, plain: true };
  // A leading zero before a thousands group ("090.123") is a code, not a number.
  const leadingZero = codeAt(lit, 0) === 48 && isDigit(codeAt(lit, 1));
  if (leadingZero) return null;
  let thousands: number; // char code of the grouping separator, or 0
  let decimal: number; // char code of the decimal separator, or 0
  if (dots && commas) {
    // Both: the last one is the decimal point and must occur once.
    decimal = codeAt(lit, lastSep);
    thousands = decimal === 46 ? 44 : 46;
    if ((decimal === 46 ? dots : commas) !== 1) return null;
  } else {
    const sep = dots ? 46 : 44;
    const count = dots || commas;
    const tail = n - lastSep - 1;
    if (count > 1) {
      thousands = sep;
      decimal = 0;
    } else if (tail !== 3 || codeAt(lit, 0) === 48 || lastSep > 3) {
      // Not a thousands group: "4.5", "4,5", "0,500", "1234.567".
      thousands = 0;
      decimal = sep;
    } else {
      const groupChar = english ? 44 : 46;
      thousands = sep === groupChar ? sep : 0;
      decimal = sep === groupChar ? 0 : sep;
    }
  }
  // Validate groups: first group 1–3 digits if grouped, later groups exactly 3.
  let digits = '';
  let frac = 0;
  let groupLen = 0;
  let groups = 0;
  let inFrac = false;
  for (let i = 0; i < n; i++) {
    const c = codeAt(lit, i);
    if (c === thousands) {
      if (inFrac) return null;
      if (groups === 0 ? groupLen > 3 : groupLen !== 3) return null;
      groups++;
      groupLen = 0;
    } else if (c === decimal) {
      if (inFrac) return null;
      if (groups > 0 && groupLen !== 3) return null;
      inFrac = true;
      groupLen = 0;
    } else {
      digits += lit[i];
      if (inFrac) frac++;
      else groupLen++;
    }
  }
  if (!inFrac && groups > 0 && groupLen !== 3) return null;
  return { mantissa: Number(digits), frac, plain: false };
}
