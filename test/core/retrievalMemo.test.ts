/**
 * The retrieval memo kept beside the index cache (`core/check/retrievalMemo.ts`): what the
 * checks of one session retrieved from a snapshot answers the same questions in the next
 * session that loads the same snapshot (no search made, the same diagnostics), is taken only
 * while the corpus is exactly that snapshot, and is refused, with a reason, for any other
 * snapshot or engine, or when damaged; a refused memo changes no answer.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InMemoryWorkspace, repoRoot, seedCorpus, settings } from '../support/memoryWorkspace';
import { createSourcemarkService, type SourcemarkService } from '../../server/src/core/service';
import { decodeRetrievalMemo, encodeRetrievalMemo } from '../../server/src/core/check/retrievalMemo';

const ENGINE = '9.9.9+memo-test';
const JAPAN_FILE = 'corpus/002_bd768a52f42e921c.txt';

const claims: { id: string; draft: string }[] = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/claims.json'), 'utf8'));
const drafts = claims.map((c) => c.draft);
const firstHalf = drafts.slice(0, Math.ceil(drafts.length / 2));

/** A service indexed from the seed corpus (and `extra` files), and the snapshot it makes. */
async function indexed(extra: Record<string, string> = {}): Promise<{ service: SourcemarkService; workspace: InMemoryWorkspace }> {
  const workspace = new InMemoryWorkspace({ ...seedCorpus(), ...extra });
  const service = createSourcemarkService({ workspace, engineVersion: ENGINE });
  await service.indexCorpus(settings);
  return { service, workspace };
}

function loaded(bytes: Uint8Array, engineVersion = ENGINE): SourcemarkService {
  const service = createSourcemarkService({ workspace: new InMemoryWorkspace(seedCorpus()), engineVersion });
  const result = service.loadSnapshot(bytes);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return service;
}

/** Counts the searches the service's corpus makes from now on. */
function countSearches(service: SourcemarkService): { count: number } {
  const corpus = service.corpus;
  const search = corpus.searchDocs.bind(corpus);
  const counter = { count: 0 };
  corpus.searchDocs = ((...args: Parameters<typeof search>) => {
    counter.count++;
    return search(...args);
  }) as typeof corpus.searchDocs;
  return counter;
}

const diagnosticsOf = (service: SourcemarkService, texts: readonly string[]): string => JSON.stringify(texts.map((t) => service.checkDraft(t, settings).diagnostics));

describe('retrieval memo', () => {
  let snapshot: Uint8Array;
  /** Every claim draft's diagnostics from a loaded snapshot without any memo. */
  let truth: string;

  before(async () => {
    snapshot = (await indexed()).service.snapshot();
    truth = diagnosticsOf(loaded(snapshot), drafts);
  });

  it('answers the next session on the same snapshot without a search, with the same diagnostics', () => {
    const first = loaded(snapshot);
    const before = diagnosticsOf(first, firstHalf);
    const memo = first.retrievalMemo();
    assert.ok(memo, 'a memo after checks of a loaded snapshot');

    const next = loaded(snapshot);
    const load = next.loadRetrievalMemo(memo);
    assert.ok(load.ok && load.entries > 0, JSON.stringify(load));
    const searches = countSearches(next);
    assert.equal(diagnosticsOf(next, firstHalf), before);
    assert.equal(searches.count, 0, 'the drafts checked in the first session are checked again without a search');
    // Drafts the memo does not know are searched as usual, and everything answers as without a memo.
    assert.equal(diagnosticsOf(next, drafts), truth);
    assert.ok(searches.count > 0, 'the other drafts were searched');
  });

  it('is taken when something is new, and only while the corpus is the snapshot', async () => {
    const service = loaded(snapshot);
    assert.equal(service.retrievalMemo(), undefined, 'nothing retrieved yet');
    diagnosticsOf(service, drafts.slice(0, 3));
    assert.ok(service.retrievalMemo(), 'after checks');
    assert.equal(service.retrievalMemo(), undefined, 'nothing new since it was taken');
    diagnosticsOf(service, drafts.slice(0, 3));
    assert.equal(service.retrievalMemo(), undefined, 'the same checks again retrieve nothing new');
    diagnosticsOf(service, drafts.slice(3, 6));
    assert.ok(service.retrievalMemo(), 'after checks of other drafts');

    // A corpus change: what is retrieved now is true of no snapshot.
    const workspace = new InMemoryWorkspace(seedCorpus());
    const changed = createSourcemarkService({ workspace, engineVersion: ENGINE });
    assert.ok(changed.loadSnapshot(snapshot).ok);
    workspace.set(JAPAN_FILE, seedCorpus()[JAPAN_FILE]!.replace('4,5 tỷ USD', '5,4 tỷ USD'));
    await changed.updateCorpusFile({ uri: `memory:///${JAPAN_FILE}`, path: JAPAN_FILE });
    diagnosticsOf(changed, drafts.slice(0, 6));
    assert.equal(changed.retrievalMemo(), undefined, 'the corpus changed since its snapshot');
    const refused = changed.loadRetrievalMemo(encodeRetrievalMemo({ engine: ENGINE, snapshot: 'any', entries: [] }));
    assert.equal(refused.ok, false, 'no memo goes into a corpus changed since its snapshot');

    // Its new snapshot: the memo made since names it, and only a service that loaded it takes it.
    const newSnapshot = changed.snapshot();
    const memo = changed.retrievalMemo();
    assert.ok(memo, 'the retrievals made since the change are true of the new snapshot');
    const old = loaded(snapshot).loadRetrievalMemo(memo);
    assert.deepEqual(old, { ok: false, reason: 'made from another index cache' });
    const fresh = loaded(newSnapshot);
    assert.ok(fresh.loadRetrievalMemo(memo).ok);
    const plain = loaded(newSnapshot);
    assert.equal(diagnosticsOf(fresh, drafts.slice(0, 6)), diagnosticsOf(plain, drafts.slice(0, 6)));
  });

  it('is not taken from a corpus whose snapshot leaves a file out', async () => {
    // A path with a lone surrogate does not survive UTF-8: its file stays out of the cache, so
    // what the checks retrieve (its sentences among them) is not true of the snapshot.
    const { service } = await indexed({ 'corpus/lone-\ud800.txt': 'Nhật Bản sẽ cung cấp cho Ukraine 4,5 tỷ USD trong năm 2024.\n' });
    service.snapshot();
    diagnosticsOf(service, drafts.slice(0, 3));
    assert.equal(service.retrievalMemo(), undefined);
    const whole = (await indexed()).service;
    whole.snapshot();
    diagnosticsOf(whole, drafts.slice(0, 3));
    assert.ok(whole.retrievalMemo(), 'the same corpus without that file');
  });

  it('a memo of another engine, another snapshot, or damaged is refused with a reason, and the answers stay right', () => {
    const first = loaded(snapshot);
    diagnosticsOf(first, drafts);
    const memo = first.retrievalMemo()!;
    const text = new TextDecoder().decode(memo);
    const body = text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1);
    const { snapshot: id } = JSON.parse(body) as { snapshot: string };
    const flip = (at: number): Uint8Array => {
      const out = memo.slice();
      out[at]! ^= 0x01;
      return out;
    };
    // The first document number of the first entry, off by one: still valid JSON.
    const digit = text.search(/\[\[".*?",\[\d/);
    const firstDoc = text.indexOf(',[', digit) + 2;
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['another engine', memo, ENGINE, /another engine/],
      ['another snapshot', memo, 'other', /another index cache/],
      ['a document number altered', flip(firstDoc), '', /checksum/],
      ['a byte of the key altered', flip(text.length - 10), '', /checksum/],
      ['truncated', memo.subarray(0, memo.length - 7), '', /checksum/],
      ['cut in the first lines', memo.subarray(0, 12), '', /truncated/],
      ['not a memo', new TextEncoder().encode('{"engine":"x"}\n1\n{}'), '', /not a retrieval memo/],
      ['empty', new Uint8Array(0), '', /truncated/],
      ['entries that are not documents', encodeRetrievalMemo({ engine: ENGINE, snapshot: id, entries: [['k', [-1]]] }), '', /malformed/],
      ['entries that are not pairs', encodeRetrievalMemo({ engine: ENGINE, snapshot: id, entries: [['k'] as never] }), '', /malformed/],
    ];
    for (const [label, bytes, other, reason] of cases) {
      const decoded = label === 'another engine' ? decodeRetrievalMemo(bytes, 'another', id) : decodeRetrievalMemo(bytes, ENGINE, other || id);
      assert.ok('error' in decoded, `${label}: accepted`);
      assert.match(decoded.error, reason, label);
      const service = loaded(snapshot);
      const result = service.loadRetrievalMemo(label === 'another snapshot' ? encodeRetrievalMemo({ engine: ENGINE, snapshot: 'other', entries: [] }) : bytes);
      if (label !== 'another engine') assert.equal(result.ok, false, `${label}: loaded`);
      assert.equal(diagnosticsOf(service, drafts), truth, `${label}: the answers after a refused memo`);
    }
    // A memo made by another engine from a snapshot that engine made is refused by this one.
    const otherEngine = encodeRetrievalMemo({ engine: '0.0.1+other', snapshot: id, entries: [] });
    assert.deepEqual(loaded(snapshot).loadRetrievalMemo(otherEngine), { ok: false, reason: 'made by another engine (0.0.1+other)' });
  });
});
