/** How often an index run in the server lets the event loop turn, on a scripted clock. */
import * as assert from 'node:assert/strict';
import { eventLoopTurns } from '../../server/src/server/folders';

describe('index run turns of the event loop', () => {
  it('none before the interval has gone by, one after, counted from when it was taken', async () => {
    let now = 100;
    const pause = eventLoopTurns(3, () => now);
    now = 102;
    assert.equal(pause(), undefined, '2 ms after the start');
    now = 103;
    const turn = pause();
    assert.ok(turn instanceof Promise, '3 ms after the start');
    now = 104;
    await turn;
    now = 106;
    assert.equal(pause(), undefined, '2 ms after the turn was taken (at 104)');
    now = 107;
    const next = pause();
    assert.ok(next instanceof Promise, '3 ms after the turn was taken');
    await next;
  });

  it('a turn lets what was queued on the event loop run first', async () => {
    let now = 0;
    const pause = eventLoopTurns(1, () => now);
    now = 5;
    const order: string[] = [];
    setImmediate(() => order.push('queued'));
    await pause()!.then(() => order.push('turned'));
    assert.deepEqual(order, ['queued', 'turned']);
  });
});
