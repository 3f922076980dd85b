/**
 * Quick fixes: use the source's figure, cite the supporting article, replace a citation
 * that points at the wrong article.
 */
import type * as lsp from 'vscode-languageserver-types';
import { toRange, type CheckedDraft } from './context';

const QUICKFIX = 'quickfix';

/** Code actions for the figures and citations that overlap `start..end` (offsets). */
export function provideCodeActions(draft: CheckedDraft, start: number, end: number, diagnostics: readonly lsp.Diagnostic[]): lsp.CodeAction[] {
  const actions: lsp.CodeAction[] = [];
  const edit = (range: lsp.Range, newText: string): lsp.WorkspaceEdit => ({ changes: { [draft.uri]: [{ range, newText }] } });
  for (const f of draft.check.figures) {
    if (f.figure.end < start || f.figure.start > end) continue;
    const related = diagnostics.filter((d) => sameRange(d.range, toRange(draft.lines, f.figure.start, f.figure.end)));
    const e = f.evidence;
    if (f.verdict === 'contradicted' && e) {
      const replacement = matchCase(e.quantity.text, f.figure.text);
      actions.push({
        title: `Use the source's figure (${replacement})`,
        kind: QUICKFIX,
        isPreferred: true,
        diagnostics: related.filter((d) => d.code === 'contradicted-figure'),
        edit: edit(toRange(draft.lines, f.figure.start, f.figure.end), replacement),
      });
    }
    if (f.verdict === 'supported' && e && f.citations.length === 0) {
      const id = e.sentence.article.meta.id;
      const at = toRange(draft.lines, f.figure.end, f.figure.end);
      actions.push({ title: `Cite [@${id}]`, kind: QUICKFIX, diagnostics: related.filter((d) => d.code === 'missing-citation'), edit: edit(at, ` [@${id}]`) });
    }
    if (f.citationMismatch) {
      const id = f.citationMismatch.supportedBy;
      const wrong = f.citations.filter((c) => f.citationMismatch!.cited.includes(c.key));
      const changes = wrong.map((c) => ({ range: toRange(draft.lines, c.start, c.end), newText: id }));
      if (changes.length) {
        actions.push({
          title: `Replace citation with [@${id}]`,
          kind: QUICKFIX,
          isPreferred: true,
          diagnostics: related.filter((d) => d.code === 'citation-mismatch'),
          edit: { changes: { [draft.uri]: changes } },
        });
      }
    }
  }
  return actions;
}

function sameRange(a: lsp.Range, b: lsp.Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Keeps the draft's capitalisation of the first letter ("ngày 14/6" → "ngày 13/6", not "Ngày 13/6"). */
function matchCase(replacement: string, original: string): string {
  const o = original[0];
  const r = replacement[0];
  if (!o || !r) return replacement;
  const lower = o === o.toLowerCase() && o !== o.toUpperCase();
  return (lower ? r.toLowerCase() : r) + replacement.slice(1);
}
