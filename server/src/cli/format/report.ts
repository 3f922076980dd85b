/** The data every output format of `sourcemark check` renders. */
import type { Diagnostic } from '../../core/check/diagnostics';

/** One checked draft and the findings listed for it. */
export interface FileReport {
  /** Path relative to the working directory, with `/` separators. */
  file: string;
  diagnostics: Diagnostic[];
}

/** Counts per LSP severity (1 error … 4 hint). */
export type SeverityCounts = Record<1 | 2 | 3 | 4, number>;

/** Identifies the corpus a run was checked against, so a finding can be reproduced. */
export interface CorpusSnapshot {
  /** `sha256:` + hex, see `snapshot.ts`. */
  hash: string;
  articles: number;
  files: number;
}

export interface CheckReport {
  /** Working directory: output paths are relative to it. */
  cwd: string;
  /** Every checked draft, sorted by path; diagnostics as listed (filtered, possibly truncated), by position. */
  files: FileReport[];
  /** Findings in scope (after `--changed-since`), per severity: what the summary and the exit code count. */
  counts: SeverityCounts;
  /** Findings that would have been listed but were left out by `--max-findings`. */
  omitted: number;
  /** `--max-findings`, when given. */
  maxFindings?: number;
  /** `--changed-since` ref, when given. */
  changedSince?: string;
  /** `--quiet`: errors only, no summary line. */
  quiet: boolean;
  corpus: CorpusSnapshot;
}

/** Number of findings listed across files. */
export function listedCount(report: CheckReport): number {
  return report.files.reduce((n, f) => n + f.diagnostics.length, 0);
}
