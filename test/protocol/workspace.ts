/**
 * Temporary workspaces for protocol tests: a folder under os.tmpdir() with a copy of the
 * seed corpus and the drafts a test writes. Also a few helpers over LSP positions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, Position, Range, TextEdit } from 'vscode-languageserver-protocol';
import { repoRoot } from '../support/memoryWorkspace';
import { fileUri } from '../support/lspClient';

export const ID_LUX = '000_7f8327f5e496136c';
export const ID_JAPAN = '002_bd768a52f42e921c';
export const SEED_IDS = ['000_7f8327f5e496136c', '001_480f489f3fef32bb', '002_bd768a52f42e921c', '003_80a1a450f9bb5232', '004_d08c92ed60afddfa'];

export const CONTRADICTED = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD.';
export const SUPPORTED = `Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@${ID_JAPAN}].`;
export const UNCITED = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD.';
export const MISMATCH = `Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@${ID_LUX}].`;
export const UNKNOWN = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@no-such-article].';

export class TempWorkspace {
  readonly root: string;

  constructor(options: { corpusDir?: string | null; files?: Record<string, string> } = {}) {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-lsp-')));
    const corpusDir = options.corpusDir === undefined ? 'corpus' : options.corpusDir;
    if (corpusDir !== null) {
      const target = path.join(this.root, corpusDir);
      fs.mkdirSync(target, { recursive: true });
      for (const name of fs.readdirSync(path.join(repoRoot, 'corpus'))) fs.copyFileSync(path.join(repoRoot, 'corpus', name), path.join(target, name));
    }
    for (const [rel, text] of Object.entries(options.files ?? {})) this.write(rel, text);
  }

  path(rel: string): string {
    return path.join(this.root, rel);
  }

  uri(rel: string): string {
    return fileUri(this.path(rel));
  }

  write(rel: string, text: string): string {
    const abs = this.path(rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    return this.uri(rel);
  }

  read(rel: string): string {
    return fs.readFileSync(this.path(rel), 'utf8');
  }

  remove(): void {
    // Undo chmod 000 tests so cleanup succeeds for non-root users too.
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isSymbolicLink()) continue;
        try {
          fs.chmodSync(p, 0o755);
        } catch {
          // ignore
        }
        if (e.isDirectory()) walk(p);
      }
    };
    try {
      walk(this.root);
    } catch {
      // ignore
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Position of the `occurrence`-th match of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0, occurrence = 0): Position {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found`);
  }
  return offsetToPosition(text, at + delta);
}

export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  const start = positionOf(text, needle, 0, occurrence);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

export function offsetToPosition(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function positionToOffset(text: string, p: Position): number {
  let offset = 0;
  for (let i = 0; i < p.line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset + p.character;
}

/** Applies non-overlapping edits to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => positionToOffset(text, b.range.start) - positionToOffset(text, a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, positionToOffset(out, e.range.start)) + e.newText + out.slice(positionToOffset(out, e.range.end));
  return out;
}

/** The text of `range` in `text`. */
export function textAt(text: string, range: Range): string {
  return text.slice(positionToOffset(text, range.start), positionToOffset(text, range.end));
}

/** A diagnostic's message as plain text (LSP 3.18 allows MarkupContent). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
