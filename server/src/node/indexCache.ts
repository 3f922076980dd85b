/**
 * The on-disk index cache, for the CLI (`.sourcemark/cache/index.bin`) and the server (the
 * editor's storage folder). The core encodes and decodes snapshots; this module keeps the
 * file: opened once and read on demand (article texts and postings are read when first
 * used), written atomically (a temporary file renamed over the old one, so a reader that
 * still holds the old file keeps reading the old, consistent bytes).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { SnapshotParts, SnapshotSource, SourcemarkService } from '../core/service';

/** A temporary cache file untouched this long was left by a write that never finished (a writer touches its file every few MB). */
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes what killed writes left beside `file` (`<file>.<pid>.<time>.tmp`, hundreds of MB
 * each for an archive) once they are stale; a write in progress keeps its file fresh.
 */
async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  const names = await readdir(dir).catch((): string[] => []);
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d+\.\d+\.tmp$/.test(name.slice(prefix.length))) continue;
    const at = path.join(dir, name);
    const info = await stat(at).catch(() => undefined);
    if (info?.isFile() && now - info.mtimeMs > STALE_TEMP_MS) await rm(at, { force: true }).catch(() => undefined);
  }
}

/** Small chunks are gathered into writes of this size. */
const WRITE_BATCH = 4 * 1024 * 1024;

/** Writes a stream of chunks, a few megabytes per write; checks the size it was promised. */
async function writeParts(file: string, parts: SnapshotParts): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let batch: Uint8Array[] = [];
    let batched = 0;
    let written = 0;
    const flush = async (): Promise<void> => {
      if (!batched) return;
      await handle.writev(batch);
      written += batched;
      batch = [];
      batched = 0;
    };
    for (const chunk of parts.chunks()) {
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= WRITE_BATCH || batch.length >= 512) await flush();
    }
    await flush();
    if (written !== parts.size) throw new Error(`index cache: wrote ${written} of ${parts.size} bytes`);
  } finally {
    await handle.close();
  }
}

/** An open cache file. */
export interface CacheFile extends SnapshotSource {
  close(): void;
}

/** Opens a cache file for reading; undefined when there is none (or it cannot be opened). */
export function openCacheFile(file: string): CacheFile | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  let size: number;
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    closeSync(fd);
    return undefined;
  }
  let open = true;
  const readInto = (offset: number, target: Uint8Array): void => {
    if (!open) throw new Error('index cache: the file was closed');
    let done = 0;
    while (done < target.length) {
      const n = readSync(fd, target, done, target.length - done, offset + done);
      if (n === 0) throw new Error('index cache: the file is shorter than it says');
      done += n;
    }
  };
  return {
    size,
    freshReads: true,
    read(offset, length) {
      const out = new Uint8Array(length);
      readInto(offset, out);
      return out;
    },
    readInto,
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** What loading a cache into a service did. */
export type CacheLoad = { state: 'none' } | { state: 'used'; cache: CacheFile; files: number } | { state: 'rebuilt'; reason: string };

/**
 * Loads the cache file into `service`: `none` when there is no file, `used` (the file stays
 * open: article texts are read from it when first used), or `rebuilt` with the reason it was
 * refused (the file is closed; the caller indexes from the corpus and writes a new one).
 */
export function loadIndexCache(service: SourcemarkService, file: string): CacheLoad {
  const cache = openCacheFile(file);
  if (!cache) return { state: 'none' };
  const loaded = service.loadSnapshot(cache);
  if (loaded.ok) return { state: 'used', cache, files: loaded.files };
  cache.close();
  return { state: 'rebuilt', reason: loaded.reason };
}

/**
 * Writes a cache file atomically. With `gitignore`, also drops a `.gitignore` of `*` in the
 * folder above the file's (`.sourcemark/`), so the cache is never committed by accident.
 */
export async function writeCacheFile(file: string, data: Uint8Array | SnapshotParts, options: { gitignore?: boolean } = {}): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await removeStaleTemps(file);
    if (options.gitignore) {
      await writeFile(path.join(path.dirname(path.dirname(file)), '.gitignore'), '# Sourcemark index cache: safe to delete, never commit.\n*\n', { flag: 'wx' }).catch(() => undefined);
    }
    if (data instanceof Uint8Array) await writeFile(tmp, data);
    else await writeParts(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** The largest retrieval memo read (the CLI's 65,536 queries of 100 documents each would be about 40 MB). */
const MAX_MEMO_BYTES = 64 * 1024 * 1024;

/** The retrieval memo kept beside a cache file (`index.bin` → `index.retrievals`). */
export function retrievalFileOf(cacheFile: string): string {
  return cacheFile.replace(/(\.bin)?$/, '.retrievals');
}

/** Reads the retrieval memo kept beside `cacheFile` into a service that just loaded that cache: the entries taken in, or why not. */
export function loadRetrievalMemo(service: SourcemarkService, cacheFile: string): { state: 'none' } | { state: 'used'; entries: number } | { state: 'refused'; reason: string } {
  let bytes: Uint8Array;
  try {
    const file = retrievalFileOf(cacheFile);
    // A server's memo holds a few thousand queries, the CLI's up to 65,536 (about 40 MB): anything larger is not one of ours.
    if (statSync(file).size > MAX_MEMO_BYTES) return { state: 'refused', reason: 'too large' };
    bytes = readFileSync(file);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'none' } : { state: 'refused', reason: err instanceof Error ? err.message : String(err) };
  }
  const loaded = service.loadRetrievalMemo(bytes);
  return loaded.ok ? { state: 'used', entries: loaded.entries } : { state: 'refused', reason: loaded.reason };
}

/** Writes the service's retrieval memo beside `cacheFile` when it has one to keep (see `SourcemarkService.retrievalMemo`); whether it wrote. */
export async function writeRetrievalMemo(service: SourcemarkService, cacheFile: string): Promise<boolean> {
  const bytes = service.retrievalMemo();
  if (!bytes) return false;
  await writeCacheFile(retrievalFileOf(cacheFile), bytes);
  return true;
}
