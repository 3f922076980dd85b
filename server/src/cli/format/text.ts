/**
 * `--format text`: findings grouped by file like ESLint's "stylish" output, the source
 * sentence under each finding that has one, and a summary line.
 */
import { evidenceOf } from './evidence';
import type { CheckReport } from './report';
import { plural, summaryText } from './summary';

const SEVERITY_LABEL = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' } as const;
const SEVERITY_COLOR = { 1: '31', 2: '33', 3: '36', 4: '2' } as const;

/** Renders the report; `color` adds ANSI colours (the caller decides: a TTY and no NO_COLOR). */
export function formatText(report: CheckReport, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[22;24;39m` : s);
  const lines: string[] = [];
  for (const r of report.files) {
    if (!r.diagnostics.length) continue;
    lines.push(paint('4', r.file));
    const where = r.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}`);
    const whereWidth = Math.max(...where.map((w) => w.length));
    const sevWidth = Math.max(...r.diagnostics.map((d) => SEVERITY_LABEL[d.severity].length));
    // The evidence line starts under the message: two spaces, position, gap, severity, gap.
    const indent = ' '.repeat(2 + whereWidth + 2 + sevWidth + 2);
    r.diagnostics.forEach((d, i) => {
      const sev = paint(SEVERITY_COLOR[d.severity], SEVERITY_LABEL[d.severity].padEnd(sevWidth));
      lines.push(`  ${paint('2', where[i]!.padEnd(whereWidth))}  ${sev}  ${d.message}  ${paint('2', d.code)}`);
      const e = evidenceOf(d, report.cwd);
      if (e) lines.push(`${indent}${paint('2', `↳ ${e.path}:${e.range.start.line + 1}:${e.range.start.character + 1} ${e.message}`)}`);
    });
    lines.push('');
  }
  if (report.omitted) lines.push(paint('33', `… ${plural(report.omitted, 'more finding')} not shown (--max-findings ${report.maxFindings ?? 0})`));
  if (!report.quiet) lines.push(summaryLine(report, paint));
  return lines.length ? lines.join('\n') + '\n' : '';
}

function summaryLine(report: CheckReport, paint: (code: string, s: string) => string): string {
  const text = summaryText(report);
  if (report.counts[1]) return paint('1;31', `✖ ${text}`);
  if (report.counts[2]) return paint('1;33', `⚠ ${text}`);
  return paint('32', `✔ ${text}`);
}
