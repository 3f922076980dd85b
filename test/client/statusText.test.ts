/** The status bar item's text and tooltip per server status. */
import * as assert from 'node:assert/strict';
import { count, presentStatus } from '../../client/src/statusText';
import type { SourcemarkStatus } from '../../server/src/protocol';

const ready: SourcemarkStatus = { state: 'ready', articles: 5, sentences: 1234, figures: 32, agreements: 3, problems: 0, folders: 1, corpusVersion: 5 };

describe('status bar text', () => {
  const table: [string, SourcemarkStatus | undefined, boolean, string, RegExp[]][] = [
    ['before the first answer', undefined, false, '$(sync~spin) Sourcemark: starting…', [/starting/]],
    ['starting', { ...ready, state: 'starting', articles: 0 }, false, '$(sync~spin) Sourcemark: starting…', [/starting/]],
    ['indexing', { ...ready, state: 'indexing', articles: 2 }, false, '$(sync~spin) Sourcemark: indexing…', [/So far: 2 articles · 1,234 sentences/]],
    ['ready', ready, false, '$(book) 5 articles · 32 figures', [/5 articles · 1,234 sentences · 32 figures · 3 agreements/, /Click to show/]],
    ['ready, one of each', { ...ready, articles: 1, figures: 1, sentences: 1, agreements: 1 }, false, '$(book) 1 article · 1 figure', [/1 sentence · 1 figure · 1 agreement\n/]],
    ['ready, figures still being counted', { ...ready, figures: 20, figuresPending: 2 }, false, '$(book) 5 articles · counting figures…', [/20 figures \(counting: 2 articles to go\) · 3 agreements/]],
    ['ready with problems', { ...ready, problems: 2 }, false, '$(book) 5 articles · 32 figures', [/2 problems reading the corpus/]],
    ['no folder', { ...ready, folders: 0, articles: 0, figures: 0 }, false, '$(book) 0 articles · 0 figures', [/No workspace folder/]],
    ['stopped', ready, true, '$(error) Sourcemark', [/not running/]],
  ];
  for (const [title, status, stopped, text, tooltip] of table) {
    it(title, () => {
      const p = presentStatus(status, stopped);
      assert.equal(p.text, text);
      for (const re of tooltip) assert.match(p.tooltip, re);
    });
  }

  it('counts with plurals and thousands separators', () => {
    assert.equal(count(0, 'draft'), '0 drafts');
    assert.equal(count(1, 'error'), '1 error');
    assert.equal(count(12345, 'figure'), '12,345 figures');
  });
});
