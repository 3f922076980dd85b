/**
 * Cancellation without a dependency on the LSP libraries. Structurally compatible with
 * `vscode-jsonrpc`'s `CancellationToken`, so the server passes its tokens straight through.
 */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const noCancellation: CancellationToken = Object.freeze({ isCancellationRequested: false });

/** Thrown by core functions when their token is cancelled; hosts turn it into an LSP error. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new CancelledError();
}
