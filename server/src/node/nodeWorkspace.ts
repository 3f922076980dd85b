/**
 * The core's workspace interface over the local file system, shared by the CLI and the
 * language server. This is the only place (with the hosts) that imports `fs`.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import type { SourcemarkWorkspace, WorkspaceFile } from '../core/service';

/** Files larger than this are not read into the corpus (a runaway export, a database dump). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export class NodeWorkspace implements SourcemarkWorkspace {
  constructor(readonly root: string) {}

  async findFiles(globs: readonly string[]): Promise<WorkspaceFile[]> {
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
    return paths.map((p) => this.file(p));
  }

  /** A workspace file for a path relative to the root (or absolute). */
  file(p: string): WorkspaceFile {
    const abs = path.resolve(this.root, p);
    return { uri: pathToFileURL(abs).href, path: path.relative(this.root, abs).split(path.sep).join('/') };
  }

  async readFile(uri: string): Promise<Uint8Array | undefined> {
    const abs = fileURLToPath(uri);
    try {
      const bytes = await readFile(abs);
      if (bytes.length > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      return bytes;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}
