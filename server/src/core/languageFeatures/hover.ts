/**
 * Hover cards: on a figure, its verdict and the source sentences with the figure in bold;
 * on a citation key, the article; on an agreement mention, the agreement record.
 */
import type * as lsp from 'vscode-languageserver-types';
import { foldKey } from '../text/normalize';
import { findEntities } from '../entities/entities';
import type { FigureCheck } from '../check/checkDraft';
import { agreementMarkdown } from './completion';
import { articleByline, citationAt, escapeMarkdown, figureAt, openLink, quoteWithFigure, toRange, type CheckedDraft, type FeatureContext } from './context';

const NOUN = /thoa thuan|hiep uoc|hiep dinh|agreement|treaty|pact|accord/g;

export function provideHover(ctx: FeatureContext, draft: CheckedDraft, offset: number): lsp.Hover | undefined {
  // Messages follow the user's `locale` setting, like diagnostics; only inserted text follows the draft.
  const locale = ctx.locale;
  const figure = figureAt(draft, offset);
  if (figure) return { contents: { kind: 'markdown', value: figureMarkdown(ctx, figure, locale) }, range: toRange(draft.lines, figure.figure.start, figure.figure.end) };
  const cite = citationAt(draft, offset);
  if (cite) {
    const article = ctx.corpus.article(cite.key);
    const value = article
      ? [`**${escapeMarkdown(article.meta.title ?? article.meta.id)}**`, [article.meta.outlet, article.meta.date].filter(Boolean).join(' · '), article.meta.lead ? escapeMarkdown(article.meta.lead) : '', `[${locale === 'vi' ? 'Mở bài nguồn' : 'Open source'}](${openLink(ctx.corpus, article, article.sentenceIfAny(0)?.start ?? 0)})`]
          .filter(Boolean)
          .join('\n\n')
      : locale === 'vi'
        ? `Không có bài nguồn \`${cite.key}\` trong kho.`
        : `No article \`${cite.key}\` in the corpus.`;
    return { contents: { kind: 'markdown', value }, range: toRange(draft.lines, cite.start, cite.end) };
  }
  return agreementHover(ctx, draft, offset, locale);
}

function figureMarkdown(ctx: FeatureContext, f: FigureCheck, locale: 'vi' | 'en'): string {
  const vi = locale === 'vi';
  const e = f.evidence;
  const lines: string[] = [];
  if (f.verdict === 'supported') lines.push(`✓ **${vi ? 'Có nguồn' : 'Supported'}**${f.citationMismatch ? (vi ? ` — nhưng bởi [@${f.citationMismatch.supportedBy}], không phải nguồn được trích` : ` — by [@${f.citationMismatch.supportedBy}], not by the cited source`) : ''}`);
  else if (f.verdict === 'contradicted' && e) lines.push(`✗ **${vi ? 'Mâu thuẫn với nguồn' : 'Contradicted'}**: ${vi ? 'nguồn viết' : 'the source says'} **${escapeMarkdown(e.quantity.text)}**`);
  else lines.push(`? **${vi ? 'Chưa có nguồn' : 'Unsupported'}**: ${vi ? 'không bài nguồn nào nói về con số này' : 'no source covers this figure'}`);
  const shown = e ? [e, ...f.candidates.filter((c) => c !== e && c.agreement === 'consistent' && c.alignment >= 0.3).slice(0, 1)] : f.candidates.filter((c) => c.alignment >= 0.35).slice(0, 2);
  if (!e && shown.length) lines.push('', vi ? 'Câu gần nhất trong kho:' : 'Closest source sentences:');
  for (const c of shown) {
    const a = c.sentence.article;
    lines.push('', quoteWithFigure(c.sentence, c.quantity), '', `— [@${a.meta.id}] ${escapeMarkdown(articleByline(a))} · [${vi ? 'mở' : 'open'}](${openLink(ctx.corpus, a, c.quantity.start)})`);
  }
  if (ctx.indexing) {
    const n = new Intl.NumberFormat(vi ? 'vi-VN' : 'en-US');
    const { done, total } = ctx.indexing;
    const count = total ? (vi ? ` (${n.format(done)}/${n.format(total)} tệp)` : ` (${n.format(done)} of ${n.format(total)} files)`) : '';
    lines.push('', vi ? `_Đang lập chỉ mục kho nguồn${count}: kết luận có thể thay đổi._` : `_Indexing the corpus${count}: this verdict may change._`);
  }
  return lines.join('\n');
}

function agreementHover(ctx: FeatureContext, draft: CheckedDraft, offset: number, locale: 'vi' | 'en'): lsp.Hover | undefined {
  const folded = foldKey(draft.text);
  const lineStart = draft.text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = draft.text.indexOf('\n', offset) === -1 ? draft.text.length : draft.text.indexOf('\n', offset);
  NOUN.lastIndex = 0;
  const line = folded.slice(lineStart, lineEnd);
  for (let m = NOUN.exec(line); m; m = NOUN.exec(line)) {
    const start = lineStart + m.index;
    const end = start + m[0].length;
    if (offset < start || offset > end) continue;
    const parties = findEntities(draft.text.slice(lineStart, lineEnd)).map((x) => x.id);
    const record = ctx
      .agreements()
      .map((r) => ({ r, n: parties.filter((p) => r.parties.includes(p)).length }))
      .filter((x) => x.n >= Math.min(2, parties.length) && x.n > 0)
      .sort((a, b) => b.n - a.n || b.r.sources.length - a.r.sources.length)[0]?.r;
    if (!record) return undefined;
    return { contents: { kind: 'markdown', value: agreementMarkdown(ctx, record, locale) }, range: toRange(draft.lines, start, end) };
  }
  return undefined;
}
