/**
 * Turns a draft check into diagnostics: plain objects shaped like LSP `Diagnostic`, so the
 * language server publishes them as they are and the CLI prints the very same objects.
 */
import type { Range } from '../types';
import type { Corpus } from '../corpus/corpus';
import { LineIndex } from '../text/lineIndex';
import type { DiagnosticCode, SeverityName, SourcemarkSettings } from '../settings';
import type { DraftCheck, FigureCheck } from './checkDraft';
import { message } from './messages';

/** LSP `DiagnosticSeverity` numbers. */
export const Severity = { error: 1, warning: 2, information: 3, hint: 4 } as const;

export interface DiagnosticRelatedInformation {
  location: { uri: string; range: Range };
  message: string;
}

/** Structurally an LSP `Diagnostic`. */
export interface Diagnostic {
  range: Range;
  severity: 1 | 2 | 3 | 4;
  code: DiagnosticCode;
  source: 'sourcemark';
  message: string;
  relatedInformation?: DiagnosticRelatedInformation[];
  /** What code actions need: the replacement figure, the article to cite. */
  data?: DiagnosticData;
}

export interface DiagnosticData {
  figure?: string;
  sourceFigure?: string;
  articleId?: string;
  citedIds?: string[];
  key?: string;
}

/**
 * Builds the diagnostics of a checked draft under the given settings. `indexing`: the check
 * was made while the corpus was still being read, so a verdict (and an unknown key) may change:
 * the message says so.
 */
export function toDiagnostics(check: DraftCheck, corpus: Corpus, settings: SourcemarkSettings, options: { indexing?: boolean } = {}): Diagnostic[] {
  const lines = new LineIndex(check.draft.text);
  const range = (start: number, end: number): Range => ({ start: lines.positionAt(start), end: lines.positionAt(end) });
  const out: Diagnostic[] = [];
  const mayChange = options.indexing ? ` ${message(settings.locale, 'indexing-note', {})}` : '';
  const push = (code: DiagnosticCode, d: Omit<Diagnostic, 'severity' | 'code' | 'source'>, final = false): void => {
    const sev: SeverityName = settings.severity[code];
    if (sev === 'off') return;
    const text = final ? d.message : d.message + mayChange;
    out.push({ range: d.range, severity: Severity[sev], code, source: 'sourcemark', message: text, ...(d.relatedInformation ? { relatedInformation: d.relatedInformation } : {}), ...(d.data ? { data: d.data } : {}) });
  };
  const locale = settings.locale;
  if (check.truncated) {
    const at = lines.positionAt(check.truncated.at);
    push('document-too-large', { range: { start: at, end: at }, message: message(locale, 'document-too-large', { count: String(check.truncated.checked) }) }, true);
  }
  for (const item of check.unknownCitations) {
    // A key that is not one (a path) stays wrong whatever the corpus holds.
    push('unknown-source', { range: range(item.start, item.end), message: message(locale, 'unknown-source', { key: item.key, ...(item.invalid ? { invalid: '1' } : {}) }), data: { key: item.key } }, item.invalid === true);
  }
  for (const f of check.figures) {
    const r = range(f.figure.start, f.figure.end);
    const related = evidenceInfo(f, corpus);
    const figure = f.figure.text;
    if (f.verdict === 'contradicted' && f.evidence) {
      const e = f.evidence;
      push('contradicted-figure', {
        range: r,
        message: message(locale, 'contradicted-figure', { figure, source: e.quantity.text, id: e.sentence.article.meta.id }),
        ...(related ? { relatedInformation: related } : {}),
        data: { figure, sourceFigure: e.quantity.text, articleId: e.sentence.article.meta.id },
      });
    } else if (f.verdict === 'supported' && f.evidence && f.citationMismatch) {
      push('citation-mismatch', {
        range: r,
        message: message(locale, 'citation-mismatch', { figure, cited: f.citationMismatch.cited.map((c) => `@${c}`).join('; '), id: f.citationMismatch.supportedBy }),
        ...(related ? { relatedInformation: related } : {}),
        data: { figure, articleId: f.citationMismatch.supportedBy, citedIds: f.citationMismatch.cited },
      });
    } else if (f.verdict === 'supported' && f.evidence && settings.requireCitations && f.citations.length === 0) {
      push('missing-citation', {
        range: r,
        message: message(locale, 'missing-citation', { figure, id: f.evidence.sentence.article.meta.id }),
        ...(related ? { relatedInformation: related } : {}),
        data: { figure, articleId: f.evidence.sentence.article.meta.id },
      });
    } else if (f.verdict === 'unsupported' && !f.figure.spelled) {
      // Spelled small numbers ("Hai bên", "ba nước") are mostly idiom; report them only when a source disagrees.
      push('unsupported-figure', { range: r, message: message(locale, 'unsupported-figure', { figure }), data: { figure } });
    }
  }
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
  return out;
}

function evidenceInfo(f: FigureCheck, corpus: Corpus): DiagnosticRelatedInformation[] | undefined {
  const e = f.evidence;
  if (!e) return undefined;
  const a = e.sentence.article;
  const quote = e.sentence.text.length > 300 ? `${e.sentence.text.slice(0, 297)}…` : e.sentence.text;
  return [
    {
      location: { uri: a.uri, range: { start: corpus.positionOf(a, e.quantity.start), end: corpus.positionOf(a, e.quantity.end) } },
      message: `${a.meta.id}${a.meta.title ? ` — ${a.meta.title}` : ''}: “${quote}”`,
    },
  ];
}
