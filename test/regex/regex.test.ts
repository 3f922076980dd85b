/**
 * Catastrophic-backtracking guard for every regular expression under `server/src`.
 *
 * 1. Collection: every regex literal and `new RegExp(...)` is found by `collect.ts`; the
 *    constructors it cannot fold must be rebuilt by hand there (this test says which).
 * 2. Static: no nested-quantifier shape — `(a+)+`, `(a*)*`, `(a|a)*` — see `analyze.ts`.
 * 3. Dynamic: each pattern scans adversarial pumps at n = 1k, 4k, 16k in a worker thread.
 *    No absolute time limits (CI machines differ): the time at 16k must stay below
 *    64 × the time at 1k + 25 ms, i.e. clearly sub-quadratic growth for a 16× larger input;
 *    a pattern that does not finish within the deadline blew up.
 *
 * `node --import tsx test/bench/regex.ts` prints the full timing table.
 */
import * as assert from 'node:assert/strict';
import { collectAll, manualKeyFor, type CollectedRegex } from './collect';
import { pumpsFor, staticFindings, timeJobs, type PatternTiming } from './analyze';

export const SIZES = [1_000, 4_000, 16_000];
export const REPS = [3, 2, 2];
/** Allowed growth from 1k to 16k: 16× linear × 4 of head-room, plus a constant for timer noise. */
const GROWTH = 64;
const NOISE_MS = 25;
const PATTERN_DEADLINE_MS = 20_000;

/**
 * Patterns whose scan grows quadratically on some pump, with why it is bounded in practice.
 * They are held to a quadratic bound here; the strict growth test for them is skipped (a bug
 * for the lead to judge: each is O(n²) in the length of what it is applied to).
 */
export const KNOWN_QUADRATIC: { file: string; source: string; why: string }[] = [];

const knownQuadratic = (t: { where: string; source: string }): boolean => KNOWN_QUADRATIC.some((k) => t.where.startsWith(`${k.file}:`) && t.source === k.source);

export function growthOk(ms: number[], factor = GROWTH): boolean {
  return ms[2]! <= factor * ms[0]! + NOISE_MS;
}

describe('regex guard', function () {
  this.timeout(300_000);
  const { regexes, unresolved, files } = collectAll();

  it(`collects the regexes of server/src (${regexes.length} in ${files} files)`, () => {
    assert.ok(files > 20 && regexes.length > 100, `${regexes.length} regexes in ${files} files`);
    for (const r of regexes) assert.doesNotThrow(() => new RegExp(r.source, r.flags), `${r.where}: /${r.source}/${r.flags} does not compile as extracted`);
  });

  it('every constructor it could not fold is rebuilt by hand (collect.ts manualRegexes)', () => {
    const missing = unresolved.filter((u) => !manualKeyFor(u));
    assert.deepEqual(missing.map((u) => `${u.where}: ${u.code}`), []);
  });

  it('static check: no nested quantifier shapes (a+)+, (a*)*, (a|a)*', () => {
    const bad: string[] = [];
    for (const r of regexes) {
      let findings: string[];
      try {
        findings = staticFindings(r.source, r.flags);
      } catch (e) {
        findings = [`could not parse: ${(e as Error).message}`];
      }
      for (const f of findings) bad.push(`${r.where} /${r.source}/${r.flags}: ${f}`);
    }
    assert.deepEqual(bad, []);
  });

  it('static check: recognises the textbook catastrophic shapes', () => {
    for (const src of ['(a+)+$', '(a*)*b', '(a|a)*c', '(?:\\w|\\d)+$', '(x+x+)+y', '^(\\s*\\S+\\s*)+$', '([a-z]+\\d*)+!']) assert.notDeepEqual(staticFindings(src, ''), [], src);
    for (const src of ['\\d+(?:[.,]\\d+)*', '[\\p{L}\\p{N}]+(?:[\'’][\\p{L}]+)*', '^(?:\\p{L}{1,2}\\.)+\\p{L}{1,2}$', '(?:ab)+', '"(?:[^"\\\\]|\\\\.)*"']) assert.deepEqual(staticFindings(src, 'u'), [], src);
  });

  it('dynamic harness: a catastrophic pattern is stopped at the deadline and reported', async () => {
    const [bad, good] = await timeJobs(
      [
        { where: 'textbook', source: '(a+)+$', flags: '', pumps: [{ name: "'a'×n+'!'", prefix: '', unit: 'a', suffix: '!' }] },
        { where: 'linear', source: 'a+$', flags: '', pumps: [{ name: "'a'×n+'!'", prefix: '', unit: 'a', suffix: '!' }] },
      ],
      [1_000],
      [1],
      1_500,
    );
    assert.match(bad!.blewUp ?? '', /no result within/);
    assert.equal(good!.blewUp, undefined);
    assert.equal(good!.timings.length, 1);
  });

  describe('dynamic: growth from 1k to 16k on adversarial pumps', () => {
    let timings: PatternTiming[] = [];
    before(async () => {
      timings = await timeJobs(
        regexes.map((r: CollectedRegex) => ({ where: r.where, source: r.source, flags: r.flags, pumps: pumpsFor(r) })),
        SIZES,
        REPS,
        PATTERN_DEADLINE_MS,
      );
    });

    const failures = (strict: boolean): string[] => {
      const out: string[] = [];
      for (const t of timings) {
        if (t.blewUp) {
          out.push(`${t.where} /${t.source}/: ${t.blewUp}`);
          continue;
        }
        const quadratic = knownQuadratic(t);
        if (quadratic !== strict) continue;
        for (const p of t.timings) {
          // Known-quadratic patterns: 16× the input may cost 256× (quadratic), with head-room ×4.
          if (!growthOk(p.ms, strict ? 1024 : GROWTH)) out.push(`${t.where} /${t.source}/ on ${p.pump}: ${p.ms.map((m) => m.toFixed(2)).join(' / ')} ms at ${SIZES.join(' / ')}`);
        }
      }
      return out;
    };

    it('every pattern finishes and grows at most ~n^1.5 (t16k ≤ 64·t1k + 25 ms)', () => {
      assert.equal(timings.length, regexes.length);
      assert.deepEqual(failures(false), []);
    });

    it('the known quadratic patterns stay within a quadratic bound (t16k ≤ 1024·t1k + 25 ms)', () => {
      assert.deepEqual(failures(true), []);
    });

    // Regression guard for a fixed bug (regex complexity): the patterns in KNOWN_QUADRATIC are O(n²) in the length of the
    // string they scan (minimal inputs: the pump named in each entry, e.g. ' '.repeat(16000) for
    // run.ts:46 takes ~250 ms, '0,'.repeat(16000) for completion.ts:28 ~450 ms).
    it('the formerly quadratic patterns meet the strict growth bound', () => {
      const out: string[] = [];
      for (const t of timings) if (knownQuadratic(t)) for (const p of t.timings) if (!growthOk(p.ms)) out.push(`${t.where} on ${p.pump}: ${p.ms.map((m) => m.toFixed(2)).join(' / ')} ms`);
      assert.deepEqual(out, []);
    });
  });
});
