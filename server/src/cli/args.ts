/**
 * Command-line option parsing on top of `node:util` `parseArgs`, with every mistake turned
 * into a one-line UsageError that names the option (exit code 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from './config';

/** An option table as `parseArgs` takes it. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Options every command that reads the corpus accepts. */
export const CORPUS_OPTIONS = {
  corpus: { type: 'string', multiple: true },
  config: { type: 'string' },
  'allow-outside-corpus': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `args` strictly against `spec`; unknown options and missing values are UsageErrors. */
export function parseOptions<T extends OptionSpec>(args: string[], spec: T) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options: spec });
  } catch (err) {
    throw new UsageError(describeParseError(err as NodeJS.ErrnoException));
  }
}

/** Node's messages are several sentences long and suggest `--` tricks; one short line is enough. */
function describeParseError(err: NodeJS.ErrnoException): string {
  const msg = err.message.split('\n')[0]!;
  const opt = /'(-[^' ]+)/.exec(msg)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt) return `unknown option ${opt} (see sourcemark --help)`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && opt) {
    if (/does not take an argument/.test(msg)) return `option ${opt} does not take a value`;
    return `option ${opt} needs a value`;
  }
  return msg.replace(/\.$/, '');
}

/** `value` if it is one of `choices`, else a UsageError listing them. */
export function parseChoice<C extends string>(option: string, value: string, choices: readonly C[]): C {
  if ((choices as readonly string[]).includes(value)) return value as C;
  const list = choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}` : choices[0];
  return fail(`unknown ${option} "${value}" (expected ${list})`);
}

/** LSP severities at or above which `--fail-on` fails the run; `none` (0) never fails. */
export const FAIL_LEVELS = { error: 1, warning: 2, information: 3, hint: 4, none: 0 } as const;
export type FailLevel = keyof typeof FAIL_LEVELS;

/** `--fail-on LEVEL` as the highest LSP severity number that fails (0: never). */
export function parseFailOn(value: string | undefined): number {
  // `info` is what the text output prints, so accept it as a spelling of `information`.
  const v = value === 'info' ? 'information' : value ?? 'error';
  return FAIL_LEVELS[parseChoice('--fail-on level', v, Object.keys(FAIL_LEVELS) as FailLevel[])];
}

/** `--max-findings N`: a whole number ≥ 0, or undefined for no limit. */
export function parseMaxFindings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) fail(`--max-findings must be a whole number ≥ 0, got "${value}"`);
  return Number(value);
}

function fail(message: string): never {
  throw new UsageError(message);
}
