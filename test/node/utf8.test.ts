/** Node's UTF-8 decoder for corpus files answers exactly as a fatal TextDecoder: the same text, or undefined where it throws. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { decodeUtf8 } from '../../server/src/node/utf8';
import { decodeText } from '../../server/src/core/corpus/decode';
import { createSourcemarkService } from '../../server/src/core/service';
import { InMemoryWorkspace, seedCorpus, serviceFor } from '../support/memoryWorkspace';

const fatal = (bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
};
const hex = (s: string): Uint8Array => Uint8Array.from(s.split(' ').filter(Boolean).map((h) => parseInt(h, 16)));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeUtf8 (node) answers as a fatal TextDecoder', () => {
  const cases: [string, Uint8Array, string | undefined][] = [
    ['empty', new Uint8Array(0), ''],
    ['ASCII', utf8('4,5 billion USD'), '4,5 billion USD'],
    ['Vietnamese, composed', utf8('Thỏa thuận 4,5 tỷ USD ở Hà Nội'), 'Thỏa thuận 4,5 tỷ USD ở Hà Nội'],
    ['Vietnamese, decomposed (kept as it is)', utf8('Thỏa'.normalize('NFD')), 'Thỏa'.normalize('NFD')],
    ['astral and noncharacters', utf8('😀 \uffff \ufffe 𝟘'), '😀 \uffff \ufffe 𝟘'],
    ['NUL and controls', utf8('a\u0000b\u0007'), 'a\u0000b\u0007'],
    ['a leading byte-order mark is dropped', hex('ef bb bf 41'), 'A'],
    ['a byte-order mark inside is kept', hex('41 ef bb bf 42'), 'A\ufeffB'],
    ['two leading marks: one dropped', hex('ef bb bf ef bb bf 41'), '\ufeffA'],
    ['a lone continuation byte', hex('41 80 42'), undefined],
    ['an overlong form', hex('c0 af'), undefined],
    ['a surrogate encoded (CESU)', hex('ed a0 80'), undefined],
    ['past U+10FFFF', hex('f4 90 80 80'), undefined],
    ['cut short at the end', hex('48 e1 bb'), undefined],
    ['0xFF', hex('ff'), undefined],
  ];
  for (const [name, bytes, expected] of cases) {
    it(name, () => {
      assert.equal(fatal(bytes), expected, 'the table agrees with TextDecoder');
      assert.equal(decodeUtf8(bytes), expected);
      // In shared memory (where a preparer thread reads) and at an odd offset.
      const shared = new Uint8Array(new SharedArrayBuffer(bytes.length + 3), 3, bytes.length);
      shared.set(bytes);
      assert.equal(decodeUtf8(shared), expected, 'shared, offset 3');
    });
  }

  it('random text and random bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }).map(utf8), fc.uint8Array({ maxLength: 64 })), (bytes) => {
        assert.equal(decodeUtf8(bytes), fatal(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('decodeText gives the same with it as without', () => {
    for (const [, bytes] of cases) assert.deepEqual(decodeText(bytes, decodeUtf8), decodeText(bytes));
  });

  it('a service given it loads a snapshot with the same texts and metadata', async () => {
    const files = { ...seedCorpus(), 'corpus/extra.md': '---\ntitle: Bài “thêm” 😀\n---\n\nĐức cam kết 7 tỷ euro cho Ukraine.\n' };
    const { service: fresh } = await serviceFor(files);
    const bytes = fresh.snapshot();
    const loaded = createSourcemarkService({ workspace: new InMemoryWorkspace(), decodeUtf8 });
    assert.equal(loaded.loadSnapshot(bytes).ok, true);
    assert.equal(loaded.corpus.articles().length, fresh.corpus.articles().length);
    for (const a of fresh.corpus.articles()) {
      const b = loaded.corpus.article(a.meta.id)!;
      assert.equal(b.text, a.text, a.meta.id);
      assert.deepEqual(b.meta, a.meta, a.meta.id);
    }
  });
});
