/**
 * Regex timing table: every regex of server/src against generic and pattern-derived pumps at
 * n = 1k, 4k, 16k (and 64k with --big). Prints, per pattern, the pump with the worst time at
 * the largest n, its times, and the growth ratio largest/smallest. Not part of `npm test`.
 *
 *   node --import tsx test/bench/regex.ts [--big] [--all] [--filter TEXT]
 */
import { collectAll } from '../regex/collect';
import { pumpsFor, staticFindings, timeJobs } from '../regex/analyze';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const big = args.includes('--big');
  const all = args.includes('--all');
  const fi = args.indexOf('--filter');
  const filter = fi >= 0 ? args[fi + 1] : undefined;
  const sizes = big ? [1_000, 4_000, 16_000, 64_000] : [1_000, 4_000, 16_000];
  const reps = sizes.map((n) => (n <= 4_000 ? 5 : 3));
  const { regexes, unresolved, files } = collectAll();
  const chosen = regexes.filter((r) => !filter || r.where.includes(filter) || r.source.includes(filter));
  console.log(`${regexes.length} regexes in ${files} files under server/src; timing ${chosen.length}.`);
  for (const u of unresolved) console.log(`not folded automatically (rebuilt by hand in test/regex/collect.ts): ${u.where}  ${u.code}`);
  const started = Date.now();
  const results = await timeJobs(
    chosen.map((r) => ({ where: r.where, source: r.source, flags: r.flags, pumps: pumpsFor(r) })),
    sizes,
    reps,
    60_000,
  );
  const rows = results.map((t) => {
    const worst = t.timings.reduce((a, b) => (b.ms[b.ms.length - 1]! > a.ms[a.ms.length - 1]! ? b : a), t.timings[0] ?? { pump: '-', ms: sizes.map(() => NaN) });
    const first = worst.ms[0]!;
    const last = worst.ms[worst.ms.length - 1]!;
    const r = chosen.find((c) => c.where === t.where && c.source === t.source)!;
    let findings: string[] = [];
    try {
      findings = staticFindings(r.source, r.flags);
    } catch (e) {
      findings = [`unparsed: ${(e as Error).message}`];
    }
    return { where: t.where, pattern: `/${t.source.length > 50 ? `${t.source.slice(0, 47)}...` : t.source}/${r.flags}`, pump: worst.pump, ms: worst.ms, growth: last / Math.max(first, 0.001), note: t.blewUp ?? findings.join('; ') };
  });
  rows.sort((a, b) => (b.ms[b.ms.length - 1] ?? Infinity) - (a.ms[a.ms.length - 1] ?? Infinity));
  const shown = all ? rows : rows.slice(0, 40);
  const header = ['pattern (file:line:col)', 'regex', 'worst input', ...sizes.map((n) => `${n / 1000}k ms`), 'growth', 'note'];
  const table = shown.map((r) => [r.where.replace(/^server\/src\//, ''), r.pattern, r.pump, ...r.ms.map((m) => (Number.isFinite(m) ? m.toFixed(2) : '—')), `${r.growth.toFixed(0)}×`, r.note]);
  const widths = header.map((h, k) => Math.min(60, Math.max(h.length, ...table.map((row) => String(row[k]).length))));
  const line = (cells: string[]): string => cells.map((c, k) => (k >= 3 && k < 3 + sizes.length + 1 ? c.padStart(widths[k]!) : c.padEnd(widths[k]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row.map(String)));
  if (!all && rows.length > shown.length) console.log(`… ${rows.length - shown.length} more (linear and fast); --all shows them.`);
  console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s; linear growth over ${sizes[sizes.length - 1]! / sizes[0]!}× the input is ~${sizes[sizes.length - 1]! / sizes[0]!}×, quadratic ~${(sizes[sizes.length - 1]! / sizes[0]!) ** 2}×.`);
}

void main();
