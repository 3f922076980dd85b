/**
 * Where things lie in an index cache file (see server/src/core/corpus/snapshot.ts), for tests
 * that damage one part on purpose. Found through the format's own head and decoder, not by
 * knowing the rows' layout.
 */
import { bytesSource, decodeSnapshot } from '../../server/src/core/corpus/snapshot';

/** The head of a cache file: its length, its JSON, and where the 8-aligned body starts. */
export function snapshotHead(bytes: Uint8Array): { length: number; bodyStart: number; json: { engine: string; eagerBytes: number; sections: Record<string, [number, number]> } } {
  const length = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32LE(8);
  const json = JSON.parse(Buffer.from(bytes.subarray(16, 16 + length)).toString('utf8')) as { engine: string; eagerBytes: number; sections: Record<string, [number, number]> };
  return { length, bodyStart: (16 + length + 7) & ~7, json };
}

/** Where an article's UTF-8 text lies in a cache file: [absolute offset, byte length]. */
export function articleTextIn(bytes: Uint8Array, id: string): [number, number] {
  const { bodyStart, json } = snapshotHead(bytes);
  const decoded = decodeSnapshot(bytesSource(new Uint8Array(bytes)), json.engine.split('/').slice(2).join('/'));
  if (!('corpus' in decoded)) throw new Error(`the cache does not load: ${decoded.error}`);
  const text = decoded.corpus.article(id)?.text;
  if (text === undefined) throw new Error(`${id} is not in the cache`);
  const [offset, length] = json.sections.texts!;
  const own = Buffer.from(text);
  const texts = Buffer.from(bytes.buffer, bytes.byteOffset + bodyStart + offset, length);
  const at = texts.indexOf(own);
  if (at < 0 || texts.indexOf(own, at + 1) >= 0) throw new Error(`the text of ${id} is not in the texts section once`);
  return [bodyStart + offset + at, own.length];
}
