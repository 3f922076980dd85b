/**
 * The core's workspace interface over the local file system, shared by the CLI and the
 * language server. This is the only place (with the hosts) that imports `fs`.
 *
 * Unless `allowOutside` is set, nothing outside the root is ever listed or read: a match or a
 * requested file whose real path (symbolic links resolved) lies outside the root is dropped
 * with a reason, so neither a glob nor a link planted in the corpus reaches `~/.ssh`.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import type { SourcemarkWorkspace, WorkspaceFile } from '../core/service';
import { isInside } from './pathSafety';

/** Files larger than this are not read into the corpus (a runaway export, a database dump). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** How many real paths are resolved at once when filtering matches. */
const REALPATH_BATCH = 64;

export interface NodeWorkspaceOptions {
  /** List and read files outside the root too (the user's own choice: a CLI flag, a user setting). */
  allowOutside?: boolean;
  /** Hears about a match that was dropped (path relative to the root, and why). */
  onSkip?: (path: string, reason: string) => void;
}

export class NodeWorkspace implements SourcemarkWorkspace {
  private realRoot: Promise<string> | undefined;

  constructor(
    readonly root: string,
    private readonly options: NodeWorkspaceOptions = {},
  ) {}

  async findFiles(globs: readonly string[]): Promise<WorkspaceFile[]> {
    if (!globs.length) return [];
    const paths = await fg([...globs], {
      cwd: this.root,
      onlyFiles: true,
      followSymbolicLinks: false,
      dot: false,
      unique: true,
      suppressErrors: true,
      ignore: ['**/node_modules/**', '**/.git/**', '**/*.meta.yaml'],
    });
    paths.sort();
    const files = paths.map((p) => this.file(p));
    if (this.options.allowOutside) return files;
    const kept: WorkspaceFile[] = [];
    for (let i = 0; i < files.length; i += REALPATH_BATCH) {
      const batch = files.slice(i, i + REALPATH_BATCH);
      // A path that cannot be resolved (a loop, no permission) is kept: reading it reports why.
      const reasons = await Promise.all(batch.map((f) => this.outsideReason(fileURLToPath(f.uri)).catch(() => undefined)));
      batch.forEach((f, k) => {
        const reason = reasons[k];
        if (reason === undefined) kept.push(f);
        else this.options.onSkip?.(f.path, reason);
      });
    }
    return kept;
  }

  /** A workspace file for a path relative to the root (or absolute). */
  file(p: string): WorkspaceFile {
    const abs = path.resolve(this.root, p);
    return { uri: pathToFileURL(abs).href, path: path.relative(this.root, abs).split(path.sep).join('/') };
  }

  async readFile(uri: string): Promise<Uint8Array | undefined> {
    const abs = fileURLToPath(uri);
    try {
      if (!this.options.allowOutside) {
        const reason = await this.outsideReason(abs);
        if (reason) throw new Error(reason);
      }
      // Size and kind first: a 10 GB dump is never read into memory, and a pipe never blocks.
      const info = await stat(abs);
      if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
      if (!info.isFile()) throw new Error('not a regular file (a pipe, socket or device)');
      if (info.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      const bytes = await readFile(abs);
      if (bytes.length > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      return bytes;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Why `abs` may not be used (its real path lies outside the root), or undefined. */
  private async outsideReason(abs: string): Promise<string | undefined> {
    this.realRoot ??= realpath(this.root).catch(() => path.resolve(this.root));
    const root = await this.realRoot;
    let real: string;
    try {
      real = await realpath(abs);
    } catch (err) {
      // A dangling link or a file gone since listing: there is nothing to read anyway.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    if (isInside(root, real)) return undefined;
    return real === path.resolve(abs) ? `lies outside ${root}` : `resolves to ${real}, outside ${root} (a symbolic link)`;
  }
}
