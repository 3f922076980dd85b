/**
 * `plainBytes` (four bytes at a time) answers as a byte-by-byte reading of its definition, at
 * every alignment; a file whose bytes are plain loads as `plain`, and parsing it without the
 * binary check gives what parsing it with the check gives.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { decodeText, plainBytes } from '../../server/src/core/corpus/decode';
import { loadCorpusFile, prepareFile } from '../../server/src/core/corpus/ingest';

/** The definition, one byte at a time. */
function reference(bytes: Uint8Array): boolean {
  for (let k = 0; k < bytes.length; k++) {
    const c = bytes[k]!;
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 12 && c !== 13) return false;
    if (c === 0x7f) return false;
    if (c === 0xef && bytes[k + 1] === 0xbf && bytes[k + 2] === 0xbd) return false;
  }
  return true;
}
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** `bytes` copied to offset `at` of a larger buffer (alignment matters to the word reads). */
function at(bytes: Uint8Array, offset: number): Uint8Array {
  const out = new Uint8Array(bytes.length + offset + 8).subarray(offset, offset + bytes.length);
  out.set(bytes);
  return out;
}

describe('plainBytes', () => {
  const cases: [string, Uint8Array, boolean][] = [
    ['empty', new Uint8Array(0), true],
    ['Vietnamese with line breaks, tabs, form feed and CRLF', utf8('Thỏa thuận\t4,5 tỷ USD.\r\n\fHà Nội, 10/7.\n'), true],
    ['NUL', utf8('abc\u0000def'), false],
    ['a bell', utf8('Thỏa thuận\u0007'), false],
    ['vertical tab', utf8('a\u000bb'), false],
    ['escape at the very end', utf8('Hà Nội tỷ USD\u001b'), false],
    ['DEL', utf8('ab\u007fcd'), false],
    ['U+FFFD', utf8('4,5 t\ufffd USD'), false],
    ['U+FFFD cut short (EF BF at the end)', Uint8Array.from([0x41, 0x42, 0xef, 0xbf]), true],
    ['other 0xEF sequences (U+FEFF, U+FF05)', utf8('\ufeffA\uff05B'), true],
    ['C1 controls are letters of no check', utf8('a\u0085b'), true],
    ['bytes over 0x7F from another encoding', Uint8Array.from([0x54, 0x68, 0xf5, 0x61, 0x20, 0xe2]), true],
  ];
  for (const [name, bytes, expected] of cases) {
    it(name, () => {
      assert.equal(reference(bytes), expected, 'the table agrees with the definition');
      for (let offset = 0; offset < 8; offset++) assert.equal(plainBytes(at(bytes, offset)), expected, `at offset ${offset}`);
    });
  }

  it('random bytes, mostly text, at every alignment', () => {
    const specials = [0, 7, 9, 10, 12, 13, 27, 0x7f, 0xef, 0xbf, 0xbd, 0x41, 0xe1, 0xbb];
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constantFrom(...specials), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 40 }), fc.integer({ min: 0, max: 7 }), (values, offset) => {
        const bytes = at(Uint8Array.from(values), offset);
        assert.equal(plainBytes(bytes), reference(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('a plain file loads as plain, and parses the same without the binary check', async () => {
    const texts = ['Tiêu đề\n\nNhật Bản cam kết 4,5 tỷ USD cho Ukraine.\n', 'Một\u0007hai\n\nba 3 tỷ USD.\n', 'x\ufffd\ufffd\ufffd\n', '\u0001 a control character among many letters of text'];
    for (const text of texts) {
      const bytes = utf8(text);
      const decoded = decodeText(bytes);
      const loaded = await loadCorpusFile({ uri: 'file:///ws/a.txt', path: 'a.txt', sidecar: null }, async () => bytes);
      assert.ok('text' in decoded && 'text' in loaded, JSON.stringify(text));
      assert.equal(decoded.plain === true, reference(bytes), JSON.stringify(text));
      assert.equal(loaded.plain === true, reference(bytes), JSON.stringify(text));
      if (loaded.plain) assert.deepEqual(prepareFile('a.txt', loaded.text, undefined, [], { plain: true }), prepareFile('a.txt', loaded.text, undefined, []));
    }
  });

  it('decodeText after bytes cut short decodes the next file whole (its decoder is shared)', () => {
    const cut = decodeText(Uint8Array.from([0x48, 0xe1, 0xbb]));
    assert.ok('text' in cut && cut.warning !== undefined, 'replaced and warned');
    assert.deepEqual(decodeText(utf8('tỷ USD')), { text: 'tỷ USD', exactUtf8: true, plain: true });
  });
});
