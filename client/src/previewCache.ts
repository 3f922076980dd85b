/**
 * The preview's data, kept in the client: markdown-it plugins run synchronously, the server
 * answers asynchronously. `get` answers from the cache at once and asks the server on a miss;
 * when an answer differs from what was cached, `onDidChange` fires so the preview re-renders.
 * No `vscode` here (unit-tested in test/client).
 */
import type { PreviewData } from '../../server/src/protocol';

interface Entry {
  data?: PreviewData;
  json?: string;
  pending?: Promise<void>;
  /** A refresh was asked for while one was in flight: fetch once more when it ends. */
  again?: boolean;
}

export class PreviewDataCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly fetch: (uri: string) => Promise<PreviewData | undefined>,
    private readonly onDidChange: (uri: string) => void,
    private readonly onError: (uri: string, err: unknown) => void = () => {},
  ) {}

  /** What is known about `uri` now; on a miss, starts fetching it and answers undefined. */
  get(uri: string): PreviewData | undefined {
    const entry = this.entries.get(uri);
    if (!entry) {
      void this.refresh(uri);
      return undefined;
    }
    return entry.data;
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  /** Fetches `uri` again. Calls made while a fetch is in flight coalesce into one more fetch. */
  refresh(uri: string): Promise<void> {
    let entry = this.entries.get(uri);
    if (!entry) this.entries.set(uri, (entry = {}));
    if (entry.pending) {
      entry.again = true;
      return entry.pending;
    }
    const e = entry;
    e.pending = (async () => {
      do {
        e.again = false;
        try {
          const data = await this.fetch(uri);
          const json = data && JSON.stringify(data);
          if (data && json !== e.json && this.entries.get(uri) === e) {
            e.data = data;
            e.json = json;
            this.onDidChange(uri);
          }
        } catch (err) {
          this.onError(uri, err);
        }
      } while (e.again);
      e.pending = undefined;
    })();
    return e.pending;
  }
}
