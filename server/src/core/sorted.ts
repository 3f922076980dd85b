/** Binary searches over ascending arrays (numbers or strings), shared by the index, line maps and completion. */

/** The first position in `sorted` whose value is not below `value` (`sorted.length` when none). */
export function lowerBound<T extends number | string>(sorted: ArrayLike<T>, value: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last position in `sorted` whose value is at or below `value`; 0 when none is (callers keep `sorted[0]` at or below every value they ask for). */
export function lastAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  return Math.max(0, lowerBound(sorted, value + 1) - 1);
}
