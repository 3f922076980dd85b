/** The one-line summary shared by the human-facing formats. */
import type { CheckReport } from './report';

/** `4 findings (1 error, 2 warnings, 1 info) in 3 files[ on lines changed since REF]`. */
export function summaryText(report: CheckReport): string {
  const c = report.counts;
  const parts = [plural(c[1], 'error'), plural(c[2], 'warning'), `${c[3] + c[4]} info`];
  const scope = report.changedSince ? ` on lines changed since ${report.changedSince}` : '';
  return `${plural(c[1] + c[2] + c[3] + c[4], 'finding')} (${parts.join(', ')}) in ${plural(report.files.length, 'file')}${scope}`;
}

/** `1 finding`, `2 findings`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
