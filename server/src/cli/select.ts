/**
 * From the core's diagnostics to what `sourcemark check` reports and how it exits:
 * scope (`--changed-since`), then display (`--quiet`, `--max-findings`). The diagnostics
 * themselves are the core's, untouched.
 */
import type { Diagnostic } from '../core/check/diagnostics';
import { touchesChangedLines, type ChangedLines } from './changedLines';
import type { FileReport, SeverityCounts } from './format/report';

export interface SelectOptions {
  /** Changed lines per file (`--changed-since`); files absent from the map changed nowhere. */
  changed?: ReadonlyMap<string, ChangedLines>;
  /** List errors only. */
  quiet?: boolean;
  /** List at most this many findings in all. */
  maxFindings?: number;
  /** Highest LSP severity that fails the run; 0 never fails. */
  failOn: number;
}

export interface Selection {
  files: FileReport[];
  counts: SeverityCounts;
  omitted: number;
  /** Exit code: 1 when a finding in scope is at or above the fail level, else 0. */
  exitCode: 0 | 1;
}

/**
 * `checked` must be sorted by file, diagnostics by position (as the core returns them).
 * The exit code and the counts consider every finding in scope, including those `--quiet`
 * hides and `--max-findings` leaves out: hiding output never turns a failing run green.
 */
export function selectFindings(checked: readonly FileReport[], options: SelectOptions): Selection {
  const counts: SeverityCounts = { 1: 0, 2: 0, 3: 0, 4: 0 };
  let budget = options.maxFindings ?? Infinity;
  let omitted = 0;
  let failing = false;
  const files = checked.map((f) => {
    const changed = options.changed ? (options.changed.get(f.file) ?? new Set<number>()) : 'all';
    const inScope = f.diagnostics.filter((d) => touchesChangedLines(changed, d.range.start.line, d.range.end.line));
    const listed: Diagnostic[] = [];
    for (const d of inScope) {
      counts[d.severity]++;
      if (d.severity <= options.failOn) failing = true;
      if (options.quiet && d.severity !== 1) continue;
      if (budget > 0) {
        listed.push(d);
        budget--;
      } else omitted++;
    }
    return { file: f.file, diagnostics: listed };
  });
  return { files, counts, omitted, exitCode: failing ? 1 : 0 };
}
