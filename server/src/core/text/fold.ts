/**
 * Per-UTF-16-unit tables behind the indexer's tokenizer: which units belong to a word
 * (`[\p{L}\p{N}]`) and what each unit folds to (`foldKey`: lower case, no diacritics).
 *
 * The tokenizer walks an article's text once, unit by unit, through these tables, hashing
 * the folded word as it goes; no string is made for a word the index already knows. Built
 * once per process, when first used, from the same `foldKey` and Unicode classes the rest of
 * the core uses, so a term made here equals `foldKey(word)` of a word `wordsOf` finds (tested).
 */
import { foldKey } from './normalize';

/** The tokenizer's tables, per UTF-16 unit. */
export interface FoldTables {
  /** 0 not a word unit, 1 a word unit, 2 an ASCII digit, 3 a surrogate (decide per code point). */
  wordClass: Uint8Array;
  /** The unit `foldKey` turns the unit into. */
  fold: Uint16Array;
}

const WORD_UNIT = /[\p{L}\p{N}]/u;
let tables: FoldTables | undefined;

/**
 * The tables, made on first use (65,536 units through a Unicode class test and `foldKey`:
 * about 30 ms that a warm start, which indexes nothing, does not pay before its first check).
 */
export function foldTables(): FoldTables {
  if (tables) return tables;
  const wordClass = new Uint8Array(0x10000);
  const fold = new Uint16Array(0x10000);
  for (let u = 0; u < 0x10000; u++) {
    if (u >= 0xd800 && u <= 0xdfff) {
      wordClass[u] = 3;
      fold[u] = u;
      continue;
    }
    const ch = String.fromCharCode(u);
    wordClass[u] = u >= 48 && u <= 57 ? 2 : WORD_UNIT.test(ch) ? 1 : 0;
    fold[u] = wordClass[u] ? foldKey(ch).charCodeAt(0) : u;
  }
  return (tables = { wordClass, fold });
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
