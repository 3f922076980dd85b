/**
 * `--format json`: `[{"file", "diagnostics": [Diagnostic…]}]`, the core's LSP-shaped
 * diagnostics exactly as the editor receives them (zero-based ranges), files sorted by path
 * and diagnostics by position, so two runs over the same input give the same bytes.
 */
import type { CheckReport } from './report';

export function formatJson(report: CheckReport): string {
  return JSON.stringify(report.files.map((f) => ({ file: f.file, diagnostics: f.diagnostics })), null, 2) + '\n';
}
