/**
 * The index snapshot (the on-disk index cache) in the pure core: a loaded snapshot answers
 * exactly as the index it was made from; files whose signature is unchanged are not read
 * again; a snapshot of another engine, or damaged, is refused with a reason and never throws;
 * damage in a part read on demand (an article's text) is an error when that part is read.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InMemoryWorkspace, repoRoot, seedCorpus, settings } from '../support/memoryWorkspace';
import { bytesSource, type SnapshotParts, type SnapshotSource } from '../../server/src/core/corpus/snapshot';
import { createSourcemarkService, type DraftDocument, type SourcemarkService, type WorkspaceFile } from '../../server/src/core/service';
import { citationAbout, wordsOf } from '../../server/src/core/corpus/corpus';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { mulberry32 } from '../support/prng';
import { articleTextIn } from '../support/snapshotLayout';
import { checksum, checksumParts } from '../../server/src/core/corpus/decode';

const ENGINE = '9.9.9+snapshot-test';
const ID_LUX = '000_7f8327f5e496136c';
const ID_JAPAN = '002_bd768a52f42e921c';
const JAPAN_FILE = `corpus/${ID_JAPAN}.txt`;
const CONTRADICTED = 'Năm 2024, Nhật Bản sẽ cung cấp cho Ukraine 5,4 tỷ USD.';

interface FixtureClaim {
  id: string;
  draft: string;
  figure: string;
  expect: string;
}
const claims: FixtureClaim[] = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/claims.json'), 'utf8'));

/**
 * The in-memory workspace with what a real host adds: a change signature per file in the
 * listing (bumped by `edit`), and a record of the files read.
 */
class SignedWorkspace extends InMemoryWorkspace {
  private readonly versions = new Map<string, number>();
  readonly reads: string[] = [];

  edit(p: string, content: string): void {
    assert.ok(this.files.has(p), `${p} is not in the workspace`);
    this.set(p, content);
    this.versions.set(p, (this.versions.get(p) ?? 0) + 1);
  }

  text(p: string): string {
    return new TextDecoder().decode(this.files.get(p));
  }

  override async findFiles(globs: readonly string[]): Promise<WorkspaceFile[]> {
    return (await super.findFiles(globs)).map((f) => ({ ...f, signature: `${this.files.get(f.path)!.length}:${this.versions.get(f.path) ?? 0}` }));
  }

  override async readFile(uri: string): Promise<Uint8Array | undefined> {
    this.reads.push(uri.replace('memory:///', ''));
    return super.readFile(uri);
  }

  /** Corpus files read (sidecars left out). */
  corpusReads(): string[] {
    return this.reads.filter((p) => !p.endsWith('.meta.yaml'));
  }
}

const newService = (workspace = new SignedWorkspace(seedCorpus()), engineVersion = ENGINE): { service: SourcemarkService; workspace: SignedWorkspace } => ({
  service: createSourcemarkService({ workspace, engineVersion }),
  workspace,
});

/** A service over the seed corpus indexed from its files, figures and agreements counted (so they are in the snapshot). */
async function indexedService(workspace = new SignedWorkspace(seedCorpus())): Promise<{ service: SourcemarkService; workspace: SignedWorkspace }> {
  const made = newService(workspace);
  await made.service.indexCorpus(settings);
  made.service.stats({ exact: true });
  return made;
}

/** A fresh service that loaded `bytes` (nothing read from the workspace yet). */
function loadedService(bytes: Uint8Array, workspace = new SignedWorkspace(seedCorpus())): { service: SourcemarkService; workspace: SignedWorkspace } {
  const made = newService(workspace);
  const loaded = made.service.loadSnapshot(bytes);
  assert.ok(loaded.ok, `snapshot refused: ${loaded.ok ? '' : loaded.reason}`);
  return made;
}

const doc = (text: string, uri = 'memory:///draft.md'): DraftDocument => ({ uri, version: 1, getText: () => text });

/** A draft with a cursor marker `|`: the document and the cursor's position. */
function at(input: string): { doc: DraftDocument; position: { line: number; character: number } } {
  const offset = input.indexOf('|');
  assert.ok(offset >= 0, `no cursor marker in ${input}`);
  const text = input.slice(0, offset) + input.slice(offset + 1);
  return { doc: doc(text), position: new LineIndex(text).positionAt(offset) };
}

/** The layout facts a test needs to aim at a part of a snapshot (see snapshot.ts). */
function layout(bytes: Uint8Array): { headLength: number; bodyStart: number; eagerBytes: number; sections: Record<string, [number, number]> } {
  const headLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headLength))) as { eagerBytes: number; sections: Record<string, [number, number]> };
  return { headLength, bodyStart: (16 + headLength + 7) & ~7, eagerBytes: head.eagerBytes, sections: head.sections };
}

const flipped = (bytes: Uint8Array, at: number, mask = 0x01): Uint8Array => {
  const out = bytes.slice();
  out[at]! ^= mask;
  return out;
};


const randomBytes = (n: number, seed: number, prefix = ''): Uint8Array => {
  const next = mulberry32(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  for (let i = 0; i < prefix.length && i < n; i++) out[i] = prefix.charCodeAt(i);
  return out;
};

/** What a refusal must look like: a reason, no exception, and the service keeps its index. */
function assertRefused(service: SourcemarkService, input: Uint8Array, reason: RegExp, label: string): void {
  const before = service.stats();
  let result: ReturnType<SourcemarkService['loadSnapshot']>;
  assert.doesNotThrow(() => (result = service.loadSnapshot(input)), label);
  assert.equal(result!.ok, false, `${label}: accepted`);
  if (!result!.ok) {
    assert.ok(result!.reason.length > 0, `${label}: no reason`);
    assert.match(result!.reason, reason, label);
  }
  assert.deepEqual(service.stats(), before, `${label}: a refused snapshot must leave the index as it was`);
}

let fresh: SourcemarkService;
let bytes: Uint8Array;

before(async () => {
  ({ service: fresh } = await indexedService());
  bytes = fresh.snapshot();
});

describe('snapshot: a loaded snapshot answers as the index it was made from', () => {
  let loaded: SourcemarkService;
  let workspace: SignedWorkspace;
  before(() => {
    ({ service: loaded, workspace } = loadedService(bytes));
  });

  it('holds the same files, articles, sentences and figure counts, without reading the workspace', () => {
    assert.deepEqual(loaded.loadSnapshot(bytes), { ok: true, files: 5 });
    const { agreements: _a, ...loadedCounts } = loaded.stats();
    const { agreements: _b, ...freshCounts } = fresh.stats();
    assert.deepEqual(loadedCounts, freshCounts, 'figure counts come from the snapshot');
    assert.equal(loaded.stats().figuresPending, 0);
    assert.deepEqual(loaded.stats({ exact: true }), fresh.stats({ exact: true }));
    assert.deepEqual(loaded.corpus.articles().map((a) => [a.meta.id, a.uri, a.path, a.sentenceCount, a.hash]), fresh.corpus.articles().map((a) => [a.meta.id, a.uri, a.path, a.sentenceCount, a.hash]));
    for (const a of fresh.corpus.articles()) {
      const b = loaded.corpus.article(a.meta.id)!;
      assert.equal(b.text, a.text, a.meta.id);
      assert.deepEqual(b.meta, a.meta, a.meta.id);
    }
    assert.deepEqual(workspace.reads, [], 'nothing was read from the workspace');
    assert.equal(loaded.snapshotStale, false);
  });

  it(`gives the same verdicts and diagnostics for all ${claims.length} claims of the fixture`, () => {
    for (const claim of claims) {
      const a = fresh.checkDraft(claim.draft, settings);
      const b = loaded.checkDraft(claim.draft, settings);
      assert.deepEqual(b.diagnostics, a.diagnostics, claim.id);
      assert.deepEqual(
        b.check.figures.map((f) => [f.figure.start, f.verdict, f.evidence?.sentence.doc]),
        a.check.figures.map((f) => [f.figure.start, f.verdict, f.evidence?.sentence.doc]),
        claim.id,
      );
    }
  });

  // [draft, diagnostic codes expected from the loaded snapshot]
  const drafts: [string, string[]][] = [
    [CONTRADICTED, ['contradicted-figure']],
    ['Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@002_bd768a52f42e921c].', []],
    [`Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@${ID_LUX}].`, ['citation-mismatch', 'citation-mismatch']],
    ['Theo [@no-such-article], Tokyo sẽ viện trợ.', ['unknown-source']],
    ['Luxembourg là một công quốc nhỏ với dân số khoảng 762.000 người.', ['contradicted-figure']],
  ];
  for (const [draft, codes] of drafts) {
    it(`${codes.join(', ') || 'no diagnostic'}: ${draft}`, () => {
      const { diagnostics } = loaded.checkDraft(draft, settings);
      assert.deepEqual(diagnostics.map((d) => d.code), codes);
      assert.deepEqual(diagnostics, fresh.checkDraft(draft, settings).diagnostics);
    });
  }

  it('points a contradiction at the same place of the corpus file', () => {
    const d = loaded.checkDraft(CONTRADICTED, settings).diagnostics[0]!;
    const related = d.relatedInformation?.[0]?.location;
    assert.equal(related?.uri, InMemoryWorkspace.uri(JAPAN_FILE));
    const lines = workspace.text(JAPAN_FILE).split('\n');
    assert.equal(lines[related!.range.start.line]!.slice(related!.range.start.character, related!.range.end.character), '4,5 tỷ USD');
  });

  const queries = ['Nhật Bản Ukraine thỏa thuận an ninh', 'Luxembourg dân số', 'viện trợ quân sự Israel', 'phòng không NATO', 'Zelensky', 'không có từ nào như thế này'];
  for (const query of queries) {
    it(`searches alike: ${query}`, () => {
      const words = wordsOf(query).words;
      const hits = (s: SourcemarkService): [string, number, number, string][] => s.corpus.search(words, 10).map((h) => [h.sentence.article.meta.id, h.sentence.doc, h.score, h.sentence.text]);
      assert.deepEqual(hits(loaded), hits(fresh));
      assert.deepEqual(loaded.corpus.sentencesWithAll(words.slice(0, 2)).map((s) => s.doc), fresh.corpus.sentencesWithAll(words.slice(0, 2)).map((s) => s.doc));
    });
  }

  // [feature, draft with a cursor `|`]
  const features: [string, string][] = [
    ['hover on a figure', 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4|,5 tỷ USD [@002_bd768a52f42e921c].'],
    ['hover on a citation key', 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@002_bd|768a52f42e921c].'],
    ['definition of a citation key', `Theo [@${ID_LUX}|], Luxembourg là một công quốc nhỏ.`],
    ['definition of a figure', 'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,|5 tỷ USD.'],
    ['completion of a figure', 'Năm 2024, Tokyo sẽ cung cấp cho Kiev |'],
    ['completion of a citation key', 'Theo [@00|'],
  ];
  for (const [feature, input] of features) {
    it(`${feature}: same answer`, () => {
      const { doc: d, position } = at(input);
      const answer = (s: SourcemarkService): unknown =>
        feature.startsWith('hover') ? s.provideHover(d, position, settings) : feature.startsWith('definition') ? s.provideDefinition(d, position, settings) : s.provideCompletions(d, position, settings);
      const expected = answer(fresh);
      assert.ok(expected && (!Array.isArray(expected) || expected.length > 0), `${feature}: the fresh index has an answer`);
      assert.deepEqual(answer(loaded), expected);
    });
  }

  it('lists the same workspace symbols, document links and agreements', () => {
    for (const query of ['', 'nhat ban', 'Luxembourg']) assert.deepEqual(loaded.provideWorkspaceSymbols(query, settings), fresh.provideWorkspaceSymbols(query, settings), query);
    const links = doc(`Theo [@${ID_LUX}] và [@${ID_JAPAN}].`);
    assert.deepEqual(loaded.provideDocumentLinks(links, settings), fresh.provideDocumentLinks(links, settings));
    assert.ok(fresh.agreements().length > 0);
    assert.deepEqual(JSON.parse(JSON.stringify(loaded.agreements())), JSON.parse(JSON.stringify(fresh.agreements())));
  });

  it('snapshots again to the same bytes, and that snapshot loads too', () => {
    const again = loaded.snapshot();
    assert.deepEqual(again, bytes, 'articles loaded from a snapshot are copied as stored');
    const { service } = loadedService(again);
    assert.deepEqual(service.checkDraft(CONTRADICTED, settings).diagnostics, fresh.checkDraft(CONTRADICTED, settings).diagnostics);
  });

  it('loads from an unaligned view and from a random-access source', () => {
    const buffer = new Uint8Array(bytes.length + 3);
    buffer.set(bytes, 3);
    const reads: [number, number][] = [];
    const sources = {
      'an unaligned view': buffer.subarray(3),
      'a source read piece by piece': { size: bytes.length, read: (offset: number, length: number) => (reads.push([offset, length]), bytes.slice(offset, offset + length)) },
    };
    let readsAtLoad = 0;
    for (const [label, source] of Object.entries(sources)) {
      const { service } = newService();
      assert.deepEqual(service.loadSnapshot(source), { ok: true, files: 5 }, label);
      readsAtLoad ||= reads.length;
      for (const claim of claims.slice(0, 40)) assert.deepEqual(service.checkDraft(claim.draft, settings).diagnostics, fresh.checkDraft(claim.draft, settings).diagnostics, `${label}: ${claim.id}`);
    }
    const { bodyStart, eagerBytes } = layout(bytes);
    assert.ok(readsAtLoad > 0 && reads.length > readsAtLoad, 'parts were read on demand, after the load');
    for (const [offset, length] of reads.slice(0, readsAtLoad)) assert.ok(offset + length <= bodyStart + eagerBytes, `the load read [${offset}, ${offset + length}), past the eager sections`);
  });

  // A Node Buffer is a Uint8Array (fs.readFileSync returns one), but its slice() is a view, not a copy.
  it('loads from a Node Buffer, aligned or not', () => {
    const buffers: [string, Uint8Array][] = [
      ['a Node Buffer', Buffer.from(bytes)],
      ['a Node Buffer at an 8-aligned offset of a larger one', Buffer.concat([Buffer.alloc(8), bytes]).subarray(8)],
      ['an unaligned Node Buffer', Buffer.concat([Buffer.alloc(3), bytes]).subarray(3)],
    ];
    const failures: string[] = [];
    for (const [label, input] of buffers) {
      const { service } = newService();
      const result = service.loadSnapshot(input);
      if (!result.ok) failures.push(`${label}: refused (${result.reason})`);
      else if (claims.some((c) => JSON.stringify(service.checkDraft(c.draft, settings).diagnostics) !== JSON.stringify(fresh.checkDraft(c.draft, settings).diagnostics))) failures.push(`${label}: other diagnostics`);
    }
    assert.deepEqual(failures, []);
  });
});

describe('snapshot: catching up with the files after a load', () => {
  it('reads no file whose signature is unchanged', async () => {
    const { service, workspace } = loadedService(bytes);
    await service.indexCorpus(settings);
    assert.deepEqual(service.lastIndexRun, { files: 5, read: 0, prepared: 0 });
    assert.deepEqual(workspace.reads, []);
    assert.equal(service.snapshotStale, false, 'nothing to write back');
    assert.deepEqual(service.checkDraft(CONTRADICTED, settings).diagnostics, fresh.checkDraft(CONTRADICTED, settings).diagnostics);
  });

  it('re-reads a changed file alone, and answers from its new text', async () => {
    const workspace = new SignedWorkspace(seedCorpus());
    const before = workspace.text(JAPAN_FILE);
    assert.ok(before.includes('4,5 tỷ USD'));
    workspace.edit(JAPAN_FILE, before.replace('4,5 tỷ USD', '5,4 tỷ USD'));
    const { service } = loadedService(bytes, workspace);
    assert.deepEqual(service.checkDraft(CONTRADICTED, settings).diagnostics.map((d) => d.code), ['contradicted-figure'], 'until it catches up, the snapshot answers');

    await service.indexCorpus(settings);
    assert.deepEqual(service.lastIndexRun, { files: 5, read: 1, prepared: 0 });
    assert.deepEqual(workspace.corpusReads(), [JAPAN_FILE]);
    assert.equal(service.snapshotStale, true);
    assert.deepEqual(service.checkDraft(CONTRADICTED, settings).diagnostics, [], 'the edited article now says 5,4 tỷ USD');
    const { service: truth } = await indexedService(workspace);
    for (const claim of claims) assert.deepEqual(service.checkDraft(claim.draft, settings).diagnostics, truth.checkDraft(claim.draft, settings).diagnostics, claim.id);

    // The next snapshot holds the edit (and its signature: nothing is read again).
    const next = service.snapshot();
    assert.equal(service.snapshotStale, false);
    const reloaded = loadedService(next, workspace);
    await reloaded.service.indexCorpus(settings);
    assert.deepEqual(reloaded.service.lastIndexRun, { files: 5, read: 0, prepared: 0 });
    assert.deepEqual(reloaded.service.checkDraft(CONTRADICTED, settings).diagnostics, []);
  });

  it('forgets a removed file and reads an added one alone', async () => {
    const workspace = new SignedWorkspace(seedCorpus());
    workspace.files.delete(JAPAN_FILE);
    workspace.set('corpus/005_added.md', '---\nid: 005_added\ntitle: Hà Lan cam kết viện trợ\n---\n\nNăm 2025, Amsterdam sẽ cung cấp cho Kiev 2,1 tỷ euro viện trợ quân sự.\n');
    const { service } = loadedService(bytes, workspace);
    await service.indexCorpus(settings);
    assert.deepEqual(service.lastIndexRun, { files: 5, read: 1, prepared: 0 });
    assert.deepEqual(workspace.corpusReads(), ['corpus/005_added.md']);
    assert.equal(service.corpus.article(ID_JAPAN), undefined);
    assert.deepEqual(service.checkDraft(`Theo [@${ID_JAPAN}], Tokyo sẽ viện trợ.`, settings).diagnostics.map((d) => d.code), ['unknown-source']);
    assert.deepEqual(service.checkDraft('Năm 2025, Amsterdam sẽ cung cấp cho Kiev 3,1 tỷ euro viện trợ quân sự.', settings).diagnostics.map((d) => d.code), ['contradicted-figure']);
  });

  it('takes a listing the host already made instead of listing again, and reads as it would', async () => {
    const workspace = new SignedWorkspace(seedCorpus());
    workspace.edit(JAPAN_FILE, workspace.text(JAPAN_FILE).replace('4,5 tỷ USD', '5,4 tỷ USD'));
    const listed = await workspace.findFiles(settings.corpus);
    const { service } = loadedService(bytes, workspace);
    let listings = 0;
    const findFiles = workspace.findFiles.bind(workspace);
    workspace.findFiles = async (globs) => {
      listings++;
      return findFiles(globs);
    };
    await service.indexCorpus(settings, undefined, undefined, listed);
    assert.equal(listings, 0, 'no second listing');
    assert.deepEqual(service.lastIndexRun, { files: 5, read: 1, prepared: 0 });
    assert.deepEqual(workspace.corpusReads(), [JAPAN_FILE]);
    assert.deepEqual(service.checkDraft(CONTRADICTED, settings).diagnostics, []);
    await service.indexCorpus(settings);
    assert.equal(listings, 1, 'without one, it lists');
  });

  it('re-reads one file on updateCorpusFile, the others stay as loaded', async () => {
    const workspace = new SignedWorkspace(seedCorpus());
    const { service } = loadedService(bytes, workspace);
    workspace.edit(JAPAN_FILE, workspace.text(JAPAN_FILE).replace('4,5 tỷ USD', '5,4 tỷ USD'));
    const [file] = (await workspace.findFiles(settings.corpus)).filter((f) => f.path === JAPAN_FILE);
    await service.updateCorpusFile(file!);
    assert.deepEqual(workspace.corpusReads(), [JAPAN_FILE]);
    assert.equal(service.snapshotStale, true);
    assert.deepEqual(service.checkDraft(CONTRADICTED, settings).diagnostics, []);
    await service.indexCorpus(settings);
    assert.deepEqual(service.lastIndexRun, { files: 5, read: 0, prepared: 0 }, 'the update recorded the new signature');
  });
});

describe('snapshot: made a step at a time between requests (prepareSnapshot)', () => {
  const joined = (parts: SnapshotParts): Uint8Array => {
    const out = new Uint8Array(parts.size);
    let at = 0;
    for (const chunk of parts.chunks()) {
      out.set(chunk, at);
      at += chunk.length;
    }
    assert.equal(at, parts.size);
    return out;
  };

  it('makes, a step per call, the bytes a snapshot made at once has', () => {
    const { service } = loadedService(bytes);
    let calls = 1;
    while (!service.prepareSnapshot(() => true)) calls++;
    assert.ok(calls >= 5, `${calls} calls`);
    assert.deepEqual(joined(service.snapshotParts()), bytes);
  });

  it('starts again when the corpus changes between steps, and then holds the change', async () => {
    const workspace = new SignedWorkspace(seedCorpus());
    const { service } = loadedService(bytes, workspace);
    // Files made first, so the calls below count the snapshot's own steps.
    assert.equal(service.corpus.settle(), true);
    assert.equal(service.prepareSnapshot(() => true), false);
    assert.equal(service.prepareSnapshot(() => true), false);
    workspace.edit(JAPAN_FILE, workspace.text(JAPAN_FILE).replace('4,5 tỷ USD', '5,4 tỷ USD'));
    const [file] = (await workspace.findFiles(settings.corpus)).filter((f) => f.path === JAPAN_FILE);
    await service.updateCorpusFile(file!);
    // Every step again (as many calls as a whole run from a fresh load takes), not the rest of the old run.
    let calls = 1;
    while (!service.prepareSnapshot(() => true)) calls++;
    const { service: fresh } = loadedService(bytes);
    assert.equal(fresh.corpus.settle(), true);
    let whole = 1;
    while (!fresh.prepareSnapshot(() => true)) whole++;
    assert.ok(calls >= whole, `${calls} calls after the change, ${whole} for a whole run`);
    const stepped = joined(service.snapshotParts());
    assert.notDeepEqual(stepped, bytes);
    assert.deepEqual(stepped, service.snapshot(), 'the changed corpus, as a snapshot made at once has it');
    const { service: reloaded } = loadedService(stepped);
    assert.deepEqual(reloaded.checkDraft(CONTRADICTED, settings).diagnostics, [], 'the loaded snapshot has the changed figure');
  });

  it('fails clearly on a damaged part it reads, and starts again when asked again (never a call that does nothing)', () => {
    const { bodyStart, sections } = layout(bytes);
    const { service } = loadedService(flipped(bytes, bodyStart + sections.metas![0] + 2, 0x01));
    for (let attempt = 0; attempt < 2; attempt++) {
      let calls = 0;
      assert.throws(() => {
        while (!service.prepareSnapshot(() => true)) assert.ok(++calls < 1000, 'prepareSnapshot makes progress or fails');
      }, /metadata of .* is altered/, `attempt ${attempt}`);
    }
  });

  it('a snapshot asked for before the steps are done makes what is left at once', () => {
    const { service } = loadedService(bytes);
    service.prepareSnapshot(() => true);
    assert.deepEqual(joined(service.snapshotParts()), bytes);
  });
});

describe('snapshot: file and article rows', () => {
  // [file, content]: what a row must carry back as it was.
  const extra: [string, string][] = [
    ['corpus/Thỏa thuận an ninh/bài 1.md', '---\ntitle: Thỏa thuận 10 năm\noutlet: Báo Mới\ndate: 2024-07-11\n---\nUkraine và Ba Lan ký thỏa thuận an ninh 10 năm tại Warsaw.\n'],
    ['corpus/broken.md', '---\ntitle: [unclosed\n---\nHà Lan cam kết 2 tỷ euro cho Ukraine trong năm 2024.\n'],
    ['corpus/many.jsonl', [{ id: 'rec-1', title: 'Một', body: 'Đức viện trợ 7 tỷ euro.' }, { id: 'rec-2', title: 'Hai', body: 'Pháp viện trợ 3 tỷ euro.' }, { id: 'rec-3', title: 'Ba', body: 'Anh viện trợ 2,5 tỷ bảng.' }].map((r) => JSON.stringify(r)).join('\n') + '\n'],
    // A path with a lone surrogate does not survive UTF-8: its file stays out of the cache.
    ['corpus/lone-\ud800.txt', 'Ý viện trợ 1 tỷ euro cho Ukraine.\n'],
  ];
  const files = { ...seedCorpus(), ...Object.fromEntries(extra) };
  const rows = (service: SourcemarkService, places = true): unknown[] =>
    service.corpus.files().map((f) => [f.uri, f.path, f.hash, f.signature, f.problems, f.articles.map((a) => [a.id, a.lineOffset, places ? a.docBase : -1, a.sentenceCount, a.figureCount, a.text, a.meta])]);

  it('carry back every file\'s uri, path, hash, signature and problems, and every article\'s place, counts, text and metadata', async () => {
    const { service: made } = await indexedService(new SignedWorkspace(files));
    assert.ok(made.corpus.files().some((f) => f.problems.length > 0), 'a file with problems');
    assert.ok(made.corpus.files().some((f) => f.path === 'corpus/lone-\ud800.txt'), 'the file with a lone surrogate in its path is indexed');
    const workspace = new SignedWorkspace(files);
    const { service } = loadedService(made.snapshot(), workspace);
    assert.ok(!service.corpus.files().some((f) => f.path === 'corpus/lone-\ud800.txt'), 'the file with a lone surrogate in its path is left out');
    assert.deepEqual(rows(service), rows(made).filter((r) => (r as string[])[1] !== 'corpus/lone-\ud800.txt'));
    await service.indexCorpus(settings);
    assert.deepEqual(workspace.corpusReads(), ['corpus/lone-\ud800.txt'], 'only the file left out is read again');
    // The file read again has new documents.
    assert.deepEqual(rows(service, false).sort(), rows(made, false).sort());
  });

  it('carry a file without a signature as one without', async () => {
    const made = createSourcemarkService({ workspace: new InMemoryWorkspace(files), engineVersion: ENGINE });
    await made.indexCorpus(settings);
    assert.ok(made.corpus.files().every((f) => f.signature === undefined));
    const { service } = loadedService(made.snapshot(), new SignedWorkspace(files));
    assert.deepEqual(rows(service), rows(made).filter((r) => (r as string[])[1] !== 'corpus/lone-\ud800.txt'));
  });
});

describe('snapshot: files that were not NFC', () => {
  // A decomposed .txt is cached as the file's own text (NFC and the map back remade on load);
  // a decomposed JSONL record maps into its body string, so that file stays out of the cache.
  const nfdText = 'Nhật Bản và Ukraine\n\nNăm 2024, Nhật Bản sẽ cung cấp cho Ukraine 4,5 tỷ USD. Thoả thuận có hiệu lực 10 năm.\n'.normalize('NFD');
  const nfdJsonl = JSON.stringify({ id: 'rec-nfd', title: 'Hàn Quốc', body: 'Hàn Quốc cam kết 2,3 tỷ USD cho Ukraine.'.normalize('NFD') }) + '\n';
  const files = { ...seedCorpus(), 'corpus/nfd.txt': nfdText, 'corpus/nfd.jsonl': nfdJsonl };

  it('caches a decomposed .txt whole: the same text, lines and positions after a load, and no re-read', async () => {
    const { service: made } = await indexedService(new SignedWorkspace(files));
    const snapshot = made.snapshot();
    const workspace = new SignedWorkspace(files);
    const { service } = loadedService(snapshot, workspace);
    const before = made.corpus.article('nfd')!;
    const after = service.corpus.article('nfd');
    assert.ok(after, 'the decomposed .txt is in the snapshot');
    assert.ok(before.toOriginal && after.toOriginal, 'both map back to the file');
    assert.ok(made.corpus.article('rec-nfd')?.toOriginal, 'the JSONL record was indexed, mapped back to its body');
    assert.equal(after.text, before.text);
    assert.equal(after.text, after.text.normalize('NFC'));
    for (let o = 0; o <= before.text.length; o += 7) assert.equal(after.toOriginal(o), before.toOriginal(o), `offset ${o}`);
    assert.deepEqual(after.lines.positionAt(after.toOriginal(after.text.length)), before.lines.positionAt(before.toOriginal(before.text.length)));
    assert.equal(service.corpus.article('rec-nfd'), undefined, 'the decomposed JSONL file is left out');
    const wrong = 'Năm 2024, Nhật Bản sẽ cung cấp cho Ukraine 5,4 tỷ USD.';
    assert.deepEqual(service.checkDraft(wrong, settings).diagnostics, made.checkDraft(wrong, settings).diagnostics);
    await service.indexCorpus(settings);
    assert.deepEqual(workspace.corpusReads(), ['corpus/nfd.jsonl'], 'only the file left out of the cache is read again');
    assert.equal(service.snapshotStale, false, 'nothing to write back');
    assert.ok(service.corpus.article('rec-nfd'), 'the JSONL record is back');
  });
});

describe('snapshot: refused with a reason, never thrown', () => {
  it('refuses a snapshot of another engine, naming it', () => {
    for (const other of ['9.9.9+other', '9.9.10+snapshot-test', '']) {
      const { service } = newService(undefined, other);
      assertRefused(service, bytes, /another engine \(sourcemark-index\/\d+\/9\.9\.9\+snapshot-test\)/, `engine "${other}"`);
    }
  });

  it('refuses a snapshot whose engine string was replaced by one of the same length', () => {
    const text = new TextDecoder().decode(bytes.subarray(0, 16 + layout(bytes).headLength));
    const at = text.indexOf(ENGINE);
    assert.ok(at > 0);
    const altered = bytes.slice();
    altered.set(new TextEncoder().encode(ENGINE.replace('9.9.9', '1.2.3')), at);
    assertRefused(newService().service, altered, /another engine .*1\.2\.3\+snapshot-test/, 'engine string replaced');
  });

  it('refuses a snapshot that is no snapshot, or truncated, or altered where it is checked at load', () => {
    const { headLength, bodyStart, eagerBytes, sections } = layout(bytes);
    const magic = new TextDecoder().decode(bytes.subarray(0, 8));
    const middle = (name: string): number => bodyStart + sections[name]![0] + Math.floor(sections[name]![1] / 2);
    const eagerSections = Object.keys(sections).filter((name) => sections[name]![0] + sections[name]![1] <= eagerBytes && sections[name]![1] > 0);
    const lastEager = eagerSections.map((name) => sections[name]![0] + sections[name]![1]).reduce((a, b) => Math.max(a, b));
    const headText = new TextDecoder().decode(bytes.subarray(16, 16 + headLength));
    const digit = 16 + headText.indexOf('"docCount":') + '"docCount":'.length;
    const textsEnd = bodyStart + sections.texts![0] + sections.texts![1];
    const service = newService().service;
    assert.ok(eagerSections.length >= 3 && !eagerSections.includes('texts'), `eager sections: ${eagerSections.join(', ')}`);
    // [case, input, reason]
    const table: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /too short/],
      ['the magic alone', bytes.subarray(0, 8), /too short/],
      ['another format', flipped(bytes, 7, 0x07), /not a Sourcemark index cache/],
      ['text', new TextEncoder().encode('# not an index\n'.repeat(20)), /not a Sourcemark index cache/],
      ['random bytes', randomBytes(4096, 1), /not a Sourcemark index cache/],
      ['random bytes after the magic', randomBytes(4096, 2, magic), /truncated|corrupt/],
      ['random bytes after the magic and a plausible head length', (() => { const b = randomBytes(4096, 3, magic); b.set([64, 0, 0, 0], 8); return b; })(), /corrupt/],
      ['truncated in the prefix', bytes.subarray(0, 15), /too short/],
      ['truncated after the prefix', bytes.subarray(0, 16), /truncated/],
      ['truncated in the head', bytes.subarray(0, 16 + (headLength >> 1)), /truncated/],
      ['truncated at the end of the head', bytes.subarray(0, 16 + headLength), /truncated/],
      ['truncated in the eager sections', bytes.subarray(0, bodyStart + (eagerBytes >> 1)), /truncated/],
      ['truncated after the eager sections', bytes.subarray(0, bodyStart + eagerBytes), /corrupt \(a section lies outside the file\)/],
      ['truncated in the postings', bytes.subarray(0, middle('postingDocs')), /outside the file/],
      ['truncated in the texts', bytes.subarray(0, textsEnd - 1), /outside the file/],
      ['half of it', bytes.subarray(0, bytes.length >> 1), /truncated|outside the file/],
      ['a flipped byte in the magic', flipped(bytes, 2), /not a Sourcemark index cache/],
      ['a flipped byte in the head length', flipped(bytes, 9), /truncated|corrupt|checksum/],
      ['a flipped byte in the checksum', flipped(bytes, 13), /checksum mismatch/],
      ['a flipped digit in the head', flipped(bytes, digit), /checksum mismatch/],
      ['a flipped quote in the head', flipped(bytes, 16, 0x02), /corrupt/],
      ...eagerSections.map((name): [string, Uint8Array, RegExp] => [`a flipped byte in the eager section ${name}`, flipped(bytes, middle(name)), /checksum mismatch/]),
      ['a flipped byte at the end of the eager sections', flipped(bytes, bodyStart + lastEager - 1), /checksum mismatch/],
    ];
    assert.equal(new TextDecoder().decode(bytes.subarray(16 + headLength - 1, 16 + headLength)), '}', 'the head ends where its length says');
    for (const [label, input, reason] of table) assertRefused(service, input, reason, label);
  });

  it('refuses every truncation that cuts data (sampled), and every flipped byte checked at load (sampled)', () => {
    const { headLength, bodyStart, eagerBytes, sections } = layout(bytes);
    const textsEnd = bodyStart + sections.texts![0] + sections.texts![1];
    const service = newService().service;
    const next = mulberry32(42);
    for (let i = 0; i < 150; i++) {
      const length = Math.floor(next() * textsEnd);
      assertRefused(service, bytes.subarray(0, length), /too short|truncated|outside the file|corrupt/, `truncated to ${length} of ${bytes.length} bytes`);
    }
    // Bytes checked at load: the prefix, the head and the eager sections (not the head's padding).
    const checked = [...Array(16 + headLength).keys(), ...Array.from({ length: eagerBytes }, (_, k) => bodyStart + k)];
    for (let i = 0; i < 300; i++) {
      const at = checked[Math.floor(next() * checked.length)]!;
      const mask = 1 << Math.floor(next() * 8);
      assertRefused(service, flipped(bytes, at, mask), /./, `byte ${at} flipped (mask ${mask})`);
    }
  });

  it('says why when the source cannot be read', () => {
    const service = newService().service;
    assertRefused(service, { size: bytes.length, read: () => { throw new Error('EIO: i/o error'); } } as never, /EIO/, 'unreadable source');
    assertRefused(service, { size: bytes.length, read: (o: number, n: number) => bytes.slice(o, o + Math.floor(n / 2)) } as never, /corrupt|truncated|checksum/, 'short reads');
  });

  it('leaves an indexed service answering after a refused load', async () => {
    const { service } = await indexedService();
    assertRefused(service, bytes.subarray(0, 100), /truncated/, 'truncated');
    assertRefused(newService(undefined, 'other').service, bytes, /another engine/, 'engine');
    assert.deepEqual(service.checkDraft(CONTRADICTED, settings).diagnostics, fresh.checkDraft(CONTRADICTED, settings).diagnostics);
  });
});

describe('snapshot: damage in a part read on demand', () => {
  // The same from bytes in memory and from a source that reads into memory it is given (a
  // file: texts are then read into a reused buffer).
  const sources: [string, (b: Uint8Array) => Uint8Array | SnapshotSource][] = [
    ['bytes', (b) => b],
    ['a source reading into given memory', (b) => ({ size: b.length, freshReads: true, read: (o: number, n: number) => b.slice(o, o + n), readInto: (o: number, target: Uint8Array) => target.set(b.subarray(o, o + target.length)) })],
  ];
  for (const [label, sourceOf] of sources) {
    it(`${label}: accepts a flipped byte in an article text at load, and reading that text fails clearly`, () => {
      const [offset, length] = articleTextIn(bytes, ID_JAPAN);
      // 'h' → 'j': still valid UTF-8, same length: only the checksum can tell.
      const at = offset + new TextDecoder().decode(bytes.subarray(offset, offset + length)).indexOf('Nhật');
      const damaged = flipped(bytes, at + 1, 0x02);
      const { service } = newService();
      assert.deepEqual(service.loadSnapshot(sourceOf(damaged)), { ok: true, files: 5 }, 'texts are checked when read, not at load');
      assert.throws(() => service.corpus.article(ID_JAPAN)!.text, /index cache: the text of 002_bd768a52f42e921c is altered/);
      for (const a of fresh.corpus.articles()) {
        if (a.meta.id === ID_JAPAN) continue;
        assert.equal(service.corpus.article(a.meta.id)!.text, a.text, `${a.meta.id} is intact`);
        assert.deepEqual(service.corpus.article(a.meta.id)!.meta, a.meta, `${a.meta.id}: its metadata too`);
      }
    });

    it(`${label}: fails clearly on a byte of an article text that is no longer UTF-8, and on altered metadata`, () => {
      const [offset] = articleTextIn(bytes, ID_LUX);
      const damaged = bytes.slice();
      damaged[offset] = 0xff;
      const { bodyStart, sections } = layout(bytes);
      damaged[bodyStart + sections.metas![0] + 3]! ^= 0x04;
      const { service } = newService();
      assert.equal(service.loadSnapshot(sourceOf(damaged)).ok, true);
      assert.throws(() => service.corpus.article(ID_LUX)!.text, /index cache: the text of 000_7f8327f5e496136c is altered/);
      assert.throws(() => service.corpus.articles().map((a) => a.meta), /index cache: the metadata of .* is altered/);
    });
  }
});

describe('snapshot: a save copies a loaded snapshot\'s metadata and texts read ahead', () => {
  it('reads them in a read or two per section; a read that does not follow the last one reads only what it asks for', () => {
    const { bodyStart, sections } = layout(bytes);
    const reads: [number, number][] = [];
    const { service } = newService();
    assert.equal(service.loadSnapshot({ size: bytes.length, read: (o: number, n: number) => (reads.push([o, n]), bytes.slice(o, o + n)) }).ok, true);
    const readsIn = (name: string): number[] => {
      const [at, length] = sections[name]!;
      return reads.filter(([o]) => o >= bodyStart + at && o < bodyStart + at + length).map(([, n]) => n);
    };
    const articles = [...service.corpus.articles()];
    assert.ok(articles.length >= 5);
    const metaBytes = (k: number): number => new TextEncoder().encode(JSON.stringify(fresh.corpus.article(articles[k]!.id)!.meta)).length;
    // Out of order (a hover here, a check there): each read is the one article's metadata.
    reads.length = 0;
    for (const k of [articles.length - 1, 0, 2]) assert.deepEqual(articles[k]!.meta, fresh.corpus.article(articles[k]!.id)!.meta);
    assert.deepEqual(readsIn('metas'), [metaBytes(articles.length - 1), metaBytes(0), metaBytes(2)]);
    // A save goes through every article in row order: after the first, one read ahead each.
    reads.length = 0;
    assert.deepEqual(service.snapshot(), bytes);
    assert.ok(readsIn('metas').length <= 2, `metadata read in ${readsIn('metas').length} reads`);
    assert.ok(readsIn('texts').length <= 2, `texts read in ${readsIn('texts').length} reads`);
  });
});

describe('snapshot: citation match strings', () => {
  it('are stored: each article\'s citationAbout comes back without reading any metadata', () => {
    const { bodyStart, sections } = layout(bytes);
    const [metaAt, metaLength] = sections.metas!;
    const reads: [number, number][] = [];
    const { service } = newService();
    assert.equal(service.loadSnapshot({ size: bytes.length, read: (o: number, n: number) => (reads.push([o, n]), bytes.subarray(o, o + n)) }).ok, true);
    const expected = [...fresh.corpus.articles()].map((a) => [a.meta.id, citationAbout(a.meta)]);
    assert.ok(expected.every(([, about]) => about!.length > 0));
    reads.length = 0;
    assert.deepEqual([...service.corpus.articles()].map((a) => [a.id, a.citationAbout()]), expected);
    const metaReads = reads.filter(([o, n]) => o < bodyStart + metaAt + metaLength && o + n > bodyStart + metaAt);
    assert.deepEqual(metaReads, [], 'no metadata read');
    assert.equal(reads.length, 1, 'one read for all articles');
  });

  it('fail clearly when altered, after a load that accepts them', () => {
    const { bodyStart, sections } = layout(bytes);
    const damaged = flipped(bytes, bodyStart + sections.abouts![0] + 2, 0x01);
    const { service } = newService();
    assert.equal(service.loadSnapshot(damaged).ok, true);
    assert.throws(() => [...service.corpus.articles()][0]!.citationAbout(), /index cache: the citation keys are altered/);
  });

  it('keep one line per article whatever the title holds', () => {
    assert.equal(citationAbout({ id: 'x', title: 'Thoả thuận\nAn ninh\r\nmới', outlet: 'VnExpress', date: '2024-07-10' }), 'thoa thuan an ninh moi vnexpress 2024-07-10');
  });
});

describe('snapshot: a larger corpus, common terms re-ranked from reads for the pass', () => {
  it('searches as the index it was made from, from a source that reads into given memory and from one that cannot', async () => {
    // 2,400 sentences: "năm" and "ukraine" are in most (common), "thỏa thuận" in some.
    const r = mulberry32(31);
    const files: Record<string, string> = {};
    for (let f = 0; f < 240; f++) {
      const sentences = Array.from({ length: 10 }, (_, k) => `${r() < 0.8 ? 'Năm' : 'Tháng'} ${2000 + k} Ukraine ${r() < 0.7 ? 'nhận' : 'gửi'} ${r() < 0.15 ? 'thỏa thuận' : 'viện trợ'} số ${f * 10 + k}${r() < 0.6 ? ' tại Kiev' : ''}.`);
      files[`corpus/a${f}.txt`] = `Bài ${f}\n\n${sentences.join(' ')}\n`;
    }
    const { service: made } = await indexedService(new SignedWorkspace(files));
    const snapshot = made.snapshot();
    let into = 0;
    const sources = {
      'reads into given memory': { size: snapshot.length, read: (o: number, n: number) => snapshot.slice(o, o + n), readInto: (o: number, target: Uint8Array) => (into++, target.set(snapshot.subarray(o, o + target.length))) },
      'reads only into new memory': bytesSource(snapshot),
    };
    for (const [label, source] of Object.entries(sources)) {
      const { service } = newService(new SignedWorkspace(files));
      assert.deepEqual(service.loadSnapshot(source), { ok: true, files: 240 }, label);
      for (const query of ['năm ukraine thỏa thuận', 'ukraine nhận thỏa thuận tại kiev', 'năm ukraine gửi viện trợ']) {
        for (const withDigits of [false, true]) {
          const hits = (s: SourcemarkService): [number, number][] => s.corpus.search(wordsOf(query).words, 10, undefined, withDigits).map((h) => [h.sentence.doc, h.score]);
          assert.deepEqual(hits(service), hits(made), `${label}: ${query}, withDigits ${withDigits}`);
        }
      }
    }
    assert.ok(into > 0, 'common terms were read into given memory');
  });
});

describe('snapshot: a check reads only the articles whose sentences hold its kind of figure', () => {
  it('passes over a retrieved sentence without a figure of the claim\'s dimension without reading its article', async () => {
    const files = {
      'corpus/money.txt': 'Nhật Bản viện trợ Ukraine\n\nNhật Bản cam kết viện trợ cho Ukraine 4,5 tỷ USD trong năm 2024.\n',
      'corpus/years.txt': 'Nhật Bản và Ukraine\n\nNhật Bản cam kết viện trợ cho Ukraine trong 10 năm tới.\n',
    };
    const { service: made } = await indexedService(new SignedWorkspace(files));
    const snapshot = made.snapshot();
    const reads: [number, number][] = [];
    const { service } = newService(new SignedWorkspace(files));
    assert.equal(service.loadSnapshot({ size: snapshot.length, read: (o: number, n: number) => (reads.push([o, n]), snapshot.slice(o, o + n)) }).ok, true);
    const textRead = (id: string): boolean => {
      const [at, length] = articleTextIn(snapshot, id);
      return reads.some(([o, n]) => o < at + length && o + n > at);
    };
    const draft = 'Nhật Bản cam kết viện trợ cho Ukraine 5,4 tỷ USD.';
    const retrieved = service.corpus.search(wordsOf(draft).words, 10).map((h) => h.sentence.article.id);
    assert.deepEqual(retrieved.sort(), ['money', 'years'], 'both articles answer the words');
    const { service: checker } = newService(new SignedWorkspace(files));
    assert.equal(checker.loadSnapshot({ size: snapshot.length, read: (o: number, n: number) => (reads.push([o, n]), snapshot.slice(o, o + n)) }).ok, true);
    reads.length = 0;
    const { diagnostics } = checker.checkDraft(draft, settings);
    assert.deepEqual(diagnostics.map((d) => d.code), ['contradicted-figure']);
    assert.deepEqual(diagnostics, made.checkDraft(draft, settings).diagnostics);
    assert.ok(textRead('money'), 'the article with the money figure is read');
    assert.ok(!textRead('years'), 'the article without one is not');
  });
});

describe('snapshot: checksums over parts', () => {
  it('checksumParts of the parts equals checksum of the joined bytes, whatever the lengths and alignments', () => {
    const next = mulberry32(7);
    for (const total of [0, 1, 7, 8, 9, 16, 63, 64, 65, 1000, 4099]) {
      const joined = new Uint8Array(total + 3).map(() => Math.floor(next() * 256)).subarray(1, 1 + total);
      for (const cut of [0, 8, 16, 56, 64, 1000].filter((c) => c <= total)) {
        const second = new Uint8Array(total - cut + 2).subarray(2);
        second.set(joined.subarray(cut));
        assert.equal(checksumParts([joined.subarray(0, cut), second]), checksum(joined), `${total} bytes cut at ${cut}`);
        assert.equal(checksumParts([joined.subarray(0, cut), new Uint8Array(0), joined.subarray(cut)]), checksum(joined), `${total} bytes cut at ${cut}, an empty part between`);
      }
    }
    assert.throws(() => checksumParts([new Uint8Array(12), new Uint8Array(4)]), /8-byte words/);
  });
});

describe('snapshot: checksums of every value', () => {
  // The head checksum is stored as a u32: a snapshot must load whatever its value (high bit set or not).
  it('round-trips under any engine version (the head checksum takes all 32-bit values)', async () => {
    const refused: string[] = [];
    for (let i = 0; i < 24; i++) {
      const version = `${ENGINE}.${i}`;
      const made = createSourcemarkService({ workspace: new SignedWorkspace(seedCorpus()), engineVersion: version });
      await made.indexCorpus(settings);
      const snapshot = made.snapshot();
      const result = createSourcemarkService({ workspace: new SignedWorkspace(seedCorpus()), engineVersion: version }).loadSnapshot(snapshot);
      if (!result.ok) refused.push(`${version}: ${result.reason} (stored checksum ${new DataView(snapshot.buffer).getUint32(12, true).toString(16)})`);
    }
    assert.deepEqual(refused, [], 'fresh snapshots refused');
  });
});
