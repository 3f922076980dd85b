/**
 * The core's workspace interface over the local file system, shared by the CLI and the
 * language server. This is the only place (with the hosts) that imports `fs`.
 *
 * Unless `allowOutside` is set, nothing outside the root is ever listed or read: a match or a
 * requested file whose real path (symbolic links resolved) lies outside the root is dropped
 * with a reason, so neither a glob nor a link planted in the corpus reaches `~/.ssh`.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { sidecarOf, type FindFilesOptions, type SourcemarkWorkspace, type WorkspaceFile } from '../core/service';
import { isInside } from './pathSafety';
import { FAST_GLOB_OPTIONS, walkGlobs } from './walkGlobs';

/** A sidecar's name (`x.meta.yaml`). */
const SIDECAR = /\.meta\.yaml$/i;

/** What a change signature is made of. */
export interface SizeTime {
  size: number;
  mtimeMs: number;
}

/**
 * A file's change signature: its size and modification time, and its sidecar's. The listing
 * makes it from `lstat`, a signed read from the `fstat` of what it read (the same numbers for a
 * regular file).
 */
export function fileSignature(file: SizeTime, sidecar?: SizeTime): string {
  return `${file.size}:${file.mtimeMs}` + (sidecar ? `|${sidecar.size}:${sidecar.mtimeMs}` : '');
}

/**
 * The signature of a listed file (and of its sidecar, when the listing found one) from
 * `statsOf`, which gives nothing for what cannot be signed (a symbolic link, a file gone).
 */
export function signatureOf(file: WorkspaceFile, statsOf: (uri: string) => SizeTime | undefined): string | undefined {
  const own = statsOf(file.uri);
  if (!own) return undefined;
  if (typeof file.sidecar !== 'string') return fileSignature(own);
  const sidecar = statsOf(file.sidecar);
  return sidecar ? fileSignature(own, sidecar) : undefined;
}

/** Files larger than this are not read into the corpus (a runaway export, a database dump). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** How many real paths are resolved at once when filtering matches. */
const REALPATH_BATCH = 64;
/** A relative path whose URI is the root's and the path as it is: segments of URL-safe characters, none `.` or `..`. */
const PLAIN_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
/** Listed files are stat-ed this many at a time, synchronously, between turns of the event loop. */
const STAT_SLICE = 250;

export interface NodeWorkspaceOptions {
  /** List and read files outside the root too (the user's own choice: a CLI flag, a user setting). */
  allowOutside?: boolean;
  /** Hears about a match that was dropped (path relative to the root, and why). */
  onSkip?: (path: string, reason: string) => void;
  /** Between slices of a long listing (default: one turn of the event loop); a server waits for its requests there. */
  pause?: () => Promise<void>;
}

export class NodeWorkspace implements SourcemarkWorkspace {
  private realRoot: Promise<string> | undefined;
  private rootHref: string | undefined;
  private realRootSync: string | undefined;
  private readonly realFolders = new Map<string, string>();

  constructor(
    readonly root: string,
    private readonly options: NodeWorkspaceOptions = {},
  ) {}

  /**
   * Corpus files matching the globs, sorted, each with a change signature (size and
   * modification time, its sidecar's too) and whether a `.meta.yaml` sidecar sits beside it.
   * One listing pass: only entries that are symbolic links need their real path resolved.
   */
  async findFiles(globs: readonly string[], _token?: unknown, options: FindFilesOptions = {}): Promise<WorkspaceFile[]> {
    if (!globs.length) return [];
    const patterns = [...new Set([...globs, ...globs.filter((g) => !g.startsWith('!')).map(sidecarGlob)])];
    // Our own walk where it takes the globs (see walkGlobs: about two thirds of fast-glob's time on an archive).
    const listed = (await walkGlobs(this.root, patterns)) ?? (await fg(patterns, { cwd: this.root, ...FAST_GLOB_OPTIONS }));
    // Without the per-file `stat` when the caller reads every file anyway (a cold start of a
    // large corpus): its reader gives each file's signature from what it read.
    const unsigned = options.onMatched?.(listed.reduce((n, p) => (SIDECAR.test(p) ? n : n + 1), 0)) === true;
    const entries: Listed[] = unsigned ? listed.map((p) => ({ path: p })) : await statInSlices(this.root, listed, this.options.pause ?? nextTurn);
    const sidecars = new Map<string, Listed>();
    const matches: Listed[] = [];
    for (const e of entries) {
      if (SIDECAR.test(e.path)) sidecars.set(e.path, e);
      else matches.push(e);
    }
    matches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const files: WorkspaceFile[] = [];
    /** Matches whose real path must be checked: symbolic links, and everything in a folder reached through one. */
    const suspects: { file: WorkspaceFile; abs: string }[] = [];
    const linkedFolders = this.options.allowOutside ? new Set<string>() : await this.foldersThroughLinks(matches.map((e) => path.posix.dirname(e.path)));
    for (const e of matches) {
      const file = this.file(e.path);
      const sidecarPath = sidecarOf(e.path);
      const sidecar = sidecarPath !== undefined ? sidecars.get(sidecarPath) : undefined;
      const link = e.stats?.isSymbolicLink() ?? false;
      // A symbolic link's own size and time say nothing of its target: no signature, always read.
      if (!link && e.stats && (!sidecar || sidecar.stats)) file.signature = fileSignature(e.stats, sidecar?.stats);
      file.sidecar = sidecar ? this.file(sidecar.path).uri : sidecarPath !== undefined ? null : undefined;
      if (sidecar?.stats?.isSymbolicLink()) file.sidecar = undefined; // checked when read
      files.push(file);
      if (link || linkedFolders.has(path.posix.dirname(e.path))) suspects.push({ file, abs: fileURLToPath(file.uri) });
    }
    if (this.options.allowOutside || !suspects.length) return files;
    const dropped = new Set<WorkspaceFile>();
    // A path that cannot be resolved (a loop, no permission) is kept: reading it reports why.
    const root = await this.rootRealPath();
    const reasons = await inBatches(suspects, async (l) => outsideReason(root, l.abs, await realPathOf(l.abs).catch(() => undefined)));
    suspects.forEach((l, k) => {
      const reason = reasons[k];
      if (reason === undefined) return;
      dropped.add(l.file);
      this.options.onSkip?.(l.file.path, reason);
    });
    return dropped.size ? files.filter((f) => !dropped.has(f)) : files;
  }

  /** Of these folders (relative, `/`-separated), those outside the root or whose real path is not where they appear to be (reached through a link). */
  private async foldersThroughLinks(folders: string[]): Promise<Set<string>> {
    const root = await this.rootRealPath();
    const unique = [...new Set(folders)];
    const reals = await inBatches(unique, (d) => realpath(path.resolve(this.root, d)).catch(() => undefined));
    const out = new Set<string>();
    unique.forEach((d, k) => {
      const real = reals[k];
      if (real === undefined || real !== path.resolve(root, d) || !isInside(root, real)) out.add(d);
    });
    return out;
  }

  /** The signature the listing gives (none for a symbolic link, whose own times say nothing of its target). */
  async signature(file: WorkspaceFile): Promise<string | undefined> {
    return signatureOf(file, (uri) => {
      try {
        const stats = lstatSync(fileURLToPath(uri));
        return stats.isSymbolicLink() ? undefined : stats;
      } catch {
        return undefined;
      }
    });
  }

  /** The root with its links resolved (asked once). */
  private rootRealPath(): Promise<string> {
    return (this.realRoot ??= realpath(this.root).catch(() => path.resolve(this.root)));
  }

  /** A workspace file for a path relative to the root (or absolute). */
  file(p: string): WorkspaceFile {
    // A plain relative path (what a listing gives): the root's URI and the path, without
    // resolving and percent-encoding it again (35,000 `pathToFileURL` calls took 0.1 s).
    if (PLAIN_PATH.test(p)) return { uri: `${(this.rootHref ??= pathToFileURL(this.root).href.replace(/\/$/, ''))}/${p}`, path: p };
    const abs = path.resolve(this.root, p);
    return { uri: pathToFileURL(abs).href, path: path.relative(this.root, abs).split(path.sep).join('/') };
  }

  async readFile(uri: string): Promise<Uint8Array | undefined> {
    const abs = fileURLToPath(uri);
    try {
      if (!this.options.allowOutside) {
        const reason = outsideReason(await this.rootRealPath(), abs, await realPathOf(abs));
        if (reason) throw new Error(reason);
      }
      // Size and kind first: a 10 GB dump is never read into memory, and a pipe never blocks.
      checkReadable(await stat(abs));
      return checkedBytes(await readFile(abs));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * `readFile`, blocking, with the same checks: for a worker thread, where blocking costs no
   * one else and saves the thread pool's round trips (a promise per system call). The file is
   * opened without following a link (where the platform can), so only its folder's real path
   * decides whether it lies inside the root, and a folder is resolved once: on this machine
   * `realpath` and `stat` per file were a third of a preparer thread's reading time. A file
   * that is itself a link is resolved and checked whole, as `readFile` does.
   */
  readFileSync(uri: string): Uint8Array | undefined {
    return this.readFileSyncWithStats(uri)?.bytes;
  }

  /**
   * `readFileSync`, with the size and modification time of what was read (`fstat` of the
   * opened file), for its signature; none for a file that is a symbolic link checked whole
   * (a link is never signed: its own times say nothing of its target). With `allowOutside`
   * links are followed unchecked, and a link's target signs it.
   */
  readFileSyncWithStats(uri: string, slab?: SharedSlab): { bytes: Uint8Array; stats?: SizeTime } | undefined {
    const abs = fileURLToPath(uri);
    try {
      if (this.options.allowOutside) return readOpened(openSync(abs, READ_FLAGS), slab);
      this.realRootSync ??= realPathSync(this.root) ?? path.resolve(this.root);
      const fd = NO_FOLLOW === undefined ? undefined : openUnlessLink(abs);
      if (fd !== undefined) {
        const reason = outsideReason(this.realRootSync, abs, this.realFolderSync(path.dirname(abs)) + path.sep + path.basename(abs));
        if (reason) {
          closeSync(fd);
          throw new Error(reason);
        }
        return readOpened(fd, slab);
      }
      const reason = outsideReason(this.realRootSync, abs, realPathSync(abs));
      if (reason) throw new Error(reason);
      return { bytes: readOpened(openSync(abs, READ_FLAGS), slab).bytes };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** A folder's real path, resolved once per folder (for `readFileSync`: a worker's workspace lives for one index run). */
  private realFolderSync(folder: string): string {
    let real = this.realFolders.get(folder);
    if (real === undefined) this.realFolders.set(folder, (real = realpathSync.native(folder)));
    return real;
  }
}

/** Never blocks on a pipe (the check after opening rejects it); a regular file reads as usual. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/** Fails the open when the file itself is a symbolic link (undefined where the platform has no such flag). */
const NO_FOLLOW: number | undefined = constants.O_NOFOLLOW;

/** The file opened, or undefined when it is a symbolic link (to be resolved and checked). */
function openUnlessLink(abs: string): number | undefined {
  try {
    return openSync(abs, READ_FLAGS | NO_FOLLOW!);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') return undefined;
    throw err;
  }
}

/** Reads an opened file whole and closes it, with `checkReadable`'s checks on what it is; with the size and time `fstat` gave. */
function readOpened(fd: number, slab?: SharedSlab): { bytes: Uint8Array; stats: SizeTime } {
  try {
    const info = fstatSync(fd);
    checkReadable(info);
    // The size is a hint (a file may grow or shrink while read): read to the end, up to the
    // limit. A read shorter than asked is the end of a regular file, so a file read in one go
    // takes one call. Into the preparer thread's `slab` when it gives one; else (or for a file
    // that grew) never from Buffer's shared pool: a preparer thread hands these bytes to the
    // host as they are (transferred), which would take the pool's other buffers with them.
    let bytes: Uint8Array = slab ? slab.room(info.size + 1) : Buffer.allocUnsafeSlow(info.size + 1);
    let filled = 0;
    for (;;) {
      if (filled === bytes.length) {
        if (bytes.length > MAX_FILE_BYTES) break;
        const grown = Buffer.allocUnsafeSlow(bytes.length * 2);
        grown.set(bytes);
        bytes = grown;
      }
      const asked = bytes.length - filled;
      const n = readSync(fd, bytes, filled, asked, null);
      filled += n;
      if (n < asked) break;
    }
    return { bytes: checkedBytes(slab ? slab.keep(bytes, filled) : bytes.subarray(0, filled)), stats: { size: info.size, mtimeMs: info.mtimeMs } };
  } finally {
    closeSync(fd);
  }
}

/**
 * How large a {@link SharedSlab}'s buffers are: 16 MB, so that malloc maps them apart and,
 * with `glibc.malloc.hugetlb` (launchEnv), in huge pages (first touching a page is dear on a
 * virtual machine). Profiled on the archive, a preparer thread's reads took 0.25–0.34 s in them
 * against 0.55–0.6 s in 1 MB buffers, and a cold index was ready about 0.3 s sooner.
 */
const SLAB_BYTES = 1 << 24;

/**
 * Room for files read one after another, in large shared buffers (`SharedArrayBuffer`): a
 * preparer thread reads into it, and the bytes reach the host by reference, neither copied nor
 * transferred. On this machine a fresh buffer per file and its transfer cost a preparer thread
 * about a tenth of its time on the archive. The thread never writes again where it has kept bytes.
 */
export class SharedSlab {
  private buffer: SharedArrayBuffer;
  private used = 0;

  constructor(private readonly slabBytes = SLAB_BYTES) {
    this.buffer = new SharedArrayBuffer(slabBytes);
  }

  /** Room for `size` bytes (a file larger than a quarter of a buffer gets one of its own). */
  room(size: number): Uint8Array {
    if (size > this.slabBytes / 4) return new Uint8Array(new SharedArrayBuffer(size));
    if (this.used + size > this.slabBytes) {
      this.buffer = new SharedArrayBuffer(this.slabBytes);
      this.used = 0;
    }
    return new Uint8Array(this.buffer, this.used, size);
  }

  /** The first `length` bytes of what `room` gave (or of what replaced it), kept: the next room starts after them, on an 8-byte boundary (see `checksumParts`). */
  keep(room: Uint8Array, length: number): Uint8Array {
    if (room.buffer === this.buffer) this.used = room.byteOffset + ((length + 7) & ~7);
    return room.subarray(0, length);
  }
}

/** The real path of `abs` (links resolved), or undefined when there is nothing there (a dangling link, a file gone since listing). */
async function realPathOf(abs: string): Promise<string | undefined> {
  try {
    return await realpath(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function realPathSync(abs: string): string | undefined {
  try {
    return realpathSync.native(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Why `abs` may not be used (its real path lies outside the root), or undefined. */
function outsideReason(root: string, abs: string, real: string | undefined): string | undefined {
  if (real === undefined || isInside(root, real)) return undefined;
  return real === path.resolve(abs) ? `lies outside ${root}` : `resolves to ${real}, outside ${root} (a symbolic link)`;
}

function checkReadable(info: Stats): void {
  if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
  if (!info.isFile()) throw new Error('not a regular file (a pipe, socket or device)');
  if (info.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
}

/** The bytes read, unless the file grew past the limit between the check and the read. */
function checkedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  return bytes;
}

/** `work` on every item, {@link REALPATH_BATCH} at a time; the results in order. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += REALPATH_BATCH) out.push(...(await Promise.all(items.slice(i, i + REALPATH_BATCH).map(work))));
  return out;
}

// The sidecar glob of a corpus glob: `corpus/**/*.{txt,md}` gives `corpus/**/*.meta.yaml`.
// No regex: globs are user input, and the obvious pattern is quadratic on them.
export function sidecarGlob(glob: string): string {
  const slash = glob.lastIndexOf('/');
  const brace = glob.lastIndexOf('.{');
  if (glob.endsWith('}') && brace > slash) return `${glob.slice(0, brace)}.meta.yaml`;
  const dot = glob.lastIndexOf('.');
  return dot > slash ? `${glob.slice(0, dot)}.meta.yaml` : `${glob}.meta.yaml`;
}

/**
 * Each listed path with its own (`lstat`) size and time, dropping those that cannot be
 * stat-ed (gone since the listing). Synchronous calls in slices, not one callback per file:
 * on an archive of 35,000 files, 35,000 `lstat` callbacks (and their Stats objects) held the
 * event loop for about a second, the same calls made synchronously take about 0.15 s, and a
 * slice of 250 leaves the server free to answer between slices.
 */
interface Listed {
  /** Relative to the root, with `/`. */
  path: string;
  /** Its `lstat` (absent when the listing skipped them). */
  stats?: Stats;
}

/** A turn of the event loop: what was queued meanwhile (I/O, requests) runs first. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function statInSlices(root: string, paths: string[], pause: () => Promise<void>): Promise<Listed[]> {
  const out: Listed[] = [];
  for (let i = 0; i < paths.length; i += STAT_SLICE) {
    if (i > 0) await pause();
    for (const p of paths.slice(i, i + STAT_SLICE)) {
      let stats: Stats | undefined;
      try {
        stats = lstatSync(path.resolve(root, p));
      } catch {
        continue;
      }
      out.push({ path: p, stats });
    }
  }
  return out;
}
