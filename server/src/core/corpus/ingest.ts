/**
 * Reading one corpus file for the index, in two pure steps a host may run anywhere (the
 * service inline, or a worker thread that hands the result back):
 * - `loadCorpusFile`: bytes through a reader → text, sidecar metadata and problems;
 * - `prepareFile`: text → parsed articles with their sentence spans, figure counts and the
 *   content hash (everything about a file that does not depend on the rest of the corpus).
 * The corpus then only numbers the sentences and indexes their words (`Corpus.setPrepared`).
 */
import { parse as parseYaml } from 'yaml';
import type { ArticleMeta, Problem } from '../types';
import type { CancellationToken } from '../cancellation';
import { checksum, contentHash, decodeText, isWellFormed, type Utf8Decoder } from './decode';
import { parseArticleFile } from './parseArticle';
import { splitSentences } from '../text/sentences';
import { figureKinds, parseQuantities } from '../quantity/parseQuantities';

/** A file the workspace can hand over. */
export interface WorkspaceFile {
  uri: string;
  /** Path relative to the workspace folder, for messages. */
  path: string;
  /**
   * A cheap change signature from the listing (size and modification time of the file and of
   * its `.meta.yaml`), when the host has one: a file whose signature matches the indexed (or
   * cached) one is not read again.
   */
  signature?: string;
  /** The `.meta.yaml` beside the file: its URI, `null` when the listing knows there is none, absent when unknown. */
  sidecar?: string | null;
}

/** The `.meta.yaml` beside a corpus file (a path or URI), or undefined for a file that has none. */
export function sidecarOf(file: string): string | undefined {
  const sidecar = file.replace(/\.(txt|md|markdown|jsonl)$/i, '.meta.yaml');
  return sidecar === file ? undefined : sidecar;
}

/** Reads a file's bytes: `undefined` when it does not exist; throws with a reason when unreadable. */
export type FileReader = (uri: string, token?: CancellationToken) => Promise<Uint8Array | undefined>;

/** A corpus file read: its text and sidecar metadata, or why it is not indexed. */
export type LoadedFile =
  | {
      text: string;
      sidecar: Partial<ArticleMeta> | undefined;
      problems: Problem[];
      /** The bytes read, when they are exactly the text's UTF-8 form (see `packTexts`). */
      utf8?: Uint8Array;
      /** The text is plain (`DecodeResult.plain`): for `PrepareOptions.plain`. */
      plain?: boolean;
      /** The file's change signature from what was read, when the reader gave one (see `PreparedFile.signature`). */
      signature?: string;
    }
  | { skip: Problem[] };

/** A text as UTF-8 bytes, with what the cache stores beside them. */
export interface Utf8Text {
  bytes: Uint8Array;
  /** Its length in UTF-16 units (as a string). */
  units: number;
  /** `checksum(bytes)`. */
  checksum: number;
}

/** An article of a file, parsed and split into sentences. */
export interface PreparedArticle {
  meta: ArticleMeta;
  /**
   * The NFC text the spans refer to; or its UTF-8 bytes (see `packTexts`): half the memory of
   * a JavaScript string of Vietnamese text, and what the cache stores.
   */
  text: string | Utf8Text;
  lineOffset: number;
  /** `[start, end, paragraph]` per sentence. */
  spans: Int32Array;
  /** Set when NFC changed lengths: maps offsets in `text` back to the file's (see ParsedArticle). */
  toOriginal?: (offset: number) => number;
  /** The figures in its sentences (what `Article.countFigures` counts); not set when they were left to count later (`PrepareOptions.figures`). */
  figureCount?: number;
  /** Per sentence, the dimensions of its figures (`figureKinds`): a check skips a sentence without the claim's kind unread. Set with `figureCount`. */
  figureKinds?: Uint8Array;
}

/** A corpus file ready to be numbered and indexed. */
export interface PreparedFile {
  hash: string;
  /** The load's problems and the parser's. */
  problems: Problem[];
  articles: PreparedArticle[];
  /** The file's text, kept only when some article maps offsets back to it (`toOriginal`). */
  lineSource?: string;
  /**
   * The file's change signature (size and modification time, its sidecar's too) from the
   * `fstat` of what was read: set by a reader for a file the listing gave without one.
   */
  signature?: string;
}

/** A file as a reader hands it to the corpus: loaded (to be prepared where it is indexed) or prepared. */
export type ReadyFile = LoadedFile | { prepared: PreparedFile };

/** `decodeUtf8`: a host's faster decoder for the file's bytes (see `Utf8Decoder`). */
export async function loadCorpusFile(file: WorkspaceFile, read: FileReader, token?: CancellationToken, decodeUtf8?: Utf8Decoder): Promise<LoadedFile> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await read(file.uri, token);
  } catch (err) {
    return { skip: [{ file: file.path, severity: 'error', message: `unreadable, skipped: ${errorMessage(err)}` }] };
  }
  if (bytes === undefined) return { skip: [] };
  const decoded = decodeText(bytes, decodeUtf8);
  if ('error' in decoded) return { skip: [{ file: file.path, severity: 'warning', message: decoded.error }] };
  const problems: Problem[] = decoded.warning ? [{ file: file.path, severity: 'warning', message: decoded.warning }] : [];
  const sidecar = await readSidecar(file, read, problems, token);
  return decoded.exactUtf8 ? { text: decoded.text, sidecar, problems, utf8: bytes, ...(decoded.plain ? { plain: true } : {}) } : { text: decoded.text, sidecar, problems };
}

/** How `prepareFile` prepares a file. */
export interface PrepareOptions {
  /**
   * Whether to parse the sentences' figures now, for their counts and kinds (default true).
   * A language server's cold index leaves them to count after it is ready (see
   * `Corpus.countFigures`): parsing them was about a quarter of the preparer threads' work.
   */
  figures?: boolean;
  /**
   * The text is known to hold no control character but tab, line feed, form feed and carriage
   * return, no DEL and no U+FFFD (`LoadedFile.plain`, from its bytes): the parser's binary
   * check, which could not refuse it, is skipped.
   */
  plain?: boolean;
}

/**
 * Parses a loaded file into articles with their sentence spans. Throws when the parser does
 * (the caller reports the file as unreadable as an article).
 */
export function prepareFile(path: string, text: string, sidecar: Partial<ArticleMeta> | undefined, problems: readonly Problem[], options: PrepareOptions = {}): PreparedFile {
  const parsed = parseArticleFile(path, text, sidecar, { plain: options.plain === true });
  let mapped = false;
  const articles = parsed.articles.map((p): PreparedArticle => {
    const spans: number[] = [];
    p.paragraphs.forEach((para, paragraph) => {
      for (const span of splitSentences(p.text, para.start, para.end)) spans.push(span.start, span.end, paragraph);
    });
    if (p.toOriginal) mapped = true;
    const made = { meta: p.meta, text: p.text, lineOffset: p.lineOffset, spans: Int32Array.from(spans), ...(p.toOriginal ? { toOriginal: p.toOriginal } : {}) };
    if (options.figures === false) return made;
    // Figures are counted here, where the text is at hand (in a worker thread for a bulk
    // run): the corpus statistics and the cache have them without a pass of their own.
    let figureCount = 0;
    const kinds = new Uint8Array(spans.length / 3);
    for (let i = 0; i < spans.length; i += 3) {
      const quantities = parseQuantities(p.text.slice(spans[i], spans[i + 1]));
      figureCount += quantities.length;
      kinds[i / 3] = figureKinds(quantities);
    }
    return { ...made, figureCount, figureKinds: kinds };
  });
  return { hash: contentHash(text), problems: [...problems, ...parsed.problems], articles, ...(mapped ? { lineSource: text } : {}) };
}

/**
 * The articles' texts as UTF-8 bytes (for a prepared file handed from a worker thread: the
 * bytes are transferred, not copied, and the host keeps them instead of strings until an
 * article is read). A text with lone surrogates (which UTF-8 cannot carry), or one mapped
 * back to a file that was not NFC, stays a string.
 *
 * `file`: the file's text and the bytes it was decoded from, when those bytes are exactly
 * its UTF-8 form (no byte-order mark, nothing replaced). An article whose text is that whole
 * text (a plain `.txt` article, already NFC) takes the bytes as they are instead of encoding
 * its text again (which cost a preparer thread about half a second on the archive).
 */
export function packTexts(prepared: PreparedFile, file?: { text: string; bytes: Uint8Array }): PreparedFile {
  const encoder = new TextEncoder();
  let reused = false;
  return {
    ...prepared,
    articles: prepared.articles.map((a) => {
      // A text mapped back to its file (not NFC there) stays a string with its map.
      if (typeof a.text !== 'string' || a.toOriginal) return a;
      if (file && !reused && a.text === file.text) {
        reused = true; // one article per buffer: a transferred buffer goes once
        return { ...a, text: { bytes: file.bytes, units: a.text.length, checksum: checksum(file.bytes) } };
      }
      if (!isWellFormed(a.text)) return a;
      const bytes = encoder.encode(a.text);
      return { ...a, text: { bytes, units: a.text.length, checksum: checksum(bytes) } };
    }),
  };
}

async function readSidecar(file: WorkspaceFile, read: FileReader, problems: Problem[], token?: CancellationToken): Promise<Partial<ArticleMeta> | undefined> {
  if (file.sidecar === null) return undefined;
  const uri = file.sidecar ?? sidecarOf(file.uri);
  if (uri === undefined) return undefined;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await read(uri, token);
  } catch {
    return undefined;
  }
  if (!bytes) return undefined;
  const decoded = decodeText(bytes);
  if ('error' in decoded) return undefined;
  try {
    const data: unknown = parseYaml(decoded.text, { maxAliasCount: 100, prettyErrors: false, logLevel: 'error' });
    if (!data || typeof data !== 'object') return undefined;
    const meta: Partial<ArticleMeta> = {};
    for (const key of ['id', 'title', 'outlet', 'date', 'url', 'lead'] as const) {
      const v = (data as Record<string, unknown>)[key];
      if (typeof v === 'string' || typeof v === 'number') meta[key] = String(v).slice(0, 500);
      else if (v instanceof Date) meta[key] = v.toISOString().slice(0, 10);
    }
    return meta;
  } catch (err) {
    problems.push({ file: file.path.replace(/\.[^.]+$/, '.meta.yaml'), severity: 'warning', message: `metadata ignored: ${errorMessage(err)}` });
    return undefined;
  }
}

function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    return code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder' : code;
  }
  return err instanceof Error ? err.message : String(err);
}
