/** `sourcemark check`: the drafts' findings, in the chosen format, as an exit code for CI. */
import picomatch from 'picomatch';
import { CORPUS_OPTIONS, parseChoice, parseFailOn, parseMaxFindings, parseOptions } from '../args';
import { changedLinesSince, validateRef, type ChangedLines } from '../changedLines';
import { readDraft, resolveDrafts } from '../drafts';
import { formatGithub } from '../format/github';
import { formatJson } from '../format/json';
import type { CheckReport, FileReport } from '../format/report';
import { formatSarif } from '../format/sarif';
import { plural } from '../format/summary';
import { formatText } from '../format/text';
import { selectFindings } from '../select';
import { keepRetrievals, openSession, type CliIo } from '../session';
import { corpusSnapshot } from '../snapshot';
import { USAGE } from '../usage';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

const OPTIONS = {
  ...CORPUS_OPTIONS,
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  'require-citations': { type: 'boolean' },
  'changed-since': { type: 'string' },
  'max-findings': { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

/** Runs `sourcemark check ARGS`; resolves to the exit code (0 clean, 1 findings at the fail level). */
export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  // Every option is validated before the (slow) indexing, so a typo fails fast.
  const format = parseChoice('format', values.format ?? 'text', FORMATS);
  const failOn = parseFailOn(values['fail-on']);
  const maxFindings = parseMaxFindings(values['max-findings']);
  const ref = values['changed-since'];
  if (ref !== undefined) await validateRef(io.cwd, ref);
  const quiet = Boolean(values.quiet);

  const session = await openSession({ corpus: values.corpus, config: values.config, allowOutsideCorpus: values['allow-outside-corpus'], noCache: values['no-cache'], requireCitations: values['require-citations'], quiet }, io);
  const { settings, service, corpusPaths, progress } = session;
  const isCorpus = picomatch(settings.corpus);
  const drafts = (await resolveDrafts(positionals.length ? positionals : settings.drafts, io.cwd, positionals.length > 0)).filter((f) => !corpusPaths.has(f) && !isCorpus(f));
  const changed = ref !== undefined ? await changedLinesSince(io.cwd, ref, drafts) : undefined;

  const warn = (m: string): void => {
    progress.clear();
    io.stderr(`sourcemark: warning: ${m}\n`);
  };
  const checked: FileReport[] = [];
  for (const [i, file] of drafts.entries()) {
    progress.update('checking', i + 1, drafts.length);
    // A draft the change does not touch cannot have findings in scope: skip the work.
    if (changed && isUntouched(changed.get(file))) {
      checked.push({ file, diagnostics: [] });
      continue;
    }
    const text = await readDraft(io.cwd, file, warn);
    checked.push({ file, diagnostics: service.checkDraft(text, settings).diagnostics });
  }
  progress.clear();
  await keepRetrievals(session, io, quiet);

  const selection = selectFindings(checked, { failOn, quiet, ...(changed ? { changed } : {}), ...(maxFindings !== undefined ? { maxFindings } : {}) });
  const report: CheckReport = {
    cwd: io.cwd,
    files: selection.files,
    counts: selection.counts,
    omitted: selection.omitted,
    quiet,
    corpus: corpusSnapshot(service.corpus),
    ...(maxFindings !== undefined ? { maxFindings } : {}),
    ...(ref !== undefined ? { changedSince: ref } : {}),
  };
  io.stdout(render(format, report, io.isTTY));
  // JSON and SARIF must stay parseable, so the note about left-out findings goes to stderr.
  if (report.omitted && (format === 'json' || format === 'sarif')) io.stderr(`sourcemark: ${plural(report.omitted, 'more finding')} not listed (--max-findings ${maxFindings})\n`);
  return selection.exitCode;
}

function isUntouched(lines: ChangedLines | undefined): boolean {
  return lines === undefined || (lines !== 'all' && lines.size === 0);
}

function render(format: (typeof FORMATS)[number], report: CheckReport, color: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'github':
      return formatGithub(report);
    case 'text':
      return formatText(report, color);
  }
}
