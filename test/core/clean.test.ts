import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanArticle, findTeaserTail, parseDateline, type CleanedArticle } from '../../server/src/core/corpus/cleanArticle';
import { parseArticleFile } from '../../server/src/core/corpus/parseArticle';

// Tests may read files; the core may not. The seed corpus is read here and passed as strings.
const CORPUS = resolve(__dirname, '../../corpus');

function seed(prefix: string): string {
  const name = readdirSync(CORPUS).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
  assert.ok(name, `seed ${prefix} present`);
  return readFileSync(join(CORPUS, name), 'utf8').normalize('NFC');
}

interface View {
  result: CleanedArticle;
  kept: string[];
  /** Reason a line containing `needle` was removed, or 'kept' / 'absent'. */
  fate(needle: string): string;
}

function clean(text: string): View {
  const result = cleanArticle(text, 0, text.length);
  const kept = result.paragraphs.map((s) => text.slice(s.start, s.end));
  const fate = (needle: string): string => {
    if (kept.some((p) => p.includes(needle))) return 'kept';
    const hit = result.removed.find((r) => text.slice(r.span.start, r.span.end).includes(needle));
    return hit ? hit.reason : 'absent';
  };
  return { result, kept, fate };
}

/** Every non-blank character is either kept prose or in a removed span, and nothing overlaps. */
function assertPartition(text: string, result: CleanedArticle): void {
  const spans = [...result.paragraphs, ...result.removed.map((r) => r.span)].sort((a, b) => a.start - b.start);
  let last = 0;
  for (const s of spans) {
    assert.ok(s.start >= last, `overlap at ${s.start}`);
    assert.equal(text.slice(last, s.start).trim(), '', `uncovered text ${JSON.stringify(text.slice(last, s.start))}`);
    last = s.end;
  }
  assert.equal(text.slice(last).trim(), '');
}

interface SeedCase {
  prefix: string;
  title: string | undefined;
  outlet: string | undefined;
  leadStart: string;
  /** Substring of a removed line → the reason it must have been removed for. */
  removed: [needle: string, reason: string][];
  /** Body sentences that must survive cleaning. */
  kept: string[];
}

const SEEDS: SeedCase[] = [
  {
    prefix: '000',
    // The file opens with the outlet-prefixed sapo: there is no headline to report.
    title: undefined,
    outlet: 'GDTĐ',
    leadStart: 'Ukraine đã ký kết các thỏa thuận tương tự',
    removed: [['GDTĐ - ', 'outlet-prefix']],
    kept: [
      'Luxembourg là một công quốc nhỏ với dân số khoảng 672.000 người',
      'trị giá hơn 250 triệu euro',
      'Điện Kremlin đã cảnh báo, sự tham gia ngày càng sâu sắc',
    ],
  },
  {
    prefix: '001',
    title: 'Ukraine đàm phán thỏa thuận an ninh song phương với Mỹ',
    outlet: 'Dân trí',
    leadStart: 'Tổng thống Ukraine Volodymyr Zelensky thông báo Kiev và Washington',
    removed: [
      ['1. Dòng sự kiện:', 'breadcrumb'],
      ['2. Phe nổi dậy lật đổ chính quyền Syria', 'breadcrumb'],
      ['3. Chiến sự Nga - Ukraine', 'breadcrumb'],
      ['Thành Đạt', 'byline'],
      ['(Dân trí) - ', 'outlet-prefix'],
      ['với Mỹ - 1', 'caption'],
      ['(Ảnh: Reuters)', 'caption'],
      ['Theo AFP', 'byline'],
    ],
    kept: [
      'Ukraine đã ký một số thỏa thuận an ninh 10 năm với các nước thành viên NATO',
      'Điều 5 trong Hiến chương NATO là điều khoản về phòng thủ tập thể.',
      'Phương Tây đã viện trợ quân sự cho Ukraine ngay từ những ngày đầu xung đột.',
    ],
  },
  {
    prefix: '002',
    // Sapo-first page: the headline follows the lead and ends with a navigation bar.
    title: 'Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine, hé lộ điểm khác biệt của Washington với các nước NATO',
    outlet: undefined,
    leadStart: 'Ngày 13/6, Mỹ và Nhật Bản đã ký thỏa thuận an ninh có thời hạn 10 năm',
    removed: [
      ['hé lộ điểm khác biệt của Washington', 'title'],
      ['(Nguồn: AP) |', 'caption'],
      ['Tin liên quan |', 'related'],
      ['Hội nghị hòa bình Ukraine: Vẫn chỉ là hy vọng', 'related'],
      ['Phó Quốc vụ khanh Bộ Ngoại giao Ba Lan', 'teaser'],
      ['EgyptAir', 'teaser'],
      ['trực thăng Bell 212', 'teaser'],
      ['Hội đồng Bắc Cực', 'teaser'],
      ['Vạn Lý Trường Thành', 'teaser'],
      ['Việt Nam-Kazakhstan', 'teaser'],
      ['lính đánh thuê', 'teaser'],
      ['13 người từ Israel về nước an toàn', 'teaser'],
      ['học thuyết hạt nhân', 'teaser'],
    ],
    kept: [
      'AFP đưa tin, thỏa thuận giữa Washington-Kiev',
      'Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD',
      'tham vấn trong vòng 24 giờ',
      'Kiev đã ký hơn 10 thỏa thuận tương tự với các nước phương Tây',
      'khi xung đột với Nga đã bước sang năm thứ ba',
    ],
  },
  {
    prefix: '003',
    title: 'Mỹ và NATO thảo luận về một thỏa thuận an ninh kiểu Israel cho Ukraine',
    outlet: 'Báo Tin tức',
    leadStart: 'Mỹ và NATO đang thảo luận về một thỏa thuận an ninh kiểu Israel dành cho Ukraine',
    removed: [
      ['Chú thích ảnh', 'caption'],
      ['tháng 12/2022. Ảnh: AP', 'caption'],
      ['Công Thuận/Báo Tin tức', 'byline'],
      ['Ngoại trưởng Đức nói NATO không thể kết nạp Ukraine', 'teaser'],
      ['Annalena Baerbock', 'teaser'],
      ['Chia sẻ:', 'share'],
      ['Thông cáo báo chí Rao vặt', 'footer'],
      ['Các đơn vị thông tin của TTXVN', 'footer'],
    ],
    kept: [
      'Washington cam kết cung cấp 38 tỷ USD viện trợ quân sự',
      'vào ngày 11-12/7 năm nay tại Vilnius.',
      'Fabrice Pothier, cựu Giám đốc chính sách của NATO',
    ],
  },
  {
    prefix: '004',
    title: 'Tổng thư ký NATO cam kết tăng cường phòng không cho Ukraine',
    outlet: undefined,
    leadStart: 'Tổng thư ký NATO Mark Rutte ngày 5/12',
    removed: [],
    kept: [
      'Hệ thống phòng không Patriot và NASAMS sẽ được triển khai',
      // Starts with "Theo …" but is prose, not a credit line.
      'Theo hãng tin Bloomberg, cùng với việc tăng cường hệ thống phòng không cho Ukraine',
    ],
  },
];

describe('cleanArticle on the seed corpus', () => {
  for (const c of SEEDS) {
    describe(`seed ${c.prefix}`, () => {
      const text = seed(c.prefix);
      const view = clean(text);

      it('finds the title, outlet and lead', () => {
        assert.equal(view.result.title, c.title);
        assert.equal(view.result.outlet, c.outlet);
        assert.ok(view.result.lead?.startsWith(c.leadStart), `lead: ${view.result.lead}`);
        assert.equal(view.kept[0], view.result.lead);
      });

      it('removes known noise with the right reason', () => {
        for (const [needle, reason] of c.removed) assert.equal(view.fate(needle), reason, needle);
      });

      it('keeps the real body sentences', () => {
        for (const needle of c.kept) assert.equal(view.fate(needle), 'kept', needle);
      });

      it('invents no publication date from event dates in the prose', () => {
        assert.equal(view.result.date, undefined);
      });

      it('partitions the text into kept and removed spans', () => assertPartition(text, view.result));
    });
  }

  it('keeps every line of a noise-free article (000)', () => {
    const text = seed('000');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(clean(text).kept.length, lines.length);
  });

  it('keeps the 002 headline out of the body and its sapo as the lead', () => {
    const view = clean(seed('002'));
    assert.ok(!view.kept.some((p) => p.includes('hé lộ điểm khác biệt')));
    assert.equal(view.result.removed.filter((r) => r.reason === 'teaser').length, 9);
  });
});

/** Vietnamese: front matter, breadcrumb, heading, byline, dateline, caption, related, teaser tail. */
const SYNTHETIC_VI = `---
id: bai cau thu thiem
outlet: Báo Thử Nghiệm
---
Trang chủ > Xã hội > Giao thông

# TP.HCM khởi công cầu Thủ Thiêm 4 với tổng vốn 5.000 tỷ đồng

Minh Anh

Thứ bảy, 12/10/2024 08:30 (GMT+7)

(Báo Thử Nghiệm) - Sáng 12/10, TP.HCM khởi công xây dựng cầu Thủ Thiêm 4 nối quận 7 với TP Thủ Đức, tổng vốn đầu tư khoảng 5.000 tỷ đồng.

Lễ khởi công cầu Thủ Thiêm 4 sáng 12/10. (Ảnh: Hữu Khoa)

Theo Sở Giao thông vận tải TP.HCM, cầu Thủ Thiêm 4 dài 2,16 km, có 6 làn xe và dự kiến hoàn thành năm 2028.

Cây cầu sẽ giảm tải cho cầu Phú Mỹ và hầm Thủ Thiêm, vốn thường xuyên ùn tắc vào giờ cao điểm.

Tin liên quan |
TP.HCM đề xuất làm thêm 5 cây cầu qua sông Sài Gòn |

Ông Trần Quang Lâm, Giám đốc Sở Giao thông vận tải, cho biết dự án cầu Thủ Thiêm 4 được chuẩn bị từ năm 2019. Nhà thầu đã cam kết thi công ba ca.

Dự án cầu Thủ Thiêm 4 sử dụng vốn ngân sách thành phố, giải phóng mặt bằng tại quận 7 đã hoàn thành 95%.

Người dân quận 7 kỳ vọng cây cầu sẽ rút ngắn thời gian đi lại sang TP Thủ Đức.

Giá vàng miếng SJC hôm nay tăng mạnh, vượt mốc 85 triệu đồng mỗi lượng.

Đội tuyển bóng đá nữ Việt Nam giành vé dự vòng chung kết châu Á sau chiến thắng 3-0.

Nghệ nhân làng gốm Bát Tràng giới thiệu bộ sưu tập bình hoa mới tại Hà Nội.

Chia sẻ:
`;

/** English: breadcrumb, byline, dateline, dateline-style outlet prefix, caption, related, teaser tail, footer. */
const SYNTHETIC_EN = `Home > News > Local
Riverside council approves $40 million bridge repair plan
By Jane Okafor
July 11, 2024
RIVERSIDE (Daily Ledger) - The Riverside city council on Tuesday approved a $40 million plan to repair the Old Mill bridge, which has been closed to trucks since March.
A crane stands next to the Old Mill bridge on Monday. (Photo: Reuters)
Council members voted 7-2 for the repair plan after a three-hour debate. The bridge carries about 18,000 vehicles a day.
Mayor Linda Park said the repair would be funded by a state grant and a local bond. "This bridge is the spine of our downtown," Park said.
Related articles:
Riverside bridge closed to trucks after inspection
Work on the Old Mill bridge is expected to start in September and take 14 months, according to the council.
Two council members opposed the plan, arguing the city should replace the bridge instead of repairing it.
Trucks will continue to use the northern bypass while the repair is under way.
Stock markets in Asia rose for a third day as investors bet on lower interest rates.
A rare white tiger cub was born at a zoo in northern Germany, keepers said.
Scientists say a comet will be visible to the naked eye next month.
© 2024 Daily Ledger. All rights reserved.
`;

function parsedView(path: string, content: string): { meta: Record<string, unknown>; fate: (needle: string) => string; kept: string[] } {
  const { articles, problems } = parseArticleFile(path, content);
  assert.deepEqual(problems, []);
  assert.equal(articles.length, 1);
  const a = articles[0]!;
  const kept = a.paragraphs.map((s) => a.text.slice(s.start, s.end));
  const fate = (needle: string): string => {
    if (kept.some((p) => p.includes(needle))) return 'kept';
    const hit = a.removed.find((r) => a.text.slice(r.span.start, r.span.end).includes(needle));
    return hit ? hit.reason : 'absent';
  };
  return { meta: { ...a.meta }, fate, kept };
}

describe('cleanArticle on synthetic articles (no rule is tied to the seeds)', () => {
  it('cleans a Vietnamese Markdown article with front matter', () => {
    const v = parsedView('bai-viet.md', SYNTHETIC_VI);
    assert.equal(v.meta['id'], 'bai_cau_thu_thiem');
    assert.equal(v.meta['title'], 'TP.HCM khởi công cầu Thủ Thiêm 4 với tổng vốn 5.000 tỷ đồng');
    assert.equal(v.meta['outlet'], 'Báo Thử Nghiệm');
    assert.equal(v.meta['date'], '2024-10-12');
    assert.ok(String(v.meta['lead']).startsWith('Sáng 12/10, TP.HCM khởi công'));
    const expected: [string, string][] = [
      ['id: bai cau thu thiem', 'front-matter'],
      ['Trang chủ > Xã hội', 'breadcrumb'],
      ['# TP.HCM khởi công', 'title'],
      ['Minh Anh', 'byline'],
      ['Thứ bảy, 12/10/2024', 'byline'],
      ['(Báo Thử Nghiệm) - ', 'outlet-prefix'],
      ['(Ảnh: Hữu Khoa)', 'caption'],
      ['Tin liên quan', 'related'],
      ['làm thêm 5 cây cầu qua sông Sài Gòn', 'related'],
      ['Giá vàng miếng SJC', 'teaser'],
      ['Đội tuyển bóng đá nữ', 'teaser'],
      ['làng gốm Bát Tràng', 'teaser'],
      ['Chia sẻ:', 'share'],
      ['cầu Thủ Thiêm 4 dài 2,16 km', 'kept'],
      ['Nhà thầu đã cam kết thi công ba ca.', 'kept'],
      ['Người dân quận 7 kỳ vọng cây cầu', 'kept'],
    ];
    for (const [needle, fate] of expected) assert.equal(v.fate(needle), fate, needle);
  });

  it('cleans an English article', () => {
    const v = parsedView('riverside-bridge.txt', SYNTHETIC_EN);
    assert.equal(v.meta['id'], 'riverside-bridge');
    assert.equal(v.meta['title'], 'Riverside council approves $40 million bridge repair plan');
    assert.equal(v.meta['outlet'], 'Daily Ledger');
    assert.equal(v.meta['date'], '2024-07-11');
    const expected: [string, string][] = [
      ['Home > News', 'breadcrumb'],
      ['By Jane Okafor', 'byline'],
      ['July 11, 2024', 'byline'],
      ['RIVERSIDE (Daily Ledger) - ', 'outlet-prefix'],
      ['(Photo: Reuters)', 'caption'],
      ['Related articles:', 'related'],
      ['closed to trucks after inspection', 'related'],
      ['Stock markets in Asia', 'teaser'],
      ['white tiger cub', 'teaser'],
      ['comet will be visible', 'teaser'],
      ['All rights reserved', 'footer'],
      ['The Riverside city council on Tuesday approved', 'kept'],
      ['The bridge carries about 18,000 vehicles a day.', 'kept'],
      ['Trucks will continue to use the northern bypass', 'kept'],
    ];
    for (const [needle, fate] of expected) assert.equal(v.fate(needle), fate, needle);
  });

  it('treats everything after a closing credit line as teaser or footer', () => {
    const text = [
      'Hà Nội mở rộng tuyến buýt điện ra ngoại thành',
      'Từ tháng 9, Hà Nội mở thêm 12 tuyến buýt điện nối trung tâm với các huyện ngoại thành.',
      'Sở Giao thông vận tải cho biết 12 tuyến buýt điện mới dùng 200 xe, tần suất 15 phút một chuyến.',
      'Giá vé buýt điện giữ nguyên 7.000 đồng mỗi lượt.',
      'Lan Hương/Báo Thủ Đô',
      'Hà Nội mở rộng tuyến buýt điện ra ngoại thành',
      'Bộ Y tế cảnh báo dịch sốt xuất huyết gia tăng.',
      'Bản quyền thuộc về Báo Thủ Đô',
    ].join('\n');
    const view = clean(text);
    assert.equal(view.result.outlet, 'Báo Thủ Đô');
    assert.equal(view.fate('Lan Hương/Báo Thủ Đô'), 'byline');
    assert.equal(view.fate('Bộ Y tế cảnh báo'), 'teaser');
    assert.equal(view.fate('Bản quyền thuộc về'), 'footer');
    assert.equal(view.kept.length, 3);
    assertPartition(text, view.result);
  });

  it('does not mistake "Anh" (Britain) for "Ảnh" (photo)', () => {
    const text = 'Ngoại trưởng Anh: Nga sẽ không thắng ở Ukraine\nNgoại trưởng Anh David Cameron nói Nga sẽ không thắng.\nMột người đồng cấp. Ảnh: AP';
    const view = clean(text);
    assert.equal(view.result.title, 'Ngoại trưởng Anh: Nga sẽ không thắng ở Ukraine');
    assert.equal(view.fate('David Cameron'), 'kept');
    assert.equal(view.fate('Ảnh: AP'), 'caption');
  });

  it('finds a dateline and ignores event dates', () => {
    assert.equal(parseDateline('Thứ năm, 11/7/2024 14:30'), '2024-07-11');
    assert.equal(parseDateline('11/07/2024 - 09:15'), '2024-07-11');
    assert.equal(parseDateline('Cập nhật: 2024-07-11T09:15'), '2024-07-11');
    assert.equal(parseDateline('Published on 3 March 2023'), '2023-03-03');
    assert.equal(parseDateline('Hôm 10/7, hai nước ký thỏa thuận an ninh tại Washington.'), undefined);
    assert.equal(parseDateline('Ngày 11/7/2024, NATO họp thượng đỉnh tại Washington với 32 nước.'), undefined);
    assert.equal(parseDateline('31/02/2024'), undefined);
  });
});

describe('cleanArticle: lines that repeat a kept one', () => {
  const title = 'Hà Nội mở rộng tuyến buýt điện ra ngoại thành';
  const p1 = 'Từ tháng 9, Hà Nội mở thêm 12 tuyến buýt điện nối trung tâm với các huyện ngoại thành.';
  const p2 = 'Sở Giao thông vận tải cho biết các tuyến mới dùng 200 xe, tần suất 15 phút một chuyến.';
  const p3 = 'Giá vé buýt điện giữ nguyên 7.000 đồng mỗi lượt, theo sở.';
  const long = 'Theo kế hoạch, thành phố sẽ thay toàn bộ xe buýt chạy dầu bằng xe điện trước năm 2030. '.repeat(30);
  const rows: { name: string; lines: string[]; duplicates: string[] }[] = [
    { name: 'a paragraph repeated later', lines: [title, p1, p2, p1, p3], duplicates: [p1] },
    { name: 'the headline repeated in capitals without diacritics', lines: [title, p1, 'HA NOI MO RONG TUYEN BUYT DIEN RA NGOAI THANH', p2], duplicates: ['HA NOI MO RONG TUYEN BUYT DIEN RA NGOAI THANH'] },
    { name: 'a line with one figure changed is not a repeat', lines: [title, p1, p1.replace('12 tuyến', '13 tuyến'), p2], duplicates: [] },
    // Over 2,000 units a line is compared as it is: folding it would cost more than it finds.
    { name: 'a paragraph over 2,000 units, repeated as it is', lines: [title, p1, long.trim(), p2, long.trim()], duplicates: [long.trim()] },
    { name: 'a paragraph over 2,000 units, repeated in capitals, is not a repeat', lines: [title, p1, long.trim(), p2, long.trim().toUpperCase()], duplicates: [] },
    { name: 'the lead without its outlet prefix', lines: [title, `(Dân trí) - ${p1}`, p2, p1], duplicates: [p1] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const text = row.lines.join('\n');
      const view = clean(text);
      const duplicates = view.result.removed.filter((r) => r.reason === 'duplicate').map((r) => text.slice(r.span.start, r.span.end));
      assert.deepEqual(duplicates, row.duplicates);
      assertPartition(text, view.result);
    });
  }
});

describe('findTeaserTail', () => {
  const title = 'Luxembourg cam kết viện trợ quân sự cho Ukraine';
  const body = [
    'Luxembourg và Ukraine ký thỏa thuận an ninh song phương tại Washington.',
    'Thỏa thuận an ninh cam kết viện trợ quân sự cho Ukraine trong 10 năm.',
    'Luxembourg sẽ huấn luyện quân đội Ukraine và hỗ trợ tình báo.',
    'Viện trợ quân sự của Luxembourg cho Ukraine đã vượt 250 triệu euro.',
  ];
  const teasers = ['Giá vàng miếng SJC hôm nay tăng mạnh.', 'Đội tuyển bóng đá nữ giành vé dự vòng chung kết.', 'Nghệ nhân làng gốm giới thiệu bình hoa mới.'];

  it('cuts a trailing run of unrelated snippets', () => {
    assert.equal(findTeaserTail(title, [...body, 'Ukraine cảm ơn Luxembourg về thỏa thuận an ninh.', ...teasers]), body.length + 1);
  });

  it('keeps everything when the article ends on topic again', () => {
    const paragraphs = [...body, ...teasers, 'Luxembourg cũng ủng hộ Ukraine gia nhập EU, theo thỏa thuận an ninh.'];
    assert.equal(findTeaserTail(title, paragraphs), -1);
  });

  it('does not cut a single off-topic closing paragraph', () => {
    assert.equal(findTeaserTail(title, [...body, 'Ukraine cảm ơn Luxembourg.', 'Thời tiết hôm đó rất đẹp.']), -1);
  });

  it('leaves short articles alone', () => {
    assert.equal(findTeaserTail(title, [body[0]!, ...teasers]), -1);
  });
});
