/**
 * Per-UTF-16-unit tables behind the indexer's tokenizer: which units belong to a word
 * (`[\p{L}\p{N}]`) and what each unit folds to (`foldKey`: lower case, no diacritics).
 *
 * The tokenizer walks an article's text once, unit by unit, through these tables, hashing
 * the folded word as it goes; no string is made for a word the index already knows. Built
 * once per process from the same `foldKey` and Unicode classes the rest of the core uses,
 * so a term made here equals `foldKey(word)` of a word `wordsOf` finds (tested).
 */
import { foldKey } from './normalize';

/** `WORD_CLASS[u]`: 0 not a word unit, 1 a word unit, 2 an ASCII digit, 3 a surrogate (decide per code point). */
export const WORD_CLASS = new Uint8Array(0x10000);
/** `FOLD[u]`: the unit `foldKey` turns `u` into. */
export const FOLD = new Uint16Array(0x10000);

const WORD_UNIT = /[\p{L}\p{N}]/u;
for (let u = 0; u < 0x10000; u++) {
  if (u >= 0xd800 && u <= 0xdfff) {
    WORD_CLASS[u] = 3;
    FOLD[u] = u;
    continue;
  }
  const ch = String.fromCharCode(u);
  WORD_CLASS[u] = u >= 48 && u <= 57 ? 2 : WORD_UNIT.test(ch) ? 1 : 0;
  FOLD[u] = WORD_CLASS[u] ? foldKey(ch).charCodeAt(0) : u;
}

/** Whether the code point at `i` (a high surrogate) starts an astral letter or number; its length in units, or 0. */
export function astralWordLength(text: string, i: number): number {
  const cp = text.codePointAt(i)!;
  if (cp <= 0xffff) return 0;
  return WORD_UNIT.test(String.fromCodePoint(cp)) ? 2 : 0;
}

/** Whether an astral code point is a letter or number (a word unit pair). */
export function astralIsWord(cp: number): boolean {
  return WORD_UNIT.test(String.fromCodePoint(cp));
}
