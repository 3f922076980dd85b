/**
 * Stress: the real server (`node dist/server.js --stdio`, with `--expose-gc` and
 * `SOURCEMARK_DEBUG=1`) over a workspace holding the seed corpus and the hostile files
 * (binary, invalid UTF-8, UTF-16, a symlink loop, a duplicate id…) takes 2,000 seeded random
 * operations: incremental edits inserting and deleting text with figures, open/close storms
 * over five drafts, every feature request, ~20 % cancelled right after sending, requests for
 * unopened documents and malformed messages.
 *
 * Afterwards: the process is alive and answers `sourcemark/status`; no handler failed; the
 * heap after a full GC is within 10 % of the heap after warm-up (`sourcemark/debug/memory`);
 * and the last diagnostics of each open draft equal those a fresh server publishes for the
 * same final text. Seeded (`SOURCEMARK_STRESS_SEED` overrides) so a failure reproduces; it
 * waits on responses and on diagnostics for the final versions, never on time.
 */
import { strict as assert } from 'node:assert';
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError, type Diagnostic, type Position, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startLsp, type LspSession } from '../support/lspClient';
import { CONTRADICTED, ID_JAPAN, ID_LUX, MISMATCH, SUPPORTED, TempWorkspace, UNKNOWN } from '../protocol/workspace';
import { FACTS, writeHostileFiles } from '../hostile/fixtures';
import { mulberry32 } from '../support/prng';

const SEED = Number(process.env.SOURCEMARK_STRESS_SEED ?? 20240613);
const OPERATIONS = Number(process.env.SOURCEMARK_STRESS_OPS ?? 2_000);
const DOCUMENTS = 5;
const MAX_IN_FLIGHT = 16;
const CANCEL_RATE = 0.2;
/** Operations of the warm-up round, before the baseline heap is measured. */
const WARMUP_OPERATIONS = 400;
const MEMORY_TOLERANCE = 0.1;
/** Drafts grow by random inserts; above this many characters edits delete more than they insert. */
const SOFT_MAX_CHARS = 4_000;


const SNIPPETS = [
  CONTRADICTED,
  SUPPORTED,
  MISMATCH,
  UNKNOWN,
  ...FACTS.map((f) => f.draft),
  'Năm 2024, Tokyo sẽ cung cấp cho Kiev ',
  '4,5 tỷ USD',
  '5,4 tỷ USD',
  ' khoảng 672.000 người',
  ` [@${ID_JAPAN}]`,
  ` [@${ID_LUX}; @no-such-id]`,
  ' [@',
  ' [@../../etc/passwd]',
  '\n\n',
  '\n# Tiêu đề\n',
  '\n- mục 12 %\n',
  '\n```\n5,4 tỷ USD\n```\n',
  'hơn 200 triệu euro ',
  'thỏa thuận an ninh 10 năm ',
  'Thoả thuận ',
  '😀 ',
  'Ukraine',
  '\u0301',
  '---\nid: x\n---\n',
  '<!-- 9 tỷ USD -->',
  '| a | 3 triệu |\n',
];

const INITIAL = [
  `# Nháp 1\n\n${CONTRADICTED}\n\n${SUPPORTED}\n`,
  `# Nháp 2\n\n${FACTS[0]!.draft}\n\n${FACTS[1]!.draft}\n\n${MISMATCH}\n`,
  `${UNKNOWN}\n\n${FACTS[2]!.draft}\n`,
  `---\ntitle: nháp\n---\n\n${FACTS[3]!.draft} ${FACTS[4]!.draft}\n\n${FACTS[5]!.draft}\n`,
  `Một đoạn không có số liệu.\n\n${CONTRADICTED}\n`,
];

interface OpenDoc {
  uri: string;
  text: string;
  version: number;
}

function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

const frame = (body: string | Buffer): Buffer => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
};

/** Starts a server with `--expose-gc` and the hidden memory request. */
function startDebugServer(root: string): Promise<LspSession> {
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, SOURCEMARK_DEBUG: process.env.SOURCEMARK_DEBUG };
  process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --expose-gc`.trim();
  process.env.SOURCEMARK_DEBUG = '1';
  try {
    // startLsp spawns synchronously, before its first await: the child inherits this environment.
    return startLsp(root);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const sortDiagnostics = (ds: readonly Diagnostic[]): string[] => ds.map((d) => JSON.stringify(d)).sort();

/** The publication for `uri` at `version` (already received or the next one). */
function diagnosticsAt(s: LspSession, uri: string, version: number): Promise<PublishDiagnosticsParams> {
  for (let i = s.publications.length - 1; i >= 0; i--) {
    const p = s.publications[i]!;
    if (p.uri === uri && p.version === version) return Promise.resolve(p);
  }
  return s.waitForNextDiagnostics(uri, (p) => p.version === version);
}

describe('stress: 2,000 random operations against the real server', function () {
  this.timeout(300_000);
  let ws: TempWorkspace;
  let s: LspSession;
  let fresh: LspSession | undefined;

  before(async () => {
    ws = new TempWorkspace();
    writeHostileFiles(ws.root);
    s = await startDebugServer(ws.root);
    await s.waitForProgressEnd(1);
  });

  after(async () => {
    await s?.close();
    await fresh?.close();
    ws?.remove();
  });

  it('stays up, leaks nothing and ends with the diagnostics a fresh server gives', async () => {
    const started = performance.now();
    const rng = mulberry32(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
    const int = (n: number): number => Math.floor(rng() * n);
    const docs: (OpenDoc | undefined)[] = [];
    const uriOf = (i: number): string => ws.uri(`drafts/stress-${i}.md`);
    const unexpected: string[] = [];
    const counts = { requests: 0, cancelled: 0, answeredCancelled: 0, invalidParams: 0, edits: 0, opens: 0, closes: 0, malformed: 0, unopened: 0 };
    const inFlight = new Set<Promise<void>>();

    const memory = (): Promise<number> => s.connection.sendRequest<number>('sourcemark/debug/memory');

    const track = (method: string, promise: Promise<unknown>, expectInvalid = false): Promise<void> => {
      const p = promise.then(
        () => undefined,
        (err: unknown) => {
          if (err instanceof ResponseError && err.code === LSPErrorCodes.RequestCancelled) counts.answeredCancelled++;
          else if (err instanceof ResponseError && err.code === ErrorCodes.InvalidParams && expectInvalid) counts.invalidParams++;
          else unexpected.push(`${method}: ${err instanceof ResponseError ? `${err.code} ${err.message}` : String(err)}`);
        },
      );
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return tracked;
    };
    const drain = async (): Promise<void> => {
      while (inFlight.size) await Promise.all([...inFlight]);
    };

    // Versions never repeat for a URI, even across close and reopen: a publication names one text.
    const lastVersion = new Map<string, number>();
    const open = async (i: number, text = INITIAL[i % INITIAL.length]!): Promise<void> => {
      const doc = { uri: uriOf(i), text, version: (lastVersion.get(uriOf(i)) ?? 0) + 1 };
      lastVersion.set(doc.uri, doc.version);
      docs[i] = doc;
      counts.opens++;
      await s.open(doc.uri, doc.text, doc.version);
    };
    const close = async (i: number): Promise<void> => {
      const doc = docs[i]!;
      docs[i] = undefined;
      counts.closes++;
      await s.closeDocument(doc.uri);
    };
    const edit = async (doc: OpenDoc): Promise<void> => {
      const len = doc.text.length;
      const start = int(len + 1);
      const removeMax = len > SOFT_MAX_CHARS ? 400 : 40;
      const end = rng() < 0.5 ? Math.min(len, start + int(removeMax)) : start;
      const insert = len > SOFT_MAX_CHARS && rng() < 0.7 ? '' : rng() < 0.85 ? pick(SNIPPETS) : String(int(100_000));
      const range = { start: positionAt(doc.text, start), end: positionAt(doc.text, end) };
      doc.text = doc.text.slice(0, start) + insert + doc.text.slice(end);
      doc.version++;
      lastVersion.set(doc.uri, doc.version);
      counts.edits++;
      await s.change(doc.uri, doc.version, [{ range, text: insert }]);
    };
    const randomPosition = (doc: OpenDoc): Position => {
      if (rng() < 0.05) return { line: int(1000), character: int(1000) };
      return positionAt(doc.text, int(doc.text.length + 1));
    };
    const request = async (method: string, params: unknown, options: { cancel?: boolean; invalid?: boolean } = {}): Promise<void> => {
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race([...inFlight]);
      const cts = new CancellationTokenSource();
      counts.requests++;
      const promise = s.connection.sendRequest(method, params, cts.token);
      if (options.cancel ?? rng() < CANCEL_RATE) {
        counts.cancelled++;
        cts.cancel();
      }
      void track(method, promise, options.invalid);
    };
    const featureRequest = async (doc: OpenDoc | { uri: string; text: string }): Promise<void> => {
      const uri = doc.uri;
      const position = 'version' in doc ? randomPosition(doc as OpenDoc) : { line: 0, character: 0 };
      const kind = int(9);
      switch (kind) {
        case 0:
          return request('textDocument/hover', { textDocument: { uri }, position });
        case 1:
          return request('textDocument/completion', { textDocument: { uri }, position });
        case 2:
          return request('textDocument/definition', { textDocument: { uri }, position });
        case 3: {
          const last = s.diagnostics.get(uri)?.diagnostics ?? [];
          return request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: last.slice(0, 3) } });
        }
        case 4:
          return request('textDocument/references', { textDocument: { uri: rng() < 0.3 ? ws.uri(`corpus/${ID_JAPAN}.txt`) : uri }, position, context: { includeDeclaration: true } });
        case 5:
          return request('textDocument/documentLink', { textDocument: { uri } });
        case 6:
          return request('workspace/symbol', { query: pick(['', 'thoa thuan', 'Nhật', 'luxembourg', 'x', 'Brazil', 'bai-trung-lap', '../..']) });
        case 7:
          return request('sourcemark/status', undefined);
        default:
          return request('sourcemark/previewData', { uri });
      }
    };
    const malformed = async (): Promise<void> => {
      counts.malformed++;
      const uri = docs.find(Boolean)?.uri ?? uriOf(0);
      const bad: [string, unknown][] = [
        ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 'x' } }],
        ['textDocument/completion', { textDocument: { uri: 42 } }],
        ['textDocument/codeAction', { textDocument: { uri }, range: null, context: null }],
        ['textDocument/definition', {}],
        ['workspace/symbol', { query: 7 }],
      ];
      if (rng() < 0.3) {
        // Raw junk on the wire: only between messages, so nothing the client writes is torn.
        await drain();
        await s.writeRaw(frame(pick(['{"jsonrpc": "2.0", "id": 77, "method": ', 'null', '[1,2]', '{"jsonrpc":"2.0","method":"textDocument/didChange","params":"nope"}'])));
        return;
      }
      const [method, params] = pick(bad);
      await request(method, params, { invalid: true, cancel: false });
    };

    /** Closes every open draft and resolves when the server has cleared their diagnostics. */
    const closeAll = async (): Promise<void> => {
      const cleared: Promise<unknown>[] = [];
      for (let i = 0; i < DOCUMENTS; i++) {
        if (!docs[i]) continue;
        cleared.push(s.waitForNextDiagnostics(docs[i]!.uri, (p) => p.version === undefined && p.diagnostics.length === 0));
        await close(i);
      }
      await Promise.all(cleared);
    };

    const storm = async (operations: number): Promise<void> => {
    for (let op = 0; op < operations; op++) {
      const r = rng();
      const i = int(DOCUMENTS);
      const doc = docs[i];
      if (r < 0.3) {
        if (doc) await edit(doc);
        else await open(i);
      } else if (r < 0.36) {
        if (doc) await close(i);
        else await open(i, pick(INITIAL) + pick(SNIPPETS));
      } else if (r < 0.38) {
        counts.unopened++;
        await featureRequest({ uri: ws.uri(`drafts/never-opened-${int(3)}.md`), text: '' });
      } else if (r < 0.4) {
        await malformed();
      } else if (r < 0.402) {
        await request('sourcemark/checkAll', undefined);
      } else {
        await featureRequest(doc ?? { uri: uriOf(i), text: '' });
      }
    }
    await drain();
    };
    /** Resolves when every open draft's diagnostics for its current version are in. */
    const settled = (): Promise<PublishDiagnosticsParams[]> => Promise.all(docs.filter((d): d is OpenDoc => d !== undefined).map((d) => diagnosticsAt(s, d.uri, d.version)));

    // ---- warm-up: every draft open, one round of every request, then a short storm ------
    // V8 keeps compiling hot code for a while (optimised code, feedback vectors: measured with
    // heap snapshots, that is all a small warm-up leaves to grow), so the baseline is taken
    // after a round of the storm's own mix. Memory is compared in the same state at both ends
    // (corpus indexed, no draft open): what is measured is what the storm left behind, not the
    // size of the drafts it grew.
    for (let i = 0; i < DOCUMENTS; i++) await open(i);
    await settled();
    for (const d of docs) for (let k = 0; k < 9; k++) await featureRequest(d!);
    await storm(WARMUP_OPERATIONS);
    await settled();
    await closeAll();
    const heapStart = await memory();
    for (let i = 0; i < DOCUMENTS; i++) await open(i);

    // ---- the storm ----------------------------------------------------------------------
    const stormStarted = performance.now();
    await storm(OPERATIONS);

    // ---- afterwards ---------------------------------------------------------------------
    assert.ok(s.alive(), 'the server process is alive');
    const status = await s.status();
    assert.equal(status.state, 'ready');
    assert.ok(status.articles > 5, JSON.stringify(status));
    assert.deepEqual(unexpected, [], 'only RequestCancelled, and InvalidParams for malformed requests');
    const failures = s.logs.filter((l) => /^(request failed|request on |checking |preview data for )/.test(l));
    assert.deepEqual(failures, [], 'no handler failed');

    const open_ = docs.filter((d): d is OpenDoc => d !== undefined);
    // Every open draft may be closed by now: reopen one so there is always something to compare.
    if (!open_.length) {
      await open(0);
      open_.push(docs[0]!);
    }
    const finals = await Promise.all(open_.map((d) => diagnosticsAt(s, d.uri, d.version)));
    const stormMs = performance.now() - stormStarted;

    // A fresh server, the same final texts.
    fresh = await startLsp(ws.root);
    await fresh.waitForProgressEnd(1);
    for (const d of open_) await fresh.open(d.uri, d.text, 1);
    const expected = await Promise.all(open_.map((d) => fresh!.waitForDiagnostics(d.uri, (p) => p.version === 1)));
    for (let k = 0; k < open_.length; k++) {
      assert.deepEqual(sortDiagnostics(finals[k]!.diagnostics), sortDiagnostics(expected[k]!.diagnostics), `diagnostics of ${open_[k]!.uri} (version ${open_[k]!.version}, ${open_[k]!.text.length} characters)`);
    }

    await closeAll();
    const heapEnd = await memory();
    const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
    console.log(`      [measure] stress: seed ${SEED}, ${OPERATIONS} operations in ${Math.round(stormMs)} ms (whole test ${Math.round(performance.now() - started)} ms); ${JSON.stringify(counts)}; heap after warm-up ${mb(heapStart)}, at the end ${mb(heapEnd)} (${(((heapEnd - heapStart) / heapStart) * 100).toFixed(1)} %); ${open_.length} drafts compared (${finals.map((f) => f.diagnostics.length).join(', ')} diagnostics)`);
    assert.ok(counts.cancelled > OPERATIONS * 0.05, `cancellations were exercised: ${counts.cancelled}`);
    assert.ok(heapEnd <= heapStart * (1 + MEMORY_TOLERANCE), `heap ${mb(heapEnd)} at the end vs ${mb(heapStart)} after warm-up`);
  });
});
