import assert from 'node:assert/strict';
import { parseArticleFile, sanitizeId, type ParsedArticle } from '../../server/src/core/corpus/parseArticle';

const BODY = [
  '# Hà Nội mở thêm 12 tuyến buýt điện',
  '',
  'Từ tháng 9, Hà Nội mở thêm 12 tuyến buýt điện nối trung tâm với các huyện ngoại thành.',
  '',
  'Sở Giao thông vận tải cho biết 12 tuyến mới dùng 200 xe, tần suất 15 phút một chuyến.',
  '',
].join('\n');

function paragraphs(a: ParsedArticle): string[] {
  return a.paragraphs.map((s) => a.text.slice(s.start, s.end));
}

function only(result: ReturnType<typeof parseArticleFile>): ParsedArticle {
  assert.equal(result.articles.length, 1, JSON.stringify(result.problems));
  return result.articles[0]!;
}

describe('parseArticleFile', () => {
  describe('Markdown', () => {
    it('reads front matter fields and keeps the body spans in the whole file text', () => {
      const content = `---\nid: buyt-dien-2024\ntitle: "Buýt điện Hà Nội"\noutlet: Báo Thủ Đô\ndate: 2024-08-30\nurl: https://example.org/buyt\n---\n${BODY}`;
      const result = parseArticleFile('vn/buyt.md', content);
      assert.deepEqual(result.problems, []);
      const a = only(result);
      assert.deepEqual(a.meta, {
        id: 'buyt-dien-2024',
        title: 'Buýt điện Hà Nội',
        outlet: 'Báo Thủ Đô',
        date: '2024-08-30',
        url: 'https://example.org/buyt',
        lead: 'Từ tháng 9, Hà Nội mở thêm 12 tuyến buýt điện nối trung tâm với các huyện ngoại thành.',
      });
      assert.equal(a.text, content);
      assert.equal(a.lineOffset, 0);
      assert.equal(a.toOriginal, undefined);
      assert.equal(paragraphs(a).length, 2);
      const fm = a.removed.find((r) => r.reason === 'front-matter')!;
      assert.equal(fm.span.start, 0);
      assert.ok(content.slice(fm.span.start, fm.span.end).endsWith('---\n'));
      assert.equal(a.removed.find((r) => r.reason === 'title') !== undefined, true);
    });

    it('takes the title from the first heading without its # markers', () => {
      const a = only(parseArticleFile('a.md', BODY));
      assert.equal(a.meta.title, 'Hà Nội mở thêm 12 tuyến buýt điện');
      assert.equal(a.meta.id, 'a');
    });

    it('reports broken YAML front matter and keeps the body', () => {
      const result = parseArticleFile('broken.md', `---\ntitle: [unclosed\noutlet: X\n---\n${BODY}`);
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0]!.file, 'broken.md');
      assert.equal(result.problems[0]!.severity, 'warning');
      assert.match(result.problems[0]!.message, /front matter: invalid YAML/);
      const a = only(result);
      assert.equal(a.meta.title, 'Hà Nội mở thêm 12 tuyến buýt điện');
      assert.equal(paragraphs(a).length, 2);
    });

    it('stops a YAML alias bomb with a problem instead of hanging', function () {
      this.timeout(5000);
      const lines = ['---', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
      const names = 'abcdefghi';
      for (let i = 1; i < names.length; i++) {
        const prev = `*${names[i - 1]}`;
        lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(prev).join(',')}]`);
      }
      lines.push('title: bomb', '---', BODY);
      const started = Date.now();
      const result = parseArticleFile('bomb.md', lines.join('\n'));
      assert.ok(Date.now() - started < 2000, 'alias expansion must be bounded');
      assert.equal(result.problems.length, 1);
      assert.match(result.problems[0]!.message, /alias/i);
      assert.equal(paragraphs(only(result)).length, 2);
    });

    it('coerces non-string values, ignores structures and truncates huge values', () => {
      const huge = 'T'.repeat(2000);
      const result = parseArticleFile('c.md', `---\nid: 2024\ntitle: ${huge}\noutlet: [a, b]\ndate: 11/07/2024\n---\n${BODY}`);
      const a = only(result);
      assert.equal(a.meta.id, '2024');
      assert.equal(a.meta.title!.length, 500);
      assert.equal(a.meta.outlet, undefined);
      assert.equal(a.meta.date, '2024-07-11');
      assert.ok(result.problems.some((p) => /"outlet" is not a string/.test(p.message)));
      assert.ok(result.problems.some((p) => /"title" longer than 500/.test(p.message)));
    });

    it('warns about unterminated front matter and reads everything as body', () => {
      const result = parseArticleFile('u.md', `---\ntitle: x\n${BODY}`);
      assert.ok(result.problems.some((p) => /no closing/.test(p.message)));
      assert.ok(result.articles.length === 1);
    });
  });

  describe('JSONL', () => {
    it('parses each line as a record, reports bad lines and keeps the others', () => {
      const content = [
        JSON.stringify({ id: 'r1', title: 'Một', outlet: 'VOV', date: '2024-06-13', body: 'Mỹ và Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine.' }),
        '{not json',
        '',
        JSON.stringify({ title: 'Không có body' }),
        JSON.stringify(['an', 'array']),
        JSON.stringify({ body: 'Tokyo cấp cho Kiev 4,5 tỷ USD trong năm 2024.' }),
      ].join('\n');
      const result = parseArticleFile('data/feed.jsonl', content);
      assert.equal(result.articles.length, 2);
      const [first, second] = result.articles as [ParsedArticle, ParsedArticle];
      assert.equal(first.meta.id, 'r1');
      assert.equal(first.meta.outlet, 'VOV');
      assert.equal(first.lineOffset, 0);
      assert.equal(first.text, 'Mỹ và Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine.');
      assert.equal(second.meta.id, 'feed#6');
      assert.equal(second.lineOffset, 5);
      const messages = result.problems.map((p) => p.message);
      assert.equal(result.problems.length, 3);
      assert.ok(messages.some((m) => m.startsWith('line 2: invalid JSON')));
      assert.ok(messages.some((m) => m.startsWith('line 4: missing or empty "body"')));
      assert.ok(messages.some((m) => m.startsWith('line 5: not a JSON object')));
      assert.ok(result.problems.every((p) => p.file === 'data/feed.jsonl'));
    });
  });

  describe('JSONL titles', () => {
    it('does not take a short first body line for the headline when the record names its title', () => {
      const record = { title: 'Nhật Bản hỗ trợ Ukraine', body: 'Tokyo cấp cho Kiev 4,5 tỷ USD trong năm 2024\nKhoản tiền dành cho tái thiết.' };
      const a = only(parseArticleFile('t.jsonl', JSON.stringify(record)));
      assert.equal(a.meta.title, 'Nhật Bản hỗ trợ Ukraine');
      assert.deepEqual(paragraphs(a), ['Tokyo cấp cho Kiev 4,5 tỷ USD trong năm 2024', 'Khoản tiền dành cho tái thiết.']);
      const repeated = only(parseArticleFile('t.jsonl', JSON.stringify({ ...record, body: `Nhật Bản hỗ trợ Ukraine\n${record.body}` })));
      assert.equal(repeated.removed[0]!.reason, 'title');
      assert.equal(paragraphs(repeated).length, 2);
    });
  });

  describe('normalisation and robustness', () => {
    it('composes NFD input to NFC and maps offsets back to the original', () => {
      const original = 'Thoả thuận an ninh được ký hôm 10/7.\nLuxembourg cung cấp 80 triệu euro cho Ukraine.\n';
      const nfd = original.normalize('NFD');
      assert.notEqual(nfd.length, original.length);
      const a = only(parseArticleFile('nfd.txt', nfd));
      assert.equal(a.text, original);
      assert.ok(a.toOriginal, 'toOriginal set when the length changed');
      const at = a.text.indexOf('Luxembourg');
      assert.equal(nfd.slice(a.toOriginal!(at), a.toOriginal!(at) + 10), 'Luxembourg');
      const body = paragraphs(a);
      assert.ok(body.some((p) => p.includes('80 triệu euro')));
    });

    it('reports an empty or whitespace-only file', () => {
      for (const content of ['', '  \n\t\n']) {
        const result = parseArticleFile('empty.txt', content);
        assert.deepEqual(result.articles, []);
        assert.equal(result.problems.length, 1);
        assert.match(result.problems[0]!.message, /empty file/);
      }
    });

    it('refuses binary content', () => {
      for (const content of ['PK\u0003\u0004\u0000\u0000abc', '\u0001\u0002\u0003\u0004\u0005\u0006abc']) {
        const result = parseArticleFile('blob.txt', content);
        assert.deepEqual(result.articles, []);
        assert.match(result.problems[0]!.message, /binary file/);
      }
    });

    it('counts control and replacement characters against a text, each kind (more than 10 % is binary)', () => {
      const counted = (u: number): boolean => (u < 32 && ![9, 10, 12, 13].includes(u)) || u === 0x7f || u === 0xfffd;
      for (const u of [...Array.from({ length: 0x80 }, (_, i) => i), 0xa0, 0x2028, 0xfeff, 0xfffd]) {
        const ch = String.fromCharCode(u);
        // 2 of 18 units (11 %): binary when the unit counts; 1 of 19 (5 %): never.
        const over = parseArticleFile('x.txt', `${ch}${ch}Ukraine ký kết ${u}`.padEnd(18, 'x').slice(0, 18));
        const under = parseArticleFile('x.txt', `${ch}Ukraine ký kết ${u}`.padEnd(19, 'x').slice(0, 19));
        const binary = (r: ReturnType<typeof parseArticleFile>): boolean => r.problems.some((p) => /binary file/.test(p.message));
        assert.equal(binary(over), counted(u), `U+${u.toString(16)} twice`);
        assert.equal(binary(under), u === 0, `U+${u.toString(16)} once`);
      }
    });

    it('lets the file win over the sidecar and the sidecar over guesses', () => {
      const sidecar = { id: 'side-id', title: 'Sidecar title', outlet: 'Sidecar Outlet', date: '2024-07', url: 'https://example.org/s' };
      const fromSidecar = only(parseArticleFile('x.txt', 'GDTĐ - Một câu dẫn đủ dài về thỏa thuận an ninh.\nThân bài.\n', sidecar));
      assert.deepEqual(
        { id: fromSidecar.meta.id, title: fromSidecar.meta.title, outlet: fromSidecar.meta.outlet, date: fromSidecar.meta.date },
        { id: 'side-id', title: 'Sidecar title', outlet: 'Sidecar Outlet', date: '2024-07' },
      );
      const own = only(parseArticleFile('y.md', `---\nid: own-id\noutlet: Own Outlet\n---\n${BODY}`, sidecar));
      assert.equal(own.meta.id, 'own-id');
      assert.equal(own.meta.outlet, 'Own Outlet');
      assert.equal(own.meta.title, 'Sidecar title', 'sidecar beats the heading guess');
      assert.equal(own.meta.url, 'https://example.org/s');
      const guessed = only(parseArticleFile('z.txt', 'GDTĐ - Một câu dẫn đủ dài về thỏa thuận an ninh.\nThân bài.\n'));
      assert.equal(guessed.meta.outlet, 'GDTĐ');
      assert.equal(guessed.meta.id, 'z');
    });

    it('sanitises ids to the Pandoc citation-key alphabet', () => {
      assert.equal(sanitizeId('bài báo số 1'), 'bài_báo_số_1');
      assert.equal(sanitizeId('  --weird id!!  '), 'weird_id');
      assert.equal(sanitizeId('vnx:2024/07#3'), 'vnx:2024/07#3');
      assert.equal(sanitizeId('_private'), '_private');
      assert.equal(sanitizeId('"quoted" [x]'), 'quoted_x');
      assert.equal(sanitizeId('!!!'), '');
      assert.equal(only(parseArticleFile('dir/Bản tin (1).txt', 'Một câu.\n')).meta.id, 'Bản_tin_1');
      assert.equal(only(parseArticleFile('a.md', `---\nid: "!!!"\n---\n${BODY}`)).meta.id, 'a');
    });

    it('rejects unsupported extensions with a problem', () => {
      const result = parseArticleFile('x.pdf', 'whatever');
      assert.deepEqual(result.articles, []);
      assert.match(result.problems[0]!.message, /unsupported file type/);
    });
  });
});
