/**
 * Completions in a draft:
 * - inside `[@…`: citation keys of every article, matched by id, title, outlet and date
 *   without diacritics;
 * - after agreement words ("thỏa thuận", "agreement") or a party name: agreement records;
 * - after prose: the figures of the source sentences that best match what was written,
 *   inserted with their citation.
 */
import type * as lsp from 'vscode-languageserver-types';
import { foldKey } from '../text/normalize';
import { lastAtOrBefore } from '../sorted';
import { wordsOf, type ArticleKey, type IndexedArticle, type IndexedSentence } from '../corpus/corpus';
import { isStopword } from '../check/stopwords';
import { findEntities, entityLabel } from '../entities/entities';
import type { AgreementRecord } from '../agreements/extractAgreements';
import type { DateParts, Quantity } from '../types';
import { parseQuantities } from '../quantity/parseQuantities';
import { compareQuantities } from '../check/compareQuantities';
import { throwIfCancelled, type CancellationToken } from '../cancellation';
import { articleByline, draftLocale, quoteWithFigure, toRange, type CheckedDraft, type FeatureContext } from './context';

const KIND_REFERENCE = 18; // CompletionItemKind.Reference
const KIND_VALUE = 12; // CompletionItemKind.Value
const KIND_STRUCT = 22; // CompletionItemKind.Struct
const MARKDOWN = 'markdown' as const;

const CITATION_PREFIX = /\[[^\][\n]*?-?@([\p{L}\p{N}_:.#$%&\-+?<>~/]*)$/u;
const AGREEMENT_TRIGGER = /(thoa thuan|hiep uoc|hiep dinh|agreement|treaty|pact|compact|accord)\s*$/;

/** Completion items at `offset` of a checked draft. */
/** At most this many citation keys per answer; the list is marked incomplete, so the editor asks again as the writer types. */
export const MAX_CITATION_ITEMS = 100;
/** Citation items past this many get their byline and card on `completionItem/resolve`. */
export const EAGER_CITATION_ITEMS = 10;
const CITATION_DATA = 'citation';

/** Completion items at `offset`; `isIncomplete` when the editor must ask again as the writer types (citation keys are filtered here). */
export function provideCompletionList(ctx: FeatureContext, draft: CheckedDraft, offset: number, token?: CancellationToken): { isIncomplete: boolean; items: lsp.CompletionItem[] } {
  const text = draft.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(Math.max(lineStart, offset - 400), offset);
  const cite = CITATION_PREFIX.exec(before);
  if (cite) return citationItems(ctx, draft, offset - cite[1]!.length, offset, cite[1]!, token);
  throwIfCancelled(token);
  const sentence = currentSentence(draft.check.draft.prose, lineStart, offset);
  const locale = draftLocale(text, ctx.locale);
  const items: lsp.CompletionItem[] = [];
  const folded = foldKey(sentence.text);
  const parties = findEntities(sentence.text).map((e) => e.id);
  if (AGREEMENT_TRIGGER.test(folded) || (parties.length && /\b(voi|giua|with|between|and|va)\s*$/.test(folded))) {
    items.push(...agreementItems(ctx, draft, offset, parties, locale));
  }
  throwIfCancelled(token);
  items.push(...figureItems(ctx, draft, sentence.text, offset, token));
  return { isIncomplete: false, items };
}

/**
 * Citation keys for what follows `@`: every article whose id, title, outlet or date holds
 * each typed word as a word prefix (diacritics ignored), ids that start with the query
 * first, at most {@link MAX_CITATION_ITEMS}. Filtering here keeps the answer small on an
 * archive of tens of thousands of articles; the keys come from the corpus's catalogue
 * (`citationCatalogue`), and only the articles of the first items are made.
 */
function citationItems(ctx: FeatureContext, draft: CheckedDraft, start: number, end: number, typed: string, token?: CancellationToken): { isIncomplete: boolean; items: lsp.CompletionItem[] } {
  const range = toRange(draft.lines, start, end);
  const query = foldKey(typed);
  const words = query.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const catalogue = citationCatalogue(ctx.corpus);
  // A typed word matches at the start of a word of the id, title, outlet or date: the
  // articles holding every typed word, found in one haystack of all their keys.
  const matching = words.length ? catalogue.withWords(words) : undefined;
  // Three ranks, each in corpus order: ids that start with the query, ids that hold it, and
  // articles whose title, outlet or date hold every typed word.
  const ranks: number[][] = [[], [], []];
  const folded = catalogue.folded;
  for (let i = 0; i < folded.length; i++) {
    if (i % 1024 === 0) throwIfCancelled(token);
    const id = folded[i]!;
    if (id.startsWith(query)) {
      ranks[0]!.push(i);
      // Enough of the best rank: the rest cannot come first.
      if (ranks[0]!.length > MAX_CITATION_ITEMS) break;
    } else if (id.includes(query)) ranks[1]!.push(i);
    else if (matching?.has(i)) ranks[2]!.push(i);
  }
  const ranked = ranks.flat();
  const more = ranked.length > MAX_CITATION_ITEMS;
  if (more) ranked.length = MAX_CITATION_ITEMS;
  const items = ranked.map((line, i): lsp.CompletionItem => {
    const id = catalogue.ids[line]!;
    const item: lsp.CompletionItem = {
      label: id,
      kind: KIND_REFERENCE,
      // The client filters on this too: id, title, outlet and date, without diacritics.
      filterText: `${id} ${catalogue.about(line)}`,
      sortText: String(i).padStart(5, '0'),
      textEdit: { range, newText: id },
    };
    // The first items come whole; the others carry what `resolveCompletionItem` needs to add
    // the byline and the card when the editor shows them (each costs a metadata read).
    const article = i < EAGER_CITATION_ITEMS ? ctx.corpus.article(id) : undefined;
    return article ? describeCitation(item, article) : { ...item, data: { sourcemark: CITATION_DATA, id } };
  });
  // Incomplete while typing may still change the answer: the editor asks again per keystroke.
  return { isIncomplete: more || ranked.length < ctx.corpus.stats().articles, items };
}

/** A citation item with its byline (detail) and card (title, outlet, date and lead, or the first sentence). */
function describeCitation(item: lsp.CompletionItem, a: IndexedArticle): lsp.CompletionItem {
  const m = a.meta;
  return {
    ...item,
    detail: articleByline(a),
    documentation: { kind: MARKDOWN, value: [`**${m.title ?? m.id}**`, [m.outlet, m.date].filter(Boolean).join(' · '), m.lead ?? a.sentenceIfAny(0)?.text ?? ''].filter(Boolean).join('\n\n') },
  };
}

/**
 * `completionItem/resolve`: a citation item sent without its byline and card gets them;
 * undefined when the item is not one, or its article is not in this corpus.
 */
export function resolveCompletionItem(ctx: FeatureContext, item: lsp.CompletionItem): lsp.CompletionItem | undefined {
  const data = item.data as { sourcemark?: unknown; id?: unknown } | undefined;
  if (data?.sourcemark !== CITATION_DATA || typeof data.id !== 'string') return undefined;
  const article = ctx.corpus.article(data.id);
  return article ? describeCitation(item, article) : undefined;
}

/**
 * Every article's citation keys, in corpus order, made from the corpus's ids and stored
 * citation lines without making its articles (`Corpus.articleKeys`); remade when the corpus
 * changes. The keys of all articles are one haystack (` id about` a line each, with where
 * each line starts): a typed word is looked for once in 3 MB instead of three times in each
 * of 35,000 strings (20 ms per `[@` on the archive).
 */
export class CitationCatalogue {
  private readonly starts: Int32Array;
  private readonly hay: string;

  constructor(
    /** The ids, and folded (both in corpus order). */
    readonly ids: readonly string[],
    readonly folded: readonly string[],
    lines: readonly string[],
  ) {
    this.starts = new Int32Array(lines.length);
    let at = 0;
    lines.forEach((line, i) => {
      this.starts[i] = at;
      at += line.length + 1;
    });
    this.hay = lines.join('\n');
  }

  /** Line i's folded title, outlet and date. */
  about(i: number): string {
    const end = i + 1 < this.starts.length ? this.starts[i + 1]! - 1 : this.hay.length;
    return this.hay.slice(this.starts[i]! + 2 + this.folded[i]!.length, end);
  }

  /** The lines (in corpus order) whose keys hold every word at a word start. */
  withWords(words: readonly string[]): Set<number> {
    const { hay, starts } = this;
    let result: Set<number> | undefined;
    for (const w of words) {
      const found = new Set<number>();
      for (const needle of [` ${w}`, `-${w}`, `_${w}`]) {
        for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
          // The line holding `at`: the last start at or before it.
          const line = lastAtOrBefore(starts, at);
          if (!result || result.has(line)) found.add(line);
        }
      }
      result = found;
      if (!result.size) break;
    }
    return result ?? new Set();
  }
}

/** Makes a catalogue a slice at a time (an archive's takes about 80 ms). */
class CatalogueBuilder {
  private readonly keys: Iterator<ArticleKey>;
  private readonly ids: string[] = [];
  private readonly folded: string[] = [];
  private readonly lines: string[] = [];

  constructor(corpus: FeatureContext['corpus']) {
    this.keys = corpus.articleKeys();
  }

  /** Takes keys until `stop()` says so (checked every 64); the catalogue once all are taken. */
  step(stop: () => boolean): CitationCatalogue | undefined {
    let n = 0;
    for (let next = this.keys.next(); !next.done; next = this.keys.next()) {
      const { id, article, about } = next.value;
      const folded = foldKey(id);
      this.ids.push(id);
      this.folded.push(folded);
      // A made article's line is folded from its metadata once and kept with it.
      this.lines.push(` ${folded} ${article ? article.citationAbout() : about}`);
      if (++n % 64 === 0 && stop()) return undefined;
    }
    return new CitationCatalogue(this.ids, this.folded, this.lines);
  }
}

const catalogues = new WeakMap<object, { version: number; catalogue?: CitationCatalogue; builder?: CatalogueBuilder }>();

/**
 * Makes the corpus's citation catalogue until `stop()` says so; whether it is made (for the
 * corpus as it is). A change of the corpus between calls starts it over.
 */
export function prepareCitationCatalogue(corpus: FeatureContext['corpus'], stop: () => boolean = () => false): boolean {
  let entry = catalogues.get(corpus);
  if (entry?.version !== corpus.version) catalogues.set(corpus, (entry = { version: corpus.version }));
  if (entry.catalogue) return true;
  entry.builder ??= new CatalogueBuilder(corpus);
  const made = entry.builder.step(stop);
  if (!made) return false;
  entry.catalogue = made;
  entry.builder = undefined;
  return true;
}

/** The corpus's citation catalogue (made now, or finished, when the corpus changed since the last). */
export function citationCatalogue(corpus: FeatureContext['corpus']): CitationCatalogue {
  prepareCitationCatalogue(corpus);
  return catalogues.get(corpus)!.catalogue!;
}

function currentSentence(prose: string, lineStart: number, offset: number): { start: number; text: string } {
  let start = offset;
  while (start > lineStart && !/[.!?…]/.test(prose[start - 1]!)) start--;
  // Walk back over paragraphs that wrap across lines.
  if (start === lineStart && lineStart > 0 && prose[lineStart - 2] !== '\n') {
    const prevStart = prose.lastIndexOf('\n', lineStart - 2) + 1;
    const prev = currentSentence(prose, prevStart, lineStart - 1);
    if (!/[.!?…]\s*$/.test(prose.slice(prevStart, lineStart - 1))) return { start: prev.start, text: prose.slice(prev.start, offset) };
  }
  return { start, text: prose.slice(start, offset) };
}

function figureItems(ctx: FeatureContext, draft: CheckedDraft, sentenceText: string, offset: number, token?: CancellationToken): lsp.CompletionItem[] {
  const partial = partialFigure(sentenceText);
  const typed = sentenceText.slice(0, sentenceText.length - partial.length);
  const { words } = wordsOf(typed);
  const content = words.filter((w) => !isStopword(w) && !/^\d+$/.test(w));
  if (content.length < 2) return [];
  const written = parseQuantities(typed);
  const lastWords = new Set(words.slice(-4));
  const hits = ctx.corpus.search(content, 12);
  throwIfCancelled(token);
  const range = toRange(draft.lines, offset - partial.length, offset);
  const ranked: { item: lsp.CompletionItem; rank: number; follow: number }[] = [];
  const seen = new Set<string>();
  hits.forEach(({ sentence }, rank) => {
    for (const q of sentence.quantities) {
      if (q.dimension === 'number') continue;
      // A figure the writer already gave in this sentence ("Năm 2024, …") is not what comes next.
      if (written.some((w) => compareQuantities(w, q) === 'consistent')) continue;
      const key = `${sentence.article.meta.id}|${q.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const figure = bareFigure(q.text);
      ranked.push({ item: figureItem(sentence, q, figure, range), rank, follow: wordsBefore(sentence, q.start, 4).filter((w) => lastWords.has(w)).length });
    }
  });
  // The figure that follows the words just typed ("… cho Kiev" → "4,5 tỷ USD") comes first.
  ranked.sort((a, b) => b.follow - a.follow || a.rank - b.rank);
  return ranked.slice(0, 30).map(({ item }, i) => ({ ...item, sortText: String(i).padStart(3, '0') }));
}

/** The number being typed at the end of `text` ("4,", "672.0", "$"), by a backwards scan: linear. */
function partialFigure(text: string): string {
  if (text.endsWith('$')) return '$';
  let i = text.length;
  while (i > 0 && /[\d.,]/.test(text[i - 1]!)) i--;
  while (i < text.length && !/\d/.test(text[i]!)) i++;
  return text.slice(i);
}

function figureItem(sentence: IndexedSentence, q: Quantity, figure: string, range: lsp.Range): lsp.CompletionItem {
  const m = sentence.article.meta;
  const where = [m.outlet, m.date].filter(Boolean).join(', ');
  return {
    label: figure,
    kind: KIND_VALUE,
    detail: where ? `${m.id} · ${where}` : m.id,
    documentation: { kind: MARKDOWN, value: `${quoteWithFigure(sentence, q)}\n\n— ${articleByline(sentence.article)}` },
    filterText: figure,
    textEdit: { range, newText: `${figure} [@${m.id}]` },
    data: { articleId: m.id, sentence: sentence.index },
  };
}

function wordsBefore(sentence: IndexedSentence, offset: number, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < sentence.words.length && sentence.wordStarts[i]! < offset; i++) out.push(sentence.words[i]!);
  return out.slice(-n);
}

/** "Ngày 13/6" → "13/6", "hôm 10/7" → "10/7": the figure without the word that introduces it. */
function bareFigure(text: string): string {
  return text.replace(/^(ngày|hôm|tối|sáng|chiều|trưa|đêm|vào|on)\s+/iu, '');
}

function agreementItems(ctx: FeatureContext, draft: CheckedDraft, offset: number, parties: string[], locale: 'vi' | 'en'): lsp.CompletionItem[] {
  const range = toRange(draft.lines, offset, offset);
  const records = ctx.agreements().filter((r) => r.parties.length >= 2);
  const scored = records
    .map((r) => ({ r, overlap: parties.filter((p) => r.parties.includes(p)).length }))
    .filter((x) => parties.length === 0 || x.overlap > 0)
    .sort((a, b) => b.overlap - a.overlap || (b.r.status === 'signed' ? 1 : 0) - (a.r.status === 'signed' ? 1 : 0) || b.r.sources.length - a.r.sources.length);
  return scored.slice(0, 10).map(({ r }, i) => ({
    label: agreementLabel(r, locale),
    kind: KIND_STRUCT,
    detail: `${r.sources.length} ${locale === 'vi' ? 'nguồn' : r.sources.length === 1 ? 'source' : 'sources'}`,
    documentation: { kind: MARKDOWN, value: agreementMarkdown(ctx, r, locale) },
    sortText: `!${i}`,
    filterText: foldKey(`${r.parties.map((p) => `${entityLabel(p, 'vi')} ${entityLabel(p, 'en')}`).join(' ')} ${r.kind}`),
    textEdit: { range, newText: agreementPhrase(r, locale) },
  }));
}

export function formatDate(d: DateParts | undefined): string {
  if (!d) return '';
  const day = d.day !== undefined ? `${d.day}${d.dayEnd !== undefined ? `-${d.dayEnd}` : ''}` : '';
  return [day, d.month, d.year].filter((x) => x !== undefined && x !== '').join('/');
}

export function agreementLabel(r: AgreementRecord, locale: 'vi' | 'en'): string {
  const names = r.parties.map((p) => entityLabel(p, locale)).join(' – ');
  const signed = r.signed ? (locale === 'vi' ? `, ký ${formatDate(r.signed.date)}` : `, signed ${formatDate(r.signed.date)}`) : '';
  const term = r.term ? `, ${r.term.quantity.text}` : '';
  return `${names}${signed}${term}`;
}

function agreementPhrase(r: AgreementRecord, locale: 'vi' | 'en'): string {
  const names = r.parties.map((p) => entityLabel(p, locale));
  const cite = r.sources[0] ? ` [@${r.sources[0].articleId}]` : '';
  if (locale === 'vi') {
    const parts = [`giữa ${names.join(' và ')}`];
    if (r.signed) parts.push(`ký ngày ${formatDate(r.signed.date)}`);
    if (r.place) parts.push(`tại ${r.place}`);
    if (r.term) parts.push(`thời hạn ${r.term.quantity.text}`);
    return parts.join(', ') + cite;
  }
  const parts = [`between ${names.join(' and ')}`];
  if (r.signed) parts.push(`signed on ${formatDate(r.signed.date)}`);
  if (r.place) parts.push(`in ${r.place}`);
  if (r.term) parts.push(`for ${r.term.quantity.text}`);
  return parts.join(', ') + cite;
}

/** The agreement record as Markdown, for completion documentation and hovers. */
export function agreementMarkdown(ctx: FeatureContext, r: AgreementRecord, locale: 'vi' | 'en'): string {
  const vi = locale === 'vi';
  const rows: string[] = [`**${r.parties.map((p) => entityLabel(p, locale)).join(' – ')}** (${r.kind})`, ''];
  const status = vi ? { signed: 'đã ký', negotiating: 'đang đàm phán', mentioned: 'được nhắc tới' }[r.status] : r.status;
  rows.push(`- ${vi ? 'Tình trạng' : 'Status'}: ${status}`);
  if (r.signed) rows.push(`- ${vi ? 'Ngày ký' : 'Signed'}: ${formatDate(r.signed.date)} [@${r.signed.articleId}]`);
  if (r.place) rows.push(`- ${vi ? 'Nơi ký' : 'Place'}: ${r.place}`);
  if (r.term) rows.push(`- ${vi ? 'Thời hạn' : 'Term'}: ${r.term.quantity.text} [@${r.term.articleId}]`);
  for (const a of r.amounts) rows.push(`- ${vi ? 'Giá trị' : 'Amount'}: ${a.quantity.text} [@${a.articleId}]`);
  rows.push('', `${vi ? 'Nguồn' : 'Sources'}:`);
  for (const s of r.sources.slice(0, 4)) {
    const article = ctx.corpus.article(s.articleId);
    const sentence: IndexedSentence | undefined = article?.sentenceIfAny(s.sentenceIndex);
    if (article && sentence) rows.push('', quoteWithFigure(sentence), '', `— [@${s.articleId}] ${articleByline(article)}`);
  }
  return rows.join('\n');
}
