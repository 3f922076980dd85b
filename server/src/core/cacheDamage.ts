/** The error a damaged on-disk index cache raises when a part read on demand fails its check. */

/**
 * A part of the cache read on demand turned out damaged (or unreadable). The service forgets
 * the cache and the hosts rebuild the index from the corpus files; the request that met it
 * fails once.
 */
export class CacheDamageError extends Error {
  constructor(
    reason: string,
    /** The corpus file whose cached articles are damaged, when known. */
    readonly uri?: string,
  ) {
    super(`index cache: ${reason}`);
    this.name = 'CacheDamageError';
  }
}

