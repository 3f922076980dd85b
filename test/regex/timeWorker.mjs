// Worker for test/regex/analyze.ts `timeJobs`: times global scans of each job's pumps at each
// size and posts one message per pattern. Plain JavaScript so it needs no loader; the parent
// terminates it when a pattern takes too long (catastrophic backtracking).
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

const { jobs, sizes, reps } = workerData;

/** Every match of a global scan: the work `test`, `exec` loops and `replace` all do at worst. */
function scan(re, s) {
  re.lastIndex = 0;
  let count = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[0].length === 0) re.lastIndex++;
    count++;
  }
  return count;
}

jobs.forEach((job, index) => {
  let error;
  const timings = [];
  try {
    const re = new RegExp(job.source, job.flags.replace(/[gy]/g, '') + 'g');
    for (const pump of job.pumps) {
      const ms = sizes.map((n, k) => {
        const input = pump.prefix + pump.unit.repeat(n) + pump.suffix;
        let best = Infinity;
        for (let r = 0; r < reps[k]; r++) {
          const t0 = performance.now();
          scan(re, input);
          best = Math.min(best, performance.now() - t0);
        }
        return best;
      });
      timings.push({ pump: pump.name, ms });
    }
  } catch (e) {
    error = String(e && e.message ? e.message : e);
  }
  parentPort.postMessage({ index, timings, ...(error ? { error } : {}) });
});
parentPort.postMessage('done');
