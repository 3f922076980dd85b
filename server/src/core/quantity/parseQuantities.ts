/**
 * Finds the figures in Vietnamese or English prose: amounts of money, counts, percentages,
 * durations, dates, years and ordinals, with their value, rounding step, unit and qualifier.
 *
 * Design: one pass of a global regex finds digit runs and a handful of number words; each
 * candidate is then classified by cheap, bounded look-around on the neighbouring words
 * (see `scan.ts`). Nothing is allocated per character, every regex is linear-time, and every
 * look-around is bounded, so the parser is linear in the input whatever it contains.
 *
 * Precision first: when a candidate is ambiguous (a model name, a phone number, "thứ hai" as
 * Monday) it is dropped, since a false figure costs the checker more than a missed one.
 */
import type { DateParts, Dimension, Qualifier, Quantity } from '../types';
import {
  CURRENCY_SIGNS,
  DOLLAR_COUNTRIES,
  DOLLAR_PREFIXES,
  EN_HINTS_AFTER,
  EN_HINTS_BEFORE,
  EN_IRREGULAR,
  EN_MONTHS,
  EN_ORDINAL_NOUNS,
  EN_ORDINALS,
  EN_TENS,
  EN_UNITS,
  GLUED_SCALES,
  GLUED_UNITS,
  LABEL_WORDS,
  QUALIFIERS_AFTER,
  QUALIFIERS_BEFORE,
  SCALES,
  STOPWORDS,
  UNIT_WORDS,
  VI_AFTER_MUOI,
  VI_AFTER_MUOI_TENS,
  VI_CLASSIFIERS,
  VI_COMPOUND_NOUNS,
  VI_COUNT_NOUNS,
  VI_DATE_LEADS,
  VI_ORDINAL_NOUNS,
  VI_ORDINALS,
  VI_UNITS,
  type UnitInfo,
} from './lexicon';
import {
  MAX_NUMBER,
  charAtOrEmpty,
  codeAt,
  isDash,
  isDigit,
  isHSpace,
  isLetter,
  numberEnd,
  parseNumeral,
  readInt,
  skipSpaces,
  wordAfter,
  wordBefore,
  type Word,
} from './scan';

/** Options for {@link parseQuantities}. */
export interface ParseOptions {
  /**
   * Language of the text, which decides the one truly ambiguous number form: a single
   * separator followed by exactly three digits ("4,500", "672.000"). `vi`: dot groups
   * thousands, comma is the decimal point. `en`: the reverse. `auto` (default): Vietnamese
   * unless the figure's own context is English (`$`, "million", "people", "more than"…).
   */
  locale?: 'vi' | 'en' | 'auto';
}

/** One bit per dimension, for a sentence's figure kinds (see {@link figureKinds}). */
const DIMENSION_BITS: Record<Dimension, number> = { money: 1, count: 2, duration: 4, date: 8, year: 16, percent: 32, ordinal: 64, number: 128 };

/** The bit of a dimension in a figure-kinds mask. */
export function dimensionBit(dimension: Dimension): number {
  return DIMENSION_BITS[dimension];
}

/** The dimensions of the figures, one bit each (a sentence without figures: 0). */
export function figureKinds(quantities: readonly Quantity[]): number {
  let kinds = 0;
  for (const q of quantities) kinds |= DIMENSION_BITS[q.dimension];
  return kinds;
}

/** A figure-kinds mask that rules nothing out (kinds not known). */
export const ANY_FIGURE_KIND = 0xff;

/**
 * Returns the figures of `text` (NFC), sorted by `start`, non-overlapping, each with
 * `text === input.slice(start, end)`. A figure's span covers its qualifier ("hơn"), scale
 * word ("triệu"), unit ("USD", "năm") or count noun ("người"), and for dates the word that
 * introduces them ("ngày 13/6", "tháng 9/2022").
 *
 * @example parseQuantities('trị giá hơn 250 triệu euro')
 *   // → [{ text: 'hơn 250 triệu euro', dimension: 'money', value: 2.5e8, step: 1e6, unit: 'EUR', qualifier: 'gt', … }]
 */
export function parseQuantities(text: string, options?: ParseOptions): Quantity[] {
  return new Parser(text, options?.locale ?? 'auto').run();
}

const NUMBER_WORDS = [
  ...['một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'bẩy', 'tám', 'chín', 'mười', 'thứ'],
  ...EN_UNITS.keys(),
  ...EN_TENS.keys(),
  ...EN_ORDINALS.keys(),
];

/**
 * Alternation grouped by first letter ("[tT](?:hứ|ám|en|…)"): irregexp then rejects most
 * positions on one character, which makes the scan about three times faster than a flat,
 * case-insensitive list. Only the first letter may be upper-case ("Năm", "Two").
 */
function wordAlternation(words: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  for (const w of words) {
    const rest = byFirst.get(w[0]!) ?? [];
    rest.push(w.slice(1));
    byFirst.set(w[0]!, rest);
  }
  return [...byFirst]
    .map(([first, rests]) => `[${first}${first.toUpperCase()}](?:${rests.sort((a, b) => b.length - a.length).join('|')})`)
    .join('|');
}

/**
 * The single scan: digit runs with `.`/`,` separators (no nested quantifier can backtrack:
 * each repetition must start with a separator), or a number word not followed by a letter.
 * The left word boundary is checked in code (`onWord`): a look-behind tried at every position
 * would cost more than the rest of the scan.
 */
const CANDIDATE = new RegExp(`\\d+(?:[.,]\\d+)*|(?:${wordAlternation(NUMBER_WORDS)})(?![\\p{L}\\p{M}\\p{N}])`, 'gu');

/** The two-word labels of LABEL_WORDS ("phụ lục"), by their second word: no string is built per number to look one up. */
const LABEL_PAIRS = new Map<string, Set<string>>();
for (const label of LABEL_WORDS) {
  const words = label.split(' ');
  if (words.length !== 2) continue;
  const firsts = LABEL_PAIRS.get(words[1]!) ?? new Set<string>();
  firsts.add(words[0]!);
  LABEL_PAIRS.set(words[1]!, firsts);
}

const PERCENT: UnitInfo = { dimension: 'percent', unit: '%' };
/** Marker for "10 giờ sáng"-like times of day, which are not figures. */
const TIME_OF_DAY: UnitInfo = { dimension: 'number', unit: 'time' };
const TIME_WORDS = new Set(['sáng', 'trưa', 'chiều', 'tối', 'đêm', 'kém', 'rưỡi']);
const RANGE_LEADS = new Set(['từ', 'from', 'between', 'giữa']);
/** Words before "D/M" that make it a date even when it looks like a fraction ("vào 1/3"). */
const DATE_PREPOSITIONS = new Set(['vào', 'từ', 'đến', 'tới', 'trước', 'sau', 'hồi', 'đầu', 'cuối', 'qua', 'on', 'since', 'until', 'by']);
/** Words before "D/M" that make it a fraction or a bracket ("vòng 1/8", "tỷ lệ 1/3"). */
const FRACTION_LEADS = new Set(['vòng', 'lệ', 'khoảng', 'hơn', 'gần', 'chỉ']);

interface UnitHit {
  info: UnitInfo;
  end: number;
}

interface NounHit {
  unit: string;
  end: number;
}

interface Scale {
  mult: number;
  end: number;
}

interface Extra {
  valueHigh?: number;
  unit?: string;
  date?: DateParts;
  spelled?: boolean;
}

const pow10 = (n: number): number => (n === 0 ? 1 : 10 ** n);
const dateValue = (d: DateParts): number => (d.year ?? 0) * 10000 + (d.month ?? 0) * 100 + (d.day ?? 0);

class Parser {
  private readonly out: Quantity[] = [];
  /** End of the last emitted figure: look-behind never reaches before it (no overlaps). */
  private lastEnd = 0;

  constructor(
    private readonly t: string,
    private readonly locale: 'vi' | 'en' | 'auto',
  ) {}

  run(): Quantity[] {
    const t = this.t;
    const re = CANDIDATE;
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      const s = m.index;
      const e = s + m[0].length;
      const resume = isDigit(codeAt(t, s)) ? this.onNumber(s, e) : this.onWord(s, e);
      re.lastIndex = Math.max(e, resume);
    }
    re.lastIndex = 0;
    return this.out;
  }

  // ---------------------------------------------------------------- emitting

  private emit(start: number, end: number, dimension: Dimension, value: number, step: number, qualifier: Qualifier, extra: Extra = {}): number {
    const q: Quantity = { text: this.t.slice(start, end), start, end, dimension, value, step, qualifier };
    if (extra.valueHigh !== undefined) q.valueHigh = extra.valueHigh;
    if (extra.unit !== undefined) q.unit = extra.unit;
    if (extra.date !== undefined) q.date = extra.date;
    if (extra.spelled) q.spelled = true;
    this.out.push(q);
    this.lastEnd = end;
    return end;
  }

  private emitDate(start: number, end: number, date: DateParts): number {
    const extra: Extra = { date };
    if (date.dayEnd !== undefined || date.monthEnd !== undefined) {
      extra.valueHigh = dateValue({ year: date.year, month: date.monthEnd ?? date.month, day: date.dayEnd ?? date.day });
    }
    return this.emit(start, end, 'date', dateValue(date), 1, 'exact', extra);
  }

  // ---------------------------------------------------------------- skipping

  /** End of the letter/digit token around `pos` ("MiG-29", "10h30", "1.2.3"): all of it is rejected. */
  private skipToken(pos: number): number {
    const t = this.t;
    let p = pos;
    while (p < t.length) {
      const c = codeAt(t, p);
      if (isDigit(c) || isLetter(c)) p++;
      else if ((isDash(c) || c === 46 || c === 44 || c === 47 || c === 58) && (isDigit(codeAt(t, p + 1)) || isLetter(codeAt(t, p + 1)))) p++;
      else break;
    }
    return p;
  }

  /** End of a phone number whose first group ends at `pos`: groups joined by spaces, dots, dashes, ")". */
  private skipPhone(pos: number): number {
    const t = this.t;
    let p = pos;
    for (;;) {
      let q = p;
      while (q < t.length && q - p < 2) {
        const c = codeAt(t, q);
        if (c === 32 || c === 46 || c === 0xa0 || c === 41 || isDash(c)) q++;
        else break;
      }
      if (q === p || !isDigit(codeAt(t, q))) return p;
      while (q < t.length && isDigit(codeAt(t, q))) q++;
      p = q;
    }
  }

  /** Only spaces (and list punctuation) between the start of the line and `pos`. */
  private atLineStart(pos: number): boolean {
    const t = this.t;
    for (let p = pos, k = 0; k < 16; p--, k++) {
      if (p === 0) return true;
      const c = codeAt(t, p - 1);
      if (c === 10 || c === 13) return true;
      if (!(isHSpace(c) || c === 62 || c === 35 || c === 42 || c === 45)) return false;
    }
    return false;
  }

  // ---------------------------------------------------------------- readers

  private readScale(pos: number): Scale | null {
    const w = wordAfter(this.t, pos, 1);
    if (!w) return null;
    const mult = SCALES.get(w.lower);
    if (mult === undefined) return null;
    let end = w.end;
    if (w.lower === 'ngh') {
      if (codeAt(this.t, end) !== 46) return null;
      end++;
    }
    // "nghìn tỷ" = 1e12: a larger scale word right after multiplies.
    const w2 = wordAfter(this.t, end, 1);
    const mult2 = w2 ? SCALES.get(w2.lower) : undefined;
    if (w2 && mult2 !== undefined && mult2 > mult && w2.lower !== 'ngh') return { mult: mult * mult2, end: w2.end };
    return { mult, end };
  }

  /** The unit after a number (and its scale) at `pos`. */
  private readUnit(pos: number, hasScale: boolean, numberStart: number): UnitHit | null {
    const t = this.t;
    const q = skipSpaces(t, pos, 1);
    const c = codeAt(t, q);
    if (c === 37) return { info: PERCENT, end: q + 1 };
    const sign = CURRENCY_SIGNS.get(charAtOrEmpty(t, q));
    // A sign followed by a digit belongs to the next number ("10 $20"), not to this one.
    if (sign && !isDigit(codeAt(t, q + 1))) return { info: { dimension: 'money', unit: sign }, end: q + 1 };
    // "a 10-year deal", "a 24-hour ceasefire"
    if (c === 45 && q === pos) {
      const h = wordAfter(t, q + 1, 0);
      const info = h ? UNIT_WORDS.get(h.lower) : undefined;
      if (h && info && info.dimension === 'duration' && h.key === h.lower) return { info, end: h.end };
    }
    const w = wordAfter(t, pos, 1);
    if (!w) return null;
    const next = (from: number): Word | null => wordAfter(t, from, 1);
    switch (w.lower) {
      case 'đô':
      case 'đôla':
      case 'dollar':
      case 'dollars': {
        let end = w.end;
        if (w.lower === 'đô') {
          // "đô la", "đô-la"
          if (isDash(codeAt(t, end)) && t.slice(end + 1, end + 3).toLowerCase() === 'la' && !isLetter(codeAt(t, end + 3))) end += 3;
          else {
            const la = next(end);
            if (la && la.lower === 'la') end = la.end;
          }
        }
        const country = next(end);
        if (country && country.cap) {
          const c2 = next(country.end);
          const two = c2 ? DOLLAR_COUNTRIES.get(`${country.key} ${c2.key}`) : undefined;
          if (two && c2) return { info: { dimension: 'money', unit: two }, end: c2.end };
          const one = DOLLAR_COUNTRIES.get(country.key);
          if (one) return { info: { dimension: 'money', unit: one }, end: country.end };
        }
        return { info: { dimension: 'money', unit: 'USD' }, end };
      }
      case 'phần': {
        const w2 = next(w.end);
        return w2 && w2.lower === 'trăm' ? { info: PERCENT, end: w2.end } : null;
      }
      case 'per': {
        const w2 = next(w.end);
        return w2 && w2.lower === 'cent' ? { info: PERCENT, end: w2.end } : null;
      }
      case 'nhân': {
        const w2 = next(w.end);
        const w3 = w2 && w2.lower === 'dân' ? next(w2.end) : null;
        return w3 && w3.lower === 'tệ' ? { info: { dimension: 'money', unit: 'CNY' }, end: w3.end } : null;
      }
      case 'bảng':
      case 'pound':
      case 'pounds': {
        // "bảng" is also "table/board"; alone it is money only after a scale ("2 tỷ bảng").
        const w2 = next(w.end);
        if (w2 && (w2.key === 'anh' || w2.lower === 'sterling')) return { info: { dimension: 'money', unit: 'GBP' }, end: w2.end };
        return hasScale ? { info: { dimension: 'money', unit: 'GBP' }, end: w.end } : null;
      }
      case 'yên':
      case 'rúp': {
        const w2 = next(w.end);
        const tail = w.lower === 'yên' ? 'nhật' : 'nga';
        const end = w2 && w2.lower === tail ? w2.end : w.end;
        return { info: UNIT_WORDS.get(w.lower)!, end };
      }
      case 'năm':
      case 'tháng': {
        // "5% năm 2024": the word starts a year or month, it is not this number's unit.
        const p = skipSpaces(t, w.end, 1);
        if (isDigit(codeAt(t, p))) return null;
        break;
      }
      case 'giờ': {
        // "lúc 10 giờ", "10 giờ 30", "10 giờ sáng" are times of day, not durations.
        const p = skipSpaces(t, w.end, 1);
        const w2 = next(w.end);
        const lead = wordBefore(t, numberStart, 0, 1);
        if (isDigit(codeAt(t, p)) || (w2 && TIME_WORDS.has(w2.lower)) || (lead && lead.lower === 'lúc')) {
          // Swallow the minutes too ("8 giờ 30 phút") so they are not read as a duration.
          const min = isDigit(codeAt(t, p)) ? readInt(t, p, 2) : null;
          const phut = min ? wordAfter(t, min.end, 1) : null;
          return { info: TIME_OF_DAY, end: phut && phut.lower === 'phút' ? phut.end : min ? min.end : w.end };
        }
        break;
      }
      default:
        break;
    }
    const info = UNIT_WORDS.get(w.lower);
    if (!info) return null;
    // "won" is also an English verb ("Labour won 400 seats"): money only after a scale word.
    if (w.lower === 'won' && !hasScale) return null;
    return { info, end: w.end };
  }

  /** "672.000 người", "20 hiệp ước", "5 chiếc máy bay", "20 treaties" → head noun. */
  private readCountNoun(pos: number, strict: boolean): NounHit | null {
    const t = this.t;
    const w1 = wordAfter(t, pos, 1);
    if (!w1 || !this.nounLike(w1)) return null;
    if (VI_CLASSIFIERS.has(w1.lower)) {
      const w2 = wordAfter(t, w1.end, 1);
      if (w2 && this.nounLike(w2) && !VI_CLASSIFIERS.has(w2.lower)) {
        const head = this.compound(w2);
        return head ?? { unit: w2.key, end: w2.end };
      }
    }
    const head = this.compound(w1);
    if (head) return head;
    if (VI_COUNT_NOUNS.has(w1.key)) return { unit: w1.key, end: w1.end };
    if (w1.key === w1.lower) {
      // Diacritic-free: English, or one of the few Vietnamese syllables without marks.
      const irregular = EN_IRREGULAR.get(w1.lower);
      if (irregular) return { unit: irregular, end: w1.end };
      // Vietnamese syllables never end in -s, -ed, -ing: those are English plurals/verbs.
      if (/(?:ed|ing)$/.test(w1.lower)) return null;
      const plural = w1.lower.length > 2 && w1.lower.endsWith('s') && !/(?:ss|us|is)$/.test(w1.lower);
      if (plural) return { unit: singular(w1.lower), end: w1.end };
      if (strict) return null;
      return { unit: w1.lower, end: w1.end };
    }
    return strict ? null : { unit: w1.key, end: w1.end };
  }

  private nounLike(w: Word): boolean {
    return !w.cap && !STOPWORDS.has(w.lower) && !SCALES.has(w.lower) && !UNIT_WORDS.has(w.lower);
  }

  /** A known two- or three-syllable Vietnamese head noun starting with `w1`. */
  private compound(w1: Word): NounHit | null {
    const w2 = wordAfter(this.t, w1.end, 1);
    if (!w2 || w2.cap) return null;
    const w3 = wordAfter(this.t, w2.end, 1);
    if (w3 && !w3.cap) {
      const k3 = `${w1.key} ${w2.key} ${w3.key}`;
      if (VI_COMPOUND_NOUNS.has(k3)) return { unit: k3, end: w3.end };
    }
    const k2 = `${w1.key} ${w2.key}`;
    return VI_COMPOUND_NOUNS.has(k2) ? { unit: k2, end: w2.end } : null;
  }

  /** Qualifier words right before `start` ("hơn", "ít nhất", "more than"). */
  private qualifierBefore(start: number): { qualifier: Qualifier; start: number } | null {
    const w1 = wordBefore(this.t, start, this.lastEnd, 1);
    if (!w1) return null;
    const w2 = wordBefore(this.t, w1.start, this.lastEnd, 1);
    if (w2) {
      const q2 = QUALIFIERS_BEFORE.get(`${w2.lower} ${w1.lower}`);
      if (q2) return { qualifier: q2, start: w2.start };
    }
    const q1 = QUALIFIERS_BEFORE.get(w1.lower);
    return q1 ? { qualifier: q1, start: w1.start } : null;
  }

  /** Qualifier words right after `end` ("trở lên", "or more"). */
  private qualifierAfter(end: number): { qualifier: Qualifier; end: number } | null {
    const w1 = wordAfter(this.t, end, 1);
    const w2 = w1 ? wordAfter(this.t, w1.end, 1) : null;
    if (!w1 || !w2) return null;
    const q = QUALIFIERS_AFTER.get(`${w1.lower} ${w2.lower}`);
    return q ? { qualifier: q, end: w2.end } : null;
  }

  /**
   * A range connector after `pos` ("-", "–", "đến", "tới", "to"; "and"/"và" after
   * "between"/"giữa"). Returns where the second number should start.
   */
  private rangeAfter(pos: number, allowAnd: boolean): { pos: number; dash: boolean } | null {
    const t = this.t;
    const p = skipSpaces(t, pos, 1);
    if (isDash(codeAt(t, p))) return { pos: skipSpaces(t, p + 1, 1), dash: true };
    const w = wordAfter(t, pos, 1);
    if (!w) return null;
    const ok = w.lower === 'đến' || w.lower === 'tới' || w.lower === 'to' || (allowAnd && (w.lower === 'and' || w.lower === 'và'));
    return ok ? { pos: skipSpaces(t, w.end, 1), dash: false } : null;
  }

  /** English context for the ambiguous "4,500": signs, English scale/unit/function words around. */
  private isEnglish(sign: string | null, end: number, before: Word | null): boolean {
    if (this.locale !== 'auto') return this.locale === 'en';
    if (sign === '$' || sign === '£') return true;
    const w = wordAfter(this.t, end, 1);
    if (w && (EN_HINTS_AFTER.has(w.lower) || (w.key === w.lower && w.lower.length > 2 && /[a-z]s$/.test(w.lower)))) return true;
    return before !== null && EN_HINTS_BEFORE.has(before.lower);
  }

  // ---------------------------------------------------------------- numbers

  private onNumber(s: number, e0: number): number {
    const t = this.t;
    if (e0 - s > MAX_NUMBER) return e0;
    const before = s > 0 ? codeAt(t, s - 1) : 0;
    // Glued to a letter on the left: codes and model names ("X1", "G7", "A4", "H5N1").
    if (isLetter(before)) return this.skipToken(e0);
    // After a slash: a denominator or the tail of a malformed date ("km/1", "13//6").
    if (before === 47) return this.skipToken(e0);
    if (isDash(before) || before === 46 || before === 44 || before === 58) {
      const b2 = s > 1 ? codeAt(t, s - 2) : 0;
      // "MiG-29", "F-16", "COVID-19"; or the tail of a token already rejected.
      if (isLetter(b2) || isDigit(b2)) return this.skipToken(e0);
    }
    if (before === 43) return this.skipPhone(e0); // "+84 24 3825 1234"
    if (before === 35 || before === 64 || before === 0x2116) return this.skipToken(e0); // "#1", "@2", "№5"
    const lit = t.slice(s, e0);
    const plain = lit.indexOf('.') < 0 && lit.indexOf(',') < 0;
    const after = codeAt(t, e0);
    // A leading zero is a phone number or a code ("0912 345 678", "(024)"), except "05/07".
    const leadingZero = lit.length > 1 && codeAt(lit, 0) === 48 && isDigit(codeAt(lit, 1));
    if (leadingZero && !(after === 47 && lit.length === 2)) return this.skipPhone(e0);
    if (after === 58 && isDigit(codeAt(t, e0 + 1))) return this.skipToken(e0); // "10:30"
    // Letters glued on the right: a few suffixes mean something ("50.000đ", "$5bn", "2nd").
    let e = e0;
    let glued: string | null = null;
    if (isLetter(after)) {
      let g = e0;
      while (g < t.length && isLetter(codeAt(t, g))) {
        if (g - e0 >= 4) return this.skipToken(g);
        g++;
      }
      if (isDigit(codeAt(t, g))) return this.skipToken(g); // "10h30", "3D4"
      glued = t.slice(e0, g).toLowerCase();
      if (glued === 'h' || glued === 'g') return g; // "10h": a time of day
      e = g;
    }
    // List markers: "1." / "2)" opening a line.
    if (plain && !glued && (after === 46 || after === 41) && this.atLineStart(s)) {
      const n = codeAt(t, e0 + 1);
      if (Number.isNaN(n) || n === 32 || n === 9 || n === 10 || n === 13 || n === 0xa0) return e0 + 1;
    }
    if (plain && !glued && before === 40 && after === 41 && lit.length <= 2) return e0 + 1; // "(1)"
    // Digit groups separated by single spaces, 7+ digits in all: phone numbers ("1900 1234").
    if (plain && !glued && isHSpace(after) && isDigit(codeAt(t, e0 + 1))) {
      const next = readInt(t, e0 + 1, 8);
      if (next && next.len >= 3 && lit.length + next.len >= 7) return this.skipPhone(e0);
    }
    const prev = wordBefore(t, s, 0, 1);
    // Labels: "Điều 5", "Bell 212", "Article 5", "Euro 2024" — unless a scale or unit follows
    // ("một khoản 5 tỷ USD" is an amount).
    if (prev && plain && !glued) {
      const prev2 = wordBefore(t, prev.start, 0, 1);
      const isLabel =
        LABEL_WORDS.has(prev.lower) ||
        (prev2 !== null && LABEL_PAIRS.get(prev.lower)?.has(prev2.lower) === true) ||
        (prev.lower === 'euro' && prev.cap && lit.length === 4);
      if (isLabel && !this.readScale(e0) && !this.readUnit(e0, false, s)) return this.skipToken(e0);
    }
    // Currency sign before the number: "$38", "US$38", "€80".
    let sign: string | null = null;
    let currency: string | null = null;
    let start = s;
    // The sign may be followed by one space ("$ 5 million").
    const signAt = isHSpace(before) && s - 1 > this.lastEnd ? s - 2 : s - 1;
    if (signAt >= this.lastEnd) {
      const ch = charAtOrEmpty(t, signAt);
      const code = CURRENCY_SIGNS.get(ch);
      if (code) {
        sign = ch;
        currency = code;
        start = signAt;
        if (ch === '$') {
          // "US$", "A$", "HK$": up to two capitals glued before the sign.
          let p = signAt;
          while (p > this.lastEnd && signAt - p < 2 && codeAt(t, p - 1) >= 65 && codeAt(t, p - 1) <= 90) p--;
          const prefix = t.slice(p, signAt);
          if (p < signAt && !isLetter(codeAt(t, p - 1)) && DOLLAR_PREFIXES.has(prefix)) {
            currency = DOLLAR_PREFIXES.get(prefix)!;
            start = p;
          }
        }
      }
    }
    const english = this.isEnglish(sign, e, prev);
    const prevHere = prev && prev.start >= this.lastEnd ? prev : null;

    if (!sign && !glued) {
      const value = plain ? Number(lit) : NaN;
      // "tháng 9/2022", "tháng 12", "tháng 6-7/2024", "tháng 7 năm 2024"
      if (prevHere && prevHere.lower === 'tháng' && !this.readScale(e0)) return this.monthDate(prevHere.start, s, e0, value);
      // "10/7", "13/6/2024", "11-12/7"
      if (plain && lit.length <= 2 && (after === 47 || (isDash(after) && isDigit(codeAt(t, e0 + 1))))) {
        const r = this.dayMonth(s, e0, value);
        if (r !== null) return r;
      }
      if (after === 47 && isDigit(codeAt(t, e0 + 1))) return this.skipToken(e0); // "50/50", "2/3"
      if (prevHere && prevHere.cap && plain && EN_MONTHS.has(prevHere.lower)) {
        const r = this.englishMonthFirst(prevHere, e0, value, lit.length);
        if (r !== null) return r;
      }
      // "năm 2024": the year, span includes "năm".
      if (prevHere && prevHere.lower === 'năm' && plain && lit.length === 4 && value >= 1000 && value <= 2100) return this.year(prevHere.start, e0, value);
      // "thứ 3" with no noun before (the "thứ" candidate declined it): a weekday.
      if (prev && prev.lower === 'thứ') return this.skipToken(e0);
      if (plain && lit.length <= 2 && value >= 1 && value <= 31) {
        const r = this.dayRangeTo(e0, value, prevHere) ?? this.dayFirstDate(s, e0, value);
        if (r !== null) return r;
      }
    }
    if (glued && plain && (glued === 'st' || glued === 'nd' || glued === 'rd' || glued === 'th')) {
      const noun = wordAfter(t, e, 1);
      const unit = noun && EN_ORDINAL_NOUNS.has(noun.lower) ? noun.lower : undefined;
      return this.emit(s, e, 'ordinal', Number(lit), 1, 'exact', unit ? { unit } : {});
    }
    return this.generic(s, e0, e, lit, glued, start, sign, currency, english);
  }

  /** The general case: number, scale, range, unit or count noun, qualifiers. */
  private generic(s: number, e0: number, e: number, lit: string, glued: string | null, start: number, sign: string | null, currency: string | null, english: boolean): number {
    const t = this.t;
    const num = parseNumeral(lit, english);
    if (!num) return this.skipToken(e0);
    let scale = 1;
    let hasScale = false;
    let unit: UnitHit | null = null;
    if (glued) {
      const gs = GLUED_SCALES.get(glued);
      const gu = GLUED_UNITS.get(glued);
      // "m"/"k" are scales only after a sign ("$5m"); alone they are metres, kilo-anything.
      if (gs !== undefined && (currency !== null || glued.length > 1)) {
        scale = gs;
        hasScale = true;
      } else if (gu && !currency) unit = { info: gu, end: e };
      else return this.skipToken(e);
    }
    let end = e;
    if (!glued) {
      const sc = this.readScale(end);
      if (sc) {
        scale = sc.mult;
        hasScale = true;
        end = sc.end;
      }
    }
    let value = (num.mantissa * scale) / pow10(num.frac);
    let step = scale / pow10(num.frac);
    // "1 tỷ 200 triệu": a smaller scale group right after adds up.
    if (hasScale && scale >= 1e6 && !glued) {
      const p = skipSpaces(t, end, 1);
      const r = p > end ? readInt(t, p, 3) : null;
      if (r && r.value > 0 && !isLetter(codeAt(t, r.end))) {
        const sc2 = this.readScale(r.end);
        if (sc2 && sc2.mult < scale) {
          value += r.value * sc2.mult;
          step = sc2.mult;
          end = sc2.end;
        }
      }
    }
    const plain = num.plain && !glued && !currency && !hasScale;
    // A bare 4-digit 1900–2100 with nothing after it is a year ("in 2024", "2019–2028").
    if (plain && lit.length === 4 && value >= 1900 && value <= 2100 && !this.readUnit(end, false, s) && !this.readCountNoun(end, false)) {
      return this.year(s, e0, value);
    }
    if (!unit && currency) unit = { info: { dimension: 'money', unit: currency }, end };
    const prefixUnit = unit !== null;
    if (!unit) {
      unit = this.readUnit(end, hasScale, s);
      if (unit && unit.info === TIME_OF_DAY) return unit.end;
    }
    // Ranges: "10-15%", "10 - 15 triệu USD", "từ 10 đến 15 năm", "$10-15 million".
    const lead = wordBefore(t, start, this.lastEnd, 1);
    const rangeLead = lead && RANGE_LEADS.has(lead.lower) ? lead : null;
    let valueHigh: number | undefined;
    const afterFirst = unit && !prefixUnit ? unit.end : end;
    const conn = this.rangeAfter(afterFirst, rangeLead !== null && (rangeLead.lower === 'between' || rangeLead.lower === 'giữa'));
    if (conn) {
      let p2 = conn.pos;
      if (sign && charAtOrEmpty(t, p2) === sign) p2++;
      if (isDigit(codeAt(t, p2)) && !isLetter(codeAt(t, p2 - 1))) {
        const e2 = numberEnd(t, p2);
        const c2 = codeAt(t, e2);
        const num2 = !isLetter(c2) && c2 !== 47 && !isDigit(c2) ? parseNumeral(t.slice(p2, e2), english) : null;
        if (num2) {
          const sc2 = this.readScale(e2);
          const end2 = sc2 ? sc2.end : e2;
          const unit2 = this.readUnit(end2, sc2 !== null, p2);
          const unitOk = unit === null ? true : prefixUnit ? !unit2 || unit2.info.unit === unit.info.unit : unit2 !== null && unit2.info.unit === unit.info.unit;
          const scale1 = hasScale ? scale : sc2 ? sc2.mult : 1;
          const v1 = hasScale ? value : (num.mantissa * scale1) / pow10(num.frac);
          const v2 = (num2.mantissa * (sc2 ? sc2.mult : 1)) / pow10(num2.frac);
          if (unitOk && v2 > v1 && unit2?.info !== TIME_OF_DAY) {
            value = v1;
            valueHigh = v2;
            if (!hasScale) step = scale1 / pow10(num.frac);
            hasScale = hasScale || sc2 !== null;
            if (unit2) {
              if (!unit) unit = unit2;
              end = unit2.end;
            } else end = end2;
          } else if (conn.dash && !unit) {
            return this.skipToken(e2); // "2-1", "10-5": a score or a code, not a range
          }
        }
      }
    }
    if (valueHigh === undefined && unit && !prefixUnit) end = unit.end;
    let dimension: Dimension = unit ? unit.info.dimension : 'number';
    let unitName = unit?.info.unit;
    if (!unit) {
      const noun = this.readCountNoun(end, false);
      if (noun) {
        dimension = 'count';
        unitName = noun.unit;
        end = noun.end;
      }
    }
    let from = valueHigh !== undefined && rangeLead ? rangeLead.start : start;
    let qualifier: Qualifier = 'exact';
    const qb = this.qualifierBefore(from);
    if (qb) {
      qualifier = qb.qualifier;
      from = qb.start;
    }
    const qa = this.qualifierAfter(end);
    if (qa && qualifier === 'exact') {
      qualifier = qa.qualifier;
      end = qa.end;
    }
    const extra: Extra = {};
    if (valueHigh !== undefined) extra.valueHigh = valueHigh;
    if (unitName !== undefined) extra.unit = unitName;
    return this.emit(from, end, dimension, value, step, qualifier, extra);
  }

  /** A year at [s, e0) (span from `start`), with an optional end year: "2019–2028", "từ năm 2019 đến 2028". */
  private year(start: number, e0: number, year: number): number {
    const t = this.t;
    let end = e0;
    let yearEnd: number | undefined;
    const lead = wordBefore(t, start, this.lastEnd, 1);
    const allowAnd = lead !== null && (lead.lower === 'between' || lead.lower === 'giữa');
    const conn = this.rangeAfter(e0, allowAnd);
    if (conn) {
      let p = conn.pos;
      const nam = wordAfter(t, p, 0);
      if (nam && nam.lower === 'năm') p = skipSpaces(t, nam.end, 1);
      const y2 = readInt(t, p, 4);
      if (y2 && y2.len === 4 && y2.value > year && y2.value <= 2100 && !isLetter(codeAt(t, y2.end)) && codeAt(t, y2.end) !== 47) {
        yearEnd = y2.value;
        end = y2.end;
      }
    }
    let from = start;
    if (yearEnd !== undefined && lead && RANGE_LEADS.has(lead.lower)) from = lead.start;
    const date: DateParts = { year };
    const extra: Extra = { date };
    if (yearEnd !== undefined) {
      date.yearEnd = yearEnd;
      extra.valueHigh = yearEnd;
    }
    return this.emit(from, end, 'year', year, 1, 'exact', extra);
  }

  /** After "tháng": month, month range, month/year. `month` is NaN when the digits had separators. */
  private monthDate(start: number, s: number, e0: number, month: number): number {
    const t = this.t;
    if (!(month >= 1 && month <= 12)) return this.skipToken(e0);
    let p = e0;
    const date: DateParts = { month };
    if (isDash(codeAt(t, p))) {
      const m2 = readInt(t, p + 1, 2);
      if (m2 && m2.value > month && m2.value <= 12 && !isLetter(codeAt(t, m2.end))) {
        date.monthEnd = m2.value;
        p = m2.end;
      }
    }
    if (codeAt(t, p) === 47) {
      const y = readInt(t, p + 1, 4);
      if (!y || y.len !== 4 || isLetter(codeAt(t, y.end)) || codeAt(t, y.end) === 47) return this.skipToken(s);
      date.year = y.value;
      p = y.end;
    } else {
      const nam = wordAfter(t, p, 1);
      if (nam && nam.lower === 'năm') {
        const y = readInt(t, skipSpaces(t, nam.end, 1), 4);
        if (y && y.len === 4 && !isLetter(codeAt(t, y.end))) {
          date.year = y.value;
          p = y.end;
        }
      }
    }
    return this.emitDate(start, p, date);
  }

  /** "10/7", "13/6/2024", "11-12/7" at [s, e0). Null when it is not that shape at all. */
  private dayMonth(s: number, e0: number, day: number): number | null {
    const t = this.t;
    let p = e0;
    const date: DateParts = { day };
    if (isDash(codeAt(t, p))) {
      const d2 = readInt(t, p + 1, 2);
      if (!d2 || codeAt(t, d2.end) !== 47) return null; // a plain range, handled elsewhere
      date.dayEnd = d2.value;
      p = d2.end;
    }
    const m = readInt(t, p + 1, 2);
    if (!m) return this.skipToken(s);
    const month = m.value;
    date.month = month;
    p = m.end;
    if (codeAt(t, p) === 47) {
      const y = readInt(t, p + 1, 4);
      if (!y || y.len !== 4) return this.skipToken(s);
      date.year = y.value;
      p = y.end;
    }
    const c = codeAt(t, p);
    const valid =
      day >= 1 && day <= 31 && month >= 1 && month <= 12 && (date.dayEnd === undefined || (date.dayEnd > day && date.dayEnd <= 31));
    if (!valid || c === 47 || isLetter(c) || isDigit(c) || ((c === 46 || c === 44) && isDigit(codeAt(t, p + 1)))) return this.skipToken(s);
    if (date.year === undefined && date.dayEnd === undefined) {
      const lead = wordBefore(t, s, 0, 1);
      const dated = lead !== null && (VI_DATE_LEADS.has(lead.lower) || DATE_PREPOSITIONS.has(lead.lower));
      // "2/3 số phiếu", "1/3 of", "hơn 1/3", "vòng 1/8", "24/7": fractions and set phrases.
      // A small proper fraction is a date only after a date word ("ngày 1/3", "vào 1/3").
      const next = wordAfter(t, p, 1);
      if (next && (next.lower === 'số' || next.lower === 'tổng' || next.lower === 'of')) return this.skipToken(s);
      if ((day < month && month <= 5 && !dated) || (lead && FRACTION_LEADS.has(lead.lower)) || (day === 24 && month === 7 && !dated)) return this.skipToken(s);
    }
    return this.emitDate(this.dateLead(s), p, date);
  }

  /** "từ ngày 20 đến 22/3", "từ 20 tới 22/3/2025": a day range spelled with a word connector. */
  private dayRangeTo(e0: number, day: number, prev: Word | null): number | null {
    const t = this.t;
    if (!prev || (prev.lower !== 'ngày' && prev.lower !== 'từ')) return null;
    const conn = this.rangeAfter(e0, false);
    if (!conn || conn.dash) return null;
    const d2 = readInt(t, conn.pos, 2);
    if (!d2 || d2.value <= day || d2.value > 31 || codeAt(t, d2.end) !== 47) return null;
    const m = readInt(t, d2.end + 1, 2);
    if (!m || m.value < 1 || m.value > 12) return null;
    const date: DateParts = { day, dayEnd: d2.value, month: m.value };
    let end = m.end;
    if (codeAt(t, end) === 47) {
      const y = readInt(t, end + 1, 4);
      if (!y || y.len !== 4) return null;
      date.year = y.value;
      end = y.end;
    }
    const c = codeAt(t, end);
    if (c === 47 || isLetter(c) || isDigit(c)) return null;
    let start = prev.start;
    if (prev.lower === 'ngày') {
      const tu = wordBefore(t, prev.start, this.lastEnd, 1);
      if (tu && tu.lower === 'từ') start = tu.start;
    }
    return this.emitDate(start, end, date);
  }

  /** Start of a date span: include "ngày", "hôm", "tối"… right before it. */
  private dateLead(s: number): number {
    const w = wordBefore(this.t, s, this.lastEnd, 1);
    return w && VI_DATE_LEADS.has(w.lower) ? w.start : s;
  }

  /** "July 10", "July 10, 2024", "July 2024" (`month` word already seen). */
  private englishMonthFirst(month: Word, e0: number, value: number, len: number): number | null {
    const t = this.t;
    const m = EN_MONTHS.get(month.lower)!;
    if (len === 4 && value >= 1000 && value <= 2100) return this.emitDate(month.start, e0, { month: m, year: value });
    if (len > 2 || value < 1 || value > 31) return null;
    const date: DateParts = { day: value, month: m };
    let p = e0;
    const q = codeAt(t, p) === 44 ? p + 1 : p;
    const y = isHSpace(codeAt(t, q)) ? readInt(t, q + 1, 4) : null;
    if (y && y.len === 4 && !isLetter(codeAt(t, y.end))) {
      date.year = y.value;
      p = y.end;
    }
    return this.emitDate(month.start, p, date);
  }

  /** "10 July 2024", "10 tháng 7 năm 2024" (the day comes first). Null when not a date. */
  private dayFirstDate(s: number, e0: number, day: number): number | null {
    const t = this.t;
    const w = wordAfter(t, e0, 1);
    if (!w) return null;
    let month: number | undefined;
    let p: number;
    if (w.cap && EN_MONTHS.has(w.lower)) {
      month = EN_MONTHS.get(w.lower)!;
      p = w.end;
    } else if (w.lower === 'tháng') {
      const m = readInt(t, skipSpaces(t, w.end, 1), 2);
      if (!m || m.value < 1 || m.value > 12 || m.end === w.end || isLetter(codeAt(t, m.end)) || codeAt(t, m.end) === 47) return null;
      // "3 tháng 5 ngày" is a duration followed by another number.
      const after = wordAfter(t, m.end, 1);
      if (after && after.lower !== 'năm' && (UNIT_WORDS.has(after.lower) || this.readCountNoun(m.end, false))) return null;
      month = m.value;
      p = m.end;
    } else return null;
    const date: DateParts = { day, month };
    const nam = wordAfter(t, p, 1);
    const yPos = nam && nam.lower === 'năm' ? skipSpaces(t, nam.end, 1) : codeAt(t, p) === 44 ? skipSpaces(t, p + 1, 1) : skipSpaces(t, p, 1);
    const y = yPos > p ? readInt(t, yPos, 4) : null;
    if (y && y.len === 4 && !isLetter(codeAt(t, y.end))) {
      date.year = y.value;
      p = y.end;
    }
    return this.emitDate(this.dateLead(s), p, date);
  }

  // ---------------------------------------------------------------- number words

  private onWord(s: number, e: number): number {
    const t = this.t;
    // The regex has no look-behind: reject here the tail of a longer word ("khai", "Cuba") and
    // part of a hyphenated one ("well-one", the "five" of a rejected "twenty-five").
    const before = s > 0 ? codeAt(t, s - 1) : 0;
    if (isLetter(before) || isDigit(before) || (isDash(before) && isLetter(codeAt(t, s - 2)))) return e;
    const lower = t.slice(s, e).toLowerCase();
    if (lower === 'thứ') return this.viOrdinal(s, e);
    const enOrd = EN_ORDINALS.get(lower);
    if (enOrd !== undefined) {
      const noun = wordAfter(t, e, 1);
      if (!noun || noun.cap || !EN_ORDINAL_NOUNS.has(noun.lower)) return e;
      return this.emit(s, e, 'ordinal', enOrd, 1, 'exact', { unit: noun.lower, spelled: true });
    }
    if (VI_UNITS.has(lower) || lower === 'mười') return this.viSpelled(s, e, lower);
    return this.enSpelled(s, e, lower);
  }

  /** "năm thứ ba", "lần thứ 3", "lớn thứ hai": the figure is "thứ …", the unit the noun before. */
  private viOrdinal(s: number, e: number): number {
    const t = this.t;
    const prev = wordBefore(t, s, 0, 1);
    if (!prev) return e;
    const prev2 = wordBefore(t, prev.start, 0, 1);
    const k2 = prev2 ? `${prev2.key} ${prev.key}` : '';
    const unit = k2 && VI_ORDINAL_NOUNS.has(k2) ? k2 : VI_ORDINAL_NOUNS.has(prev.key) ? prev.key : null;
    if (!unit) return e; // "thứ Hai" (Monday), "hôm thứ ba"
    const w = wordAfter(t, e, 1);
    if (w) {
      let value = VI_ORDINALS.get(w.lower);
      if (value === undefined) return e;
      let end = w.end;
      if (value === 10) {
        const w2 = wordAfter(t, end, 1);
        const add = w2 ? VI_AFTER_MUOI.get(w2.lower) : undefined;
        if (w2 && add !== undefined) {
          value += add;
          end = w2.end;
        }
      }
      return this.emit(s, end, 'ordinal', value, 1, 'exact', { unit, spelled: true });
    }
    const r = readInt(t, skipSpaces(t, e, 1), 3);
    if (!r || r.end === e || isLetter(codeAt(t, r.end))) return e;
    return this.emit(s, r.end, 'ordinal', r.value, 1, 'exact', { unit });
  }

  /** Vietnamese spelled numbers: "ba nước", "mười năm", "hai mươi lăm người", "một tỷ USD". */
  private viSpelled(s: number, e: number, first: string): number {
    const t = this.t;
    const prev = wordBefore(t, s, 0, 1);
    // Inside an ordinal ("thứ hai") or the tail of another numeral ("hai mươi hai").
    if (prev && (prev.lower === 'thứ' || prev.lower === 'mươi' || prev.lower === 'mười' || prev.lower === 'trăm' || prev.lower === 'lăm')) return e;
    let value: number;
    let step = 1;
    let end = e;
    let words = 1;
    const next = (): Word | null => wordAfter(t, end, 1);
    if (first === 'mười') {
      value = 10;
      const w = next();
      const add = w ? VI_AFTER_MUOI.get(w.lower) : undefined;
      if (w && add !== undefined) {
        value += add;
        end = w.end;
        words++;
      }
    } else {
      value = VI_UNITS.get(first)!;
      const w = next();
      if (w && w.lower === 'mươi' && value >= 2) {
        value *= 10;
        end = w.end;
        words++;
        const w2 = next();
        const add = w2 ? VI_AFTER_MUOI_TENS.get(w2.lower) : undefined;
        if (w2 && add !== undefined) {
          value += add;
          end = w2.end;
          words++;
        }
      } else if (w && w.lower === 'trăm') {
        value *= 100;
        end = w.end;
        words++;
        const w2 = next();
        if (w2 && (w2.lower === 'linh' || w2.lower === 'lẻ')) {
          const w3 = wordAfter(t, w2.end, 1);
          const add = w3 ? VI_UNITS.get(w3.lower) : undefined;
          if (w3 && add !== undefined) {
            value += add;
            end = w3.end;
          }
        } else if (w2 && w2.lower === 'mười') {
          value += 10;
          end = w2.end;
        } else if (w2 && VI_UNITS.has(w2.lower)) {
          const w3 = wordAfter(t, w2.end, 1);
          if (w3 && w3.lower === 'mươi') {
            value += VI_UNITS.get(w2.lower)! * 10;
            end = w3.end;
          }
        }
      }
    }
    const sc = this.readScale(end);
    if (sc) {
      value *= sc.mult;
      step = sc.mult;
      end = sc.end;
    }
    // "một" alone is the article "a"; "năm" alone is mostly "year": both need more to be numbers.
    if (first === 'một' && words === 1 && !sc) return e;
    let unit = this.readUnit(end, sc !== null, s);
    if (unit && unit.info === TIME_OF_DAY) return unit.end;
    // "năm tháng" means "time, years", not five months.
    if (first === 'năm' && words === 1 && !sc && unit && unit.info.unit !== 'year') unit = null;
    let dimension: Dimension = 'number';
    let unitName: string | undefined;
    if (unit) {
      dimension = unit.info.dimension;
      unitName = unit.info.unit;
      end = unit.end;
    } else {
      const noun = this.readCountNoun(end, true);
      if (noun) {
        dimension = 'count';
        unitName = noun.unit;
        end = noun.end;
      } else if (!sc) return e;
    }
    return this.finishSpelled(s, end, dimension, value, step, unitName);
  }

  /** English spelled numbers: "two years", "twenty-five countries", "three million people". */
  private enSpelled(s: number, e: number, first: string): number {
    const t = this.t;
    let end = e;
    let value: number;
    let step = 1;
    const tens = EN_TENS.get(first);
    if (tens !== undefined) {
      value = tens;
      // "twenty-five", "twenty five"
      const hyphen = isDash(codeAt(t, end));
      const w = hyphen ? wordAfter(t, end + 1, 0) : wordAfter(t, end, 1);
      const add = w ? EN_UNITS.get(w.lower) : undefined;
      if (w && add !== undefined && add < 10) {
        value += add;
        end = w.end;
      }
    } else {
      const v = EN_UNITS.get(first);
      if (v === undefined) return e;
      value = v;
    }
    const h = wordAfter(t, end, 1);
    let hundred = false;
    if (h && h.lower === 'hundred') {
      value *= 100;
      end = h.end;
      hundred = true;
    }
    const sc = this.readScale(end);
    if (sc) {
      value *= sc.mult;
      step = sc.mult;
      end = sc.end;
    }
    if (first === 'one' && !hundred && !sc) return e; // "one of", "no one"
    const unit = this.readUnit(end, sc !== null, s);
    let dimension: Dimension = 'number';
    let unitName: string | undefined;
    if (unit && unit.info !== TIME_OF_DAY) {
      dimension = unit.info.dimension;
      unitName = unit.info.unit;
      end = unit.end;
    } else {
      const noun = this.readCountNoun(end, true);
      if (noun) {
        dimension = 'count';
        unitName = noun.unit;
        end = noun.end;
      } else if (!sc) return e;
    }
    return this.finishSpelled(s, end, dimension, value, step, unitName);
  }

  private finishSpelled(s: number, end: number, dimension: Dimension, value: number, step: number, unit: string | undefined): number {
    let from = s;
    let qualifier: Qualifier = 'exact';
    const qb = this.qualifierBefore(s);
    if (qb) {
      const word = this.t.slice(qb.start, s).trim().toLowerCase();
      if (word !== 'độ' && word !== 'some') {
        qualifier = qb.qualifier;
        from = qb.start;
      }
    }
    let to = end;
    const qa = this.qualifierAfter(end);
    if (qa && qualifier === 'exact') {
      qualifier = qa.qualifier;
      to = qa.end;
    }
    const extra: Extra = { spelled: true };
    if (unit !== undefined) extra.unit = unit;
    return this.emit(from, to, dimension, value, step, qualifier, extra);
  }
}

/** Simple English singular: "treaties" → "treaty", "boxes" → "box", "troops" → "troop". */
function singular(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}
