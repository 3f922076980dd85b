/**
 * A progress line on stderr for long runs (`indexing 120/350…`), rewritten in place with `\r`.
 * Only on a terminal: in CI logs and pipes a rewritten line is noise, so there it prints nothing.
 */

/** Reports `done` of `total` for a named step; `clear` erases the line before real output. */
export interface Progress {
  update(label: string, done: number, total: number): void;
  clear(): void;
}

/** Redraws at most this often: a terminal cannot show faster and each write costs. */
const INTERVAL_MS = 80;
/** Quick runs show no progress at all: a line that flashes and vanishes is only noise. */
const DELAY_MS = 300;

const silent: Progress = { update: () => undefined, clear: () => undefined };

/** A progress line writing to `write` when `enabled` (stderr is a TTY), else a no-op. */
export function createProgress(enabled: boolean, write: (text: string) => void, now: () => number = () => performance.now()): Progress {
  if (!enabled) return silent;
  const started = now();
  let last = -Infinity;
  let shown = false;
  return {
    update(label, done, total) {
      const t = now();
      if (t - started < DELAY_MS) return;
      if (done < total && t - last < INTERVAL_MS) return;
      last = t;
      shown = true;
      write(`\r\u001b[K${label} ${done}/${total}…`);
    },
    clear() {
      if (shown) write('\r\u001b[K');
      shown = false;
    },
  };
}
