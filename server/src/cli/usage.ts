/** What `sourcemark --help` and `--version` print, and the tool's identity for reports. */
import { HOMEPAGE, VERSION } from '../version';

export { VERSION };

/** Where SARIF viewers link for the tool and its rules: the package's `homepage`, when declared. */
export const INFORMATION_URI: string | undefined = HOMEPAGE;

export const USAGE = `Usage: sourcemark <command> [options]

Commands:
  check [options] [FILES or GLOBS...]   check the figures in Markdown drafts against the corpus
                                        (default: the "drafts" setting, corpus files left out)
  index [--stats] [--format text|json]  build the index and print its size and the time taken
  bib [--format csl-json]               print the corpus as a CSL-JSON bibliography (for Pandoc)

Options of check:
  --format text|json|sarif|github       output format (default text)
  --fail-on error|warning|information|none
                                        exit 1 when a finding is at or above this level (default error)
  --require-citations                   report supported figures that carry no citation
  --changed-since REF                   report only findings on lines changed since a git ref
  --max-findings N                      list at most N findings (the exit code still counts all)
  --quiet                               list errors only, no summary line

Options of every command:
  --corpus GLOB                         corpus files (repeatable; default from sourcemark.json)
  --config FILE                         settings file (default ./sourcemark.json if present)
  --allow-outside-corpus                let the settings file's corpus globs reach outside the
                                        working directory (refused otherwise)
  -h, --help                            print this help
  -v, --version                         print the version

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error.
Reference: docs/cli.md
`;
