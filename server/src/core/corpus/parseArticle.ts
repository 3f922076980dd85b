/**
 * Turns one corpus file (its relative path and contents, already read by the caller) into
 * articles: `.txt` news scrapes, `.md`/`.markdown` with optional YAML front matter, and
 * `.jsonl` with one article record per line.
 *
 * Never throws on bad input: every reason a file or a record is skipped or only partly used
 * is returned as a {@link Problem}, and the rest of the file still counts.
 */

import { parse as parseYaml } from 'yaml';
import type { ArticleMeta, Problem, Span } from '../types';
import { toNfc } from '../text/normalize';
import { cleanArticle, parseDateText } from './cleanArticle';

/** An article ready for indexing: metadata plus the spans of its prose. */
export interface ParsedArticle {
  /** id, title, outlet, date, url, lead. */
  meta: ArticleMeta;
  /** The NFC text all spans refer to (the whole file for .txt/.md; the body for .jsonl). */
  text: string;
  /** 0 for .txt/.md; for .jsonl the zero-based line of the record, so positions map back to the file. */
  lineOffset: number;
  /** Body paragraphs kept as article prose, in order, spans into `text`. */
  paragraphs: Span[];
  /**
   * What cleaning removed and why: 'breadcrumb' | 'related' | 'caption' | 'byline' | 'share' |
   * 'footer' | 'teaser' | 'title' | 'front-matter' | 'outlet-prefix' | 'duplicate'.
   */
  removed: { span: Span; reason: string }[];
  /**
   * Set when NFC changed the length (decomposed input): maps offsets in `text` back to the
   * original text (the file for .txt/.md, the record's body string for .jsonl).
   */
  toOriginal?: (offset: number) => number;
}

/** What {@link parseArticleFile} returns. */
export interface ParseResult {
  articles: ParsedArticle[];
  problems: Problem[];
}

/** Longest metadata value kept; longer ones are truncated (a title is never 10 KB). */
const MAX_META = 500;
/**
 * Safe YAML options: bounded alias expansion (no "billion laughs"), duplicate keys tolerated,
 * and no `process.emitWarning` for unknown tags (`!!js/function`): errors still throw.
 */
const YAML_OPTIONS = { maxAliasCount: 100, uniqueKeys: false, logLevel: 'error' } as const;
/**
 * A line longer than this is no article prose (minified data, a dump, a one-line export):
 * a `.txt`/`.md` file holding one is skipped, a `.jsonl` record that long is skipped. Keeps
 * indexing time bounded whatever the shape of the text.
 */
export const MAX_LINE_CHARS = 1_000_000;
const META_FIELDS = ['id', 'title', 'outlet', 'date', 'url', 'lead'] as const;
type MetaField = (typeof META_FIELDS)[number];
type MetaFields = Partial<Record<MetaField, string>>;

/**
 * Parses a corpus file into articles.
 *
 * Metadata precedence, per field: the file's own (front matter or JSONL record) wins over the
 * `sidecar` (what the caller read from `<name>.meta.yaml`), which wins over what cleaning
 * guesses from the text. The id falls back to the file name without extension (for a JSONL
 * record without id: `<stem>#<line number>`), and is sanitised to a Pandoc citation key.
 */
export function parseArticleFile(relativePath: string, content: string, sidecar?: Partial<ArticleMeta>, known: { plain?: boolean } = {}): ParseResult {
  const problems: Problem[] = [];
  const warn = (message: string, severity: Problem['severity'] = 'warning'): void => {
    problems.push({ file: relativePath, message, severity });
  };
  // A plain text (see `PrepareOptions.plain`) has nothing the check counts.
  if (!known.plain && looksBinary(content)) {
    warn('binary file: skipped (NUL bytes or mostly non-text content)');
    return { articles: [], problems };
  }
  if (content.trim() === '') {
    warn('empty file: no article');
    return { articles: [], problems };
  }
  const side = sanitizeMeta(sidecar ?? {}, (m) => warn(`sidecar metadata: ${m}`));
  const ext = extension(relativePath);
  const jsonl = ext === 'jsonl' || ext === 'ndjson';
  if (!jsonl && content.length > MAX_LINE_CHARS) {
    const long = firstLongLine(content);
    if (long) {
      warn(`line ${long.line + 1} is ${long.length.toLocaleString('en-US')} characters long (more than ${MAX_LINE_CHARS.toLocaleString('en-US')}): not article text, skipped`);
      return { articles: [], problems };
    }
  }
  let articles: ParsedArticle[];
  if (jsonl) articles = parseJsonl(relativePath, content, side, warn);
  else if (ext === 'md' || ext === 'markdown') articles = compact([parseText(relativePath, content, side, warn, true)]);
  else if (ext === 'txt' || ext === 'text' || ext === '') articles = compact([parseText(relativePath, content, side, warn, false)]);
  else {
    warn(`unsupported file type ".${ext}": skipped`);
    articles = [];
  }
  return { articles, problems };
}

type Warn = (message: string, severity?: Problem['severity']) => void;

function compact<T>(items: (T | undefined)[]): T[] {
  return items.filter((x): x is T => x !== undefined);
}

/** A `.txt` or `.md` file: one article over the whole NFC text. */
function parseText(path: string, content: string, side: MetaFields, warn: Warn, markdown: boolean): ParsedArticle | undefined {
  const nfc = toNfc(content);
  const text = nfc.text;
  let bodyStart = 0;
  let own: MetaFields = {};
  const removed: ParsedArticle['removed'] = [];
  if (markdown) {
    const fm = frontMatter(text);
    if (fm) {
      bodyStart = fm.end;
      removed.push({ span: { start: fm.start, end: fm.end }, reason: 'front-matter' });
      own = readFrontMatter(fm.yaml, (m) => warn(`front matter: ${m}`));
    } else if (/^\uFEFF?---[ \t]*\r?\n/.test(text)) {
      warn('front matter: no closing "---" line; the whole file is read as the body');
    }
  }
  const cleaned = keepLoneTitle(cleanArticle(text, bodyStart, text.length, { markdown }));
  if (cleaned.paragraphs.length === 0) {
    warn('no article prose left after cleaning: skipped');
    return undefined;
  }
  const guessed: MetaFields = pick({ title: cleaned.title, outlet: cleaned.outlet, date: cleaned.date, lead: cleaned.lead });
  const meta = mergeMeta(own, side, guessed, stem(path));
  const article: ParsedArticle = {
    meta,
    text,
    lineOffset: 0,
    paragraphs: cleaned.paragraphs,
    removed: [...removed, ...cleaned.removed].sort((a, b) => a.span.start - b.span.start),
  };
  if (text.length !== content.length) article.toOriginal = nfc.toOriginal;
  return article;
}

/** One article per JSON line; a bad line is reported and skipped. */
function parseJsonl(path: string, content: string, side: MetaFields, warn: Warn): ParsedArticle[] {
  const articles: ParsedArticle[] = [];
  const lines = content.split(/\r\n|\n|\r/);
  for (let line = 0; line < lines.length; line++) {
    const lineWarn = (m: string): void => warn(`line ${line + 1}: ${m}`);
    if (lines[line]!.length > MAX_LINE_CHARS) {
      lineWarn(`record is ${lines[line]!.length.toLocaleString('en-US')} characters long (more than ${MAX_LINE_CHARS.toLocaleString('en-US')}): skipped`);
      continue;
    }
    const raw = lines[line]!.trim();
    if (raw === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      lineWarn(`invalid JSON (${errorMessage(error)})`);
      continue;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      lineWarn('not a JSON object');
      continue;
    }
    const fields = record as Record<string, unknown>;
    if (typeof fields['body'] !== 'string' || fields['body'].trim() === '') {
      lineWarn('missing or empty "body" string');
      continue;
    }
    const article = recordArticle(fields, fields['body'], side, `${stem(path)}#${line + 1}`, lineWarn);
    if (article) {
      article.lineOffset = line;
      articles.push(article);
    }
  }
  if (articles.length === 0 && !lines.some((l) => l.trim() !== '')) warn('empty file: no article');
  return articles;
}

/** A one-line article is all title: keep that line as its prose rather than lose it. */
function keepLoneTitle(cleaned: ReturnType<typeof cleanArticle>): ReturnType<typeof cleanArticle> {
  if (cleaned.paragraphs.length || !cleaned.titleSpan) return cleaned;
  const span = cleaned.titleSpan;
  return { ...cleaned, paragraphs: [span], removed: cleaned.removed.filter((r) => r.span.start !== span.start || r.span.end !== span.end) };
}

function recordArticle(fields: Record<string, unknown>, body: string, side: MetaFields, fallbackId: string, warn: (m: string) => void): ParsedArticle | undefined {
  const own = sanitizeMeta(fields, warn);
  const nfc = toNfc(body);
  // The record names its title: only a line repeating it is a headline, not any short line.
  const knownTitle = own.title ?? side.title;
  const cleaned = keepLoneTitle(cleanArticle(nfc.text, 0, nfc.text.length, knownTitle === undefined ? {} : { knownTitle }));
  if (cleaned.paragraphs.length === 0) {
    warn('no article prose left after cleaning: skipped');
    return undefined;
  }
  const guessed = pick({ title: cleaned.title, outlet: cleaned.outlet, date: cleaned.date, lead: cleaned.lead });
  const article: ParsedArticle = {
    meta: mergeMeta(own, side, guessed, fallbackId),
    text: nfc.text,
    lineOffset: 0,
    paragraphs: cleaned.paragraphs,
    removed: cleaned.removed,
  };
  if (nfc.text.length !== body.length) article.toOriginal = nfc.toOriginal;
  return article;
}

// ---------------------------------------------------------------------------------------
// Metadata

/** Field by field: own > sidecar > guessed; the id falls back to `fallbackId`. */
function mergeMeta(own: MetaFields, side: MetaFields, guessed: MetaFields, fallbackId: string): ArticleMeta {
  const id = sanitizeId(own.id ?? '') || sanitizeId(side.id ?? '') || sanitizeId(fallbackId) || 'article';
  const meta: ArticleMeta = { id };
  for (const field of ['title', 'outlet', 'date', 'url', 'lead'] as const) {
    const value = own[field] ?? side[field] ?? guessed[field];
    if (value !== undefined && value !== '') meta[field] = value;
  }
  return meta;
}

function pick(fields: Partial<Record<MetaField, string | undefined>>): MetaFields {
  const out: MetaFields = {};
  for (const field of META_FIELDS) {
    const value = fields[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * Keeps the known metadata fields as strings: numbers and booleans are coerced, other types
 * reported and ignored, values truncated to {@link MAX_META} characters, dates normalised to
 * ISO when recognisable, everything NFC.
 */
function sanitizeMeta(input: Partial<ArticleMeta> | Record<string, unknown>, warn: (m: string) => void): MetaFields {
  const out: MetaFields = {};
  const source = input as Record<string, unknown>;
  for (const field of META_FIELDS) {
    const value = coerce(source[field]);
    if (value === undefined) {
      if (source[field] !== undefined && source[field] !== null) warn(`"${field}" is not a string: ignored`);
      continue;
    }
    let text = value.normalize('NFC').trim();
    if (text.length > MAX_META) {
      warn(`"${field}" longer than ${MAX_META} characters: truncated`);
      text = text.slice(0, MAX_META);
    }
    if (text === '') continue;
    out[field] = field === 'date' ? normalizeDate(text) : text;
  }
  return out;
}

function coerce(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  return undefined;
}

/** ISO yyyy, yyyy-mm and yyyy-mm-dd stay as they are; other full dates become yyyy-mm-dd. */
function normalizeDate(value: string): string {
  if (/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/.test(value)) return value;
  const month = /^(\d{1,2})\/(\d{4})$/.exec(value);
  if (month && +month[1]! >= 1 && +month[1]! <= 12) return `${month[2]}-${month[1]!.padStart(2, '0')}`;
  return parseDateText(value) ?? value;
}

/**
 * Sanitises an id to the Pandoc citation-key alphabet: letters, digits and `_`, plus
 * `:.#$%&-+?<>~/` inside the key. Anything else at either end is dropped, anything else inside
 * (spaces, quotes…) becomes `_`. Returns '' when nothing usable is left.
 */
export function sanitizeId(value: string): string {
  // Ends first (punctuation is only allowed inside), then unusable characters inside become "_".
  return value
    .normalize('NFC')
    .replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, '')
    .replace(/[^\p{L}\p{N}_:.#$%&\-+?<>~/]+/gu, '_');
}

// ---------------------------------------------------------------------------------------
// Front matter

interface FrontMatter {
  start: number;
  /** Offset just past the closing delimiter line (and its line break). */
  end: number;
  yaml: string;
}

/** YAML front matter: a first line `---`, then lines up to a closing `---` or `...` line. */
function frontMatter(text: string): FrontMatter | undefined {
  const open = /^(\uFEFF?)---[ \t]*(?:\r\n|\n|\r)/.exec(text);
  if (!open) return undefined;
  const yamlStart = open[0].length;
  const close = /(?:^|\r\n|\n|\r)(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/g;
  close.lastIndex = yamlStart - 1; // the opening line break may directly precede an empty block's "---"
  for (let m = close.exec(text); m; m = close.exec(text)) {
    if (m.index < yamlStart - 1) continue;
    return { start: open[1]!.length, end: m.index + m[0].length, yaml: text.slice(yamlStart, Math.max(yamlStart, m.index)) };
  }
  return undefined;
}

/** Parses front matter YAML safely; a parse error is reported and the body still used. */
function readFrontMatter(yaml: string, warn: (m: string) => void): MetaFields {
  if (yaml.trim() === '') return {};
  let data: unknown;
  try {
    data = parseYaml(yaml, YAML_OPTIONS);
  } catch (error) {
    warn(`invalid YAML (${errorMessage(error)}); metadata ignored, body kept`);
    return {};
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    warn('not a mapping of fields; metadata ignored, body kept');
    return {};
  }
  return sanitizeMeta(data as Record<string, unknown>, warn);
}

// ---------------------------------------------------------------------------------------
// File helpers

/** A unit `looksBinary` counts against a text (see there). */
const BINARY_UNIT = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/;

/** NUL bytes, or more than 10% control/replacement characters in the first 64 KB. */
function looksBinary(content: string): boolean {
  if (content.includes('\u0000')) return true;
  const sample = content.slice(0, 65536);
  // Text has none of them: a native scan says so without the count below.
  if (!BINARY_UNIT.test(sample)) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0xfffd || code === 0x7f) bad++;
  }
  return bad / sample.length > 0.1;
}

/** The first line (zero-based, `\n`, `\r\n` or `\r` breaks) longer than {@link MAX_LINE_CHARS}. */
function firstLongLine(content: string): { line: number; length: number } | undefined {
  let line = 0;
  let start = 0;
  for (let i = 0; i <= content.length; i++) {
    const c = i < content.length ? content.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13) continue;
    if (i - start > MAX_LINE_CHARS) return { line, length: i - start };
    if (c === 13 && content.charCodeAt(i + 1) === 10) i++;
    line++;
    start = i + 1;
  }
  return undefined;
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

function extension(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** File name without its extension. */
function stem(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
