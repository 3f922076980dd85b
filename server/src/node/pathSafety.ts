/**
 * Where corpus globs and files may point. A glob that a workspace file supplies (a
 * `sourcemark.json`, workspace settings) must not widen the corpus beyond the folder:
 * `../secret/**`, `/etc/**`, `~/.ssh/*`, `**` followed by `..`, or the same hidden in braces
 * (`{.,x}./secret/*`). Matches are checked again by real path (`NodeWorkspace`), so a
 * symbolic link inside the folder cannot lead outside either; this check only lets the
 * hosts refuse a glob early and say why.
 *
 * Hand-written scanning, no regex over the glob: globs are user input.
 */
import * as path from 'node:path';

/** More alternatives than this (after brace expansion) and the glob is refused unchecked. */
const MAX_EXPANSIONS = 256;
/** Longer globs are refused unchecked: no real corpus glob is this long. */
const MAX_GLOB_LENGTH = 4096;

/**
 * Why `glob` (relative to a folder) may match files outside that folder, or `undefined` when
 * it cannot. Conservative: a glob that might escape (for example `**` followed by `..`) is
 * reported even when fast-glob would match nothing through it.
 */
export function globLeavesFolder(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters`;
  let g = glob.trim().split('\\').join('/');
  if (g.startsWith('!')) g = g.slice(1);
  const expansions = expandBraces(g);
  if (!expansions) return `has more than ${MAX_EXPANSIONS} {…} alternatives`;
  for (const e of expansions) {
    const reason = leaves(e);
    if (reason) return reason;
  }
  return undefined;
}

function leaves(g: string): string | undefined {
  if (g.startsWith('/')) return 'is an absolute path';
  if (g.length >= 2 && g[1] === ':' && isLetter(g.charCodeAt(0))) return 'is an absolute path';
  if (g.startsWith('~')) return 'starts in a home folder';
  let depth = 0;
  for (const segment of g.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      depth--;
      if (depth < 0) return 'climbs out of the folder with ".."';
    } else if (segment === '**') {
      // Matches zero or more folders: counts as none, so a later ".." may climb out.
    } else if (holdsDotDotAlternative(segment)) {
      return 'climbs out of the folder with ".."';
    } else depth++;
  }
  return undefined;
}

/** `@(..)`, `+(a|..)`: an extglob alternative that is exactly `..`. */
function holdsDotDotAlternative(segment: string): boolean {
  for (let i = segment.indexOf('..'); i >= 0; i = segment.indexOf('..', i + 1)) {
    const before = segment[i - 1];
    const after = segment[i + 2];
    if ((before === '(' || before === '|') && (after === ')' || after === '|')) return true;
  }
  return false;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Expands `{a,b}` groups (nested too) into every alternative; a group without a top-level
 * comma (`{1..3}`, `{x}`) stays literal. `undefined` when there would be more than
 * {@link MAX_EXPANSIONS}.
 */
export function expandBraces(glob: string): string[] | undefined {
  const out: string[] = [];
  const work = [glob];
  while (work.length) {
    const g = work.pop()!;
    const group = firstGroup(g);
    if (!group) {
      out.push(g);
      if (out.length > MAX_EXPANSIONS) return undefined;
      continue;
    }
    for (const alt of group.alternatives) {
      work.push(g.slice(0, group.start) + alt + g.slice(group.end + 1));
      if (work.length + out.length > MAX_EXPANSIONS) return undefined;
    }
  }
  return out;
}

/** The first brace group with a top-level comma: its bounds and alternatives. One pass with a stack. */
function firstGroup(g: string): { start: number; end: number; alternatives: string[] } | undefined {
  const open: { start: number; commas: number[] }[] = [];
  let best: { start: number; end: number; commas: number[] } | undefined;
  for (let i = 0; i < g.length; i++) {
    const ch = g[i];
    if (ch === '{') open.push({ start: i, commas: [] });
    else if (ch === ',' && open.length) open[open.length - 1]!.commas.push(i);
    else if (ch === '}' && open.length) {
      const group = open.pop()!;
      if (group.commas.length && (!best || group.start < best.start)) best = { start: group.start, end: i, commas: group.commas };
    }
  }
  if (!best) return undefined;
  const bounds = [best.start, ...best.commas, best.end];
  const alternatives: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) alternatives.push(g.slice(bounds[k]! + 1, bounds[k + 1]));
  return { start: best.start, end: best.end, alternatives };
}

/** Whether `target` is `root` or lies under it (both absolute, already resolved). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`));
}
