/**
 * The corpus as a CSL-JSON bibliography, so drafts citing `[@id]` render with
 * `pandoc --citeproc --bibliography corpus.json`. Pure: used by `sourcemark bib` and by the
 * language server's `sourcemark/bibliography` request.
 */
import type { IndexedArticle } from './corpus/corpus';
import { draftLocale } from './languageFeatures/context';

/** A CSL-JSON item of type `article-newspaper` (only the fields the corpus knows). */
export interface CslItem {
  id: string;
  type: 'article-newspaper';
  title?: string;
  'container-title'?: string;
  issued?: { 'date-parts': [number[]] };
  URL?: string;
  language?: 'vi' | 'en';
  abstract?: string;
}

/**
 * CSL `date-parts` of an ISO date: `2024-06-13` → [2024, 6, 13], `2024-06` → [2024, 6],
 * `2024` → [2024]. Anything else (or an impossible month or day) gives undefined, since a
 * wrong date in a bibliography is worse than none.
 */
export function dateParts(iso: string | undefined): number[] | undefined {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(iso?.trim() ?? '');
  if (!m) return undefined;
  const parts = [Number(m[1])];
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return undefined;
    parts.push(month);
  }
  if (m[3] !== undefined) {
    const day = Number(m[3]);
    if (day < 1 || day > 31) return undefined;
    parts.push(day);
  }
  return parts;
}

/** One CSL item per article, sorted by id (code-unit order) so the file diffs cleanly. */
export function toCslItems(articles: readonly IndexedArticle[]): CslItem[] {
  return [...articles]
    .sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0))
    .map((a) => {
      const { id, title, outlet, date, url, lead } = a.meta;
      const parts = dateParts(date);
      return {
        id,
        type: 'article-newspaper',
        ...(title ? { title } : {}),
        ...(outlet ? { 'container-title': outlet } : {}),
        ...(parts ? { issued: { 'date-parts': [parts] as [number[]] } } : {}),
        ...(url ? { URL: url } : {}),
        // The same letter-based guess the editor uses for drafts; the fallback only applies to
        // texts without letters, which are no articles anyway.
        language: draftLocale(`${title ?? ''}\n${a.text.slice(0, 2000)}`, 'en'),
        ...(lead ? { abstract: lead } : {}),
      };
    });
}
