/**
 * What every feature provider gets: the corpus, the draft's check (cached per document
 * version by the service) and a few helpers shared by the providers.
 */
import type * as lsp from 'vscode-languageserver-types';
import type { Corpus, IndexedArticle, IndexedSentence } from '../corpus/corpus';
import type { DraftCheck, FigureCheck } from '../check/checkDraft';
import type { CitationItem } from '../draft/parseDraft';
import type { AgreementRecord } from '../agreements/extractAgreements';
import type { Quantity } from '../types';
import { LineIndex } from '../text/lineIndex';

/** A draft as the host holds it. `TextDocument` from vscode-languageserver-textdocument fits. */
export interface DraftDocument {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

export interface FeatureContext {
  corpus: Corpus;
  agreements: () => AgreementRecord[];
  locale: 'vi' | 'en';
  /** While the corpus is being indexed (a verdict may still change): files read of those listed (`total` 0: not listed yet). */
  indexing?: { done: number; total: number };
}

/** A checked draft with its line index. */
export interface CheckedDraft {
  uri: string;
  text: string;
  lines: LineIndex;
  check: DraftCheck;
}

export function figureAt(draft: CheckedDraft, offset: number): FigureCheck | undefined {
  return draft.check.figures.find((f) => offset >= f.figure.start && offset <= f.figure.end);
}

export function citationAt(draft: CheckedDraft, offset: number): CitationItem | undefined {
  for (const c of draft.check.draft.citations) {
    if (offset < c.start || offset > c.end) continue;
    return c.items.find((i) => offset >= i.start - 1 && offset <= i.end);
  }
  return undefined;
}

export function toRange(lines: LineIndex, start: number, end: number): lsp.Range {
  return { start: lines.positionAt(start), end: lines.positionAt(end) };
}

/** Where a span of an article stands in its corpus file. */
export function articleLocation(corpus: Corpus, article: IndexedArticle, start: number, end: number): lsp.Location {
  return { uri: article.uri, range: { start: corpus.positionOf(article, start), end: corpus.positionOf(article, end) } };
}

/** A URI that opens the corpus file at the line of `offset` (VS Code and most clients honour `#L`). */
export function openLink(corpus: Corpus, article: IndexedArticle, offset: number): string {
  const p = corpus.positionOf(article, offset);
  return `${article.uri}#L${p.line + 1},${p.character + 1}`;
}

/** The sentence with the figure in bold, for hovers and completion documentation. */
export function quoteWithFigure(sentence: IndexedSentence, figure?: Quantity): string {
  const text = sentence.text;
  if (!figure) return `> ${escapeMarkdown(text)}`;
  const a = figure.start - sentence.start;
  const b = figure.end - sentence.start;
  return `> ${escapeMarkdown(text.slice(0, a))}**${escapeMarkdown(text.slice(a, b))}**${escapeMarkdown(text.slice(b))}`;
}

/** "Title — Outlet, 2024-06" for an article. */
export function articleByline(article: IndexedArticle): string {
  const m = article.meta;
  const parts = [m.outlet, m.date].filter(Boolean).join(', ');
  return `${m.title ?? m.id}${parts ? ` — ${parts}` : ''}`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

/** Draft language, from its letters: Vietnamese when it has Vietnamese diacritics. */
export function draftLocale(text: string, fallback: 'vi' | 'en'): 'vi' | 'en' {
  const sample = text.slice(0, 4000);
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(sample)) return 'vi';
  return /[a-z]{3,}/i.test(sample) ? 'en' : fallback;
}
