/**
 * `--changed-since REF`: which lines of each draft changed since a git ref, so a pull request
 * is judged on the lines it touches and not on findings that were already there.
 */
import * as path from 'node:path';
import { GitError, runGit } from '../node/git';
import { UsageError } from './config';

/** Changed lines of one file: every line, or a set of 1-based line numbers. */
export type ChangedLines = 'all' | ReadonlySet<number>;

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * The 1-based line numbers on the new side of a `git diff --unified=0` output.
 * A hunk `+c,d` covers lines c … c+d-1; `+c` alone means one line; `+c,0` is a pure
 * deletion and adds no line (nothing written there can carry a finding).
 */
export function parseChangedLines(diff: string): Set<number> {
  const lines = new Set<number>();
  for (const line of diff.split('\n')) {
    const m = HUNK.exec(line);
    if (!m) continue;
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    for (let i = 0; i < count; i++) lines.add(start + i);
  }
  return lines;
}

/** Does a finding spanning `startLine`…`endLine` (0-based, as in LSP) touch a changed line? */
export function touchesChangedLines(changed: ChangedLines, startLine: number, endLine: number): boolean {
  if (changed === 'all') return true;
  for (let l = startLine; l <= endLine; l++) if (changed.has(l + 1)) return true;
  return false;
}

/** Runs git and turns its failures into one-line usage errors naming the option. */
async function git(cwd: string, args: string[], what: string): Promise<string> {
  try {
    return await runGit(cwd, args);
  } catch (err) {
    if (err instanceof GitError) {
      if (err.kind === 'missing') throw new UsageError(`--changed-since needs git: ${err.message}`);
      throw new UsageError(`--changed-since: ${what}${err.stderr ? ` (${err.stderr.split('\n')[0]})` : ''}`);
    }
    throw err;
  }
}

/** Checks that `cwd` is in a git work tree and `ref` names a commit; one-line usage errors otherwise. */
export async function validateRef(cwd: string, ref: string): Promise<void> {
  // A ref starting with "-" would be read by git as an option.
  if (!ref || ref.startsWith('-')) throw new UsageError(`--changed-since: invalid git ref "${ref}"`);
  const inside = (await git(cwd, ['rev-parse', '--is-inside-work-tree'], 'not inside a git repository')).trim();
  if (inside !== 'true') throw new UsageError('--changed-since: not inside a git work tree');
  await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], `unknown git ref "${ref}"`);
}

/**
 * Changed lines of each file (paths relative to `cwd`) since `ref`, working tree included.
 * Files git does not track count as all-changed: they are new in this change.
 * Call `validateRef` first for a clear error when `ref` or the repository is wrong.
 */
export async function changedLinesSince(cwd: string, ref: string, files: readonly string[]): Promise<Map<string, ChangedLines>> {
  const out = new Map<string, ChangedLines>();
  if (!files.length) return out;
  // `ls-files` prints tracked paths relative to cwd; -z keeps odd names intact.
  const tracked = new Set((await git(cwd, ['ls-files', '-z', '--', ...files.map(literalPathspec)], 'cannot list tracked files')).split('\0').filter(Boolean).map(toSlash));
  await forEachLimit(files, 4, async (file) => {
    if (!tracked.has(file)) {
      out.set(file, 'all');
      return;
    }
    const diff = await git(cwd, ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-textconv', ref, '--', literalPathspec(file)], `cannot diff ${file} against "${ref}"`);
    out.set(file, parseChangedLines(diff));
  });
  return out;
}

/** A pathspec that matches exactly this path, even if it contains glob characters. */
function literalPathspec(file: string): string {
  return `:(literal)${file}`;
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

/** Runs `fn` over `items` with at most `limit` at a time: git processes are cheap but not free. */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
