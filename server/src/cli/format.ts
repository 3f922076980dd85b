/** Output formats of `sourcemark check`. */
import type { Diagnostic } from '../core/check/diagnostics';

export interface FileReport {
  /** Path relative to the working directory, with `/` separators. */
  file: string;
  diagnostics: Diagnostic[];
}

const SEVERITY_NAME = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' } as const;

/** `--format json`: `[{"file","diagnostics":[…]}]`, files in path order. */
export function formatJson(reports: FileReport[]): string {
  return JSON.stringify(reports, null, 2) + '\n';
}

/** `--format text`: grouped by file like ESLint's stylish output, evidence under each finding. */
export function formatText(reports: FileReport[], color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const r of reports) {
    if (!r.diagnostics.length) continue;
    lines.push(paint('4', r.file));
    for (const d of r.diagnostics) {
      counts[d.severity]++;
      const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`.padEnd(8);
      const sev = SEVERITY_NAME[d.severity];
      const sevText = d.severity === 1 ? paint('31', sev.padEnd(7)) : d.severity === 2 ? paint('33', sev.padEnd(7)) : paint('36', sev.padEnd(7));
      lines.push(`  ${paint('2', where)} ${sevText} ${d.message}  ${paint('2', d.code)}`);
      for (const ri of d.relatedInformation ?? []) lines.push(`           ${paint('2', '↳ ' + ri.message)}`);
    }
    lines.push('');
  }
  const total = counts[1] + counts[2] + counts[3] + counts[4];
  const summary = `${total} finding${total === 1 ? '' : 's'} (${counts[1]} error${counts[1] === 1 ? '' : 's'}, ${counts[2]} warning${counts[2] === 1 ? '' : 's'}, ${counts[3] + counts[4]} info) in ${reports.length} file${reports.length === 1 ? '' : 's'}`;
  lines.push(counts[1] ? paint('31;1', `✖ ${summary}`) : paint('32', `✔ ${summary}`));
  return lines.join('\n') + '\n';
}
