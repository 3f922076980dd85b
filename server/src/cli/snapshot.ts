/**
 * A content hash of the indexed corpus, so a report says exactly which sources its findings
 * were checked against, and a finding can be reproduced later.
 */
import { createHash } from 'node:crypto';
import type { Corpus } from '../core/corpus/corpus';
import type { CorpusSnapshot } from './format/report';

/**
 * `sha256:` + hex of the lines `path TAB hash LF` for every indexed corpus file, sorted by
 * path (code-unit order), where `hash` is the core's content hash of the file
 * (`IndexedArticle.hash`) and `path` is relative to the working directory. One line per file
 * even when it holds several articles (`.jsonl`); files that were skipped (binary, unreadable)
 * are not indexed and so not hashed. Independent of indexing order and of the machine.
 */
export function corpusSnapshot(corpus: Corpus): CorpusSnapshot {
  // From the files' digests: a warm start's files are not made into records for this.
  const files = new Map<string, string>();
  let articles = 0;
  for (const f of corpus.fileDigests()) {
    if (!f.articles) continue;
    files.set(f.path, f.hash);
    articles += f.articles;
  }
  const paths = [...files.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const h = createHash('sha256');
  for (const p of paths) h.update(`${p}\t${files.get(p)}\n`);
  return { hash: `sha256:${h.digest('hex')}`, articles, files: paths.length };
}
