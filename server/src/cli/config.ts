/** Reads `sourcemark.json`, the configuration file the CLI and the editor share. */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { resolveSettings, type SourcemarkSettings } from '../core/settings';

/** A usage or configuration problem: the CLI prints its message on one line and exits 2. */
export class UsageError extends Error {}

export const CONFIG_FILE = 'sourcemark.json';

/**
 * Loads settings from `explicit` (must exist) or `sourcemark.json` in `cwd` (optional),
 * then applies `overrides`. Any problem in the file is a UsageError naming it.
 */
export async function loadSettings(cwd: string, explicit: string | undefined, overrides: Partial<SourcemarkSettings>): Promise<{ settings: SourcemarkSettings; configPath?: string }> {
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, CONFIG_FILE);
  let raw: unknown;
  let configPath: string | undefined;
  try {
    const text = await readFile(file, 'utf8');
    configPath = file;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new UsageError(`${path.relative(cwd, file) || file}: invalid JSON (${(err as Error).message})`);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (explicit || code !== 'ENOENT') throw new UsageError(`cannot read config ${explicit ?? file}: ${code === 'ENOENT' ? 'file not found' : code ?? String(err)}`);
  }
  const { settings, problems } = resolveSettings(raw, overrides);
  if (problems.length) throw new UsageError(`${configPath ? path.relative(cwd, configPath) : 'settings'}: ${problems[0]}`);
  return { settings, ...(configPath ? { configPath } : {}) };
}
