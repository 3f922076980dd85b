/**
 * The in-memory corpus: articles, their sentences and figures, and the sentence search index.
 * Files are added, replaced and removed one at a time, so a watcher can re-index a single
 * article. Pure: file contents arrive as strings.
 */
import type { ArticleMeta, Position, Problem, SourceSentence } from '../types';
import { parseArticleFile, type ParsedArticle } from './parseArticle';
import { splitSentences } from '../text/sentences';
import { LineIndex } from '../text/lineIndex';
import { canonicalText, foldKey } from '../text/normalize';
import { parseQuantities } from '../quantity/parseQuantities';
import { findEntities } from '../entities/entities';
import { SentenceIndex } from '../index/sentenceIndex';
import { contentHash } from './decode';

/** A corpus file as the workspace hands it over. */
export interface CorpusFile {
  /** Opaque identifier the host understands (a `file:` URI in the server and the CLI). */
  uri: string;
  /** Path relative to the workspace (for messages). */
  path: string;
  content: string;
  /** Metadata from a `<name>.meta.yaml` beside the file, already parsed. */
  sidecar?: Partial<ArticleMeta>;
}

/** A sentence with everything the checker and the features need. */
export interface IndexedSentence extends SourceSentence {
  article: IndexedArticle;
  /** Global id in the search index. */
  doc: number;
  /** Lower-case canonical (NFC, tone-folded) syllables, and where each starts in the file text. */
  words: string[];
  wordStarts: number[];
}

export interface IndexedArticle {
  meta: ArticleMeta;
  uri: string;
  path: string;
  /** The NFC text the spans refer to. */
  text: string;
  lineOffset: number;
  lines: LineIndex;
  toOriginal?: (offset: number) => number;
  sentences: IndexedSentence[];
  /** Entity ids the article is about: those of its title, lead and first paragraphs. */
  subject: string[];
  /** Content hash of the file the article came from. */
  hash: string;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-case canonical syllables of `text` with their offsets (shifted by `offset`). */
export function wordsOf(text: string, offset = 0): { words: string[]; starts: number[] } {
  const lower = canonicalText(text).toLowerCase();
  const src = lower.length === text.length ? lower : text.toLowerCase();
  const words: string[] = [];
  const starts: number[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(src); m; m = WORD.exec(src)) {
    words.push(m[0]);
    starts.push(m.index + offset);
  }
  return { words, starts };
}

/** Search terms of a text: folded syllables, digits left out. */
export function searchTerms(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) if (!/^\d+$/.test(w)) out.push(foldKey(w));
  return out;
}

export class Corpus {
  private readonly byUri = new Map<string, IndexedArticle[]>();
  private readonly byId = new Map<string, IndexedArticle>();
  private readonly docs: (IndexedSentence | undefined)[] = [];
  readonly index = new SentenceIndex();
  /** Bumped on every change, so callers can tell a stale result. */
  version = 0;

  /** Adds or replaces the articles of one file. Returns what went wrong, never throws. */
  setFile(file: CorpusFile): Problem[] {
    this.deleteFile(file.uri);
    const problems: Problem[] = [];
    let parsed: { articles: ParsedArticle[]; problems: Problem[] };
    try {
      parsed = parseArticleFile(file.path, file.content, file.sidecar);
    } catch (err) {
      return [{ file: file.path, severity: 'error', message: `could not be read as an article: ${String(err)}` }];
    }
    problems.push(...parsed.problems);
    const hash = contentHash(file.content);
    const added: IndexedArticle[] = [];
    for (const p of parsed.articles) {
      const existing = this.byId.get(p.meta.id);
      if (existing) {
        problems.push({ file: file.path, severity: 'warning', message: `duplicate article id "${p.meta.id}" (already used by ${existing.path}); this copy is skipped` });
        continue;
      }
      const article = this.buildArticle(p, file, hash);
      this.byId.set(article.meta.id, article);
      added.push(article);
    }
    if (added.length) this.byUri.set(file.uri, added);
    this.version++;
    return problems;
  }

  /** Removes the articles of a file. */
  deleteFile(uri: string): boolean {
    const articles = this.byUri.get(uri);
    if (!articles) return false;
    for (const a of articles) {
      this.byId.delete(a.meta.id);
      for (const s of a.sentences) {
        this.index.remove(s.doc);
        this.docs[s.doc] = undefined;
      }
    }
    this.byUri.delete(uri);
    this.version++;
    return true;
  }

  hasFile(uri: string): boolean {
    return this.byUri.has(uri);
  }

  article(id: string): IndexedArticle | undefined {
    return this.byId.get(id);
  }

  articles(): IndexedArticle[] {
    return [...this.byId.values()];
  }

  articlesOfFile(uri: string): IndexedArticle[] {
    return this.byUri.get(uri) ?? [];
  }

  sentence(doc: number): IndexedSentence | undefined {
    return this.docs[doc];
  }

  /** Ranked sentences for a set of canonical words. */
  search(words: readonly string[], limit: number, filter?: (s: IndexedSentence) => boolean): { sentence: IndexedSentence; score: number }[] {
    const hits = this.index.search(searchTerms(words), {
      limit,
      ...(filter ? { filter: (doc: number) => { const s = this.docs[doc]; return s !== undefined && filter(s); } } : {}),
    });
    const out: { sentence: IndexedSentence; score: number }[] = [];
    for (const h of hits) {
      const s = this.docs[h.doc];
      if (s) out.push({ sentence: s, score: h.score });
    }
    return out;
  }

  /** In how many indexed sentences a canonical word occurs. */
  documentFrequency(word: string): number {
    return this.index.documentFrequency(foldKey(word));
  }

  /** IDF of a canonical word among indexed sentences. */
  idf(word: string): number {
    return this.index.idf(foldKey(word));
  }

  /** Position of an offset of an article's text in the corpus file it came from. */
  positionOf(article: IndexedArticle, offset: number): Position {
    const original = article.toOriginal ? article.toOriginal(offset) : offset;
    const p = article.lines.positionAt(original);
    return { line: p.line + article.lineOffset, character: p.character };
  }

  stats(): { articles: number; sentences: number; figures: number } {
    let sentences = 0;
    let figures = 0;
    for (const a of this.byId.values()) {
      sentences += a.sentences.length;
      for (const s of a.sentences) figures += s.quantities.length;
    }
    return { articles: this.byId.size, sentences, figures };
  }

  private buildArticle(p: ParsedArticle, file: CorpusFile, hash: string): IndexedArticle {
    const article: IndexedArticle = {
      meta: p.meta,
      uri: file.uri,
      path: file.path,
      text: p.text,
      lineOffset: p.lineOffset,
      lines: new LineIndex(p.toOriginal ? file.content : p.text),
      sentences: [],
      subject: [],
      hash,
      ...(p.toOriginal ? { toOriginal: p.toOriginal } : {}),
    };
    p.paragraphs.forEach((para, paragraph) => {
      for (const span of splitSentences(p.text, para.start, para.end)) {
        const text = p.text.slice(span.start, span.end);
        const doc = this.docs.length;
        const { words, starts } = wordsOf(text, span.start);
        const quantities = parseQuantities(text).map((q) => ({ ...q, start: q.start + span.start, end: q.end + span.start }));
        const entities = [...new Set(findEntities(text).map((e) => e.id))];
        const sentence: IndexedSentence = {
          ...span,
          index: article.sentences.length,
          text,
          quantities,
          entities,
          paragraph,
          article,
          doc,
          words,
          wordStarts: starts,
        };
        article.sentences.push(sentence);
        this.docs.push(sentence);
        this.index.add(doc, searchTerms(words));
      }
    });
    article.subject = subjectOf(article);
    return article;
  }
}

/** The entities an article is about: named in its title or lead, or most mentioned early on. */
function subjectOf(article: IndexedArticle): string[] {
  const counts = new Map<string, number>();
  const early = article.sentences.slice(0, 6);
  for (const s of early) for (const e of s.entities) counts.set(e, (counts.get(e) ?? 0) + 1);
  const title = article.meta.title ? findEntities(article.meta.title).map((e) => e.id) : [];
  for (const e of title) counts.set(e, (counts.get(e) ?? 0) + 3);
  return [...counts.entries()].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
