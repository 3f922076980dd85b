/**
 * Helpers for the CLI tests: a built `dist/cli.js`, throw-away project folders holding a copy
 * of the seed corpus, and a way to run the CLI in them as a user would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/memoryWorkspace';

export const CLI = path.join(repoRoot, 'dist', 'cli.js');

/** Drafts with a known outcome against the seed corpus. */
export const DRAFTS = {
  /** contradicted-figure (error) on "5,4 tỷ USD", line 1, characters 37–47. */
  wrong: 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.\n',
  /** Nothing: the figure is right and cited. */
  correct: 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@002_bd768a52f42e921c].\n',
  /** unknown-source (error). */
  unknown: 'Theo [@no-such-article], Tokyo sẽ viện trợ.\n',
  /** citation-mismatch (warning). */
  mismatch: 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@000_7f8327f5e496136c].\n',
  /** unsupported-figure (information). */
  unsupported: 'Brazil xuất khẩu 3 triệu tấn cà phê.\n',
  /** Supported but uncited: missing-citation (warning) twice with --require-citations, else nothing. */
  uncited: 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD.\n',
} as const;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds `dist/cli.js` when it is missing or older than a source file (`npm test` builds first anyway). */
export function ensureBuilt(): void {
  const built = fs.existsSync(CLI) ? fs.statSync(CLI).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(repoRoot, 'server', 'src')), fs.statSync(path.join(repoRoot, 'package.json')).mtimeMs);
  if (built < sources) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

/** Temporary project folders; `cleanup` removes every one made so far. */
export class Projects {
  private readonly dirs: string[] = [];

  /** A new folder with `corpus/` copied from the seed corpus (unless `corpus: false`) and `files` written. */
  make(files: Record<string, string | Uint8Array> = {}, options: { corpus?: boolean } = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-cli-'));
    this.dirs.push(dir);
    if (options.corpus !== false) fs.cpSync(path.join(repoRoot, 'corpus'), path.join(dir, 'corpus'), { recursive: true });
    for (const [p, content] of Object.entries(files)) write(dir, p, content);
    return dir;
  }

  /** A new empty folder (outside every project), removed with them. */
  tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}

export function write(dir: string, p: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
  fs.writeFileSync(path.join(dir, p), content);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/cli.js ARGS` in `cwd` with pipes (no TTY), no colour variables, and git
 * unable to climb out of the temporary folder into an enclosing repository.
 */
export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): CliResult {
  const base = { ...process.env };
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete base[k];
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...base, GIT_CEILING_DIRECTORIES: path.dirname(cwd), ...env },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses `--format json` output. */
export function parseJsonReport(stdout: string): { file: string; diagnostics: { code: string; severity: number; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; relatedInformation?: { location: { uri: string } }[] }[] }[] {
  return JSON.parse(stdout);
}

/** Environment for git commits on a machine with no git identity configured. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Sourcemark Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Sourcemark Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: os.devNull,
};

/** Runs git in `cwd` for test setup (not the code under test). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, GIT_CEILING_DIRECTORIES: path.dirname(cwd) } });
}
