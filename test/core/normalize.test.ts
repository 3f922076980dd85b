import * as assert from 'node:assert/strict';
import { canonicalText, foldKey, foldTones, isPlainNfc, PLAIN_NFC_RUNS, toNfc, tokenize } from '../../server/src/core/text/normalize';

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

  it('folds every UTF-16 unit as its definition says (lower case of the NFD base letter; đ → d; else the unit itself)', () => {
    const definition = (ch: string): string => {
      if (ch === 'đ' || ch === 'Đ') return 'd';
      const lower = ch.normalize('NFD')[0]!.toLowerCase();
      return lower.length === 1 && !/[\u0300-\u036f]/.test(lower) ? lower : ch;
    };
    const long = 'Đắk Lắk, Thỏa thuận '.repeat(3);
    const longKey = 'dak lak, thoa thuan '.repeat(3);
    const differs: string[] = [];
    for (let u = 0; u < 0x10000; u++) {
      const ch = String.fromCharCode(u);
      // Alone, inside short text (the table is filled on first use; ASCII runs take a short
      // cut) and at the start of text long enough to be decoded from its units.
      if (foldKey(ch) !== definition(ch) || foldKey(`Ab${ch}Ệ`) !== `ab${definition(ch)}e` || foldKey(`${ch}${long}`) !== `${definition(ch)}${longKey}`) differs.push(u.toString(16));
    }
    assert.deepEqual(differs, []);
  });

  it('folds text longer than one conversion chunk, surrogate pairs and lone surrogates intact', () => {
    const unit = 'Thỏa Thuận 😀 \ud800 ĐẮK ';
    const long = unit.repeat(3000);
    assert.equal(foldKey(long), 'thoa thuan 😀 \ud800 dak '.repeat(3000));
    // Mid-length text with one lone surrogate (kept as it is, never replaced) and a leading
    // byte-order mark (kept: a key keeps every unit).
    assert.equal(foldKey(`Đắk Lắk ${'Thỏa thuận '.repeat(4)}\udc00.`), `dak lak ${'thoa thuan '.repeat(4)}\udc00.`);
    assert.equal(foldKey(`\ufeffĐắk Lắk ${'Thỏa thuận '.repeat(4)}`), `\ufeffdak lak ${'thoa thuan '.repeat(4)}`);
    assert.equal(foldKey('plain ascii, nothing to fold'), 'plain ascii, nothing to fold');
    assert.equal(foldKey(''), '');
  });

  it('a text of plain characters is NFC as it stands: every pair of them, exhaustively', () => {
    const plain: string[] = [];
    for (let u = 0; u < 0x10000; u++) if (isPlainNfc(String.fromCharCode(u))) plain.push(String.fromCharCode(u));
    // Vietnamese letters, Latin, punctuation: the corpus's text takes the short cut.
    for (const ch of 'aăâđêôơưAĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữựýỳỷỹỵ–—“”‘’…%$€\u00a0') assert.ok(plain.includes(ch), ch);
    // Marks, characters NFC changes, surrogates: never plain.
    for (const ch of ['\u0301', '\u0303', '\u0309', '\u2126', '\u212b', '\u2000', '\ud83d', '\uf900']) assert.ok(!plain.includes(ch), ch.charCodeAt(0).toString(16));
    let bad = 0;
    for (const a of plain) for (const b of plain) if ((a + b).normalize('NFC') !== a + b) bad++;
    assert.equal(bad, 0);
    const text = 'Thỏa thuận an ninh 10 năm — “4,5 tỷ USD”.';
    assert.ok(isPlainNfc(text));
    assert.equal(toNfc(text).text, text);
    assert.ok(!isPlainNfc(text.normalize('NFD')));
  });

  it('the plain characters written out are those the engine\'s NFC makes of their blocks', () => {
    const blocks: [number, number][] = [[0x0000, 0x02ff], [0x0370, 0x03ff], [0x0400, 0x04ff], [0x1e00, 0x1eff], [0x2010, 0x205e], [0x20a0, 0x20c0], [0x2100, 0x214f], [0x2190, 0x21ff], [0x2200, 0x22ff], [0x2500, 0x27bf], [0xfeff, 0xfeff]];
    const bases = ['a', 'e', 'o', 'u', 'y', 'A', 'ơ', 'ư', 'â', 'и', 'α', ' '];
    const made: number[] = [];
    for (const [from, to] of blocks) {
      for (let u = from; u <= to; u++) {
        const ch = String.fromCharCode(u);
        if (ch.normalize('NFC') === ch && bases.every((b) => (b + ch).normalize('NFC') === b + ch)) made.push(u);
      }
    }
    const written: number[] = [];
    for (const [from, to] of PLAIN_NFC_RUNS) for (let u = from; u <= to; u++) written.push(u);
    assert.deepEqual(written, made);
    for (let u = 0; u < 0x10000; u++) assert.equal(isPlainNfc(String.fromCharCode(u)), made.includes(u), u.toString(16));
  });

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
