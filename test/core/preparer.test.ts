/**
 * The service and its preparer (the host's worker threads): a cold start of a large corpus
 * starts the preparer while the listing is still looking at the files, and every preparer
 * started is closed, used or not.
 */
import { strict as assert } from 'node:assert';
import { InMemoryWorkspace, settings } from '../support/memoryWorkspace';
import { createSourcemarkService, loadCorpusFile, type CorpusPreparer, type FindFilesOptions, type SourcemarkService, type WorkspaceFile } from '../../server/src/core/service';

/** Tells how many names matched before it "stats" them (each file's signature: its edit count), and logs the order of events. */
class ListingWorkspace extends InMemoryWorkspace {
  private readonly edits = new Map<string, number>();

  constructor(
    files: Record<string, string>,
    readonly log: string[],
  ) {
    super(files);
  }

  override set(p: string, content: string | Uint8Array): void {
    super.set(p, content);
    this.edits?.set(p, (this.edits.get(p) ?? 0) + 1);
  }

  override async findFiles(globs: readonly string[], _token?: unknown, options: FindFilesOptions = {}): Promise<WorkspaceFile[]> {
    this.log.push('listing');
    const files = await super.findFiles(globs);
    if (options.onMatched?.(files.length)) this.log.push('unsigned');
    this.log.push('listed');
    return files.map((f) => ({ ...f, signature: String(this.edits.get(f.path) ?? 0) }));
  }
}

/** A preparer that prepares nothing (the service reads every file inline) and logs its life. */
function fakePreparer(log: string[]): () => CorpusPreparer {
  return () => {
    log.push('started');
    return {
      prepare: (file) => {
        log.push('asked');
        return Promise.reject(new Error(`not here: ${file.path}`));
      },
      close: () => log.push('closed'),
    };
  };
}

const articles = (n: number, from = 0): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, k) => [`corpus/bai-${String(from + k).padStart(4, '0')}.txt`, `Tiêu đề ${from + k}\n\nBài ${from + k} nói về 4,5 tỷ USD.\n`]));

const phases = (log: string[]): string[] => log.filter((e, i) => e !== 'asked' || log[i - 1] !== 'asked');

describe('service: the preparer of a bulk run', () => {
  it('a cold start of a large corpus starts it before listing, lists unsigned, uses it, and closes it', async () => {
    const log: string[] = [];
    const workspace = new ListingWorkspace(articles(250), log);
    const service = createSourcemarkService({ workspace, preparer: fakePreparer(log) });
    await service.indexCorpus(settings);
    assert.deepEqual(phases(log), ['started', 'listing', 'unsigned', 'listed', 'asked', 'closed']);
    assert.equal(service.stats().articles, 250, 'every file read (inline, after the preparer refused)');
  });

  it('a cold start of a small corpus starts it before listing, lists signed, and closes it unused', async () => {
    const log: string[] = [];
    const service = createSourcemarkService({ workspace: new ListingWorkspace(articles(150), log), preparer: fakePreparer(log) });
    await service.indexCorpus(settings);
    assert.deepEqual(log, ['started', 'listing', 'listed', 'closed']);
    assert.equal(service.stats().articles, 150);
  });

  it('a large corpus the index does not hold yet, after a first run, starts it once listed', async () => {
    const log: string[] = [];
    const workspace = new ListingWorkspace({}, log);
    const service = createSourcemarkService({ workspace, preparer: fakePreparer(log) });
    await service.indexCorpus(settings);
    assert.deepEqual(log, ['started', 'listing', 'listed', 'closed'], 'the first run, of an empty folder');
    log.length = 0;
    for (const [p, text] of Object.entries(articles(250))) workspace.set(p, text);
    await service.indexCorpus(settings);
    assert.deepEqual(phases(log), ['listing', 'started', 'unsigned', 'listed', 'asked', 'closed']);
  });

  it('a corpus the index holds already lists first, and starts nothing when little is stale', async () => {
    const log: string[] = [];
    const workspace = new ListingWorkspace(articles(250), log);
    const service = createSourcemarkService({ workspace, preparer: fakePreparer(log) });
    await service.indexCorpus(settings);
    log.length = 0;
    workspace.set('corpus/bai-0001.txt', 'Tiêu đề\n\nĐã sửa: 5,4 tỷ USD.\n');
    await service.indexCorpus(settings);
    assert.deepEqual(log, ['listing', 'listed']);
  });

  it('asks its host whether to pause after each file it adds, and waits for the pause', async () => {
    // A preparer that has every file ready at once: without a pause, the run would add them
    // all in one go (a server would answer no request meanwhile).
    const workspace = new ListingWorkspace(articles(250), []);
    const preparer = (): CorpusPreparer => ({ prepare: (file) => loadCorpusFile(file, (uri) => workspace.readFile(uri)), close: () => undefined });
    const seen: number[] = [];
    let paused!: () => void;
    const pausedAt = new Promise<void>((resolve) => (paused = resolve));
    let release!: () => void;
    let service!: SourcemarkService;
    service = createSourcemarkService({
      workspace,
      preparer,
      pause: () => {
        seen.push(service.stats().articles);
        if (seen.length !== 100) return undefined;
        paused();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    let ended = false;
    const run = service.indexCorpus(settings).then(() => (ended = true));
    await pausedAt;
    // Turns of the event loop in which the run could go on if it did not wait.
    for (let k = 0; k < 20; k++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(service.stats().articles, 100, 'no file added while paused');
    assert.equal(ended, false);
    release();
    await run;
    assert.deepEqual(seen, Array.from({ length: 250 }, (_, k) => k + 1), 'asked once after each file, the file added');
    assert.equal(service.stats().articles, 250);
  });

  it('a preparer started early but not needed (few stale files) is closed unused', async () => {
    const log: string[] = [];
    const workspace = new ListingWorkspace(articles(150), log);
    const service = createSourcemarkService({ workspace, preparer: fakePreparer(log) });
    await service.indexCorpus(settings);
    assert.deepEqual(log, ['started', 'listing', 'listed', 'closed'], 'below the bulk threshold: started before the first listing, closed unused');
    log.length = 0;
    for (const [p, text] of Object.entries(articles(100, 150))) workspace.set(p, text);
    await service.indexCorpus(settings);
    assert.deepEqual(log, ['listing', 'started', 'unsigned', 'listed', 'closed'], '250 names, 150 known: started early, 100 stale: closed unused');
  });
});
