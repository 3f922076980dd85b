/**
 * Navigation: go to the source of a figure or a citation, find the drafts that cite an
 * article, workspace symbols for agreements and articles, document links for citation keys.
 */
import type * as lsp from 'vscode-languageserver-types';
import { foldKey } from '../text/normalize';
import { findCitations } from '../draft/parseDraft';
import { LineIndex } from '../text/lineIndex';
import { throwIfCancelled, type CancellationToken } from '../cancellation';
import { agreementLabel } from './completion';
import { articleLocation, citationAt, figureAt, openLink, toRange, type CheckedDraft, type DraftDocument, type FeatureContext } from './context';

const SYMBOL_FILE = 1;
const SYMBOL_STRUCT = 23;

/** The source sentence of a figure, or the article of a citation key. */
export function provideDefinition(ctx: FeatureContext, draft: CheckedDraft, offset: number): lsp.Location[] {
  const f = figureAt(draft, offset);
  if (f?.evidence) {
    const e = f.evidence;
    return [articleLocation(ctx.corpus, e.sentence.article, e.sentence.start, e.sentence.end)];
  }
  const cite = citationAt(draft, offset);
  const article = cite ? ctx.corpus.article(cite.key) : undefined;
  if (article) {
    const first = article.sentenceIfAny(0);
    return [articleLocation(ctx.corpus, article, first?.start ?? 0, first?.end ?? 0)];
  }
  return [];
}

/** The article ids a request is about: the key under the cursor in a draft, or the corpus file itself. */
export function referencedArticles(ctx: FeatureContext, uri: string, draft: CheckedDraft | undefined, offset: number): string[] {
  const own = ctx.corpus.articlesOfFile(uri);
  if (own.length) return own.map((a) => a.meta.id);
  const cite = draft ? citationAt(draft, offset) : undefined;
  return cite ? [cite.key] : [];
}

/** Every citation of the given articles in the given drafts. */
export function provideReferences(ids: readonly string[], drafts: Iterable<DraftDocument>, token?: CancellationToken): lsp.Location[] {
  const wanted = new Set(ids);
  const out: lsp.Location[] = [];
  if (!wanted.size) return out;
  for (const doc of drafts) {
    throwIfCancelled(token);
    const text = doc.getText();
    if (!text.includes('@')) continue;
    let lines: LineIndex | undefined;
    for (const c of findCitations(text)) {
      for (const item of c.items) {
        if (!wanted.has(item.key)) continue;
        lines ??= new LineIndex(text);
        out.push({ uri: doc.uri, range: toRange(lines, item.start, item.end) });
      }
    }
  }
  return out;
}

/** Agreements and articles whose names match `query` (diacritics ignored). */
export function provideWorkspaceSymbols(ctx: FeatureContext, query: string, token?: CancellationToken): lsp.SymbolInformation[] {
  const q = foldKey(query.trim());
  const matches = (s: string): boolean => !q || foldKey(s).includes(q);
  const out: lsp.SymbolInformation[] = [];
  for (const r of ctx.agreements()) {
    const label = agreementLabel(r, ctx.locale);
    const src = r.sources[0];
    const article = src ? ctx.corpus.article(src.articleId) : undefined;
    if (!matches(`${label} ${r.kind} ${r.parties.join(' ')}`) || !article || !src) continue;
    out.push({ name: label, kind: SYMBOL_STRUCT, containerName: ctx.locale === 'vi' ? 'Thỏa thuận' : 'Agreement', location: articleLocation(ctx.corpus, article, src.start, src.end) });
  }
  throwIfCancelled(token);
  for (const a of ctx.corpus.articles()) {
    const name = a.meta.title ? `${a.meta.id}: ${a.meta.title}` : a.meta.id;
    if (!matches(`${name} ${a.meta.outlet ?? ''}`)) continue;
    const first = a.sentenceIfAny(0);
    out.push({ name, kind: SYMBOL_FILE, containerName: a.meta.outlet ?? a.path, location: articleLocation(ctx.corpus, a, first?.start ?? 0, first?.end ?? 0) });
  }
  return out.slice(0, 500);
}

/** Citation keys link to their article's file. */
export function provideDocumentLinks(ctx: FeatureContext, draft: CheckedDraft): lsp.DocumentLink[] {
  const links: lsp.DocumentLink[] = [];
  for (const c of draft.check.draft.citations) {
    for (const item of c.items) {
      const article = ctx.corpus.article(item.key);
      if (!article) continue;
      links.push({ range: toRange(draft.lines, item.start, item.end), target: openLink(ctx.corpus, article, article.sentenceIfAny(0)?.start ?? 0), tooltip: article.meta.title ?? article.meta.id });
    }
  }
  return links;
}
