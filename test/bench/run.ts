/**
 * `npm run bench -- --corpus DIR`: benchmarks on a folder of articles (e.g. the 35k-article
 * archive unpacked from ../shared/bench, never committed). Unpacks nothing by itself.
 *
 * Today it measures the sentence index against MiniSearch with default options on the same
 * sentences, median of several runs. Not a unit test: `npm test` never runs it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { parseArticleFile } from '../../server/src/core/corpus/parseArticle';
import { splitSentences } from '../../server/src/core/text/sentences';
import { SentenceIndex } from '../../server/src/core/index/sentenceIndex';
import { searchTerms, wordsOf } from '../../server/src/core/corpus/corpus';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, runs: { type: 'string' }, limit: { type: 'string' } } });
if (!values.corpus) {
  console.error('usage: npm run bench -- --corpus DIR [--runs N] [--limit FILES]');
  process.exit(2);
}
const runs = Number(values.runs ?? 3);
const dir = path.resolve(values.corpus);
const files = fs.readdirSync(dir).filter((f) => /\.(txt|md)$/.test(f)).sort().slice(0, Number(values.limit ?? Infinity));

console.log(`corpus: ${files.length} files in ${dir}`);
let t = performance.now();
const sentences: string[] = [];
for (const f of files) {
  const { articles } = parseArticleFile(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  for (const a of articles) for (const p of a.paragraphs) for (const s of splitSentences(a.text, p.start, p.end)) sentences.push(a.text.slice(s.start, s.end));
}
console.log(`read + clean + split: ${(performance.now() - t).toFixed(0)} ms, ${sentences.length} sentences`);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeOurs(): number {
  const start = performance.now();
  const index = new SentenceIndex();
  sentences.forEach((s, i) => index.add(i, searchTerms(wordsOf(s).words)));
  return performance.now() - start;
}

function timeMiniSearch(): number {
  const start = performance.now();
  const ms = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  ms.addAll(sentences.map((text, id) => ({ id, text })));
  return performance.now() - start;
}

const ours: number[] = [];
const mini: number[] = [];
for (let i = 0; i < runs; i++) {
  ours.push(timeOurs());
  mini.push(timeMiniSearch());
}
t = median(ours);
const m = median(mini);
console.log('| index | median of ' + runs + ' (ms) | sentences/s |');
console.log('| --- | ---: | ---: |');
console.log(`| Sourcemark SentenceIndex (folded syllables) | ${t.toFixed(0)} | ${Math.round(sentences.length / (t / 1000))} |`);
console.log(`| MiniSearch 7, default options | ${m.toFixed(0)} | ${Math.round(sentences.length / (m / 1000))} |`);
console.log(`speed-up: ${(m / t).toFixed(2)}×`);
