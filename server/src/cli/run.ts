/**
 * `sourcemark` command line: the same engine and the same diagnostics as the editor.
 * `run` is the whole program minus `process`, so tests call it directly or spawn `dist/cli.js`.
 */
import { UsageError } from './config';
import { bibCommand } from './commands/bib';
import { checkCommand } from './commands/check';
import { indexCommand } from './commands/index';
import { CACHE_FILE, type CliIo } from './session';
import { CacheDamageError } from '../core/cacheDamage';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { USAGE, VERSION } from './usage';

export type { CliIo } from './session';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = { check: checkCommand, index: indexCommand, bib: bibCommand };

/** Runs the CLI; resolves to the exit code (0 clean, 1 findings at the fail level, 2 usage or config error). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const handler = command !== undefined ? COMMANDS[command] : undefined;
    if (handler && Object.hasOwn(COMMANDS, command!)) {
      try {
        return await handler(rest, io);
      } catch (err) {
        if (!(err instanceof CacheDamageError)) throw err;
        // Damage in a part of the cache read on demand: drop the cache and run again from the
        // corpus files (which writes a fresh cache). Output is written only at the end, so
        // nothing is printed twice.
        await rm(path.join(io.cwd, CACHE_FILE), { force: true });
        io.stderr(`sourcemark: note: ${err.message}; the index cache was removed and is rebuilt\n`);
        return await handler(rest, io);
      }
    }
    const expected = `expected ${Object.keys(COMMANDS).join(', ')}; see sourcemark --help`;
    if (command === undefined) throw new UsageError(`missing command (${expected})`);
    throw new UsageError(command.startsWith('-') ? `unknown option ${command} before the command (${expected})` : `unknown command "${command}" (${expected})`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`sourcemark: ${oneLine(err.message)}\n`);
      return 2;
    }
    // A bug, not a user mistake: keep the stack, it is what a bug report needs.
    io.stderr(`sourcemark: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

/** Usage errors are promised to be one line: messages that quote user input may hold newlines. */
function oneLine(s: string): string {
  // Split and trim instead of /\s*[\r\n]+\s*/, which is quadratic on long runs of spaces.
  return s
    .split(/[\r\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
}
