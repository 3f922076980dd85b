/**
 * Sentence and paragraph segmentation for Vietnamese/English news prose.
 *
 * One left-to-right scan, no backtracking regexes: a 20 MB single line is segmented in linear
 * time. Spans are exact offsets into the input, trimmed of surrounding whitespace, so a
 * sentence's text is always `text.slice(span.start, span.end)`.
 *
 * Rules, in the order the scanner applies them:
 * - A line break always ends a sentence (scraped news puts one paragraph per line).
 * - `.`, `!`, `?`, `…` (and runs like `?!`, `...`) end a sentence only when followed by
 *   closing quotes/brackets (which stay with the sentence), then whitespace, then something
 *   that can open a sentence: an upper-case letter, a digit, an opening quote or bracket.
 *   Hence `672.000`, `4,5`, `4.5`, `TP.HCM` (no space), `...và` (lower case) never split.
 * - A period right after a known abbreviation (`Mr.`, `TP.`, `PGS.`, `U.S.`…) or a single
 *   capital initial (`J. Biden`) does not end a sentence — except a lone capital after a
 *   lower-case word and before a Vietnamese word (`mạng xã hội X. Bài viết…`).
 */

import type { Span } from '../types';
import { wordClass } from './fold';

/**
 * Abbreviations whose period never ends a sentence, compared case-sensitively on the word
 * before the period (dots inside the word kept: `U.S`, `e.g`).
 */
const ABBREVIATIONS = new Set([
  // English titles and common short forms
  'Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'Sr', 'Jr', 'St', 'Mt', 'Gen', 'Lt', 'Col', 'Capt', 'Sgt', 'Gov', 'Sen', 'Rep',
  'Rev', 'Hon', 'No', 'Nos', 'vs', 'v', 'e.g', 'i.e', 'cf', 'approx', 'Fig', 'fig', 'Vol', 'vol', 'pp',
  'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'Inc', 'Corp', 'Co', 'Ltd',
  'U.S', 'U.K', 'U.N', 'E.U', 'U.S.A', 'D.C', 'a.m', 'p.m',
  // Vietnamese academic/professional titles and place prefixes
  'ThS', 'Ths', 'TS', 'PGS', 'GS', 'BS', 'KS', 'NCS', 'TSKH', 'TP', 'Tp', 'TX', 'ĐH',
]);

/** Terminal punctuation. */
function isTerminal(code: number): boolean {
  return code === 0x2e /* . */ || code === 0x21 /* ! */ || code === 0x3f /* ? */ || code === 0x2026 /* … */;
}

/** Closing quotes and brackets that belong to the sentence they follow. */
function isCloser(code: number): boolean {
  return (
    code === 0x22 /* " */ || code === 0x27 /* ' */ || code === 0x201d /* ” */ || code === 0x2019 /* ’ */ ||
    code === 0xbb /* » */ || code === 0x29 /* ) */ || code === 0x5d /* ] */ || code === 0x201c /* “ used as closer by some sites */
  );
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/** Horizontal whitespace (line breaks are handled separately). */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 0xa0 || code === 0x202f || (code >= 0x2000 && code <= 0x200b) || code === 0x3000 || code === 0xfeff;
}

const UPPER = /\p{Lu}/u;
/**
 * Whether the unit at `i` is a letter or number (`[\p{L}\p{N}]` of the unit alone: a lone
 * surrogate is not), through the tokenizer's table: the splitter asks it of up to 12 units
 * before every period of the corpus, and a Unicode regular expression per unit was most of
 * its time.
 */
function isLetterAt(text: string, i: number): boolean {
  const cls = wordClass(text.charCodeAt(i));
  return cls === 1 || cls === 2;
}

/** Can a sentence start with this character? Upper case, digit, opening quote or bracket. */
function canOpenSentence(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return true;
  if (code === 0x22 || code === 0x27 || code === 0x201c || code === 0x2018 || code === 0xab || code === 0x28 || code === 0x5b) return true;
  return UPPER.test(ch);
}

/**
 * The word right before a period at `dot`: letters and internal dots, at most 12 units back
 * (longer words are never abbreviations), so the look-back stays O(1).
 */
function wordBefore(text: string, dot: number, lineStart: number): string {
  let i = dot;
  const limit = Math.max(lineStart, dot - 12);
  while (i > limit) {
    if (text.charCodeAt(i - 1) === 0x2e || isLetterAt(text, i - 1)) i--;
    else break;
  }
  if (i === limit && i > lineStart && isLetterAt(text, i - 1)) return ''; // longer than 12: a real word
  return text.slice(i, dot);
}

/** Whether the period at `dot` belongs to an abbreviation or an initial rather than ending a sentence. */
function isAbbreviationDot(text: string, dot: number, lineStart: number): boolean {
  const word = wordBefore(text, dot, lineStart);
  if (word === '') return false;
  if (ABBREVIATIONS.has(word)) return true;
  // A single capital initial: "J. Biden", "Tổng thống J. Biden" — but not "mạng xã hội X. Bài…",
  // where a lower-case word precedes the letter (a name of its own) and a Vietnamese word
  // (diacritics) follows: initials precede foreign names, which are written without them.
  if (word.length === 1 && UPPER.test(word)) {
    return !(lowerCaseWordBefore(text, dot - 1, lineStart) && vietnameseWordAfter(text, dot + 1));
  }
  // Dotted initialisms: "U.S", "e.g", "Ph.D" — letters separated by single dots.
  return /^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u.test(word);
}

/** Whether the word ending just before `at` (skipping spaces) starts with a lower-case letter. */
function lowerCaseWordBefore(text: string, at: number, lineStart: number): boolean {
  let i = at;
  const limit = Math.max(lineStart, at - 40);
  while (i > limit && isSpace(text.charCodeAt(i - 1))) i--;
  if (i === at) return false; // no space: the initial is glued to something ("A.B")
  let start = i;
  while (start > limit && isLetterAt(text, start - 1)) start--;
  if (start === i) return false;
  const first = text[start]!;
  return first !== first.toUpperCase() && first === first.toLowerCase();
}

/** Whether the word after `at` (skipping spaces) carries a non-ASCII letter ("Bài", "Ông"). */
function vietnameseWordAfter(text: string, at: number): boolean {
  let i = at;
  while (i < text.length && i < at + 8 && isSpace(text.charCodeAt(i))) i++;
  for (let k = i; k < text.length && k < i + 12 && isLetterAt(text, k); k++) {
    if (text.charCodeAt(k) > 0x7f) return true;
  }
  return false;
}

/**
 * What the splitter stops at (`isLineBreak` or `isTerminal`): a native scan jumps between
 * them, about five times faster than looking at every unit (the splitter runs over every
 * article of the corpus).
 */
const STOPS = /[.!?\u2026\n\r\u2028\u2029]/g;

/**
 * Splits `text[from, to)` into sentences. Returns trimmed spans with offsets into `text`;
 * spans without any letter or digit (a stray `|` or `***`) are dropped.
 */
export function splitSentences(text: string, from = 0, to: number = text.length): Span[] {
  const end = Math.min(Math.max(to, 0), text.length);
  const spans: Span[] = [];
  let sentenceStart = Math.max(0, Math.min(from, end));
  let lineStart = sentenceStart;
  let i = sentenceStart;
  while (i < end) {
    // Jump to the next line break or terminal: everything between is plain sentence text.
    STOPS.lastIndex = i;
    if (!STOPS.test(text) || STOPS.lastIndex > end) break;
    i = STOPS.lastIndex - 1;
    const code = text.charCodeAt(i);
    if (isLineBreak(code)) {
      pushTrimmed(text, sentenceStart, i, spans);
      i++;
      sentenceStart = i;
      lineStart = i;
      continue;
    }
    // Else a terminal (what STOPS matches besides line breaks).
    const after = sentenceEndAfter(text, i, end, lineStart);
    if (after < 0) {
      i++;
      continue;
    }
    pushTrimmed(text, sentenceStart, after, spans);
    sentenceStart = after;
    i = after;
  }
  pushTrimmed(text, sentenceStart, end, spans);
  return spans;
}

/**
 * If the terminal punctuation at `at` ends a sentence, returns the offset just past the
 * punctuation run and any closing quotes/brackets; otherwise -1.
 */
function sentenceEndAfter(text: string, at: number, end: number, lineStart: number): number {
  let j = at;
  while (j < end && isTerminal(text.charCodeAt(j))) j++;
  const single = j === at + 1 && text.charCodeAt(at) === 0x2e;
  while (j < end && isCloser(text.charCodeAt(j))) j++;
  const closeEnd = j;
  // End of the line or the region: the sentence ends here whatever follows.
  if (j >= end || isLineBreak(text.charCodeAt(j))) return closeEnd;
  if (!isSpace(text.charCodeAt(j))) return -1;
  while (j < end && isSpace(text.charCodeAt(j))) j++;
  if (j >= end || isLineBreak(text.charCodeAt(j))) return closeEnd;
  if (!canOpenSentence(text[j]!)) return -1;
  if (single && isAbbreviationDot(text, at, lineStart)) return -1;
  return closeEnd;
}

/** Pushes `[start, end)` trimmed of whitespace, when it contains a letter or a digit. */
function pushTrimmed(text: string, start: number, end: number, out: Span[]): void {
  let s = start;
  let e = end;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  if (s >= e) return;
  // Scan for a letter/digit; bounded by the span itself so the whole pass stays linear.
  for (let k = s; k < e; k++) {
    if (isLetterAt(text, k)) {
      out.push({ start: s, end: e });
      return;
    }
  }
}

function isBlank(code: number): boolean {
  return isSpace(code) || isLineBreak(code);
}

/** Paragraph segmentation mode: news `.txt` uses one paragraph per line. */
export type ParagraphMode = 'line' | 'block';

/**
 * Splits `text` into paragraphs: every non-empty line (`'line'`, the default: in scraped news
 * every line is a paragraph) or every run of lines separated by blank lines (`'block'`, for
 * hand-written Markdown whose paragraphs wrap). Spans are trimmed.
 */
export function splitParagraphs(text: string, mode: ParagraphMode = 'line'): Span[] {
  const spans: Span[] = [];
  let blockStart = -1;
  let blockEnd = -1;
  let lineStart = 0;
  for (let i = 0; i <= text.length; i++) {
    const atEnd = i === text.length;
    const code = atEnd ? 10 : text.charCodeAt(i);
    if (!isLineBreak(code)) continue;
    const line = trimSpan(text, lineStart, i);
    if (mode === 'line') {
      if (line) spans.push(line);
    } else if (line) {
      if (blockStart < 0) blockStart = line.start;
      blockEnd = line.end;
    } else if (blockStart >= 0) {
      spans.push({ start: blockStart, end: blockEnd });
      blockStart = -1;
    }
    if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
    lineStart = i + 1;
  }
  if (blockStart >= 0) spans.push({ start: blockStart, end: blockEnd });
  return spans;
}

function trimSpan(text: string, start: number, end: number): Span | undefined {
  let s = start;
  let e = end;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  return s < e ? { start: s, end: e } : undefined;
}
