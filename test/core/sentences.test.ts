import assert from 'node:assert/strict';
import { splitParagraphs, splitSentences } from '../../server/src/core/text/sentences';
import { LineIndex } from '../../server/src/core/text/lineIndex';

const texts = (text: string, from?: number, to?: number): string[] => splitSentences(text, from, to).map((s) => text.slice(s.start, s.end));

/** Input and the sentences it must split into. */
const CASES: [name: string, input: string, expected: string[]][] = [
  ['two plain sentences', 'Ukraine ký thỏa thuận. Nga phản đối.', ['Ukraine ký thỏa thuận.', 'Nga phản đối.']],
  ['thousand separator', 'Dân số khoảng 672.000 người. Đây là nước nhỏ.', ['Dân số khoảng 672.000 người.', 'Đây là nước nhỏ.']],
  ['decimal comma', 'Tokyo cấp 4,5 tỷ USD. Kiev cảm ơn.', ['Tokyo cấp 4,5 tỷ USD.', 'Kiev cảm ơn.']],
  ['decimal point', 'Growth was 4.5 percent. Prices rose.', ['Growth was 4.5 percent.', 'Prices rose.']],
  ['date with slash', 'Hôm 10/7, hai bên ký kết. Sau đó họ họp báo.', ['Hôm 10/7, hai bên ký kết.', 'Sau đó họ họp báo.']],
  ['TP.HCM without space', 'Cầu ở TP.HCM dài 2 km. Nó sẽ xong năm 2028.', ['Cầu ở TP.HCM dài 2 km.', 'Nó sẽ xong năm 2028.']],
  ['TP. HCM with space', 'Sở Giao thông TP. HCM cho biết như vậy.', ['Sở Giao thông TP. HCM cho biết như vậy.']],
  ['Mr. Mrs. Dr.', 'Mr. Smith met Mrs. Jones and Dr. Lee. They talked.', ['Mr. Smith met Mrs. Jones and Dr. Lee.', 'They talked.']],
  ['St. and No.', 'He lives on St. Mark Street in house No. 5. It is old.', ['He lives on St. Mark Street in house No. 5.', 'It is old.']],
  ['U.S. and U.K.', 'The U.S. Army and the U.K. Navy trained together. Then they left.', ['The U.S. Army and the U.K. Navy trained together.', 'Then they left.']],
  ['e.g. and i.e. and vs.', 'Allies, e.g. France, agree, i.e. Paris signs. Kyiv vs. Moscow is next.', ['Allies, e.g. France, agree, i.e. Paris signs.', 'Kyiv vs. Moscow is next.']],
  ['Vietnamese titles', 'ThS. Lan, TS. Minh, PGS. Hùng, GS. Nam và BS. Hoa dự họp. Cuộc họp kéo dài.', ['ThS. Lan, TS. Minh, PGS. Hùng, GS. Nam và BS. Hoa dự họp.', 'Cuộc họp kéo dài.']],
  ['initials', 'Tổng thống J. Biden phát biểu. Donald J. Trump phản đối.', ['Tổng thống J. Biden phát biểu.', 'Donald J. Trump phản đối.']],
  ['ellipsis then lower case', 'Ông ấy nói... rồi im lặng. Mọi người chờ.', ['Ông ấy nói... rồi im lặng.', 'Mọi người chờ.']],
  ['ellipsis character then upper case', 'Bao gồm cả Mỹ, Anh, Đức… Ukraine cảm ơn.', ['Bao gồm cả Mỹ, Anh, Đức…', 'Ukraine cảm ơn.']],
  ['period inside quotes, lower-case continuation', '"Chúng tôi đồng ý." ông nói thêm. Sau đó ông rời đi.', ['"Chúng tôi đồng ý." ông nói thêm.', 'Sau đó ông rời đi.']],
  ['closing curly quote after period belongs to the sentence', 'Ông nói: “Hôm nay là ngày lớn.” Bà đáp lại.', ['Ông nói: “Hôm nay là ngày lớn.”', 'Bà đáp lại.']],
  ['closing bracket after period belongs to the sentence', 'Họ ký kết (tại Vilnius.) Sau đó họ về.', ['Họ ký kết (tại Vilnius.)', 'Sau đó họ về.']],
  ['question and exclamation', 'Ukraine có vào NATO không? Chưa! Còn lâu.', ['Ukraine có vào NATO không?', 'Chưa!', 'Còn lâu.']],
  ['next sentence opens with a digit', 'Họ ký kết. 20 nước đã làm vậy.', ['Họ ký kết.', '20 nước đã làm vậy.']],
  ['next sentence opens with a quote', 'Ông nói. “Đây là cam kết” là lời ông.', ['Ông nói.', '“Đây là cam kết” là lời ông.']],
  ['line break always ends a sentence, colon does not', 'Ông nói:\nChúng tôi sẽ ký: ngay hôm nay', ['Ông nói:', 'Chúng tôi sẽ ký: ngay hôm nay']],
  ['CRLF and lone CR', 'Dòng một\r\nDòng hai\rDòng ba', ['Dòng một', 'Dòng hai', 'Dòng ba']],
  ['Vietnamese/English mix', 'Theo Reuters, Mr. Frieden said "yes." Thủ tướng Luxembourg cũng đồng ý.', ['Theo Reuters, Mr. Frieden said "yes."', 'Thủ tướng Luxembourg cũng đồng ý.']],
  ['social network X is not an initial', 'Ông viết trên mạng xã hội X. Bài đăng được chia sẻ.', ['Ông viết trên mạng xã hội X.', 'Bài đăng được chia sẻ.']],
  ['surrounding whitespace is trimmed, punctuation-only pieces dropped', '   Một câu.   \n |  \n\n  Hai câu.  ', ['Một câu.', 'Hai câu.']],
  ['no terminal punctuation', 'Tổng thư ký NATO cam kết tăng cường phòng không cho Ukraine', ['Tổng thư ký NATO cam kết tăng cường phòng không cho Ukraine']],
  ['empty input', '', []],
];

describe('splitSentences', () => {
  for (const [name, input, expected] of CASES) {
    it(name, () => assert.deepEqual(texts(input), expected));
  }

  it('keeps offsets exact: every span slices to trimmed text and spans are ordered and disjoint', () => {
    for (const [, input] of CASES) {
      const spans = splitSentences(input);
      let last = 0;
      for (const s of spans) {
        assert.ok(s.start >= last && s.end > s.start, `ordered spans in ${JSON.stringify(input)}`);
        const piece = input.slice(s.start, s.end);
        assert.equal(piece, piece.trim());
        assert.ok(!/[\r\n]/.test(piece), 'a sentence never crosses a line break');
        last = s.end;
      }
    }
  });

  it('respects from/to and returns offsets into the whole text', () => {
    const text = 'Bỏ qua. Câu một. Câu hai. Bỏ qua nốt.';
    const from = text.indexOf('Câu một');
    const to = text.indexOf(' Bỏ qua nốt');
    assert.deepEqual(texts(text, from, to), ['Câu một.', 'Câu hai.']);
    assert.equal(splitSentences(text, from, to)[0]!.start, from);
  });

  it('segments a 20 MB single line in linear time', function () {
    this.timeout(20000);
    const unit = 'Ông J. Biden nói 672.000 người... và TP. HCM. Mr. Smith đến! ';
    const big = unit.repeat(Math.ceil(20_000_000 / unit.length));
    const started = Date.now();
    const spans = splitSentences(big);
    assert.ok(spans.length > 0);
    assert.ok(Date.now() - started < 15000, 'too slow');
  });
});

describe('splitParagraphs', () => {
  it('makes every non-empty line a paragraph by default', () => {
    const text = 'Dòng một\n\n  Dòng hai  \r\nDòng ba\r\n';
    assert.deepEqual(
      splitParagraphs(text).map((s) => text.slice(s.start, s.end)),
      ['Dòng một', 'Dòng hai', 'Dòng ba'],
    );
  });

  it('joins wrapped lines into blank-line-separated blocks in block mode', () => {
    const text = 'Một đoạn\nvẫn tiếp\n\nĐoạn hai\n';
    assert.deepEqual(
      splitParagraphs(text, 'block').map((s) => text.slice(s.start, s.end)),
      ['Một đoạn\nvẫn tiếp', 'Đoạn hai'],
    );
  });
});

describe('LineIndex', () => {
  it('maps offsets to positions and back with \\n, \\r\\n and lone \\r', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const index = new LineIndex(text);
    assert.equal(index.lineCount, 4);
    for (let offset = 0; offset <= text.length; offset++) {
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a CRLF
      const position = index.positionAt(offset);
      assert.equal(index.offsetAt(position), offset, `round trip at ${offset}`);
    }
    assert.deepEqual(index.positionAt(text.indexOf('e')), { line: 2, character: 0 });
    assert.deepEqual(index.positionAt(text.indexOf('g')), { line: 3, character: 0 });
  });

  it('clamps out-of-range input', () => {
    const index = new LineIndex('ab\r\ncd');
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(99), { line: 1, character: 2 });
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 2, 'end of line 0, before the CRLF');
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 6);
    assert.equal(index.offsetAt({ line: -1, character: 3 }), 0);
  });

  it('treats an empty text as one empty line', () => {
    const index = new LineIndex('');
    assert.equal(index.lineCount, 1);
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  });
});
