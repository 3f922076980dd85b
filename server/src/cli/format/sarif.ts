/**
 * `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning and SARIF viewers, built with
 * `node-sarif-builder` (which also fills in `ruleIndex` and the `artifacts` table).
 */
import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Diagnostic } from '../../core/check/diagnostics';
import type { Range } from '../../core/types';
import type { SeverityName } from '../../core/settings';
import { INFORMATION_URI, VERSION } from '../usage';
import { evidenceOf } from './evidence';
import type { CheckReport } from './report';
import { RULES } from './rules';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Paths are relative to the checkout root; code scanning resolves this base id to it. */
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Diagnostic['severity'], Sarif.Result.level> = { 1: 'error', 2: 'warning', 3: 'note', 4: 'note' };
const DEFAULT_LEVEL: Record<SeverityName, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note', off: 'none' };

export function formatSarif(report: CheckReport): string {
  const run = new SarifRunBuilder({
    tool: { driver: { name: 'sourcemark', version: VERSION, semanticVersion: VERSION, ...(INFORMATION_URI ? { informationUri: INFORMATION_URI } : {}), rules: [] } },
    // LSP characters are UTF-16 code units; SARIF's default is code points, which would shift
    // columns after any astral character.
    columnKind: 'utf16CodeUnits',
    properties: runProperties(report),
  });
  for (const rule of RULES) run.addRule(new SarifRuleBuilder(ruleDescriptor(rule)));
  for (const f of report.files) {
    const seen = new Map<string, number>();
    for (const d of f.diagnostics) run.addResult(new SarifResultBuilder(result(d, f.file, report.cwd, seen)));
  }
  const log = new SarifBuilder({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [] });
  log.addRun(run);
  return log.buildSarifJsonString({ indent: true }) + '\n';
}

function runProperties(report: CheckReport): Sarif.PropertyBag {
  return {
    // Enough to reproduce a finding: the exact corpus the drafts were checked against.
    corpusHash: report.corpus.hash,
    corpusArticles: report.corpus.articles,
    corpusFiles: report.corpus.files,
    ...(report.changedSince ? { changedSince: report.changedSince } : {}),
    ...(report.omitted ? { omittedFindings: report.omitted, maxFindings: report.maxFindings } : {}),
  };
}

function ruleDescriptor(rule: (typeof RULES)[number]): Sarif.ReportingDescriptor {
  const helpUri = INFORMATION_URI ? `${INFORMATION_URI}#${rule.id}` : undefined;
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.short },
    fullDescription: { text: rule.full },
    help: { text: rule.full, markdown: `**${rule.title}** (\`${rule.id}\`): ${rule.full}${helpUri ? `\n\nSee [the Sourcemark CLI reference](${helpUri}).` : ''}` },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: DEFAULT_LEVEL[rule.defaultSeverity] },
    properties: { tags: ['fact-check'] },
  };
}

function result(d: Diagnostic, file: string, cwd: string, seen: Map<string, number>): Sarif.Result {
  const e = evidenceOf(d, cwd);
  return {
    ruleId: d.code,
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [location(file, d.range)],
    ...(e ? { relatedLocations: [{ id: 1, ...location(e.path, e.range), message: { text: e.message } }] } : {}),
    partialFingerprints: { 'sourcemark/v1': fingerprint(d, file, seen) },
    ...(d.data ? { properties: { ...d.data } } : {}),
  };
}

function location(file: string, range: Range): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: fileUri(file), uriBaseId: SRCROOT },
      // SARIF lines and columns are 1-based and endColumn is exclusive, like LSP's end.
      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
    },
  };
}

/** A relative URI reference: each path segment percent-encoded (spaces, Vietnamese letters). */
function fileUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/**
 * Identifies a finding across runs even when lines move: file, code and the figure (or
 * citation key), plus its occurrence number among equal ones in the file. Code scanning uses
 * it to keep a finding's history instead of opening a new alert per edit.
 */
function fingerprint(d: Diagnostic, file: string, seen: Map<string, number>): string {
  const subject = `${file}\0${d.code}\0${d.data?.figure ?? d.data?.key ?? d.message}`;
  const n = (seen.get(subject) ?? 0) + 1;
  seen.set(subject, n);
  return createHash('sha256').update(`${subject}\0${n}`).digest('hex').slice(0, 32);
}
