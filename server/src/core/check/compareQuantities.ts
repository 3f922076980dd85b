/**
 * Decides whether a source figure supports or contradicts a figure in a draft, taking
 * rounding and qualifiers into account.
 *
 * Every figure is read as an interval of values it allows. A draft's figure is read loosely
 * (trailing zeros are rounding: "700.000" allows 650.000–750.000; "khoảng" allows ±10 %), a
 * source's figure tightly (its last written digit). Then:
 * - consistent: the source's value lies in the draft's interval, or the draft's value in an
 *   approximate source's interval, or the source implies the draft's bound ("hơn 250" ⇒ "hơn 200");
 * - contradicts: the two intervals cannot both hold;
 * - otherwise undetermined (neither verdict: "hơn 300" against "hơn 250").
 */
import type { DateParts, Quantity } from '../types';

export type Agreement = 'consistent' | 'contradicts' | 'undetermined' | 'incomparable';

const APPROX = 0.1;
/** Reading trailing zeros as rounding never stretches a figure by more than this share of it. */
const MAX_ROUNDING = 0.05;

/** Count nouns that name the same kind of thing for our purposes. */
const COUNT_SYNONYMS: string[][] = [
  ['hiep uoc', 'thoa thuan', 'hiep dinh', 'treaty', 'agreement', 'pact', 'accord', 'deal'],
  ['nguoi', 'person', 'people', 'nguoi dan', 'cu dan', 'resident', 'inhabitant', 'dan'],
  ['nuoc', 'quoc gia', 'country', 'nation'],
  ['he thong', 'system'],
  ['binh si', 'binh linh', 'quan', 'soldier', 'troop'],
];
const DURATION_IN_DAYS: Record<string, number> = { year: 365, month: 30, week: 7, day: 1, hour: 1 / 24, minute: 1 / 1440, second: 1 / 86400 };

/** The unit family key two figures must share to be compared at all. */
export function unitKey(q: Quantity): string {
  switch (q.dimension) {
    case 'money':
      return `money:${q.unit ?? '?'}`;
    case 'count': {
      const unit = q.unit ?? '';
      const head = unit.split(' ')[0] ?? unit;
      const group = COUNT_SYNONYMS.findIndex((g) => g.includes(unit) || g.includes(head));
      return group >= 0 ? `count:#${group}` : `count:${unit}`;
    }
    case 'duration':
      return 'duration';
    case 'ordinal':
      return `ordinal:${q.unit ?? ''}`;
    default:
      return q.dimension;
  }
}

/** Value in comparable base units (durations in days). */
function base(q: Quantity, v: number): number {
  return q.dimension === 'duration' ? v * (DURATION_IN_DAYS[q.unit ?? 'day'] ?? 1) : v;
}

/** Place value of the last non-zero digit of `v` written with step `step`: 700000 → 100000. */
function looseStep(v: number, step: number): number {
  if (!Number.isFinite(v) || v === 0 || step <= 0) return step;
  let s = step;
  // Trailing zeros of a written integer count as rounding.
  while (s * 10 <= Math.abs(v) && Math.abs(Math.round(v / (s * 10)) * (s * 10) - v) < s / 1000) s *= 10;
  return s;
}

interface Interval {
  lo: number;
  hi: number;
  /** The value as written (midpoint of a range). */
  point: number;
  open: 'none' | 'up' | 'down';
}

function intervalOf(q: Quantity, loose: boolean): Interval {
  const v = base(q, q.value);
  const vh = base(q, q.valueHigh ?? q.value);
  const stepBase = base(q, q.step > 0 ? q.step : 1);
  const written = stepBase / 2;
  const tol = loose ? Math.max(written, Math.min(base(q, looseStep(q.value, q.step > 0 ? q.step : 1)) / 2, MAX_ROUNDING * Math.abs(v))) : written;
  const point = (v + vh) / 2;
  switch (q.qualifier) {
    case 'approx':
      return { lo: Math.min(v * (1 - APPROX), v - tol), hi: Math.max(vh * (1 + APPROX), vh + tol), point, open: 'none' };
    case 'nearly':
      return { lo: Math.min(v * (1 - APPROX), v - tol), hi: vh + tol, point, open: 'none' };
    case 'gt':
    case 'gte':
      return { lo: v, hi: Infinity, point: v, open: 'up' };
    case 'lt':
    case 'lte':
      return { lo: -Infinity, hi: vh, point: vh, open: 'down' };
    default:
      return { lo: v - tol, hi: vh + tol, point, open: 'none' };
  }
}

/** Compares a draft figure with a source figure of the same kind. */
export function compareQuantities(claim: Quantity, source: Quantity): Agreement {
  if (unitKey(claim) !== unitKey(source)) return 'incomparable';
  if (claim.dimension === 'date' || claim.dimension === 'year') return compareDates(claim, source);
  const c = intervalOf(claim, true);
  const s = intervalOf(source, false);
  if (c.open === 'up') {
    if (s.lo >= c.lo - 1e-9 * Math.abs(c.lo)) return 'consistent';
    return s.open === 'none' && s.hi < c.lo ? 'contradicts' : 'undetermined';
  }
  if (c.open === 'down') {
    if (s.hi <= c.hi + 1e-9 * Math.abs(c.hi)) return 'consistent';
    return s.open === 'none' && s.lo > c.hi ? 'contradicts' : 'undetermined';
  }
  if (s.open === 'up') {
    // The draft dropped the source's "more than": allowed within the draft's own rounding.
    if (c.lo <= s.lo && s.lo <= c.hi) return 'consistent';
    return c.hi < s.lo ? 'contradicts' : 'undetermined';
  }
  if (s.open === 'down') {
    if (c.lo <= s.hi && s.hi <= c.hi) return 'consistent';
    return c.lo > s.hi ? 'contradicts' : 'undetermined';
  }
  if (claim.valueHigh !== undefined && source.valueHigh !== undefined) {
    // Two ranges: both ends must agree ("2019–2028" is not "2018–2028").
    const tol = (base(claim, claim.step) + base(source, source.step)) / 2;
    const same = (a: number, b: number): boolean => Math.abs(a - b) <= tol;
    return same(base(claim, claim.value), base(source, source.value)) && same(base(claim, claim.valueHigh), base(source, source.valueHigh)) ? 'consistent' : 'contradicts';
  }
  const inside = (p: number, i: Interval): boolean => p >= i.lo && (p < i.hi || (p === i.hi && i.lo === i.hi));
  const sourceInClaim = inside(s.point, c) || (source.valueHigh !== undefined && inside(c.point, s));
  const claimInSource = source.qualifier !== 'exact' && inside(c.point, s);
  if (sourceInClaim || claimInSource) return 'consistent';
  // Two closed readings that do not hold each other's value are two different figures.
  return 'contradicts';
}

function compareDates(claim: Quantity, source: Quantity): Agreement {
  const a = datePartsOf(claim);
  const b = datePartsOf(source);
  let shared = 0;
  const parts: [keyof DateParts, keyof DateParts][] = [['year', 'yearEnd'], ['month', 'monthEnd'], ['day', 'dayEnd']];
  for (const [from, to] of parts) {
    const av = a[from];
    const bv = b[from];
    if (av === undefined || bv === undefined) continue;
    shared++;
    const aHi = a[to] ?? av;
    const bHi = b[to] ?? bv;
    if (a[to] !== undefined && b[to] !== undefined) {
      // Two ranges ("20-22/3" and "22-24/3") must have the same ends.
      if (av !== bv || aHi !== bHi) return 'contradicts';
    } else if (aHi < bv || av > bHi) return 'contradicts';
  }
  return shared > 0 ? 'consistent' : 'incomparable';
}

function datePartsOf(q: Quantity): DateParts {
  if (q.date) return q.date;
  if (q.dimension === 'year') return { year: q.value, ...(q.valueHigh !== undefined ? { yearEnd: q.valueHigh } : {}) };
  return {};
}
