/**
 * Condition polling for the extension-host suite: a probe is re-run whenever one of the given
 * events fires, until it returns a value or the deadline passes. No fixed sleeps.
 */
import * as vscode from 'vscode';

export const DEFAULT_DEADLINE_MS = 30_000;

/**
 * Resolves with the first non-undefined result of `probe`, which runs now and again after
 * each event in `events`. Rejects after `deadlineMs` with `what` and the last observation.
 */
export function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  events: vscode.Event<unknown>[],
  options: { deadlineMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let running = false;
    let again = false;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      fn();
    };
    const check = async (): Promise<void> => {
      if (settled) return;
      // Probes may be async (providers); coalesce events that arrive while one runs.
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const value = await probe();
          if (value !== undefined) return finish(() => resolve(value));
        } while (again && !settled);
      } catch (err) {
        finish(() => reject(err));
      } finally {
        running = false;
      }
    };
    const timer = setTimeout(() => {
      const last = options.describe ? `; last seen: ${options.describe()}` : '';
      finish(() => reject(new Error(`timed out after ${deadlineMs / 1000} s waiting for ${what}${last}`)));
    }, deadlineMs);
    for (const event of events) subscriptions.push(event(() => void check()));
    void check();
  });
}

/** Fires when the diagnostics of `uri` change. */
export function diagnosticsOf(uri: vscode.Uri): vscode.Event<unknown> {
  return (listener, thisArgs?, disposables?) =>
    vscode.languages.onDidChangeDiagnostics(
      (e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) listener.call(thisArgs, e);
      },
      undefined,
      disposables,
    );
}
