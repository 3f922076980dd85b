/**
 * Work made a step at a time: a generator that yields between steps and returns its result
 * (the index's compaction, a snapshot's encoding). A host answers requests between steps;
 * the CLI and a shutdown run the steps without pauses.
 */

/** Runs every step at once; the result. */
export function runToEnd<T>(steps: Iterator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs steps until the work ends (its result) or `stop()`, asked after each step, says to
 * pause (`undefined`; the next call goes on). One step at least per call.
 */
export function runSteps<T>(steps: Iterator<void, T>, stop: () => boolean): { value: T } | undefined {
  for (;;) {
    const step = steps.next();
    if (step.done) return { value: step.value };
    if (stop()) return undefined;
  }
}
