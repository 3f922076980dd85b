/**
 * The claim set: draft sentences about the seed corpus (true, altered and unrelated) with the
 * verdict a careful editor would give. Measures precision and recall of contradictions and
 * prints them; the thresholds are the product's promise (precision first).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, seedCorpus, serviceFor } from '../support/memoryWorkspace';
import { extraArticle, extraClaims, type FixtureClaim } from '../fixtures/extra-article';
import type { SourcemarkService } from '../../server/src/core/service';
import type { SourcemarkSettings } from '../../server/src/core/settings';

const claims: FixtureClaim[] = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/claims.json'), 'utf8'));

interface Outcome {
  claim: FixtureClaim;
  verdict: string;
  evidence?: string;
  article?: string;
  mismatch: boolean;
}

function judge(service: SourcemarkService, settings: SourcemarkSettings, claim: FixtureClaim): Outcome {
  const { check } = service.checkDraft(claim.draft, settings);
  const at = claim.draft.indexOf(claim.figure);
  assert.ok(at >= 0, `${claim.id}: figure not in draft`);
  const end = at + claim.figure.length;
  const f = check.figures.find((x) => x.figure.start < end && x.figure.end > at);
  if (!f) return { claim, verdict: 'not-found', mismatch: false };
  return {
    claim,
    verdict: f.verdict,
    mismatch: Boolean(f.citationMismatch),
    ...(f.evidence ? { evidence: f.evidence.quantity.text, article: f.evidence.sentence.article.meta.id } : {}),
  };
}

function score(outcomes: Outcome[]): { precision: number; recall: number; accuracy: number; tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let right = 0;
  for (const o of outcomes) {
    const expected = o.claim.expect === 'contradicted';
    const got = o.verdict === 'contradicted';
    if (expected && got) tp++;
    else if (got) fp++;
    else if (expected) fn++;
    if (o.verdict === o.claim.expect) right++;
  }
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1, accuracy: right / outcomes.length, tp, fp, fn };
}

function report(name: string, outcomes: Outcome[]): ReturnType<typeof score> {
  const s = score(outcomes);
  const misses = outcomes.filter((o) => o.verdict !== o.claim.expect);
  console.log(`      ${name}: ${outcomes.length} claims, contradictions precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn}); verdict accuracy ${s.accuracy.toFixed(3)}`);
  for (const o of misses) console.log(`        ${o.claim.id}: expected ${o.claim.expect}, got ${o.verdict}${o.evidence ? ` (${o.evidence} in ${o.article})` : ''} — “${o.claim.figure}”`);
  return s;
}

describe('claim set', () => {
  it('finds contradictions in the seed claims with precision ≥ 0.95 and recall ≥ 0.90', async () => {
    const { service, settings } = await serviceFor(seedCorpus());
    const outcomes = claims.map((c) => judge(service, settings, c));
    const s = report('seed claims', outcomes);
    assert.ok(claims.length >= 40);
    assert.ok(s.precision >= 0.95, `precision ${s.precision}`);
    assert.ok(s.recall >= 0.9, `recall ${s.recall}`);
    // A contradiction must point at the source figure the editor would point at.
    for (const o of outcomes) {
      if (o.claim.expect === 'contradicted' && o.verdict === 'contradicted') assert.equal(o.article, o.claim.article, `${o.claim.id}: evidence article`);
    }
    // Unrelated figures are never contradicted.
    for (const o of outcomes) if (o.claim.expect === 'unsupported') assert.notEqual(o.verdict, 'contradicted', `${o.claim.id}: false contradiction`);
  });

  it('flags a citation that points at the wrong article and names the right one', async () => {
    const { service, settings } = await serviceFor(seedCorpus());
    const outcomes = claims.filter((c) => c.citationMismatch).map((c) => judge(service, settings, c));
    assert.ok(outcomes.length >= 3);
    const flagged = outcomes.filter((o) => o.mismatch && o.article === o.claim.article);
    assert.ok(flagged.length >= outcomes.length - 1, `${flagged.length}/${outcomes.length} mismatches flagged`);
  });

  it('works the same on an article that is not in the seed corpus', async () => {
    const { service, settings } = await serviceFor({ ...seedCorpus(), [`corpus/${extraArticle.fileName}`]: extraArticle.content });
    const outcomes = extraClaims.map((c) => judge(service, settings, c));
    const s = report('extra-article claims', outcomes);
    assert.ok(s.precision >= 0.95, `precision ${s.precision}`);
    assert.ok(s.recall >= 0.8, `recall ${s.recall}`);
  });
});
