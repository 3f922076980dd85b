/**
 * Runs `git` for the hosts. Always through `execFile` with an argument list, never a shell,
 * so a ref or a file name can never be read as a command.
 */
import { execFile } from 'node:child_process';

/** Why a git command failed, in words a user can act on. */
export class GitError extends Error {
  constructor(
    message: string,
    /** `missing`: no git executable; `failed`: git ran and exited non-zero. */
    readonly kind: 'missing' | 'failed',
    /** git's own stderr, trimmed (empty when git did not run). */
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** Large diffs of long drafts must not be cut off by execFile's default 1 MB buffer. */
const MAX_BUFFER = 256 * 1024 * 1024;

/**
 * Runs `git ARGS` in `cwd` and resolves to its stdout. Colour, pagers, external diff
 * drivers and path quoting are switched off so the output is plain and parseable whatever
 * the user's git config says.
 */
export function runGit(cwd: string, args: readonly string[]): Promise<string> {
  const fullArgs = ['-c', 'core.quotePath=false', '-c', 'color.ui=false', '--no-pager', ...args];
  return new Promise((resolve, reject) => {
    execFile('git', fullArgs, { cwd, maxBuffer: MAX_BUFFER, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new GitError('git is not installed or not on PATH', 'missing', ''));
      const firstLine = String(stderr).trim().split('\n')[0] ?? '';
      reject(new GitError(firstLine || err.message, 'failed', String(stderr).trim()));
    });
  });
}
