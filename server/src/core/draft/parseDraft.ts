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
}

const PROSE_PARENTS = new Set(['paragraph', 'heading', 'tableCell']);
const SKIP = new Set(['code', 'inlineCode', 'html', 'yaml', 'toml', 'definition', 'image', 'imageReference', 'footnoteDefinition']);

/** Parses a draft. Never throws: an input the parser rejects is treated as plain prose. */
export function parseDraft(text: string): ParsedDraft {
  let tree: Nodes | undefined;
  try {
    tree = fromMarkdown(text, {
      extensions: [gfm(), frontmatter(['yaml'])],
      mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])],
    });
  } catch {
    tree = undefined;
  }
  const chars = new Array<string>(0);
  const mask = new Uint8Array(text.length);
  const blocks: ProseBlock[] = [];
  let frontMatter: Span | undefined;
  if (tree) {
    visit(tree, undefined, (node, parent) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return false;
      if (node.type === 'yaml') frontMatter = { start, end };
      if (SKIP.has(node.type)) return false;
      if (PROSE_PARENTS.has(node.type)) blocks.push({ start, end, kind: node.type });
      if (node.type === 'link' && isBareUrl(node.url, node.children)) return false;
      if (node.type === 'text' && parent) mask.fill(1, start, end);
      return true;
    });
  } else {
    mask.fill(1);
    blocks.push({ start: 0, end: text.length, kind: 'paragraph' });
  }
  const citations = findCitations(text, mask);
  for (const c of citations) mask.fill(0, c.start, c.end);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    chars.push(mask[i] || ch === '\n' || ch === '\r' ? ch : ' ');
  }
  return { text, prose: chars.join(''), blocks, citations, ...(frontMatter ? { frontMatter } : {}) };
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
const ITEM = new RegExp(String.raw`^(\s*)([^@;]*?)(-?)@(${KEY})(?:\s*,\s*([^;]*?))?\s*$`, 'u');

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
      const im = ITEM.exec(part);
      if (im) {
        const keyStart = offset + im[1]!.length + im[2]!.length + im[3]!.length + 1;
        const item: CitationItem = { key: im[4]!, start: keyStart, end: keyStart + im[4]!.length };
        if (im[5]) item.locator = im[5].trim();
        if (im[3]) item.suppressAuthor = true;
        items.push(item);
      }
      offset += part.length + 1;
    }
    if (items.length) out.push({ start, end, items });
  }
  return out;
}
