/**
 * Bench workspaces in a temporary folder: `corpus/seed/` (copies of the repo's seed articles
 * and sidecars), `corpus/bg/` (the background articles of `--corpus DIR`), `drafts/` (100
 * generated drafts for the CLI), `open/long.md` (a ~3,000-word draft for the LSP rows) and
 * `claims/` (one file per claim of test/fixtures/claims.json).
 *
 * Background articles are HARD links, not symbolic links: the workspace lists corpus files
 * without following symbolic links (`NodeWorkspace`, fast-glob `followSymbolicLinks: false`),
 * so a folder of symlinks indexes as empty. A hard link costs no space and keeps the archive
 * out of the repo; only when DIR lies on another file system are the files copied (into the
 * temporary folder, never the repo). Nothing is ever written through a background link.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArticleFile } from '../../server/src/core/corpus/parseArticle';
import { splitSentences } from '../../server/src/core/text/sentences';
import { repoRoot } from '../support/memoryWorkspace';
import { mulberry32 } from '../support/prng';

export interface Claim {
  id: string;
  draft: string;
  figure: string;
  expect: string;
}

export const claims: Claim[] = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/claims.json'), 'utf8'));

export interface BenchWorkspace {
  root: string;
  /** The seed article copied to `corpus/seed/`, safe to modify (re-index row). */
  editableSeed: string;
  longDraft: string;
  /** Paths (relative to root) of the claim files. */
  claimFiles: Map<string, string>;
  copied: number;
  linked: number;
}

/** The article files of DIR (sorted, first `limit`), absolute paths with links resolved. */
export function listArticles(dir: string, limit: number): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(txt|md|jsonl)$/i.test(f) && !f.endsWith('.meta.yaml'))
    .sort()
    .slice(0, limit)
    .map((f) => fs.realpathSync(path.join(dir, f)));
}

/** Sentences of a set of files, extracted the way the old in-process bench did. */
export function sentencesOf(files: string[]): { text: string; id: string }[] {
  const out: { text: string; id: string }[] = [];
  for (const file of files) {
    const { articles } = parseArticleFile(path.basename(file), fs.readFileSync(file, 'utf8'));
    for (const a of articles) for (const p of a.paragraphs) for (const s of splitSentences(a.text, p.start, p.end)) out.push({ text: a.text.slice(s.start, s.end), id: a.meta.id });
  }
  return out;
}

export const seedFiles = (): string[] =>
  fs
    .readdirSync(path.join(repoRoot, 'corpus'))
    .filter((f) => /\.(txt|md|jsonl)$/i.test(f))
    .sort()
    .map((f) => path.join(repoRoot, 'corpus', f));


const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

/** Draft text generator: claim sentences mixed with article sentences (half of those carrying figures, some cited). */
export class DraftMaker {
  private readonly withFigures: { text: string; id: string }[];
  private readonly plain: { text: string; id: string }[];

  constructor(pool: { text: string; id: string }[]) {
    const usable = pool.filter((s) => s.text.length > 40 && s.text.length < 400 && !s.text.includes('\n'));
    this.withFigures = usable.filter((s) => /\d/.test(s.text));
    this.plain = usable.filter((s) => !/\d/.test(s.text));
  }

  make(seed: number, targetWords: number): string {
    const r = mulberry32(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    const paras: string[] = [];
    let total = 0;
    while (total < targetWords) {
      const sentences: string[] = [];
      const n = 3 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) {
        const x = r();
        let s: string;
        if (x < 0.3 || (!this.withFigures.length && !this.plain.length)) s = pick(claims).draft;
        else if (x < 0.7 && this.withFigures.length) {
          const src = pick(this.withFigures);
          s = src.text + (r() < 0.3 ? ` [@${src.id}]` : '');
        } else if (this.plain.length) s = pick(this.plain).text;
        else s = pick(claims).draft;
        sentences.push(s);
        total += words(s);
      }
      paras.push(sentences.join(' '));
    }
    return `# Bản nháp ${seed}\n\n${paras.join('\n\n')}\n`;
  }
}

function linkOrCopy(src: string, dst: string): 'linked' | 'copied' {
  try {
    fs.linkSync(src, dst);
    return 'linked';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    fs.copyFileSync(src, dst);
    return 'copied';
  }
}

/** Builds a workspace with the seed corpus and (optionally) the background files, drafts and claims. */
export function buildWorkspace(name: string, background: string[], maker: DraftMaker, drafts: number): BenchWorkspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `sourcemark-bench-${name}-`));
  fs.writeFileSync(path.join(root, 'sourcemark.json'), JSON.stringify({ corpus: ['corpus/**/*.{txt,md,jsonl}'], drafts: ['drafts/**/*.md'] }, null, 2));
  const seedDir = path.join(root, 'corpus', 'seed');
  fs.mkdirSync(seedDir, { recursive: true });
  for (const f of fs.readdirSync(path.join(repoRoot, 'corpus'))) fs.copyFileSync(path.join(repoRoot, 'corpus', f), path.join(seedDir, f));
  let linked = 0;
  let copied = 0;
  if (background.length) {
    const bg = path.join(root, 'corpus', 'bg');
    fs.mkdirSync(bg);
    for (const f of background) {
      if (linkOrCopy(f, path.join(bg, path.basename(f))) === 'linked') linked++;
      else copied++;
    }
  }
  fs.mkdirSync(path.join(root, 'drafts'));
  for (let i = 0; i < drafts; i++) fs.writeFileSync(path.join(root, 'drafts', `draft-${String(i).padStart(3, '0')}.md`), maker.make(1000 + i, 300 + Math.floor(mulberry32(i)() * 300)));
  fs.mkdirSync(path.join(root, 'open'));
  const longDraft = path.join(root, 'open', 'long.md');
  fs.writeFileSync(longDraft, maker.make(7, 3000));
  fs.mkdirSync(path.join(root, 'claims'));
  const claimFiles = new Map<string, string>();
  for (const c of claims) {
    const rel = `claims/${c.id}.md`;
    fs.writeFileSync(path.join(root, rel), c.draft + '\n');
    claimFiles.set(c.id, rel);
  }
  const editableSeed = path.join(seedDir, fs.readdirSync(seedDir).filter((f) => f.endsWith('.txt')).sort()[0]!);
  return { root, editableSeed, longDraft, claimFiles, copied, linked };
}

export function removeWorkspace(ws: BenchWorkspace): void {
  // Hard links: removing them leaves the archive's files alone.
  fs.rmSync(ws.root, { recursive: true, force: true });
}
