/**
 * The quantity parser, table-driven: each row is a sentence and the figures it must yield
 * (exact span text, dimension, value and, where relevant, range end, unit, qualifier, date and
 * step). Rows with no figures pin down what must NOT be read as a quantity.
 */
import * as assert from 'node:assert/strict';
import { parseQuantities, type ParseOptions } from '../../server/src/core/quantity/parseQuantities';
import type { DateParts, Dimension, Qualifier, Quantity } from '../../server/src/core/types';
import { charAtOrEmpty, codeAt } from '../../server/src/core/quantity/scan';

interface Expected {
  text: string;
  dimension: Dimension;
  value: number;
  valueHigh?: number;
  unit?: string;
  /** Defaults to 'exact'. */
  qualifier?: Qualifier;
  date?: DateParts;
  /** Checked only when given. */
  step?: number;
  /** Checked only when given. */
  spelled?: boolean;
}

type Row = [input: string, expected: Expected[], options?: ParseOptions];

/** The fields a row checks: always text/dimension/value/qualifier/valueHigh/unit/date; step and spelled when expected. */
function project(q: Quantity, like: Expected | undefined): Expected {
  const p: Expected = { text: q.text, dimension: q.dimension, value: q.value, qualifier: q.qualifier };
  if (q.valueHigh !== undefined) p.valueHigh = q.valueHigh;
  if (q.unit !== undefined) p.unit = q.unit;
  if (q.date !== undefined) p.date = q.date;
  if (like?.step !== undefined) p.step = q.step;
  if (like?.spelled !== undefined) p.spelled = q.spelled ?? false;
  return p;
}

function normalize(e: Expected): Expected {
  return { ...e, qualifier: e.qualifier ?? 'exact' };
}

const vi: Row[] = [
  // Real sentences from the seed corpus.
  [
    'RT cho hay Luxembourg là một công quốc nhỏ với dân số khoảng 672.000 người',
    [{ text: 'khoảng 672.000 người', dimension: 'count', value: 672000, unit: 'nguoi', qualifier: 'approx', step: 1 }],
  ],
  [
    'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD',
    [
      { text: 'Năm 2024', dimension: 'year', value: 2024, date: { year: 2024 } },
      { text: '4,5 tỷ USD', dimension: 'money', value: 4.5e9, unit: 'USD', step: 1e8 },
    ],
  ],
  [
    'viện trợ quân sự cho Ukraine trị giá hơn 250 triệu euro',
    [{ text: 'hơn 250 triệu euro', dimension: 'money', value: 2.5e8, unit: 'EUR', qualifier: 'gt', step: 1e6 }],
  ],
  [
    'Washington cam kết cung cấp 38 tỷ USD viện trợ quân sự từ năm 2019 đến 2028',
    [
      { text: '38 tỷ USD', dimension: 'money', value: 3.8e10, unit: 'USD', step: 1e9 },
      { text: 'từ năm 2019 đến 2028', dimension: 'year', value: 2019, valueHigh: 2028, date: { year: 2019, yearEnd: 2028 } },
    ],
  ],
  ['Thoả thuận được ký hôm 10/7 tại Mỹ', [{ text: 'hôm 10/7', dimension: 'date', value: 710, date: { day: 10, month: 7 } }]],
  [
    'hội nghị thượng đỉnh NATO vào ngày 11-12/7 năm nay tại Vilnius',
    [{ text: 'ngày 11-12/7', dimension: 'date', value: 711, valueHigh: 712, date: { day: 11, dayEnd: 12, month: 7 } }],
  ],
  ['lần đầu tiên được soạn thảo vào tháng 9/2022', [{ text: 'tháng 9/2022', dimension: 'date', value: 20220900, date: { month: 9, year: 2022 } }]],
  ['tham vấn trong vòng 24 giờ nếu Nga tấn công', [{ text: '24 giờ', dimension: 'duration', value: 24, unit: 'hour', step: 1 }]],
  ['thỏa thuận an ninh có thời hạn 10 năm', [{ text: '10 năm', dimension: 'duration', value: 10, unit: 'year', step: 1 }]],
  ['Cuộc xung đột hiện đã bước sang năm thứ ba', [{ text: 'thứ ba', dimension: 'ordinal', value: 3, unit: 'nam', spelled: true }]],
  ['Kiev đã ký hơn 10 thỏa thuận tương tự', [{ text: 'hơn 10 thỏa thuận', dimension: 'count', value: 10, unit: 'thoa thuan', qualifier: 'gt' }]],
  ['NATO cung cấp thêm 19 hệ thống phòng không', [{ text: '19 hệ thống', dimension: 'count', value: 19, unit: 'he thong' }]],
  ['Ukraine đã ký khoảng 20 hiệp ước song phương', [{ text: 'khoảng 20 hiệp ước', dimension: 'count', value: 20, unit: 'hiep uoc', qualifier: 'approx' }]],
  ['Ngày 13/6, Mỹ và Nhật Bản đã ký với Ukraine', [{ text: 'Ngày 13/6', dimension: 'date', value: 613, date: { day: 13, month: 6 } }]],
  ['Với 0,67 triệu người, Luxembourg là thành viên sáng lập', [{ text: '0,67 triệu người', dimension: 'count', value: 670000, unit: 'nguoi', step: 1e4 }]],
  ['Ukraine đã ký thỏa thuận thời hạn mười năm với Anh', [{ text: 'mười năm', dimension: 'duration', value: 10, unit: 'year', spelled: true }]],
  ['Nhật Bản sẽ cung cấp 4,5 tỉ đô la Mỹ', [{ text: '4,5 tỉ đô la Mỹ', dimension: 'money', value: 4.5e9, unit: 'USD' }]],
  ['Hồi tháng 6, Ukraine cũng đã ký', [{ text: 'tháng 6', dimension: 'date', value: 600, date: { month: 6 } }]],
  ['Tối 22/4, Tổng thống Zelensky thông báo', [{ text: 'Tối 22/4', dimension: 'date', value: 422, date: { day: 22, month: 4 } }]],
  ['Canada công bố gói viện trợ 500 triệu đô la Canada', [{ text: '500 triệu đô la Canada', dimension: 'money', value: 5e8, unit: 'CAD' }]],
  // Numbers and separators.
  ['Năm 2024, Việt Nam đón 1.250.000 lượt khách Nhật Bản', [
    { text: 'Năm 2024', dimension: 'year', value: 2024, date: { year: 2024 } },
    { text: '1.250.000 lượt khách', dimension: 'count', value: 1250000, unit: 'luot khach', step: 1 },
  ]],
  ['Dân số đạt 1.234.567 người', [{ text: '1.234.567 người', dimension: 'count', value: 1234567, unit: 'nguoi' }]],
  ['Nhật Bản chi 4.5 tỷ cho dự án', [{ text: '4.5 tỷ', dimension: 'number', value: 4.5e9, step: 1e8 }]],
  ['Khoản vay 4.500 triệu USD', [{ text: '4.500 triệu USD', dimension: 'money', value: 4.5e9, unit: 'USD', step: 1e6 }]],
  ['Gói hỗ trợ 1 tỷ 200 triệu đồng', [{ text: '1 tỷ 200 triệu đồng', dimension: 'money', value: 1.2e9, unit: 'VND', step: 1e6 }]],
  ['Giá vé 50.000đ mỗi người', [{ text: '50.000đ', dimension: 'money', value: 50000, unit: 'VND' }]],
  ['Giá vàng tăng 500.000 đồng mỗi lượng', [{ text: '500.000 đồng', dimension: 'money', value: 500000, unit: 'VND' }]],
  ['Anh cam kết 2,5 tỷ bảng Anh', [{ text: '2,5 tỷ bảng Anh', dimension: 'money', value: 2.5e9, unit: 'GBP' }]],
  ['Trung Quốc chi 10 tỷ nhân dân tệ', [{ text: '10 tỷ nhân dân tệ', dimension: 'money', value: 1e10, unit: 'CNY' }]],
  ['Kim ngạch tăng 12,5% so với năm trước', [{ text: '12,5%', dimension: 'percent', value: 12.5, unit: '%', step: 0.1 }]],
  ['Lãi suất giảm 2 phần trăm', [{ text: '2 phần trăm', dimension: 'percent', value: 2, unit: '%' }]],
  // Ranges.
  ['Tăng trưởng dự kiến 10-15%', [{ text: '10-15%', dimension: 'percent', value: 10, valueHigh: 15, unit: '%' }]],
  ['Chi phí khoảng 10 - 15 triệu USD', [{ text: 'khoảng 10 - 15 triệu USD', dimension: 'money', value: 1e7, valueHigh: 1.5e7, unit: 'USD', qualifier: 'approx' }]],
  ['Án tù từ 10 đến 15 năm', [{ text: 'từ 10 đến 15 năm', dimension: 'duration', value: 10, valueHigh: 15, unit: 'year' }]],
  ['Diễn đàn diễn ra trong các ngày 20-22/3', [{ text: 'ngày 20-22/3', dimension: 'date', value: 320, valueHigh: 322, date: { day: 20, dayEnd: 22, month: 3 } }]],
  // Dates and years.
  ['Hiệp định ký ngày 13/6/2024 tại Italy', [{ text: 'ngày 13/6/2024', dimension: 'date', value: 20240613, date: { day: 13, month: 6, year: 2024 } }]],
  ['Sự kiện diễn ra ngày 10 tháng 7 năm 2024', [{ text: 'ngày 10 tháng 7 năm 2024', dimension: 'date', value: 20240710, date: { day: 10, month: 7, year: 2024 } }]],
  ['Đợt cao điểm vào tháng 6-7/2024', [{ text: 'tháng 6-7/2024', dimension: 'date', value: 20240600, valueHigh: 20240700, date: { month: 6, monthEnd: 7, year: 2024 } }]],
  ['Ông đắc cử tổng thống vào năm 2019.', [{ text: 'năm 2019', dimension: 'year', value: 2019, date: { year: 2019 } }]],
  ['Giai đoạn 2019-2028 là then chốt', [{ text: '2019-2028', dimension: 'year', value: 2019, valueHigh: 2028, date: { year: 2019, yearEnd: 2028 } }]],
  ['Thứ Hai, 10/7, hai bên gặp nhau', [
    { text: '10/7', dimension: 'date', value: 710, date: { day: 10, month: 7 } },
    { text: 'hai bên', dimension: 'count', value: 2, unit: 'ben', spelled: true },
  ]],
  ['Diễn đàn diễn ra từ ngày 20 đến 22/3 tại TP Hồ Chí Minh', [
    { text: 'từ ngày 20 đến 22/3', dimension: 'date', value: 320, valueHigh: 322, date: { day: 20, dayEnd: 22, month: 3 } },
  ]],
  ['Cuộc họp bắt đầu lúc 8 giờ 30 phút và kéo dài 2 giờ', [{ text: '2 giờ', dimension: 'duration', value: 2, unit: 'hour' }]],
  ['Khoảng 10.000-15.000 người tham gia', [
    { text: 'Khoảng 10.000-15.000 người', dimension: 'count', value: 10000, valueHigh: 15000, unit: 'nguoi', qualifier: 'approx' },
  ]],
  // Qualifiers.
  ['Có ít nhất 5 người thiệt mạng', [{ text: 'ít nhất 5 người', dimension: 'count', value: 5, unit: 'nguoi', qualifier: 'gte' }]],
  ['Tỷ lệ thất nghiệp dưới 5%', [{ text: 'dưới 5%', dimension: 'percent', value: 5, unit: '%', qualifier: 'lt' }]],
  ['Chưa đến 100 người tham dự', [{ text: 'Chưa đến 100 người', dimension: 'count', value: 100, unit: 'nguoi', qualifier: 'lt' }]],
  ['Thời hạn tối đa 30 ngày', [{ text: 'tối đa 30 ngày', dimension: 'duration', value: 30, unit: 'day', qualifier: 'lte' }]],
  ['Xung đột kéo dài gần 10 năm', [{ text: 'gần 10 năm', dimension: 'duration', value: 10, unit: 'year', qualifier: 'nearly' }]],
  ['Các gói từ 4,5 tỷ USD trở lên', [{ text: '4,5 tỷ USD trở lên', dimension: 'money', value: 4.5e9, unit: 'USD', qualifier: 'gte' }]],
  ['Dân số xấp xỉ 1,2 triệu', [{ text: 'xấp xỉ 1,2 triệu', dimension: 'number', value: 1.2e6, qualifier: 'approx' }]],
  ['Đăng tải trên mạng xã hội X hơn 3 lần', [{ text: 'hơn 3 lần', dimension: 'count', value: 3, unit: 'lan', qualifier: 'gt' }]],
  // Spelled numbers and ordinals.
  ['Hai bên nhất trí hợp tác', [{ text: 'Hai bên', dimension: 'count', value: 2, unit: 'ben', spelled: true }]],
  ['Đại diện ba nước tham dự', [{ text: 'ba nước', dimension: 'count', value: 3, unit: 'nuoc', spelled: true }]],
  ['Có hai mươi lăm người bị thương', [{ text: 'hai mươi lăm người', dimension: 'count', value: 25, unit: 'nguoi', spelled: true }]],
  ['Mỹ viện trợ một tỷ USD', [{ text: 'một tỷ USD', dimension: 'money', value: 1e9, unit: 'USD', spelled: true }]],
  ['Đây là lần thứ 3 ông tới thăm', [{ text: 'thứ 3', dimension: 'ordinal', value: 3, unit: 'lan' }]],
  ['Nền kinh tế lớn thứ hai thế giới', [{ text: 'thứ hai', dimension: 'ordinal', value: 2, unit: 'lon' }]],
  ['Hai nhà lãnh đạo và 5 chiếc máy bay', [
    { text: 'Hai nhà lãnh đạo', dimension: 'count', value: 2, unit: 'nha lanh dao' },
    { text: '5 chiếc máy bay', dimension: 'count', value: 5, unit: 'may bay' },
  ]],
  // Not figures.
  ['Máy bay MiG-29 thời Liên Xô và tiêm kích F-16, Su-27', []],
  ['Điều khoản tương tự như Điều 5 trong Hiến chương NATO', []],
  ['Hội nghị thượng đỉnh (G7) và nhóm G20', []],
  ['Trực thăng Bell 212 và Boeing 747', []],
  ['Theo Điều khoản 5 và Chương 3 của hiệp ước', []],
  ['Đại dịch COVID-19 và mẫu X1, khổ giấy A4', []],
  ['Liên hệ 0912 345 678, 090.123.4567 hoặc +84 24 3825 1234', []],
  ['Tổng đài (024) 3825 1234, hotline 1900 1234', []],
  ['1. Mở đầu\n2) Nội dung chính', []],
  ['Phiên bản 1.2.3, máy chủ 192.168.1.1', []],
  ['Cuộc họp lúc 10h30 hoặc 10:30 hay 10 giờ sáng', []],
  ['Thứ hai tuần sau, Ba Lan và ba mẹ tôi', []],
  ['Những năm tháng chiến tranh, năm nay và năm ngoái', []],
  ['Giành được 2/3 số phiếu và tỷ số 2-1', []],
  ['Hơn 1/3 dân số, vòng 1/8 World Cup, phục vụ 24/7', []],
  ['Theo Thông tư 12/2024/TT-BTC và Nghị định 100/2019/NĐ-CP', []],
];

const en: Row[] = [
  ['Japan will provide Ukraine with $4.5 billion in 2024', [
    { text: '$4.5 billion', dimension: 'money', value: 4.5e9, unit: 'USD', step: 1e8 },
    { text: '2024', dimension: 'year', value: 2024, date: { year: 2024 } },
  ]],
  ['Luxembourg has provided more than €250 million in aid', [{ text: 'more than €250 million', dimension: 'money', value: 2.5e8, unit: 'EUR', qualifier: 'gt' }]],
  ['The US pledged $38 billion over a decade', [{ text: '$38 billion', dimension: 'money', value: 3.8e10, unit: 'USD', step: 1e9 }]],
  ['The package is worth $38bn, plus $5m in loans', [
    { text: '$38bn', dimension: 'money', value: 3.8e10, unit: 'USD' },
    { text: '$5m', dimension: 'money', value: 5e6, unit: 'USD' },
  ]],
  ['They signed it on July 11 in the United States', [{ text: 'July 11', dimension: 'date', value: 711, date: { day: 11, month: 7 } }]],
  ['The deal was signed on June 13, 2024, in Italy', [{ text: 'June 13, 2024', dimension: 'date', value: 20240613, date: { day: 13, month: 6, year: 2024 } }]],
  ['The summit opens on 10 July 2024', [{ text: '10 July 2024', dimension: 'date', value: 20240710, date: { day: 10, month: 7, year: 2024 } }]],
  ['Grain exports rose by 12% last year', [{ text: '12%', dimension: 'percent', value: 12, unit: '%' }]],
  ['Kyiv signed about 20 treaties', [{ text: 'about 20 treaties', dimension: 'count', value: 20, unit: 'treaty', qualifier: 'approx' }]],
  ['At least 5 people were killed', [{ text: 'At least 5 people', dimension: 'count', value: 5, unit: 'person', qualifier: 'gte' }]],
  ['Some 4,500 troops took part', [{ text: 'Some 4,500 troops', dimension: 'count', value: 4500, unit: 'troop', qualifier: 'approx' }]],
  ['The city has 1,234,567 residents', [{ text: '1,234,567 residents', dimension: 'count', value: 1234567, unit: 'resident' }]],
  ['Inflation was between 10 and 15 percent', [{ text: 'between 10 and 15 percent', dimension: 'percent', value: 10, valueHigh: 15, unit: '%' }]],
  ['Sentences of up to 15 years', [{ text: 'up to 15 years', dimension: 'duration', value: 15, unit: 'year', qualifier: 'lte' }]],
  ['Turnout was less than 40 per cent', [{ text: 'less than 40 per cent', dimension: 'percent', value: 40, unit: '%', qualifier: 'lt' }]],
  ['The agreement runs from 2019 to 2028', [{ text: 'from 2019 to 2028', dimension: 'year', value: 2019, valueHigh: 2028, date: { year: 2019, yearEnd: 2028 } }]],
  ['Fighting has lasted nearly two years', [{ text: 'nearly two years', dimension: 'duration', value: 2, unit: 'year', qualifier: 'nearly', spelled: true }]],
  ['Twenty-five countries attended', [{ text: 'Twenty-five countries', dimension: 'count', value: 25, unit: 'country', spelled: true }]],
  ['Three million people fled', [{ text: 'Three million people', dimension: 'count', value: 3e6, unit: 'person', spelled: true }]],
  ['The war is in its third year', [{ text: 'third', dimension: 'ordinal', value: 3, unit: 'year', spelled: true }]],
  ['He finished 2nd in the race', [{ text: '2nd', dimension: 'ordinal', value: 2 }]],
  ['The company lost $1.5 million in 24 hours', [
    { text: '$1.5 million', dimension: 'money', value: 1.5e6, unit: 'USD', step: 1e5 },
    { text: '24 hours', dimension: 'duration', value: 24, unit: 'hour' },
  ]],
  ['Over 10,000 children were evacuated', [{ text: 'Over 10,000 children', dimension: 'count', value: 10000, unit: 'child', qualifier: 'gt' }]],
  ['They agreed a 10-year deal and a 24-hour ceasefire', [
    { text: '10-year', dimension: 'duration', value: 10, unit: 'year' },
    { text: '24-hour', dimension: 'duration', value: 24, unit: 'hour' },
  ]],
  ['Sales in May 2024 beat those of March 2022', [
    { text: 'May 2024', dimension: 'date', value: 20240500, date: { month: 5, year: 2024 } },
    { text: 'March 2022', dimension: 'date', value: 20220300, date: { month: 3, year: 2022 } },
  ]],
  ['One of the officials said no one was hurt', []],
  ['Thailand lost 3-1, as in the 1990s', []],
  ['Article 5 of the treaty and Section 3', []],
  ['Apollo 11 and the iPhone 15 were mentioned', []],
  ['Call +1 202 555 0143 today', []],
];

const cases: Row[] = [...vi, ...en];

describe('parseQuantities', () => {
  it('has a table of at least 70 cases', () => {
    assert.ok(cases.length >= 70, `${cases.length} cases`);
  });

  for (const [input, expected, options] of cases) {
    it(JSON.stringify(input), () => {
      const got = parseQuantities(input, options);
      const projected = got.map((q, i) => project(q, expected[i]));
      assert.deepStrictEqual(projected, expected.map(normalize));
    });
  }

  it('keeps every span exact, sorted and non-overlapping', () => {
    const text = cases.map(([input]) => input).join('\n');
    const all = parseQuantities(text);
    assert.ok(all.length > 60);
    let lastEnd = 0;
    for (const q of all) {
      assert.equal(q.text, text.slice(q.start, q.end));
      assert.ok(q.start >= lastEnd, `overlap at ${q.start}: ${q.text}`);
      assert.ok(q.end > q.start);
      lastEnd = q.end;
    }
    // Parsing the joined text finds the same figures as parsing each row alone.
    assert.equal(all.length, cases.reduce((n, [, expected]) => n + expected.length, 0));
  });

  it('reads back numbers formatted in Vietnamese and English style', () => {
    const values = [0.5, 4.5, 12.25, 999, 1000, 4500, 67200.5, 672000, 1234567, 1234567.89];
    const viFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
    const enFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
    for (const v of values) {
      const viText = `Giá trị ${viFmt.format(v)} người`;
      const enText = `A total of ${enFmt.format(v)} people`;
      const [a] = parseQuantities(viText, { locale: 'vi' });
      const [b] = parseQuantities(enText, { locale: 'en' });
      assert.equal(a?.value, v, viText);
      assert.equal(b?.value, v, enText);
      // 'auto' gets the same answer from the context ("người" vs "people").
      assert.equal(parseQuantities(viText)[0]?.value, v, `auto: ${viText}`);
      assert.equal(parseQuantities(enText)[0]?.value, v, `auto: ${enText}`);
    }
  });

  it('resolves the ambiguous "4,500" / "4.500" by locale and context', () => {
    assert.equal(parseQuantities('4,500 người', { locale: 'vi' })[0]?.value, 4.5);
    assert.equal(parseQuantities('4,500 people', { locale: 'en' })[0]?.value, 4500);
    assert.equal(parseQuantities('4.500 người')[0]?.value, 4500);
    assert.equal(parseQuantities('4,500 người')[0]?.value, 4.5);
    assert.equal(parseQuantities('$1.500 billion')[0]?.value, 1.5e9);
  });

  it('finishes on pathological input', () => {
    const inputs = [
      '1.'.repeat(100000),
      '1,'.repeat(100000),
      ' '.repeat(200000),
      'hơn '.repeat(50000),
      '1 '.repeat(100000),
      '1-'.repeat(100000),
      '1/'.repeat(100000),
      'năm '.repeat(50000),
      'thứ '.repeat(50000),
      '9'.repeat(200000),
      'a1'.repeat(100000),
      '10/7 '.repeat(40000),
      `${'x'.repeat(200000)}1`,
      'hai mươi '.repeat(20000),
    ];
    for (const input of inputs) {
      const got = parseQuantities(input);
      for (const q of got) assert.equal(q.text, input.slice(q.start, q.end));
    }
  });
});

describe('the parser\'s bounds-checked reads', () => {
  // The parser reads one unit past a word or number all the time: these give what the
  // string methods give there (NaN, ''), without asking the engine out of bounds.
  for (const text of ['', 'a', '4,5 tỷ', 'Đ😀']) {
    it(`read as charCodeAt and charAt do, in and around ${JSON.stringify(text)}`, () => {
      for (let i = -3; i <= text.length + 2; i++) {
        assert.ok(Object.is(codeAt(text, i), text.charCodeAt(i)), `codeAt ${i}`);
        assert.equal(charAtOrEmpty(text, i), text.charAt(i), `charAt ${i}`);
      }
    });
  }
});
