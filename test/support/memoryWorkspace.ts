/** An in-memory workspace for core tests: files are strings keyed by path. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { SourcemarkWorkspace, WorkspaceFile } from '../../server/src/core/service';
import { createSourcemarkService, type SourcemarkService } from '../../server/src/core/service';
import { resolveSettings, type SourcemarkSettings } from '../../server/src/core/settings';

export class InMemoryWorkspace implements SourcemarkWorkspace {
  readonly files = new Map<string, Uint8Array>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [p, content] of Object.entries(files)) this.set(p, content);
  }

  set(p: string, content: string | Uint8Array): void {
    this.files.set(p, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  static uri(p: string): string {
    return `memory:///${p}`;
  }

  async findFiles(globs: readonly string[]): Promise<WorkspaceFile[]> {
    const match = picomatch([...globs]);
    return [...this.files.keys()].filter((p) => match(p) && !p.endsWith('.meta.yaml')).sort().map((p) => ({ uri: InMemoryWorkspace.uri(p), path: p }));
  }

  async readFile(uri: string): Promise<Uint8Array | undefined> {
    return this.files.get(uri.replace('memory:///', ''));
  }
}

export const repoRoot = path.resolve(__dirname, '..', '..');

/** The seed corpus of the repository, as `corpus/<name>` → content. */
export function seedCorpus(): Record<string, string> {
  const dir = path.join(repoRoot, 'corpus');
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) out[`corpus/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
  return out;
}

export const settings: SourcemarkSettings = resolveSettings().settings;

/** A service indexed over the given files. */
export async function serviceFor(files: Record<string, string | Uint8Array>, overrides: Partial<SourcemarkSettings> = {}): Promise<{ service: SourcemarkService; workspace: InMemoryWorkspace; settings: SourcemarkSettings }> {
  const workspace = new InMemoryWorkspace(files);
  const service = createSourcemarkService({ workspace });
  const s = resolveSettings(overrides).settings;
  await service.indexCorpus(s);
  return { service, workspace, settings: s };
}

/** Joins lines with `\n` (fixtures read like the text they stand for). */
export const joinLines = (...lines: string[]): string => lines.join('\n');
