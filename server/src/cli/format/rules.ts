/**
 * What each diagnostic code means, for reports that describe their rules (SARIF, workflow
 * annotation titles). The codes and default severities come from the core's settings; only
 * the prose lives here.
 */
import { defaultSettings, diagnosticCodes, type DiagnosticCode, type SeverityName } from '../../core/settings';

export interface RuleInfo {
  id: DiagnosticCode;
  /** PascalCase name, as SARIF viewers expect. */
  name: string;
  /** A few words: annotation titles and rule lists. */
  title: string;
  /** One sentence. */
  short: string;
  /** What it means and what to do about it. */
  full: string;
  defaultSeverity: SeverityName;
}

const PROSE: Record<DiagnosticCode, Omit<RuleInfo, 'id' | 'name' | 'defaultSeverity'>> = {
  'contradicted-figure': {
    title: 'Contradicted figure',
    short: 'A source reports the same fact with a different figure.',
    full: 'A corpus article states the same fact (same subject, same measure) with another figure. The message quotes the source figure as written and the related location points at the source sentence. Correct the figure or cite a source that supports it.',
  },
  'citation-mismatch': {
    title: 'Citation mismatch',
    short: 'The cited article does not support the figure; another article does.',
    full: 'The figure is supported by the corpus, but not by the article it cites. The message names the article that supports it; cite that one instead.',
  },
  'unknown-source': {
    title: 'Unknown source',
    short: 'A citation key that is no article id in the corpus.',
    full: 'A Pandoc citation such as [@id] names no article of the corpus. Check the key for typos or add the article to the corpus.',
  },
  'unsupported-figure': {
    title: 'Unsupported figure',
    short: 'No source in the corpus covers the figure.',
    full: 'No corpus article reports this figure. It is not necessarily wrong: add a source to the corpus or verify it elsewhere.',
  },
  'missing-citation': {
    title: 'Missing citation',
    short: 'A figure the corpus supports carries no citation.',
    full: 'Reported only with requireCitations (--require-citations). A corpus article supports the figure but the sentence cites nothing; add the citation the message suggests.',
  },
  'document-too-large': {
    title: 'Document too large',
    short: 'The draft holds more figures than are checked; the rest is not checked.',
    full: 'Checking stops after a fixed number of figures per document, to bound the time a huge file takes. Findings after the reported position are missing, not absent: split the document to have all of it checked.',
  },
};

/** Every rule, in the core's code order. */
export const RULES: readonly RuleInfo[] = diagnosticCodes.map((id) => ({
  id,
  name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
  defaultSeverity: defaultSettings.severity[id],
  ...PROSE[id],
}));

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The rule of a diagnostic code. */
export function ruleOf(code: DiagnosticCode): RuleInfo {
  return BY_ID.get(code)!;
}
