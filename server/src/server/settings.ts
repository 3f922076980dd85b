/**
 * Settings per resource: the editor's `sourcemark.*` settings (read with
 * `workspace/configuration` for the document's URI) with the folder's `sourcemark.json`
 * over them — the project file is the team's shared contract, the same the CLI reads in CI.
 * Cached by URI, cleared when either changes. Never kept in globals: one store per server.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { resolveSettings, type SourcemarkSettings } from '../core/settings';
import { configurationSection } from '../protocol';

export const CONFIG_FILE = 'sourcemark.json';

export class SettingsStore {
  private readonly cache = new Map<string, Promise<SourcemarkSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly supportsConfiguration: () => boolean,
    private readonly initialSettings: unknown,
    private readonly log: (message: string) => void,
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
    const { settings, problems } = resolveSettings(stripNulls(editor), project);
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

/** Editors send `null` for unset values; treat them as absent. */
function stripNulls(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null));
}
