/**
 * Static and dynamic checks for catastrophic backtracking.
 *
 * Static: a small parser for JavaScript regex syntax builds a tree, and every unbounded
 * quantifier is checked for the shapes that backtrack exponentially:
 * - `(a*)*`: the repeated body can match the empty string and holds an unbounded quantifier;
 * - `(a+)+`: a repeatable piece at the END of the body can match what the body STARTS with (or
 *   the other way round), so one text splits into iterations in exponentially many ways;
 * - `(a|a)*`: two alternatives of the repeated body can start with the same character.
 * Character sets are compared by testing each atom against a sample of code points (ASCII,
 * Latin, combining marks, Vietnamese, punctuation, CJK, fullwidth, astral digits).
 *
 * Dynamic: pumps — long adversarial strings, generic and derived from the characters the
 * pattern mentions — timed by `timeWorker.mjs` in a worker thread that can be terminated.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CollectedRegex } from './collect';

// ------------------------------------------------------------------ parsing

type Node =
  | { k: 'atom'; src: string }
  | { k: 'empty' }
  | { k: 'look'; body: Node }
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; alts: Node[] }
  | { k: 'quant'; body: Node; min: number; max: number };

const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

/** Parses a regex source into a tree. Throws on syntax it does not know (the caller reports it). */
export function parseRegex(source: string, flags: string): Node {
  const unicode = flags.includes('u') || flags.includes('v');
  let i = 0;
  const peek = (): string | undefined => source[i];

  function parseAlt(): Node {
    const alts: Node[] = [parseSeq()];
    while (peek() === '|') {
      i++;
      alts.push(parseSeq());
    }
    return alts.length === 1 ? alts[0]! : { k: 'alt', alts };
  }

  function parseSeq(): Node {
    const items: Node[] = [];
    while (i < source.length && peek() !== '|' && peek() !== ')') {
      let atom = parseAtom();
      for (;;) {
        const q = parseQuantifier();
        if (!q) break;
        atom = { k: 'quant', body: atom, min: q.min, max: q.max };
      }
      items.push(atom);
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  }

  function parseQuantifier(): { min: number; max: number } | null {
    const c = peek();
    let q: { min: number; max: number } | null = null;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return null; // a literal "{" (non-unicode mode)
      i += m[0].length;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    } else return null;
    if (peek() === '?') i++; // lazy
    return q;
  }

  function parseAtom(): Node {
    const c = source[i]!;
    if (c === '^' || c === '$') {
      i++;
      return { k: 'empty' };
    }
    if (c === '.') {
      i++;
      return { k: 'atom', src: '.' };
    }
    if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']' && !unicode) j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      const src = source.slice(i, j + 1);
      i = j + 1;
      return { k: 'atom', src };
    }
    if (c === '(') {
      i++;
      let look = false;
      if (source.startsWith('?:', i)) i += 2;
      else if (source.startsWith('?=', i) || source.startsWith('?!', i)) {
        i += 2;
        look = true;
      } else if (source.startsWith('?<=', i) || source.startsWith('?<!', i)) {
        i += 3;
        look = true;
      } else if (source.startsWith('?<', i)) i = source.indexOf('>', i) + 1;
      const body = parseAlt();
      if (peek() !== ')') throw new Error(`unbalanced group at ${i}`);
      i++;
      return look ? { k: 'look', body } : body;
    }
    if (c === '\\') {
      const d = source[i + 1]!;
      if (d === 'b' || d === 'B') {
        i += 2;
        return { k: 'empty' };
      }
      if (/[1-9]/.test(d) || (d === 'k' && source[i + 2] === '<')) {
        // A back-reference: treated as matching nothing in particular.
        i += d === 'k' ? source.indexOf('>', i) + 1 - i : 1 + /^\d+/.exec(source.slice(i + 1))![0].length;
        return { k: 'empty' };
      }
      let len = 2;
      if ((d === 'p' || d === 'P') && source[i + 2] === '{') len = source.indexOf('}', i) + 1 - i;
      else if (d === 'u' && source[i + 2] === '{') len = source.indexOf('}', i) + 1 - i;
      else if (d === 'u' && /^[0-9a-fA-F]{4}/.test(source.slice(i + 2))) len = 6;
      else if (d === 'x' && /^[0-9a-fA-F]{2}/.test(source.slice(i + 2))) len = 4;
      else if (d === 'c') len = 3;
      const src = source.slice(i, i + len);
      i += len;
      return { k: 'atom', src };
    }
    // A literal character (a whole surrogate pair in unicode mode).
    const cp = unicode ? String.fromCodePoint(source.codePointAt(i)!) : c;
    i += cp.length;
    return { k: 'atom', src: SYNTAX.has(cp) ? `\\${cp}` : cp };
  }

  const tree = parseAlt();
  if (i !== source.length) throw new Error(`unexpected ${JSON.stringify(source[i])} at ${i}`);
  return tree;
}

// ------------------------------------------------------------------ character sets

const SAMPLE: string[] = (() => {
  const ranges: [number, number][] = [
    [0, 0x24f], [0x300, 0x36f], [0x370, 0x3ff], [0x400, 0x45f], [0x600, 0x66f], [0x900, 0x96f], [0x1e00, 0x1eff], [0x2000, 0x206f],
    [0x20a0, 0x20bf], [0x2100, 0x2130], [0x2212, 0x2212], [0x3000, 0x3010], [0x4e00, 0x4e05], [0xac00, 0xac02], [0xfeff, 0xfeff], [0xff01, 0xff5e],
    [0x1d7ce, 0x1d7d8], [0x1f600, 0x1f601],
  ];
  const out: string[] = [];
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) out.push(String.fromCodePoint(c));
  return out;
})();

type CharSet = Uint8Array;
const setCache = new Map<string, CharSet>();

function atomSet(src: string, flags: string): CharSet {
  const f = flags.replace(/[gy]/g, '');
  const key = `${f}/${src}`;
  let set = setCache.get(key);
  if (!set) {
    set = new Uint8Array(SAMPLE.length);
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${src})$`, f);
    } catch {
      set.fill(1);
      setCache.set(key, set);
      return set;
    }
    for (let k = 0; k < SAMPLE.length; k++) if (re.test(SAMPLE[k]!)) set[k] = 1;
    setCache.set(key, set);
  }
  return set;
}

const emptySet = (): CharSet => new Uint8Array(SAMPLE.length);
function union(a: CharSet, b: CharSet): CharSet {
  const out = new Uint8Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a[k]! | b[k]!;
  return out;
}
function overlap(a: CharSet, b: CharSet): string | undefined {
  for (let k = 0; k < a.length; k++) if (a[k] && b[k]) return SAMPLE[k];
  return undefined;
}

// ------------------------------------------------------------------ analysis

class Analyzer {
  constructor(private readonly flags: string) {}

  nullable(n: Node): boolean {
    switch (n.k) {
      case 'atom':
        return false;
      case 'empty':
      case 'look':
        return true;
      case 'seq':
        return n.items.every((x) => this.nullable(x));
      case 'alt':
        return n.alts.some((x) => this.nullable(x));
      case 'quant':
        return n.min === 0 || this.nullable(n.body);
    }
  }

  first(n: Node): CharSet {
    switch (n.k) {
      case 'atom':
        return atomSet(n.src, this.flags);
      case 'empty':
      case 'look':
        return emptySet();
      case 'seq': {
        let s = emptySet();
        for (const x of n.items) {
          s = union(s, this.first(x));
          if (!this.nullable(x)) break;
        }
        return s;
      }
      case 'alt':
        return n.alts.reduce((s, x) => union(s, this.first(x)), emptySet());
      case 'quant':
        return n.max === 0 ? emptySet() : this.first(n.body);
    }
  }

  last(n: Node): CharSet {
    if (n.k === 'seq') {
      let s = emptySet();
      for (let k = n.items.length - 1; k >= 0; k--) {
        s = union(s, this.last(n.items[k]!));
        if (!this.nullable(n.items[k]!)) break;
      }
      return s;
    }
    if (n.k === 'alt') return n.alts.reduce((s, x) => union(s, this.last(x)), emptySet());
    if (n.k === 'quant') return n.max === 0 ? emptySet() : this.last(n.body);
    return this.first(n);
  }

  /** Characters a repeatable (max > 1) quantifier at the edge of `n` can match. */
  edgeRepeat(n: Node, end: boolean): CharSet {
    switch (n.k) {
      case 'seq': {
        let s = emptySet();
        const items = end ? [...n.items].reverse() : n.items;
        for (const x of items) {
          s = union(s, this.edgeRepeat(x, end));
          if (!this.nullable(x)) break;
        }
        return s;
      }
      case 'alt':
        return n.alts.reduce((s, x) => union(s, this.edgeRepeat(x, end)), emptySet());
      case 'quant': {
        const inner = this.edgeRepeat(n.body, end);
        return n.max > 1 ? union(inner, this.first(n.body)) : inner;
      }
      default:
        return emptySet();
    }
  }

  hasUnbounded(n: Node): boolean {
    switch (n.k) {
      case 'quant':
        return n.max === Infinity || this.hasUnbounded(n.body);
      case 'seq':
        return n.items.some((x) => this.hasUnbounded(x));
      case 'alt':
        return n.alts.some((x) => this.hasUnbounded(x));
      case 'look':
        return this.hasUnbounded(n.body);
      default:
        return false;
    }
  }

  /** Findings for every unbounded quantifier in `n`. */
  check(n: Node, out: string[]): void {
    if (n.k === 'quant') {
      if (n.max === Infinity) {
        const b = n.body;
        if (this.nullable(b) && this.hasUnbounded(b)) out.push('nested quantifier over a body that can be empty: (a*)* shape');
        const tail = overlap(this.edgeRepeat(b, true), this.first(b));
        const head = overlap(this.edgeRepeat(b, false), this.last(b));
        if (tail !== undefined || head !== undefined) out.push(`nested quantifier whose iterations can split one text in several ways: (a+)+ shape (on ${JSON.stringify(tail ?? head)})`);
        if (b.k === 'alt') {
          for (let x = 0; x < b.alts.length; x++)
            for (let y = x + 1; y < b.alts.length; y++) {
              const c = overlap(this.first(b.alts[x]!), this.first(b.alts[y]!));
              if (c !== undefined) out.push(`repeated alternation whose branches start alike: (a|a)* shape (on ${JSON.stringify(c)})`);
            }
        }
      }
      this.check(n.body, out);
    } else if (n.k === 'seq') n.items.forEach((x) => this.check(x, out));
    else if (n.k === 'alt') n.alts.forEach((x) => this.check(x, out));
    else if (n.k === 'look') this.check(n.body, out);
  }

  /** One representative character per atom, in source order. */
  atoms(n: Node, out: string[]): void {
    if (n.k === 'atom') {
      const s = atomSet(n.src, this.flags);
      // Prefer a printable ASCII representative, then anything.
      let rep: string | undefined;
      for (let k = 0x21; k < 0x7f && rep === undefined; k++) if (s[k]) rep = SAMPLE[k];
      for (let k = 0; k < s.length && rep === undefined; k++) if (s[k]) rep = SAMPLE[k];
      if (rep !== undefined) out.push(rep);
    } else if (n.k === 'seq') n.items.forEach((x) => this.atoms(x, out));
    else if (n.k === 'alt') n.alts.forEach((x) => this.atoms(x, out));
    else if (n.k === 'quant' || n.k === 'look') this.atoms(n.body, out);
  }
}

/** The nested-quantifier findings for one pattern (empty: none). */
export function staticFindings(source: string, flags: string): string[] {
  const out: string[] = [];
  new Analyzer(flags).check(parseRegex(source, flags), out);
  return [...new Set(out)];
}

// ------------------------------------------------------------------ pumps

/** An adversarial input: `prefix + unit.repeat(n) + suffix`. */
export interface Pump {
  name: string;
  prefix: string;
  unit: string;
  suffix: string;
}

export const GENERIC_PUMPS: Pump[] = [
  { name: "'a'×n+'!'", prefix: '', unit: 'a', suffix: '!' },
  { name: "' '×n", prefix: '', unit: ' ', suffix: '' },
  { name: "' '×n+'x'", prefix: '', unit: ' ', suffix: 'x' },
  { name: "'1.'×n", prefix: '', unit: '1.', suffix: '' },
  { name: "'1,'×n", prefix: '', unit: '1,', suffix: '' },
  { name: "'@'×n", prefix: '', unit: '@', suffix: '' },
  { name: "'['×n", prefix: '', unit: '[', suffix: '' },
  { name: "'[a'×n", prefix: '', unit: '[a', suffix: '' },
  { name: "'\\n'×n", prefix: '', unit: '\n', suffix: '' },
  { name: "'ạ'×n+'!'", prefix: '', unit: 'ạ', suffix: '!' },
  { name: "'A '×n+'1'", prefix: '', unit: 'A ', suffix: '1' },
];

/** Pumps built from the characters the pattern mentions. */
export function derivedPumps(source: string, flags: string): Pump[] {
  const reps: string[] = [];
  try {
    new Analyzer(flags).atoms(parseRegex(source, flags), reps);
  } catch {
    return [];
  }
  const pumps: Pump[] = [];
  const seen = new Set<string>(GENERIC_PUMPS.map((p) => p.unit + p.suffix));
  const add = (unit: string, suffix: string): void => {
    if (!unit || seen.has(unit + suffix) || pumps.length >= 16) return;
    seen.add(unit + suffix);
    pumps.push({ name: `${JSON.stringify(unit)}×n${suffix ? `+${JSON.stringify(suffix)}` : ''}`, prefix: '', unit, suffix });
  };
  const unique = [...new Set(reps)];
  // Each character alone, followed by something that breaks the match.
  for (const c of unique.slice(0, 8)) add(c, '\u0000');
  // Neighbouring atoms together ("1." for "\d+(?:[.,]\d+)*", "a " for words and spaces).
  for (let k = 0; k + 1 < reps.length && k < 12; k++) add(reps[k]! + reps[k + 1]!, '\u0000');
  // The literal run the pattern spells ("thoa thuan", "hiep uoc"), repeated with a space.
  add(`${reps.slice(0, 12).join('')} `, '\u0000');
  return pumps;
}

export function pumpsFor(r: CollectedRegex): Pump[] {
  return [...GENERIC_PUMPS, ...derivedPumps(r.source, r.flags)];
}

// ------------------------------------------------------------------ timing in a worker

export interface PumpTiming {
  pump: string;
  /** Milliseconds per size, min over the repetitions. */
  ms: number[];
}

export interface PatternTiming {
  where: string;
  source: string;
  timings: PumpTiming[];
  /** Set when a measurement did not finish in time (the worker was terminated). */
  blewUp?: string;
}

export interface TimingJob {
  where: string;
  source: string;
  flags: string;
  pumps: Pump[];
}

/**
 * Times every job's pumps at every size in a worker thread. A pattern whose measurements take
 * longer than `patternDeadlineMs` is reported as blown up; the worker is terminated and a new
 * one continues with the next pattern, so a catastrophic regex cannot hang the caller.
 */
export async function timeJobs(jobs: TimingJob[], sizes: number[], reps: number[], patternDeadlineMs: number, onResult?: (t: PatternTiming) => void): Promise<PatternTiming[]> {
  const results: PatternTiming[] = [];
  let next = 0;
  while (next < jobs.length) {
    const batch = jobs.slice(next);
    const base = next;
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(path.join(__dirname, 'timeWorker.mjs'), { workerData: { jobs: batch, sizes, reps } });
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          const job = jobs[next]!;
          const t: PatternTiming = { where: job.where, source: job.source, timings: [], blewUp: `no result within ${patternDeadlineMs} ms` };
          results.push(t);
          onResult?.(t);
          next++;
          void worker.terminate().then(() => resolve());
        }, patternDeadlineMs);
      };
      arm();
      worker.on('message', (m: { index: number; timings: PumpTiming[]; error?: string } | 'done') => {
        if (m === 'done') {
          if (timer) clearTimeout(timer);
          void worker.terminate().then(() => resolve());
          return;
        }
        const job = jobs[base + m.index]!;
        const t: PatternTiming = { where: job.where, source: job.source, timings: m.timings, ...(m.error ? { blewUp: m.error } : {}) };
        results.push(t);
        onResult?.(t);
        next = base + m.index + 1;
        arm();
      });
      worker.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      });
    });
  }
  return results;
}
