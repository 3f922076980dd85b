/** `--format sarif`: valid SARIF 2.1.0 that GitHub code scanning accepts, with the corpus snapshot. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { DRAFTS, Projects, ensureBuilt, runCli, write } from './support';
import { repoRoot } from '../support/memoryWorkspace';
import { contentHash } from '../../server/src/core/corpus/decode';
import { diagnosticCodes } from '../../server/src/core/settings';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

// Vendored, hand-written subset of the SARIF 2.1.0 schema (see its description): tests never download.
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schema', 'sarif-2.1.0-subset.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/**
 * The official SARIF 2.1.0 schema, as Microsoft's SARIF SDK ships it in an npm package
 * (optional dependency: the package is Linux-only). Never downloaded at test time.
 */
function officialSchema(): object | undefined {
  try {
    return JSON.parse(fs.readFileSync(require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function sarif(dir: string, args: string[] = []): { log: Sarif.Log; code: number | null } {
  const r = runCli(dir, ['check', '--format', 'sarif', ...args]);
  assert.equal(r.stderr, '');
  const log = JSON.parse(r.stdout) as Sarif.Log;
  assert.ok(validate(log), ajv.errorsText(validate.errors, { separator: '\n' }));
  return { log, code: r.code };
}

/** The documented snapshot hash, computed independently from the files on disk. */
function expectedCorpusHash(dir: string): string {
  const files = fs.readdirSync(path.join(dir, 'corpus')).filter((f) => /\.(txt|md|jsonl)$/.test(f)).sort();
  const h = createHash('sha256');
  for (const f of files) h.update(`corpus/${f}\t${contentHash(fs.readFileSync(path.join(dir, 'corpus', f), 'utf8'))}\n`);
  return `sha256:${h.digest('hex')}`;
}

describe('sourcemark check --format sarif', () => {
  it('validates against the official SARIF 2.1.0 JSON schema', function () {
    const official = officialSchema();
    if (!official) {
      // The schema package installs on Linux only (CI runs there, and this must not skip there).
      assert.notEqual(process.platform, 'linux', 'the official SARIF schema package is missing: run npm ci');
      this.skip();
    }
    const strict = new Ajv2020({ allErrors: true, strict: false });
    addFormats(strict);
    const check = strict.compile(official!);
    const dir = projects.make({ 'drafts/a.md': DRAFTS.wrong + DRAFTS.unknown + DRAFTS.mismatch + DRAFTS.unsupported });
    const { log } = sarif(dir, ['--require-citations']);
    assert.ok(log.runs[0]!.results!.length >= 4);
    assert.ok(check(log), strict.errorsText(check.errors, { separator: '\n' }));
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(check(broken), false, 'the official schema rejects a broken log');
  });

  it('validates against the subset schema, with one rule per diagnostic code and a result for each', () => {
    const dir = projects.make({ 'drafts/a.md': DRAFTS.wrong + DRAFTS.unknown + DRAFTS.mismatch + DRAFTS.unsupported });
    const { log, code } = sarif(dir, ['--require-citations']);
    assert.equal(code, 1);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0]!;
    const driver = run.tool.driver;
    assert.equal(driver.name, 'sourcemark');
    assert.equal(driver.version, JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
    if (driver.informationUri !== undefined) assert.match(driver.informationUri, /^https:\/\//);
    assert.deepEqual(driver.rules?.map((r) => r.id), [...diagnosticCodes]);
    // [rule id, name, default level]
    const expected: [string, string, string][] = [
      ['contradicted-figure', 'ContradictedFigure', 'error'],
      ['citation-mismatch', 'CitationMismatch', 'warning'],
      ['unknown-source', 'UnknownSource', 'error'],
      ['unsupported-figure', 'UnsupportedFigure', 'note'],
      ['missing-citation', 'MissingCitation', 'warning'],
    ];
    for (const [id, name, level] of expected) {
      const rule: Sarif.ReportingDescriptor | undefined = driver.rules?.find((r) => r.id === id);
      assert.deepEqual([rule?.name, rule?.defaultConfiguration?.level], [name, level], id);
    }
    for (const rule of driver.rules!) {
      assert.ok(rule.shortDescription?.text && rule.fullDescription?.text && rule.help?.text, rule.id);
      if (rule.helpUri !== undefined) assert.match(rule.helpUri, new RegExp(`#${rule.id}$`));
    }
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.deepEqual(
      run.results!.map((r) => [r.ruleId, r.level]),
      [
        ['missing-citation', 'warning'],
        ['contradicted-figure', 'error'],
        ['unknown-source', 'error'],
        ['citation-mismatch', 'warning'],
        ['citation-mismatch', 'warning'],
        ['unsupported-figure', 'note'],
      ],
    );
    for (const r of run.results!) assert.equal(driver.rules![r.ruleIndex!]!.id, r.ruleId);
  });

  it('locates results in the draft (relative URI, %SRCROOT%, 1-based region) and the evidence in the corpus', () => {
    const dir = projects.make({ 'drafts/a.md': '# Nháp\n\n' + DRAFTS.wrong });
    const [result] = sarif(dir).log.runs[0]!.results!;
    assert.deepEqual(result!.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'drafts/a.md', uriBaseId: '%SRCROOT%', index: 0 },
      region: { startLine: 3, startColumn: 38, endLine: 3, endColumn: 48 },
    });
    assert.equal(result!.message.text, '"5,4 tỷ USD" contradicts the source: [@002_bd768a52f42e921c] says "4,5 tỷ USD".');
    const related = result!.relatedLocations![0]!;
    assert.equal(related.physicalLocation!.artifactLocation!.uri, 'corpus/002_bd768a52f42e921c.txt');
    assert.equal(related.physicalLocation!.artifactLocation!.uriBaseId, '%SRCROOT%');
    const region = related.physicalLocation!.region!;
    const sourceLine = fs.readFileSync(path.join(dir, 'corpus', '002_bd768a52f42e921c.txt'), 'utf8').split('\n')[region.startLine! - 1]!;
    assert.equal(sourceLine.slice(region.startColumn! - 1, region.endColumn! - 1), '4,5 tỷ USD');
    assert.match(related.message!.text!, /^002_bd768a52f42e921c — /);
  });

  it('records the corpus snapshot hash and article count, stable across runs and changed by an edit', () => {
    const dir = projects.make({ 'a.md': DRAFTS.correct });
    const first = sarif(dir).log.runs[0]!.properties!;
    assert.deepEqual(first, { corpusHash: expectedCorpusHash(dir), corpusArticles: 5, corpusFiles: 5 });
    assert.equal(sarif(dir).log.runs[0]!.properties!.corpusHash, first.corpusHash);
    fs.appendFileSync(path.join(dir, 'corpus', '004_d08c92ed60afddfa.txt'), '\nMột câu thêm.\n');
    const changed = sarif(dir).log.runs[0]!.properties!;
    assert.notEqual(changed.corpusHash, first.corpusHash);
    assert.equal(changed.corpusHash, expectedCorpusHash(dir));
  });

  it('keeps partial fingerprints when lines move, and tells repeated findings apart', () => {
    const dir = projects.make({ 'a.md': DRAFTS.wrong + DRAFTS.wrong });
    const before = sarif(dir).log.runs[0]!.results!.map((r) => r.partialFingerprints!['sourcemark/v1']);
    assert.equal(new Set(before).size, 2);
    write(dir, 'a.md', '# Tiêu đề mới\n\nMột đoạn mở đầu.\n\n' + DRAFTS.wrong + DRAFTS.wrong);
    const after = sarif(dir).log.runs[0]!.results!.map((r) => r.partialFingerprints!['sourcemark/v1']);
    assert.deepEqual(after, before);
  });

  it('percent-encodes file names into valid URI references and gives an empty result list when clean', () => {
    const dir = projects.make({ 'bản nháp #1.md': DRAFTS.wrong, 'sạch.md': DRAFTS.correct });
    const results = sarif(dir, ['bản nháp #1.md']).log.runs[0]!.results!;
    assert.equal(results[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri, 'b%E1%BA%A3n%20nh%C3%A1p%20%231.md');
    assert.deepEqual(sarif(dir, ['sạch.md']).log.runs[0]!.results, []);
  });

  it('is rejected by the schema when broken (the validator is not a no-op)', () => {
    const dir = projects.make({ 'a.md': DRAFTS.wrong });
    const log = sarif(dir).log as unknown as { runs: { results: { level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(log), false);
    log.runs[0]!.results[0]!.level = 'error';
    log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    assert.equal(validate(log), false);
  });
});
