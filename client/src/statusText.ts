/** What the status bar item says for a server status (pure; unit-tested in test/client). */
import type { SourcemarkStatus } from '../../server/src/protocol';

/** `1 article`, `1,234 figures`. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export interface StatusPresentation {
  text: string;
  tooltip: string;
}

/** `status` undefined: the server is not answering yet; `stopped`: it is not running. */
export function presentStatus(status: SourcemarkStatus | undefined, stopped = false): StatusPresentation {
  const click = 'Click to show the Sourcemark output.';
  if (stopped) return { text: '$(error) Sourcemark', tooltip: `The Sourcemark language server is not running.\n${click}` };
  if (!status || status.state === 'starting') return { text: '$(sync~spin) Sourcemark: starting…', tooltip: `Sourcemark is starting.\n${click}` };
  // A cold index counts the figures once it is ready: until then the count is of those counted so far.
  const pending = status.figuresPending ? ` (counting: ${count(status.figuresPending, 'article')} to go)` : '';
  const counts = `${count(status.articles, 'article')} · ${count(status.sentences, 'sentence')} · ${count(status.figures, 'figure')}${pending} · ${count(status.agreements, 'agreement')}`;
  const problems = status.problems ? `\n${count(status.problems, 'problem')} reading the corpus (files skipped or only partly read; see the output).` : '';
  if (status.state === 'indexing') return { text: '$(sync~spin) Sourcemark: indexing…', tooltip: `Sourcemark is indexing the corpus.\nSo far: ${counts}${problems}\n${click}` };
  const where = status.folders ? '' : '\nNo workspace folder is open: open the folder that holds your corpus.';
  return {
    text: `$(book) ${count(status.articles, 'article')} · ${status.figuresPending ? 'counting figures…' : count(status.figures, 'figure')}`,
    tooltip: `Sourcemark corpus: ${counts}${problems}${where}\n${click}`,
  };
}
