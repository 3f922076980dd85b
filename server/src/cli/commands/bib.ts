/** `sourcemark bib`: the corpus as a bibliography on stdout. */
import { toCslItems } from '../bib';
import { CORPUS_OPTIONS, parseChoice, parseOptions } from '../args';
import { UsageError } from '../config';
import { openSession, type CliIo } from '../session';
import { USAGE } from '../usage';

const OPTIONS = { ...CORPUS_OPTIONS, format: { type: 'string' } } as const;

export async function bibCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  parseChoice('format', values.format ?? 'csl-json', ['csl-json'] as const);
  if (positionals.length) throw new UsageError(`bib takes no file arguments (got "${positionals[0]}")`);
  const { service } = await openSession({ corpus: values.corpus, config: values.config, allowOutsideCorpus: values['allow-outside-corpus'], noCache: values['no-cache'] }, io);
  io.stdout(JSON.stringify(toCslItems(service.corpus.articles()), null, 2) + '\n');
  return 0;
}
