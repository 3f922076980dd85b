/**
 * A corpus preparer thread (`dist/prepareWorker.js`): reads corpus files with the same
 * checks as the host's workspace, decodes and parses them, splits the sentences and hashes
 * the text (core `loadCorpusFile` + `prepareFile`), and hands the result back with the span
 * arrays transferred and the texts as read (UTF-8, `packTexts`) in shared memory
 * (`SharedSlab`): neither is copied. The host numbers and
 * indexes the sentences.
 *
 * A file whose offsets must be mapped back (NFC changed lengths) comes back loaded, not
 * prepared: a mapping function cannot cross threads, so the host parses that one itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCorpusFile, packTexts, prepareFile, type ReadyFile, type WorkspaceFile } from '../core/corpus/ingest';
import { NodeWorkspace, SharedSlab, signatureOf, type SizeTime } from './nodeWorkspace';
import type { PrepareRequest, PrepareResponse, PrepareWorkerData } from './preparePool';
import { decodeUtf8 } from './utf8';

const { root, allowOutside, figures } = workerData as PrepareWorkerData;
const workspace = new NodeWorkspace(root, { allowOutside });
/** Where this thread reads files: the texts reach the host in shared memory. */
const slab = new SharedSlab();

async function prepare(file: WorkspaceFile): Promise<{ ready: ReadyFile; transfer: ArrayBuffer[] }> {
  // Blocking reads: this thread does nothing else meanwhile. Each read's size and time are
  // kept: a file listed without a signature gets one from what was read.
  const read = new Map<string, SizeTime | undefined>();
  const loaded = await loadCorpusFile(file, async (uri) => {
    const got = workspace.readFileSyncWithStats(uri, slab);
    read.set(uri, got?.stats);
    return got?.bytes;
  }, undefined, decodeUtf8);
  if ('skip' in loaded) return { ready: loaded, transfer: [] };
  const signature = file.signature === undefined ? signatureOf(file, (uri) => read.get(uri)) : undefined;
  const { utf8, ...rest } = loaded;
  // Sent back loaded (the host parses it): without the bytes, which would be copied for nothing.
  const asLoaded = { ready: signature === undefined ? rest : { ...rest, signature }, transfer: [] };
  let prepared;
  try {
    prepared = prepareFile(file.path, loaded.text, loaded.sidecar, loaded.problems, { figures, plain: loaded.plain === true });
  } catch {
    return asLoaded; // the host parses it again and reports why it failed
  }
  if (prepared.lineSource !== undefined) return asLoaded;
  if (signature !== undefined) prepared.signature = signature;
  const packed = packTexts(prepared, utf8 && { text: loaded.text, bytes: utf8 });
  const transfer = new Set<ArrayBuffer>();
  const add = (buffer: ArrayBufferLike): void => {
    if (buffer instanceof ArrayBuffer) transfer.add(buffer); // a shared one goes by reference
  };
  for (const a of packed.articles) {
    add(a.spans.buffer);
    if (a.figureKinds) add(a.figureKinds.buffer);
    if (typeof a.text !== 'string') add(a.text.bytes.buffer);
  }
  return { ready: { prepared: packed }, transfer: [...transfer] };
}

/** Results per message back to the host (see `REQUEST_BATCH` in preparePool). */
const ANSWER_BATCH = 8;

parentPort!.on('message', (request: PrepareRequest) => {
  void answer(request);
});

/** Prepares a batch in order, answering every `ANSWER_BATCH` files (and at the end), so the host indexes while this thread goes on. */
async function answer(request: PrepareRequest): Promise<void> {
  let results: PrepareResponse['results'] = [];
  let transfer: ArrayBuffer[] = [];
  for (let k = 0; k < request.files.length; k++) {
    const { id, file } = request.files[k]!;
    try {
      const done = await prepare(file);
      results.push({ id, ready: done.ready });
      transfer.push(...done.transfer);
    } catch (err) {
      results.push({ id, error: err instanceof Error ? err.message : String(err) });
    }
    if (results.length === ANSWER_BATCH || k === request.files.length - 1) {
      try {
        parentPort!.postMessage({ results } satisfies PrepareResponse, transfer);
      } catch (err) {
        // Whatever could not be sent, the host reads inline (it waits for an answer per file).
        const reason = err instanceof Error ? err.message : String(err);
        parentPort!.postMessage({ results: results.map((r) => ({ id: r.id, error: reason })) } satisfies PrepareResponse);
      }
      results = [];
      transfer = [];
    }
  }
}
