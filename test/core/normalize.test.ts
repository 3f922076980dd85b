import * as assert from 'node:assert/strict';
import { canonicalText, foldKey, foldTones, toNfc, tokenize } from '../../server/src/core/text/normalize';

describe('Vietnamese normalisation', () => {
  const tones: [string, string][] = [
    ['thoả thuận', 'thỏa thuận'],
    ['Hoà bình', 'Hòa bình'],
    ['thuý', 'thúy'],
    ['khoẻ', 'khỏe'],
    ['xoá', 'xóa'],
    ['tuỳ', 'tùy'],
    ['quý', 'quý'], // u belongs to qu: the mark stays on y in both styles
    ['hoàng', 'hoàng'], // closed syllable: one style only
    ['thuở', 'thuở'],
    ['THOẢ', 'THỎA'],
  ];
  for (const [input, expected] of tones) {
    it(`folds tone placement: ${input} → ${expected}`, () => {
      assert.equal(foldTones(input), expected);
      assert.equal(foldTones(expected), expected);
      assert.equal(foldTones(input).length, input.length);
    });
  }

  const keys: [string, string][] = [
    ['Thỏa thuận Luxembourg', 'thoa thuan luxembourg'],
    ['Điện Kremlin', 'dien kremlin'],
    ['Đắk Lắk', 'dak lak'],
    ['NGƯỜI', 'nguoi'],
  ];
  for (const [input, expected] of keys) {
    it(`folds to a diacritic-free key: ${input}`, () => {
      assert.equal(foldKey(input), expected);
      assert.equal(foldKey(input).length, input.length);
    });
  }

  it('composes decomposed text and maps offsets back', () => {
    const nfd = 'Ký thỏa thuận'.normalize('NFD');
    const n = toNfc(nfd);
    assert.equal(n.text, 'Ký thỏa thuận');
    const at = n.text.indexOf('thuận');
    assert.equal(nfd.slice(n.toOriginal(at)).normalize('NFC'), 'thuận');
    assert.equal(n.fromOriginal(nfd.length), n.text.length);
  });

  it('makes old and new styles one canonical text', () => {
    assert.equal(canonicalText('thoả thuận'.normalize('NFD')), canonicalText('thỏa thuận'));
  });

  it('tokenizes with offsets and keys', () => {
    const text = 'Tokyo cấp 4,5 tỷ';
    const tokens = tokenize(text);
    assert.deepEqual(tokens.map((t) => t.key), ['tokyo', 'cap', '4', '5', 'ty']);
    for (const t of tokens) assert.equal(foldKey(text.slice(t.start, t.end)), t.key);
  });
});
