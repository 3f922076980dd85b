/** The client-side cache behind the synchronous preview plugin. Fetches are driven by hand (no timers). */
import * as assert from 'node:assert/strict';
import { PreviewDataCache } from '../../client/src/previewCache';
import type { PreviewData } from '../../server/src/protocol';

interface Deferred {
  uri: string;
  resolve(d: PreviewData | undefined): void;
  reject(e: unknown): void;
}

function harness() {
  const calls: Deferred[] = [];
  const changes: string[] = [];
  const errors: string[] = [];
  const cache = new PreviewDataCache(
    (uri) => new Promise((resolve, reject) => calls.push({ uri, resolve, reject })),
    (uri) => changes.push(uri),
    (uri, err) => errors.push(`${uri}: ${String(err)}`),
  );
  return { cache, calls, changes, errors };
}

const data = (n: number): PreviewData => ({ articles: [], figures: [{ start: 0, end: 1, line: 0, text: String(n), verdict: 'unsupported' }] });
/** Lets queued promise callbacks run until `cond` holds (microtask turns, no timers). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await Promise.resolve();
  assert.ok(cond(), 'condition reached');
}

describe('preview data cache', () => {
  it('answers undefined on a miss, fetches once, then answers from the cache', async () => {
    const { cache, calls, changes } = harness();
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('a'), undefined);
    assert.equal(calls.length, 1, 'one fetch for repeated misses');
    const done = cache.refresh('a'); // joins the fetch in flight
    calls[0]!.resolve(data(1));
    await until(() => calls.length === 2); // the refresh asked while in flight fetches once more
    calls[1]!.resolve(data(1));
    await done;
    assert.deepEqual(cache.get('a'), data(1));
    assert.deepEqual(changes, ['a'], 'an identical second answer does not refresh the preview');
  });

  it('signals a change only when the answer differs', async () => {
    const { cache, calls, changes } = harness();
    let p = cache.refresh('a');
    calls[0]!.resolve(data(1));
    await p;
    p = cache.refresh('a');
    calls[1]!.resolve(data(2));
    await p;
    p = cache.refresh('a');
    calls[2]!.resolve(data(2));
    await p;
    assert.deepEqual(changes, ['a', 'a']);
    assert.deepEqual(cache.get('a'), data(2));
  });

  it('keeps the last data when a fetch fails, and reports the error', async () => {
    const { cache, calls, changes, errors } = harness();
    let p = cache.refresh('a');
    calls[0]!.resolve(data(1));
    await p;
    p = cache.refresh('a');
    calls[1]!.reject(new Error('server gone'));
    await p;
    assert.deepEqual(cache.get('a'), data(1));
    assert.deepEqual(changes, ['a']);
    assert.deepEqual(errors, ['a: Error: server gone']);
  });

  it('forgets deleted documents and ignores answers that arrive after', async () => {
    const { cache, calls, changes } = harness();
    const p = cache.refresh('a');
    cache.delete('a');
    calls[0]!.resolve(data(1));
    await p;
    assert.deepEqual(changes, []);
    assert.equal(cache.has('a'), false);
    assert.deepEqual(cache.uris(), []);
  });
});
