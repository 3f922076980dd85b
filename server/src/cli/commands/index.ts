/** `sourcemark index`: builds the index and prints its size and the time taken. */
import { CORPUS_OPTIONS, parseChoice, parseOptions } from '../args';
import { UsageError } from '../config';
import { openSession, type CliIo } from '../session';
import { corpusSnapshot } from '../snapshot';
import { USAGE } from '../usage';

const OPTIONS = { ...CORPUS_OPTIONS, stats: { type: 'boolean' }, format: { type: 'string' } } as const;

export async function indexCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const format = parseChoice('format', values.format ?? 'text', ['text', 'json'] as const);
  if (positionals.length) throw new UsageError(`index takes no file arguments (got "${positionals[0]}")`);
  const started = performance.now();
  const { service } = await openSession({ corpus: values.corpus, config: values.config, allowOutsideCorpus: values['allow-outside-corpus'] }, io);
  // `--stats` is accepted for compatibility: the statistics are what `index` prints.
  const stats = service.stats();
  const ms = Math.round(performance.now() - started);
  const corpus = corpusSnapshot(service.corpus).hash;
  if (format === 'json') io.stdout(JSON.stringify({ ...stats, timeMs: ms, corpus }, null, 2) + '\n');
  else io.stdout(`articles ${stats.articles}\nsentences ${stats.sentences}\nfigures ${stats.figures}\nagreements ${stats.agreements}\ncorpus ${corpus}\ntime ${ms} ms\n`);
  return 0;
}
