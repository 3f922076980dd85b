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
  const { service, cache } = await openSession({ corpus: values.corpus, config: values.config, allowOutsideCorpus: values['allow-outside-corpus'], noCache: values['no-cache'] }, io);
  const ms = Math.round(performance.now() - started);
  // `--stats` is accepted for compatibility: the statistics are what `index` prints. Exact:
  // figures not parsed while indexing are counted now (not part of the time above).
  const { figuresPending: _, ...stats } = service.stats({ exact: true });
  const corpus = corpusSnapshot(service.corpus).hash;
  const cacheLine = cache.state === 'off' ? 'off' : cache.state === 'rebuilt' ? `rebuilt (${cache.reason})` : `${cache.state}, ${cache.read} of ${cache.files} files read`;
  if (format === 'json') io.stdout(JSON.stringify({ ...stats, timeMs: ms, corpus, cache, preparedInThreads: service.lastIndexRun?.prepared ?? 0 }, null, 2) + '\n');
  else io.stdout(`articles ${stats.articles}\nsentences ${stats.sentences}\nfigures ${stats.figures}\nagreements ${stats.agreements}\ncorpus ${corpus}\ncache ${cacheLine}\ntime ${ms} ms\n`);
  return 0;
}
