/** When background slices may run, on a scripted clock: `b`/`e` begin/end foreground work, `w=N` asks and expects N (0: run now). */
import * as assert from 'node:assert/strict';
import { BackgroundGate } from '../../server/src/server/backgroundGate';

describe('background gate', () => {
  // quietMs 10, maxWaitMs 100; each step is "time:action".
  const table: [string, string][] = [
    ['idle: slices run at once', '0:w=0 4:w=0 8:w=0'],
    ['in flight: held a quiet period at a time', '0:b 1:w=10 5:w=10'],
    ['after the end: held until quiet', '0:b 3:e 4:w=9 12:w=1 13:w=0'],
    ['a burst of requests keeps it held', '0:b 1:e 2:b 3:e 4:w=9 8:b 9:e 10:w=9 19:w=0'],
    ['never held past maxWait', '0:w=0 1:b 50:w=10 95:w=5 100:w=0 101:w=10'],
    ['nested work ends with the last end', '0:b 1:b 2:e 20:w=10 21:e 25:w=6 31:w=0'],
    ['an unmatched end does not go negative', '0:e 10:w=0 11:b 12:w=10'],
  ];
  for (const [title, script] of table) {
    it(title, () => {
      let now = 0;
      const gate = new BackgroundGate(10, 100, () => now);
      for (const step of script.split(' ')) {
        const [at, action] = step.split(':') as [string, string];
        now = Number(at);
        if (action === 'b') gate.begin();
        else if (action === 'e') gate.end();
        else assert.equal(gate.wait(), Number(action.slice(2)), `${step} in "${script}"`);
      }
    });
  }
});
