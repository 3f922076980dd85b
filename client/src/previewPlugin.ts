/**
 * The Markdown preview plugin, as a pure function of a markdown-it instance and a data lookup
 * (no `vscode` here, so it is unit-tested with plain markdown-it).
 *
 * In the rendered preview, each citation key becomes a link to its corpus file with the
 * article title as tooltip, and each checked figure carries its verdict: ✓ supported,
 * ✗ contradicted, ? unsupported, with the source sentence as tooltip.
 *
 * The decoration happens at render time on copies of the inline tokens, never at parse time:
 * VS Code caches parsed tokens per document version, and verdicts change without the draft
 * changing (the corpus is edited, indexing ends).
 */
import type { MarkdownIt, Token } from 'markdown-it';
import type { PreviewArticle, PreviewData, PreviewFigure } from '../../server/src/protocol';

export interface PreviewLabels {
  supported: string;
  contradicted: string;
  unsupported: string;
  unknownSource: string;
}

export const englishLabels: PreviewLabels = {
  supported: 'Supported by',
  contradicted: 'Contradicted by',
  unsupported: 'No source found for this figure',
  unknownSource: 'Unknown source',
};

export const vietnameseLabels: PreviewLabels = {
  supported: 'Khớp với',
  contradicted: 'Mâu thuẫn với',
  unsupported: 'Không tìm thấy nguồn cho số liệu này',
  unknownSource: 'Không có nguồn',
};

export interface PreviewPluginOptions {
  /**
   * The data of the document being rendered, or undefined when there is none (yet).
   * `env` is markdown-it's render environment; VS Code's preview puts the document's URI
   * in `env.currentDocument`.
   */
  dataFor(env: unknown): PreviewData | undefined;
  /** Tooltip wording; English by default. Read at each render. */
  labels?: () => PreviewLabels;
}

const MARKS: Record<PreviewFigure['verdict'], string> = { supported: '✓', contradicted: '✗', unsupported: '?' };

// Pandoc citations, as the server's parseDraft reads them: a bracket holding `@key` items.
const KEY = String.raw`[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*`;
const BRACKET = /\[([^\[\]\n]{0,2000}?)\]/gu;
const ITEM = new RegExp(String.raw`^(\s*[^@;]*?)(-?)@(${KEY})((?:\s*,\s*[^;]*?)?\s*)$`, 'u');

/** Only these schemes become links; anything else renders as plain marked text. */
const SAFE_HREF = /^(?:file|https?|untitled|vscode-[a-z-]+):/i;

/** The URI of the document a render is for: VS Code passes a `vscode.Uri` (or a string) as `env.currentDocument`. */
export function documentUriOf(env: unknown): string | undefined {
  const doc = env && typeof env === 'object' ? (env as { currentDocument?: unknown }).currentDocument : undefined;
  return doc === undefined || doc === null ? undefined : String(doc);
}

export function sourcemarkPreviewPlugin(md: MarkdownIt, options: PreviewPluginOptions): MarkdownIt {
  const escape = md.utils.escapeHtml;
  const labels = (): PreviewLabels => options.labels?.() ?? englishLabels;

  const render = md.renderer.render.bind(md.renderer);
  md.renderer.render = (tokens, opts, env) => {
    const data = options.dataFor(env);
    return render(data ? decorate(tokens, data) : tokens, opts, env);
  };

  md.renderer.rules.sourcemark_cite = (tokens, idx) => {
    const t = tokens[idx]!;
    const { key, article } = t.meta as unknown as CiteMeta;
    const text = escape(t.content);
    if (!article) return `<span class="sourcemark-cite sourcemark-unknown" title="${escape(`${labels().unknownSource}: ${key}`)}">${text}</span>`;
    const title = escape(article.title);
    return SAFE_HREF.test(article.uri) ? `<a class="sourcemark-cite" href="${escape(article.uri)}" title="${title}">${text}</a>` : `<span class="sourcemark-cite" title="${title}">${text}</span>`;
  };

  md.renderer.rules.sourcemark_figure = (tokens, idx) => {
    const t = tokens[idx]!;
    const { figure: f, article, inLink } = t.meta as unknown as FigureMeta;
    const l = labels();
    const tip = f.verdict === 'unsupported' || !f.source ? l.unsupported : `${l[f.verdict]} ${article ? `“${article.title}”` : f.sourceId ?? ''}: ${f.source}`;
    const cls = `sourcemark-${f.verdict}`;
    const mark = MARKS[f.verdict];
    const markHtml = f.sourceUri && SAFE_HREF.test(f.sourceUri) && !inLink
      ? `<a class="sourcemark-mark ${cls}" href="${escape(f.sourceUri)}" title="${escape(tip)}">${mark}</a>`
      : `<sup class="sourcemark-mark ${cls}" title="${escape(tip)}">${mark}</sup>`;
    return `<span class="sourcemark-figure ${cls}" title="${escape(tip)}">${escape(t.content)}</span>${markHtml}`;
  };

  return md;
}

/** A copy of `tokens` with citations and figures of inline tokens replaced by Sourcemark tokens. */
function decorate(tokens: Token[], data: PreviewData): Token[] {
  const articles = new Map(data.articles.map((a) => [a.id, a]));
  const figures = [...data.figures].sort((a, b) => a.start - b.start);
  return tokens.map((block) => {
    if (block.type !== 'inline' || !block.children) return block;
    const map = block.map;
    const mine = map ? figures.filter((f) => f.line >= map[0] && f.line < map[1]) : [];
    const children = decorateInline(block.children, mine, articles);
    return children === block.children ? block : clone(block, { children });
  });
}

function clone(token: Token, changes: Partial<Token>): Token {
  return Object.assign(Object.create(Object.getPrototypeOf(token) as object) as Token, token, changes);
}

interface CiteMeta {
  key: string;
  article: PreviewArticle | undefined;
}

interface FigureMeta {
  figure: PreviewFigure;
  article: PreviewArticle | undefined;
  /** Inside a Markdown link: the mark must not be an anchor itself. */
  inLink: boolean;
}

interface Segment {
  start: number;
  end: number;
  make(base: Token): Token;
}

/**
 * Walks the inline children of one block. Figures come in document order, and so do text
 * tokens; each figure is looked for from where the previous one was found, so a figure
 * split by emphasis is skipped without losing the ones after it.
 */
function decorateInline(children: Token[], figures: PreviewFigure[], articles: Map<string, PreviewArticle>): Token[] {
  const out: Token[] = [];
  let changed = false;
  let linkDepth = 0;
  let next = 0; // first figure not yet placed
  for (const t of children) {
    if (t.type === 'link_open') linkDepth++;
    else if (t.type === 'link_close') linkDepth = Math.max(0, linkDepth - 1);
    if (t.type !== 'text' || !t.content) {
      out.push(t);
      continue;
    }
    const text = t.content;
    const segments: Segment[] = [];
    // Citations (not inside a link: no nested anchors).
    if (linkDepth === 0) {
      BRACKET.lastIndex = 0;
      for (let m = BRACKET.exec(text); m; m = BRACKET.exec(text)) {
        if (!m[1]!.includes('@') || text[m.index + m[0].length] === '(') continue;
        segments.push(...citationSegments(m.index, m[1]!, articles));
      }
    }
    // Figures, in order.
    let from = 0;
    for (let j = next; j < figures.length; j++) {
      const f = figures[j]!;
      const at = f.text ? text.indexOf(f.text, from) : -1;
      if (at < 0) continue;
      const end = at + f.text.length;
      if (segments.some((s) => s.start < end && at < s.end)) continue;
      const inLink = linkDepth > 0;
      segments.push({ start: at, end, make: (base) => custom(base, 'sourcemark_figure', f.text, { figure: f, article: f.sourceId ? articles.get(f.sourceId) : undefined, inLink } satisfies FigureMeta) });
      from = end;
      next = j + 1;
    }
    if (!segments.length) {
      out.push(t);
      continue;
    }
    changed = true;
    segments.sort((a, b) => a.start - b.start);
    let pos = 0;
    for (const s of segments) {
      if (s.start < pos) continue;
      if (s.start > pos) out.push(clone(t, { content: text.slice(pos, s.start) }));
      out.push(s.make(t));
      pos = s.end;
    }
    if (pos < text.length) out.push(clone(t, { content: text.slice(pos) }));
  }
  return changed ? out : children;
}

/** Segments of one bracket `[inner]` at `start`: one per `@key`, the rest stays text. */
function citationSegments(start: number, inner: string, articles: Map<string, PreviewArticle>): Segment[] {
  const out: Segment[] = [];
  let offset = start + 1;
  for (const part of inner.split(';')) {
    const m = ITEM.exec(part);
    if (m) {
      const keyStart = offset + m[1]!.length + m[2]!.length;
      const key = m[3]!;
      out.push({ start: keyStart, end: keyStart + 1 + key.length, make: (base) => custom(base, 'sourcemark_cite', `@${key}`, { key, article: articles.get(key) } satisfies CiteMeta) });
    }
    offset += part.length + 1;
  }
  return out;
}

function custom(base: Token, type: string, content: string, meta: CiteMeta | FigureMeta): Token {
  return clone(base, { type, tag: '', content, meta: { ...meta }, attrs: null, children: null });
}
