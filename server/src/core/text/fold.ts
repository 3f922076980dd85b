/**
 * Per-UTF-16-unit tables behind the indexer's tokenizer: which units belong to a word
 * (`[\p{L}\p{N}]`) and what each unit folds to (`foldKey`: lower case, no diacritics).
 *
 * The tokenizer walks an article's text once, unit by unit, through these tables, hashing
 * the folded word as it goes; no string is made for a word the index already knows. Filled
 * unit by unit as units are first met, from the same `foldKey` and Unicode classes the rest
 * of the core uses, so a term made here equals `foldKey(word)` of a word `wordsOf` finds (tested).
 */
import { foldKey } from './normalize';

/** A unit `WORD_CLASS` does not know yet (see `classifyUnit`). */
const UNCLASSIFIED = 255;
/**
 * `WORD_CLASS[u]`: 0 not a word unit, 1 a word unit, 2 an ASCII digit, 3 a surrogate (decide
 * per code point), or UNCLASSIFIED until the unit is first met.
 */
const WORD_CLASS = new Uint8Array(0x10000).fill(UNCLASSIFIED);
/** `FOLD[u]`: the unit `foldKey` turns `u` into, once `u` is classified (read it after `wordClass(u)`). */
export const FOLD = new Uint16Array(0x10000);

const WORD_UNIT = /[\p{L}\p{N}]/u;

/**
 * Classifies a unit (and records what it folds to); returns its class. Units are classified
 * when the tokenizer first meets them, not all 65,536 when the module loads: that took
 * 34 ms, which a warm start paid before its first check, and a text uses a few hundred.
 */
function classifyUnit(u: number): number {
  let cls: number;
  let folded = u;
  if (u >= 0xd800 && u <= 0xdfff) cls = 3;
  else {
    const ch = String.fromCharCode(u);
    cls = u >= 48 && u <= 57 ? 2 : WORD_UNIT.test(ch) ? 1 : 0;
    if (cls) folded = foldKey(ch).charCodeAt(0);
  }
  FOLD[u] = folded;
  WORD_CLASS[u] = cls;
  return cls;
}

/** A unit's class (`WORD_CLASS`), classifying it first when it was not met before. */
export function wordClass(u: number): number {
  const cls = WORD_CLASS[u]!;
  return cls === UNCLASSIFIED ? classifyUnit(u) : cls;
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
