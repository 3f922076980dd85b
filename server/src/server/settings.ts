/**
 * Settings per resource: the editor's `sourcemark.*` settings (read with
 * `workspace/configuration` for the document's URI) with the folder's `sourcemark.json`
 * over them — the project file is the team's shared contract, the same the CLI reads in CI.
 * Cached by URI, cleared when either changes. Never kept in globals: one store per server.
 *
 * Globs that would reach outside the workspace folder (`../secret/**`, `/etc/**`) are dropped
 * with a warning: always when `sourcemark.json` (a file anyone who wrote the workspace controls)
 * says so, and from the editor's settings unless the client started the server with
 * `initializationOptions.allowCorpusOutsideWorkspace: true` — the server cannot tell user from
 * workspace settings through `workspace/configuration`, the client can.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { resolveSettings, type SourcemarkSettings } from '../core/settings';
import { configurationSection } from '../protocol';
import { globLeavesFolder } from '../node/pathSafety';

export const CONFIG_FILE = 'sourcemark.json';

export class SettingsStore {
  private readonly cache = new Map<string, Promise<SourcemarkSettings>>();
  /** Warnings already logged since the last `clear()`: one line per dropped glob, not one per document. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly supportsConfiguration: () => boolean,
    private readonly initialSettings: unknown,
    private readonly log: (message: string) => void,
    /** The user allowed editor settings to point outside the workspace folder. */
    private readonly allowOutside = false,
  ) {}

  /** Settings for a document or folder URI, inside `folderUri` (when known). */
  get(resource: string, folderUri: string | undefined): Promise<SourcemarkSettings> {
    const key = `${folderUri ?? ''}|${resource}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.load(resource, folderUri);
      this.cache.set(key, entry);
    }
    return entry;
  }

  clear(): void {
    this.cache.clear();
    this.warned.clear();
  }

  private async load(resource: string, folderUri: string | undefined): Promise<SourcemarkSettings> {
    let editor: unknown = this.initialSettings;
    if (this.supportsConfiguration()) {
      try {
        editor = await this.connection.workspace.getConfiguration({ scopeUri: resource, section: configurationSection });
      } catch (err) {
        this.log(`could not read editor settings: ${String(err)}`);
      }
    }
    const project = folderUri ? await readProjectFile(folderUri, this.log) : undefined;
    const warn = (m: string): void => {
      if (this.warned.has(m)) return;
      this.warned.add(m);
      this.log(m);
    };
    const editorLayer = this.allowOutside ? stripNulls(editor) : dropEscapingGlobs(stripNulls(editor), 'settings', 'set initializationOptions.allowCorpusOutsideWorkspace (a user-level setting) to allow it', warn);
    const projectLayer = dropEscapingGlobs(project, CONFIG_FILE, 'a file in the workspace may not widen the corpus beyond its folder', warn);
    const { settings, problems } = resolveSettings(editorLayer, projectLayer);
    for (const p of problems) this.log(`settings: ${p}`);
    return settings;
  }
}

async function readProjectFile(folderUri: string, log: (m: string) => void): Promise<unknown> {
  if (!folderUri.startsWith('file:')) return undefined;
  const file = path.join(fileURLToPath(folderUri), CONFIG_FILE);
  try {
    return JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`${file}: ignored (${(err as Error).message})`);
    return undefined;
  }
}

/**
 * `layer` without the `corpus` and `drafts` globs that leave the folder, each named in a
 * warning. A list left empty is removed, so the layer below applies as if it were unset.
 */
export function dropEscapingGlobs(layer: unknown, source: string, hint: string, warn: (message: string) => void): unknown {
  if (!layer || typeof layer !== 'object' || Array.isArray(layer)) return layer;
  const out: Record<string, unknown> = { ...(layer as Record<string, unknown>) };
  for (const key of ['corpus', 'drafts'] as const) {
    const value = out[key];
    const list = typeof value === 'string' ? [value] : value;
    // Wrong types are resolveSettings' to report.
    if (!Array.isArray(list) || !list.every((g): g is string => typeof g === 'string')) continue;
    const kept = list.filter((glob) => {
      const reason = globLeavesFolder(glob);
      if (reason) warn(`${source}: ${key} glob ${JSON.stringify(glob)} points outside the workspace folder (it ${reason}): ignored; ${hint}`);
      return !reason;
    });
    if (kept.length === list.length) continue;
    if (kept.length) out[key] = kept;
    else delete out[key];
  }
  return out;
}

/** Editors send `null` for unset values; treat them as absent. */
function stripNulls(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null));
}
