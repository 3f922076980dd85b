/** Which drafts `sourcemark check` reads, and reading them. */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import fg from 'fast-glob';
import { decodeText } from '../core/corpus/decode';
import { UsageError } from './config';

const IGNORE = ['**/node_modules/**', '**/.git/**'];

/**
 * Expands files, folders (their Markdown files) and globs into sorted paths relative to `cwd`
 * with `/` separators. With `explicit` (patterns typed by the user) a pattern that matches
 * nothing is a UsageError, as a typo should not pass a CI gate silently; the `drafts` setting
 * may match nothing.
 */
export async function resolveDrafts(patterns: readonly string[], cwd: string, explicit: boolean): Promise<string[]> {
  const out = new Set<string>();
  for (const p of patterns) {
    const abs = path.resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    let found: string[];
    if (info?.isFile()) found = [abs];
    else if (info?.isDirectory()) found = (await fg('**/*.{md,markdown}', { cwd: abs, ignore: IGNORE, followSymbolicLinks: false })).map((f) => path.join(abs, f));
    else if (fg.isDynamicPattern(p)) found = (await fg(p, { cwd, ignore: IGNORE, followSymbolicLinks: false, onlyFiles: true })).map((f) => path.resolve(cwd, f));
    else found = [];
    if (!found.length && explicit && !info?.isDirectory()) throw new UsageError(info || fg.isDynamicPattern(p) ? `no drafts match "${p}"` : `no such file or folder: ${p}`);
    for (const f of found) out.add(relativePath(cwd, f));
  }
  return [...out].sort(comparePaths);
}

/** Code-unit order, not locale order: the same on every machine, so outputs diff cleanly. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `abs` relative to `cwd`, with `/` separators on every platform. */
export function relativePath(cwd: string, abs: string): string {
  return path.relative(cwd, abs).split(path.sep).join('/');
}

/**
 * The text of a draft; a UsageError naming the file when it cannot be read or is not text.
 * `warn` hears about recoverable damage (invalid UTF-8 replaced with U+FFFD).
 */
export async function readDraft(cwd: string, file: string, warn: (message: string) => void): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.resolve(cwd, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : code ?? String(err)}`);
  }
  // The same decoding as the corpus, so a draft and a source with the same bytes read alike.
  const decoded = decodeText(bytes);
  if ('error' in decoded) throw new UsageError(`cannot read ${file}: ${decoded.error.replace(/, skipped$/, '')}`);
  if (decoded.warning) warn(`${file}: ${decoded.warning}`);
  return decoded.text;
}
