/**
 * Settings the core understands. Hosts read them (VS Code settings per resource,
 * `sourcemark.json`, CLI flags), merge them over `defaultSettings` and pass a plain object in.
 */

export type DiagnosticCode = 'contradicted-figure' | 'citation-mismatch' | 'unknown-source' | 'unsupported-figure' | 'missing-citation' | 'document-too-large';
export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';

export const diagnosticCodes: readonly DiagnosticCode[] = ['contradicted-figure', 'citation-mismatch', 'unknown-source', 'unsupported-figure', 'missing-citation', 'document-too-large'];

export interface SourcemarkSettings {
  /** Globs (relative to the workspace folder) of corpus files. */
  corpus: string[];
  /** Globs of the drafts to check when checking "all drafts". */
  drafts: string[];
  /** Report supported figures that carry no citation (`missing-citation`). */
  requireCitations: boolean;
  /** Severity per diagnostic code; `off` silences a code. */
  severity: Record<DiagnosticCode, SeverityName>;
  /** Language of messages. */
  locale: 'vi' | 'en';
}

export const defaultSettings: Readonly<SourcemarkSettings> = Object.freeze({
  corpus: ['corpus/**/*.{txt,md,jsonl}'],
  drafts: ['**/*.md'],
  requireCitations: false,
  severity: Object.freeze({
    'contradicted-figure': 'error',
    'citation-mismatch': 'warning',
    'unknown-source': 'error',
    'unsupported-figure': 'information',
    'missing-citation': 'warning',
    'document-too-large': 'information',
  }) as Record<DiagnosticCode, SeverityName>,
  locale: 'en',
}) as Readonly<SourcemarkSettings>;

/**
 * Merges partial settings over the defaults, ignoring values of the wrong type so a broken
 * config never yields a broken object. Returns the merged settings and a list of complaints.
 */
export function resolveSettings(...layers: unknown[]): { settings: SourcemarkSettings; problems: string[] } {
  const settings: SourcemarkSettings = { ...defaultSettings, severity: { ...defaultSettings.severity }, corpus: [...defaultSettings.corpus], drafts: [...defaultSettings.drafts] };
  const problems: string[] = [];
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (typeof layer !== 'object' || Array.isArray(layer)) {
      problems.push('settings must be an object');
      continue;
    }
    const l = layer as Record<string, unknown>;
    for (const key of ['corpus', 'drafts'] as const) {
      const v = l[key];
      if (v === undefined) continue;
      const list = typeof v === 'string' ? [v] : v;
      if (Array.isArray(list) && list.every((x) => typeof x === 'string')) settings[key] = list as string[];
      else problems.push(`"${key}" must be a glob or a list of globs`);
    }
    if (l.requireCitations !== undefined) {
      if (typeof l.requireCitations === 'boolean') settings.requireCitations = l.requireCitations;
      else problems.push('"requireCitations" must be true or false');
    }
    if (l.locale !== undefined) {
      if (l.locale === 'vi' || l.locale === 'en') settings.locale = l.locale;
      else problems.push('"locale" must be "vi" or "en"');
    }
    if (l.severity !== undefined) {
      if (typeof l.severity !== 'object' || l.severity === null) problems.push('"severity" must be an object');
      else {
        for (const [code, sev] of Object.entries(l.severity as Record<string, unknown>)) {
          if (!(diagnosticCodes as readonly string[]).includes(code)) problems.push(`unknown diagnostic code "${code}" in "severity"`);
          else if (typeof sev === 'string' && ['error', 'warning', 'information', 'hint', 'off'].includes(sev)) settings.severity[code as DiagnosticCode] = sev as SeverityName;
          else problems.push(`severity of "${code}" must be error, warning, information, hint or off`);
        }
      }
    }
  }
  return { settings, problems };
}
