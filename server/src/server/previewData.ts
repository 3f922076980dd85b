/**
 * `sourcemark/previewData`: a checked draft reduced to what a Markdown preview renders —
 * the articles its citations and verdicts point at, and one mark per figure.
 */
import type { Corpus, IndexedArticle } from '../core/corpus/corpus';
import { openLink, type CheckedDraft } from '../core/languageFeatures/context';
import type { PreviewArticle, PreviewData, PreviewFigure } from '../protocol';

export function toPreviewData(corpus: Corpus, draft: CheckedDraft): PreviewData {
  const articles = new Map<string, PreviewArticle>();
  const use = (a: IndexedArticle): void => {
    if (!articles.has(a.meta.id)) articles.set(a.meta.id, { id: a.meta.id, title: a.meta.title || a.meta.id, uri: a.uri });
  };
  for (const c of draft.check.draft.citations) {
    for (const item of c.items) {
      const a = corpus.article(item.key);
      if (a) use(a);
    }
  }
  const figures = draft.check.figures.map((f): PreviewFigure => {
    const { start, end } = f.figure;
    const out: PreviewFigure = { start, end, line: draft.lines.positionAt(start).line, text: draft.text.slice(start, end), verdict: f.verdict };
    const e = f.verdict === 'unsupported' ? undefined : f.evidence;
    if (e) {
      use(e.sentence.article);
      out.source = e.sentence.text;
      out.sourceId = e.sentence.article.meta.id;
      out.sourceUri = openLink(corpus, e.sentence.article, e.quantity.start);
    }
    return out;
  });
  return { articles: [...articles.values()], figures };
}
