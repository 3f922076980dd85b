/**
 * Turns the bytes of a corpus file into text, or says why it cannot.
 * Uses the platform `TextDecoder` (present in Node and browsers), so the core stays free of Node APIs.
 */

/**
 * `exactUtf8`: the bytes are the text's UTF-8 form as they are (no byte-order mark, nothing replaced).
 * `plain`: besides, the text holds no control character but tab, line feed, form feed and carriage
 * return, no DEL and no U+FFFD (`plainBytes`), so no binary check can refuse it.
 */
export type DecodeResult = { text: string; warning?: string; exactUtf8?: boolean; plain?: boolean } | { error: string };

/**
 * A host's faster UTF-8 decoder: exactly `new TextDecoder('utf-8', { fatal: true }).decode`,
 * but undefined for bytes that are not well-formed UTF-8 instead of throwing. (Node's
 * validates and converts with SIMD, about 3× as fast as `TextDecoder` on Vietnamese text;
 * see node/utf8.ts.)
 */
export type Utf8Decoder = (bytes: Uint8Array) => string | undefined;

/** One fatal decoder for every call (a call without `stream` leaves it as it was). */
const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The platform's decoder (`TextDecoder`, fatal) as a `Utf8Decoder`. */
export const fatalUtf8: Utf8Decoder = (bytes) => {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
};

/** Decodes UTF-8 (with or without BOM) and UTF-16 with BOM; refuses binary data. `decodeUtf8`: a host's decoder for well-formed UTF-8 (the platform's `TextDecoder` by default). */
export function decodeText(bytes: Uint8Array, decodeUtf8: Utf8Decoder = fatalUtf8): DecodeResult {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const plain = plainBytes(body);
  if (!plain && looksBinary(body)) return { error: 'binary file (contains NUL or control bytes), skipped' };
  const exact = decodeUtf8(body);
  if (exact !== undefined) return start === 0 ? { text: exact, exactUtf8: true, ...(plain ? { plain } : {}) } : { text: exact };
  const text = new TextDecoder('utf-8').decode(body);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return { text, warning: `invalid UTF-8: ${bad} malformed byte sequence(s) replaced with U+FFFD` };
}

/**
 * Whether the bytes hold no control byte but tab, line feed, form feed and carriage return, no
 * DEL and no U+FFFD (EF BF BD). Four bytes at a time: only a word with a byte under 0x20, a DEL
 * or a 0xEF (a line break, mostly) is looked at byte by byte. On the archive's files this is
 * about 3× as fast as a regular expression over the decoded text, which it spares
 * (`PrepareOptions.plain`).
 */
export function plainBytes(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  for (; i < n && (bytes.byteOffset + i) % 4 !== 0; i++) if (!plainAt(bytes, i)) return false;
  const count = (n - i) >>> 2;
  // (A short text may end before a 4-byte boundary: no words then.)
  const words = count > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + i, count) : new Uint32Array(0);
  for (let w = 0; w < count; w++) {
    const x = words[w]!;
    const del = x ^ 0x7f7f7f7f;
    const ef = x ^ 0xefefefef;
    // A byte under 0x20, a zero byte of `del` or of `ef` (exact as to whether there is one).
    if ((((x - 0x20202020) & ~x) | ((del - 0x01010101) & ~del) | ((ef - 0x01010101) & ~ef)) & 0x80808080) {
      const at = i + w * 4;
      for (let k = at; k < at + 4; k++) if (!plainAt(bytes, k)) return false;
    }
  }
  for (i += count * 4; i < n; i++) if (!plainAt(bytes, i)) return false;
  return true;
}

function plainAt(bytes: Uint8Array, k: number): boolean {
  const c = bytes[k]!;
  if (c < 0x20) return c === 9 || c === 10 || c === 12 || c === 13;
  if (c === 0x7f) return false;
  return !(c === 0xef && bytes[k + 1] === 0xbf && bytes[k + 2] === 0xbd);
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}

/** A fast, stable 53-bit content hash (cyrb53), hex. Enough to key caches and snapshots. */
export function contentHash(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** A fast 32-bit checksum over the bytes (not cryptographic: it catches truncation and damage). */
export function checksum(bytes: Uint8Array): number {
  return checksumParts([bytes]);
}

/**
 * `checksum` of the parts one after the other, without joining them (a copy of megabytes);
 * every part but the last must be a whole number of 8-byte words.
 */
export function checksumParts(parts: readonly Uint8Array[]): number {
  let h1 = 0x9e3779b9 | 0;
  let h2 = 0x85ebca6b | 0;
  let length = 0;
  for (let p = 0; p < parts.length; p++) {
    const bytes = parts[p]!;
    if (p < parts.length - 1 && bytes.length % 8 !== 0) throw new Error('checksumParts: a part before the last is not a whole number of 8-byte words');
    length += bytes.length;
    const n = bytes.length >>> 2;
    const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(Uint8Array.prototype.slice.call(bytes.subarray(0, n * 4)).buffer);
    for (let i = 0; i < n; i += 2) {
      h1 = (Math.imul(h1 ^ words[i]!, 0x2c1b3c6d) + 0x297a2d39) | 0;
      h2 = (Math.imul(h2 ^ (words[i + 1] ?? 0), 0x297a2d39) + 0x2c1b3c6d) | 0;
    }
    for (let i = n * 4; i < bytes.length; i++) h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
  }
  return ((h1 ^ Math.imul(h2, 0x85ebca77)) ^ length) >>> 0;
}

/** Whether the text has no lone surrogates (which UTF-8 cannot carry). */
export function isWellFormed(text: string): boolean {
  const f = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return f ? f.call(text) : !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}
