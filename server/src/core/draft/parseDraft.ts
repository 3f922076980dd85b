/**
 * Reads a Markdown draft with a real CommonMark + GFM parser (mdast) and returns what the
 * checker may read as prose, plus the Pandoc citations it contains.
 *
 * The result keeps the draft's own offsets: `prose` is the draft text with every character
 * that is not prose (front matter, code, HTML, link targets, autolinked URLs, citation
 * brackets) replaced by a space, so a figure found in `prose` has the same span in the draft.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import type { Nodes, Parents } from 'mdast';
import type { Span } from '../types';

/** One cited source inside a citation group. */
export interface CitationItem extends Span {
  /** The key without `@`. `start`/`end` cover the key only (for hover, links, rename). */
  key: string;
  /** "para. 3", "p. 12"… when given. */
  locator?: string;
  /** `[-@id]`: suppress author. */
  suppressAuthor?: boolean;
  /** Written as a citation but not a valid Pandoc key (`[@../../x]`): reported, never looked up. */
  invalid?: boolean;
}

/** A bracketed Pandoc citation: `[@a]`, `[@a; @b, para. 3]`, `[see @a]`. */
export interface Citation extends Span {
  items: CitationItem[];
}

/** A block of prose (paragraph, heading, table cell…) with its span in the draft. */
export interface ProseBlock extends Span {
  kind: string;
}

export interface ParsedDraft {
  text: string;
  /** Same length as `text`; non-prose characters are spaces (newlines kept). */
  prose: string;
  blocks: ProseBlock[];
  citations: Citation[];
  /** Span of the YAML front matter block, if any. */
  frontMatter?: Span;
  /** Set when the draft was longer than the parse budget: text from here on is not read. */
  parsedUntil?: number;
}

const PROSE_PARENTS = new Set(['paragraph', 'heading', 'tableCell']);
const SKIP = new Set(['code', 'inlineCode', 'html', 'yaml', 'toml', 'definition', 'image', 'imageReference', 'footnoteDefinition']);

/** How much of a draft is parsed at most: far beyond any article, and bounded for pathological input. */
export const MAX_PARSED_CHARS = 200_000;

/** The parse of one chunk, with offsets relative to the chunk (so it can be reused where the chunk moved). */
export interface ChunkParse {
  /** Spans of prose characters. */
  prose: Span[];
  blocks: ProseBlock[];
  frontMatter?: Span;
}

export interface ParseOptions {
  /** Chunk parses of the previous version of the document, keyed by chunk text. */
  chunkCache?: { get(text: string): ChunkParse | undefined; set(text: string, parse: ChunkParse): void };
  maxChars?: number;
}

/**
 * Parses a draft. Never throws: an input the parser rejects is treated as plain prose.
 *
 * The text is parsed in chunks split at blank lines outside fenced code and front matter. A
 * Markdown block never spans such a line except inside those, so the result is the same as a
 * whole-document parse for prose purposes, while an edit re-parses only its own chunk and the
 * cost of a huge document is bounded by `maxChars`.
 */
export function parseDraft(text: string, options: ParseOptions = {}): ParsedDraft {
  const maxChars = options.maxChars ?? MAX_PARSED_CHARS;
  const mask = new Uint8Array(text.length);
  const blocks: ProseBlock[] = [];
  let frontMatter: Span | undefined;
  let parsedUntil = text.length;
  for (const chunk of parseUnits(text, draftChunks(text))) {
    if (chunk.start >= maxChars) {
      parsedUntil = chunk.start;
      break;
    }
    const end = Math.min(chunk.end, chunk.start + maxChars);
    if (end < chunk.end) parsedUntil = end;
    const source = text.slice(chunk.start, end);
    // Only the first chunk may hold front matter: the position is part of the cache key.
    const cacheKey = `${chunk.start === 0 ? 'F' : 'B'}${source}`;
    let parse = options.chunkCache?.get(cacheKey);
    if (!parse) {
      parse = plainParse(source) ?? parseChunk(source, chunk.start === 0);
      options.chunkCache?.set(cacheKey, parse);
    }
    for (const p of parse.prose) mask.fill(1, chunk.start + p.start, chunk.start + p.end);
    for (const b of parse.blocks) blocks.push({ start: chunk.start + b.start, end: chunk.start + b.end, kind: b.kind });
    if (parse.frontMatter) frontMatter = { start: chunk.start + parse.frontMatter.start, end: chunk.start + parse.frontMatter.end };
    if (end < chunk.end) break;
  }
  const citations = findCitations(text.slice(0, parsedUntil), mask);
  for (const c of citations) mask.fill(0, c.start, c.end);
  return { text, prose: applyMask(text, mask), blocks, citations, ...(frontMatter ? { frontMatter } : {}), ...(parsedUntil < text.length ? { parsedUntil } : {}) };
}

/** The text with every unmasked character but line breaks turned into a space, built run by run. */
function applyMask(text: string, mask: Uint8Array): string {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    const keep = mask[i];
    let j = i + 1;
    while (j < text.length && mask[j] === keep) j++;
    const run = text.slice(i, j);
    parts.push(keep ? run : run.replace(/[^\r\n]/g, ' '));
    i = j;
  }
  return parts.join('');
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Splits a draft at blank lines that are outside fenced code and front matter. Linear. */
export function draftChunks(text: string): Span[] {
  const chunks: Span[] = [];
  let start = 0;
  let pos = 0;
  let fence: string | undefined;
  let html: string | undefined;
  let inFrontMatter = /^---[ \t]*\r?\n/.test(text);
  let first = true;
  let blankAt = -1;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    const line = text.slice(pos, eol);
    const blank = /^[ \t]*\r?$/.test(line.slice(0, 200)) && line.trim() === '';
    if (blankAt >= 0 && !blank) {
      // Split at the blank line only if what follows starts a new top-level block: an indented
      // line continues a list item, a quote, indented code or a fence inside a list.
      if (!/^[ \t]/.test(line) && blankAt > start) {
        chunks.push({ start, end: blankAt });
        start = pos;
      }
      blankAt = -1;
    }
    if (inFrontMatter) {
      if (!first && /^(---|\.\.\.)[ \t]*\r?$/.test(line)) inFrontMatter = false;
    } else if (fence) {
      const m = FENCE.exec(line);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && /^\s*$/.test(line.slice(m[0].length))) fence = undefined;
    } else if (html) {
      if (line.toLowerCase().includes(html)) html = undefined;
    } else {
      const m = FENCE.exec(line);
      if (m) fence = m[1];
      else if (blank) blankAt = blankAt < 0 ? pos : blankAt;
      else html = rawHtmlBlock(line);
    }
    first = false;
    pos = eol + 1;
  }
  if (start < text.length) chunks.push({ start, end: text.length });
  return chunks;
}

/** HTML that CommonMark keeps open across blank lines (comments, raw text elements): the text that ends it. */
function rawHtmlBlock(line: string): string | undefined {
  const comment = line.lastIndexOf('<!--');
  if (comment >= 0 && line.indexOf('-->', comment + 4) < 0) return '-->';
  const raw = /<(pre|script|style|textarea)[\s>]/i.exec(line);
  const close = raw ? `</${raw[1]!.toLowerCase()}>` : undefined;
  return close && !line.slice(raw!.index).toLowerCase().includes(close) ? close : undefined;
}

/**
 * Groups chunks into parse units of a few kilobytes: one micromark call per tiny chunk costs
 * more in set-up than in parsing. Unit ends are chosen by content (a hash of the chunk), so an
 * edit moves at most the unit it falls in and the cache keys of later units stay the same.
 */
function parseUnits(text: string, chunks: Span[]): Span[] {
  const units: Span[] = [];
  let start = -1;
  for (const c of chunks) {
    if (start < 0) start = c.start;
    const length = c.end - start;
    if (length >= 16_384 || (length >= 2_048 && (quickHash(text, c.start, c.end) & 3) === 0)) {
      units.push({ start, end: c.end });
      start = -1;
    }
  }
  if (start >= 0) units.push({ start, end: chunks[chunks.length - 1]!.end });
  return units;
}

function quickHash(text: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i += 7) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h >>> 0;
}

// Built once: micromark combines extensions on every call otherwise.
const WITH_FRONT_MATTER = { extensions: [gfm(), frontmatter(['yaml'])], mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])] };
const WITHOUT_FRONT_MATTER = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };

/** A unit's parse by micromark (exported for the test holding `plainParse` to it). */
export function parseChunk(source: string, mayHaveFrontMatter: boolean): ChunkParse {
  let tree: Nodes | undefined;
  try {
    tree = fromMarkdown(source, mayHaveFrontMatter ? WITH_FRONT_MATTER : WITHOUT_FRONT_MATTER);
  } catch {
    return { prose: [{ start: 0, end: source.length }], blocks: [{ start: 0, end: source.length, kind: 'paragraph' }] };
  }
  const prose: Span[] = [];
  const blocks: ProseBlock[] = [];
  let frontMatter: Span | undefined;
  visit(tree, undefined, (node, parent) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return false;
    if (node.type === 'yaml') frontMatter = { start, end };
    if (SKIP.has(node.type)) return false;
    if (PROSE_PARENTS.has(node.type)) blocks.push({ start, end, kind: node.type });
    if (node.type === 'link' && isBareUrl(node.url, node.children)) return false;
    if (node.type === 'text' && parent) prose.push({ start, end });
    return true;
  });
  return { prose, blocks, ...(frontMatter ? { frontMatter } : {}) };
}

/**
 * Anything in a unit that could make it more than plain paragraphs and ATX headings: inline
 * syntax (emphasis, code, HTML and autolinks, character references (`&amp;`, `&#35;`; not
 * the `&` of "TT&TT"), escapes, strikethrough, tables, links and link references, GFM's bare
 * URLs and e-mail addresses, `_` not between two letters or digits), any line that does not
 * start with a letter, a digit that is no list marker, a quotation mark, a parenthesis or an
 * ATX heading (1–6 `#`s, one space, content not ending in `#`), and any line that ends in
 * spaces (hard breaks). Conservative: what it rejects goes to micromark.
 */
const NOT_PLAIN = /[`*~<>\\|\t\r\f\v\0\u2028\u2029]|&(?:#|[A-Za-z][A-Za-z0-9]*;)|!\[|\[\^|\]\(|\]\[|\[\]|:\/\/|www\.|mailto:|xmpp:|[A-Za-z0-9._+-]@|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])| $|^(?!$|#{1,6} (?=[^ #\n]).*[^#\n]$|[\p{L}"'“‘(]|\p{N}(?!\p{N}{0,8}[.)](?: |$)))/imu;

/**
 * The parse of a unit of plain paragraphs and ATX headings (`NOT_PLAIN` finds nothing), made
 * without micromark: a paragraph is a run of lines up to a blank line or a heading, all of it
 * prose; a heading's prose is its content. Undefined for anything else. A draft is mostly such
 * prose, and micromark's first call in a process took about 90 ms for a 3,000-word draft (the
 * first check after a warm start); a property test holds this to micromark's answer.
 */
export function plainParse(source: string): ChunkParse | undefined {
  if (NOT_PLAIN.test(source)) return undefined;
  const prose: Span[] = [];
  const blocks: ProseBlock[] = [];
  let paragraph = -1;
  let lastEnd = 0;
  const endParagraph = (): void => {
    if (paragraph < 0) return;
    prose.push({ start: paragraph, end: lastEnd });
    blocks.push({ start: paragraph, end: lastEnd, kind: 'paragraph' });
    paragraph = -1;
  };
  for (let pos = 0; pos < source.length; ) {
    let eol = source.indexOf('\n', pos);
    if (eol < 0) eol = source.length;
    if (eol === pos) endParagraph();
    else if (source.charCodeAt(pos) === 35) {
      // `NOT_PLAIN` let a line opening with `#` through only as an ATX heading: its content
      // starts after the `#`s and one space.
      endParagraph();
      let start = pos;
      while (source.charCodeAt(start) === 35) start++;
      prose.push({ start: start + 1, end: eol });
      blocks.push({ start: pos, end: eol, kind: 'heading' });
    } else {
      if (paragraph < 0) paragraph = pos;
      lastEnd = eol;
    }
    pos = eol + 1;
  }
  endParagraph();
  return { prose, blocks };
}

function isBareUrl(url: string, children: readonly Nodes[]): boolean {
  const only = children.length === 1 ? children[0] : undefined;
  return only?.type === 'text' && (only.value === url || url.endsWith(only.value) || /^(https?:\/\/|www\.)/i.test(only.value));
}

function visit(node: Nodes, parent: Parents | undefined, enter: (node: Nodes, parent: Parents | undefined) => boolean): void {
  // Iterative walk: deeply nested quotes and lists must not overflow the stack.
  const stack: [Nodes, Parents | undefined][] = [[node, parent]];
  while (stack.length) {
    const [n, p] = stack.pop()!;
    if (!enter(n, p)) continue;
    if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i] as Nodes, n]);
  }
}

// Pandoc citation keys: start with a letter, digit or `_`; internal punctuation allowed when
// followed by a key character.
const KEY = String.raw`[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*`;
const BRACKET = /\[([^\[\]\n]{0,2000}?)\]/gu;
const KEY_AT = new RegExp(KEY, 'uy');

/**
 * One `prefix -@key, locator` item of a citation group, parsed by hand: the obvious regex
 * (optional spaces, lazy prefix, key, optional locator) backtracks quadratically on long runs
 * of spaces.
 */
function citationItem(part: string, offset: number): CitationItem | undefined {
  let at = -1;
  // Pandoc: the `@` starts the item or follows a space or `-` ("me@example.com" is no citation).
  for (let i = part.indexOf('@'); i >= 0; i = part.indexOf('@', i + 1)) {
    if (i === 0 || /[\s\-]/.test(part[i - 1]!)) {
      at = i;
      break;
    }
  }
  if (at < 0) return undefined;
  KEY_AT.lastIndex = at + 1;
  const key = KEY_AT.exec(part)?.[0];
  if (!key) {
    // "[@../../etc/passwd]": meant as a citation, but not a key. Reported, never looked up.
    const raw = /^[^\s,;\]]+/.exec(part.slice(at + 1))?.[0];
    return raw ? { key: raw, start: offset + at + 1, end: offset + at + 1 + raw.length, invalid: true } : undefined;
  }
  const rest = part.slice(at + 1 + key.length);
  // After the key: nothing, or a comma and a locator.
  if (rest.trim() && !rest.trimStart().startsWith(',')) return undefined;
  const item: CitationItem = { key, start: offset + at + 1, end: offset + at + 1 + key.length };
  const locator = rest.trimStart().slice(1).trim();
  if (locator) item.locator = locator;
  if (part[at - 1] === '-') item.suppressAuthor = true;
  return item;
}

/**
 * Finds bracketed Pandoc citations whose characters are all prose (not inside code or a
 * link target). A bracket holding no `@key` is not a citation.
 */
export function findCitations(text: string, mask?: Uint8Array): Citation[] {
  const out: Citation[] = [];
  BRACKET.lastIndex = 0;
  for (let m = BRACKET.exec(text); m; m = BRACKET.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!m[1]!.includes('@')) continue;
    if (mask && !mask[start + 1]) continue;
    if (text[end] === '(') continue; // a Markdown link `[text](url)`, not a citation
    const items: CitationItem[] = [];
    let offset = start + 1;
    for (const part of m[1]!.split(';')) {
      const item = citationItem(part, offset);
      if (item) items.push(item);
      offset += part.length + 1;
    }
    if (items.length) out.push({ start, end, items });
  }
  return out;
}
