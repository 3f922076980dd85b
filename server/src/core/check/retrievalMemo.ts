/**
 * The retrievals of earlier checks, kept beside the index cache (see `RetrievalCache`): a
 * draft checked in an earlier session asks the same questions of the same snapshot, and
 * its answers (the documents each query found) are true of that snapshot only. A memo names
 * the engine and the snapshot it was made from (`snapshotId`), and is refused for any other.
 *
 * Layout: a first line naming the format, a second with the checksum of the rest, then the
 * JSON `{ engine, snapshot, entries: [[query key, [document, …]], …] }` (least recently used
 * first). JSON and its parser are the platform's; the checksum catches a damaged file that
 * would still parse (a document number changed would send a check to the wrong sentences).
 */
import { checksum } from '../corpus/decode';

const MAGIC = 'sourcemark retrieval memo 1';

export interface RetrievalMemoContent {
  engine: string;
  snapshot: string;
  entries: [string, readonly number[]][];
}

export function encodeRetrievalMemo(memo: RetrievalMemoContent): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify({ engine: memo.engine, snapshot: memo.snapshot, entries: memo.entries }));
  const head = new TextEncoder().encode(`${MAGIC}\n${checksum(body)}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** The memo's entries when it was made by `engine` from snapshot `snapshot`; else why not. */
export function decodeRetrievalMemo(bytes: Uint8Array, engine: string, snapshot: string): { entries: [string, number[]][] } | { error: string } {
  const lines: number[] = [];
  for (let i = 0; i < bytes.length && lines.length < 2; i++) if (bytes[i] === 0x0a) lines.push(i);
  if (lines.length < 2) return { error: 'truncated' };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let magic: string;
  let sum: string;
  try {
    magic = decoder.decode(bytes.subarray(0, lines[0]));
    sum = decoder.decode(bytes.subarray(lines[0]! + 1, lines[1]));
  } catch {
    return { error: 'not a retrieval memo' };
  }
  if (magic !== MAGIC) return { error: 'not a retrieval memo of this format' };
  const body = bytes.subarray(lines[1]! + 1);
  if (!/^\d+$/.test(sum) || Number(sum) !== checksum(body)) return { error: 'checksum mismatch (the file is truncated or altered)' };
  let data: unknown;
  try {
    data = JSON.parse(decoder.decode(body));
  } catch {
    return { error: 'corrupt (not JSON)' };
  }
  if (!data || typeof data !== 'object') return { error: 'corrupt (not an object)' };
  const d = data as Partial<RetrievalMemoContent>;
  if (d.engine !== engine) return { error: `made by another engine (${String(d.engine)})` };
  if (d.snapshot !== snapshot) return { error: 'made from another index cache' };
  if (!Array.isArray(d.entries) || !d.entries.every(isEntry)) return { error: 'corrupt (malformed entries)' };
  return { entries: d.entries as [string, number[]][] };
}

function isEntry(e: unknown): boolean {
  return Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && Array.isArray(e[1]) && (e[1] as unknown[]).every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff);
}
