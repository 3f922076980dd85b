/**
 * `sourcemark` command line: the same engine and the same diagnostics as the editor.
 * `run` is the whole program minus `process`, so tests call it directly or spawn `dist/cli.js`.
 */
import { parseArgs } from 'node:util';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import { createSourcemarkService } from '../core/service';
import { NodeWorkspace } from '../node/nodeWorkspace';
import { loadSettings, UsageError } from './config';
import { formatJson, formatText, type FileReport } from './format';
import type { SourcemarkSettings } from '../core/settings';

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

const USAGE = `Usage: sourcemark check [--corpus GLOB]... [--format text|json] [--config FILE] [--fail-on error|warning|information|none] [--require-citations] [FILES or GLOBS...]
       sourcemark index [--stats] [--corpus GLOB]... [--config FILE]`;

/** Runs the CLI; resolves to the exit code (0 clean, 1 errors found, 2 usage or config error). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE + '\n');
      return 0;
    }
    if (command === 'check') return await check(rest, io);
    if (command === 'index') return await index(rest, io);
    throw new UsageError(command ? `unknown command "${command}" (expected check or index)` : 'missing command (expected check or index)');
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`sourcemark: ${err.message}\n`);
      return 2;
    }
    io.stderr(`sourcemark: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 2;
  }
}

const COMMON = { corpus: { type: 'string', multiple: true }, config: { type: 'string' } } as const;

function parse<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(args: string[], extra: T) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options: { ...COMMON, ...extra } });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

async function prepare(values: { corpus?: string[] | undefined; config?: string | undefined; 'require-citations'?: boolean | undefined }, io: CliIo) {
  const overrides: Partial<SourcemarkSettings> = {};
  if (values.corpus?.length) overrides.corpus = values.corpus;
  if (values['require-citations']) overrides.requireCitations = true;
  const { settings } = await loadSettings(io.cwd, values.config, overrides);
  const workspace = new NodeWorkspace(io.cwd);
  const service = createSourcemarkService({ workspace, logger: { warn: (m) => io.stderr(`sourcemark: warning: ${m}\n`), info: () => undefined } });
  const corpusFiles = await workspace.findFiles(settings.corpus);
  if (!corpusFiles.length) throw new UsageError(`no corpus files match ${settings.corpus.map((g) => JSON.stringify(g)).join(', ')}`);
  await service.indexCorpus(settings);
  return { settings, workspace, service, corpusFiles };
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, 'fail-on': { type: 'string' }, 'require-citations': { type: 'boolean' } } as const);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}" (expected text or json)`);
  const failOn = FAIL_LEVELS[values['fail-on'] ?? 'error'];
  if (failOn === undefined) throw new UsageError(`unknown --fail-on level "${values['fail-on']}" (expected error, warning, information or none)`);
  const { settings, service, corpusFiles } = await prepare(values, io);
  const corpusPaths = new Set(corpusFiles.map((f) => f.path));
  const isCorpus = picomatch(settings.corpus);
  const drafts = await resolveDrafts(positionals.length ? positionals : settings.drafts, io.cwd, !positionals.length);
  const reports: FileReport[] = [];
  for (const file of drafts) {
    if (corpusPaths.has(file) || isCorpus(file)) continue;
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    reports.push({ file, diagnostics: service.checkDraft(text, settings).diagnostics });
  }
  io.stdout(format === 'json' ? formatJson(reports) : formatText(reports, io.isTTY));
  return reports.some((r) => r.diagnostics.some((d) => d.severity <= failOn)) ? 1 : 0;
}

/** Findings at or above this LSP severity fail the run (`none`: never). */
const FAIL_LEVELS: Record<string, number> = { error: 1, warning: 2, information: 3, info: 3, none: 0 };

/** Expands files, folders (their Markdown files) and globs into sorted relative paths. */
async function resolveDrafts(patterns: string[], cwd: string, lenient: boolean): Promise<string[]> {
  const out = new Set<string>();
  for (const p of patterns) {
    const abs = path.resolve(cwd, p);
    let info;
    try {
      info = await stat(abs);
    } catch {
      info = undefined;
    }
    if (info?.isFile()) out.add(rel(cwd, abs));
    else if (info?.isDirectory()) {
      for (const f of await fg('**/*.{md,markdown}', { cwd: abs, ignore: ['**/node_modules/**'], followSymbolicLinks: false })) out.add(rel(cwd, path.join(abs, f)));
    } else if (fg.isDynamicPattern(p)) {
      for (const f of await fg(p, { cwd, ignore: ['**/node_modules/**', '**/.git/**'], followSymbolicLinks: false })) out.add(rel(cwd, path.resolve(cwd, f)));
    } else if (!lenient) throw new UsageError(`no such file or folder: ${p}`);
  }
  return [...out].sort();
}

function rel(cwd: string, abs: string): string {
  return path.relative(cwd, abs).split(path.sep).join('/');
}

async function index(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { stats: { type: 'boolean' } } as const);
  const started = performance.now();
  const { service } = await prepare(values, io);
  const s = service.stats();
  const ms = performance.now() - started;
  io.stdout(`articles ${s.articles}\nsentences ${s.sentences}\nfigures ${s.figures}\nagreements ${s.agreements}\ntime ${ms.toFixed(0)} ms\n`);
  return 0;
}
