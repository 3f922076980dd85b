/**
 * `--format github`: one GitHub Actions workflow command per finding
 * (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), which the runner
 * turns into annotations on the pull request's diff. No SARIF upload needed.
 */
import { evidenceOf } from './evidence';
import { listedCount, type CheckReport } from './report';
import { ruleOf } from './rules';
import { plural, summaryText } from './summary';

const COMMAND = { 1: 'error', 2: 'warning', 3: 'notice', 4: 'notice' } as const;

/** Escapes a command's message, as `@actions/core` does (`%`, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property value: as data, plus `:` and `,` which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A workflow command line: `::name k=v,…::message`. */
export function workflowCommand(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function formatGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.files) {
    for (const d of r.diagnostics) {
      const e = evidenceOf(d, report.cwd);
      // The annotation shows the source sentence too: the reviewer sees why without leaving the diff.
      const message = e ? `${d.message}\n↳ ${e.path}:${e.range.start.line + 1}: ${e.message}` : d.message;
      lines.push(
        workflowCommand(
          COMMAND[d.severity],
          {
            file: r.file,
            line: d.range.start.line + 1,
            col: d.range.start.character + 1,
            endLine: d.range.end.line + 1,
            endColumn: d.range.end.character + 1,
            title: `Sourcemark: ${ruleOf(d.code).title} (${d.code})`,
          },
          message,
        ),
      );
    }
  }
  if (report.omitted) lines.push(workflowCommand('warning', { title: 'Sourcemark' }, `${plural(report.omitted, 'more finding')} not shown (--max-findings ${report.maxFindings ?? 0})`));
  // A plain line (no `::`), so it shows in the log without becoming an annotation.
  if (!report.quiet) lines.push(`sourcemark: ${summaryText(report)}; ${listedCount(report)} annotated`);
  return lines.length ? lines.join('\n') + '\n' : '';
}
