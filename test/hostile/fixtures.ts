/**
 * Hostile corpus files shared by the hostile and stress suites: each fact article carries one
 * figure a draft contradicts, stored in an awkward encoding or with awkward line endings, so a
 * test can check that the diagnostic's `relatedInformation` still lands on the source figure.
 * The other files are damaged on purpose (binary, invalid UTF-8, YAML bombs, duplicates…).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';

/** A source article with one figure, how it is stored, and the draft sentence that contradicts it. */
export interface Fact {
  file: string;
  /** The article as text (`\n` line breaks; `encode` turns them into the stored form). */
  text: string;
  /** The source figure as written: the related information must cover exactly this. */
  figure: string;
  /** A draft sentence that contradicts the figure. */
  draft: string;
  encoding: 'utf16le' | 'utf16be' | 'crlf' | 'cr' | 'invalid-utf8' | 'broken-yaml-crlf';
}

export const FACTS: readonly Fact[] = [
  {
    file: 'corpus/brazil.txt',
    text: 'Brazil xuất khẩu cà phê kỷ lục\nTheo Bộ Nông nghiệp Brazil, năm 2023 nước này xuất khẩu 3,2 triệu tấn cà phê sang châu Âu.\nCon số này tăng mạnh so với năm trước nhờ thời tiết thuận lợi.\n',
    figure: '3,2 triệu tấn',
    draft: 'Năm 2023, Brazil xuất khẩu 4,8 triệu tấn cà phê sang châu Âu.',
    encoding: 'utf16le',
  },
  {
    file: 'corpus/india.txt',
    text: 'Ấn Độ hạn chế xuất khẩu gạo\nBộ Thương mại Ấn Độ cho biết năm 2022 nước này xuất khẩu 22 triệu tấn gạo.\nNew Delhi đang cân nhắc các biện pháp hạn chế.\n',
    figure: '22 triệu tấn',
    draft: 'Năm 2022, Ấn Độ xuất khẩu 35 triệu tấn gạo.',
    encoding: 'utf16be',
  },
  {
    file: 'corpus/chile.txt',
    text: 'Sản lượng đồng của Chile\n\nTheo Cochilco, năm 2021 Chile khai thác 5,6 triệu tấn đồng, đứng đầu thế giới.\nGiá đồng tăng cao trong năm.\n',
    figure: '5,6 triệu tấn',
    draft: 'Năm 2021, Chile khai thác 7,9 triệu tấn đồng.',
    encoding: 'crlf',
  },
  {
    file: 'corpus/indonesia.txt',
    text: 'Dầu cọ Indonesia\n\n\nNăm 2020, Indonesia sản xuất 44 triệu tấn dầu cọ, theo hiệp hội GAPKI.\nXuất khẩu giảm vì dịch bệnh.\n',
    figure: '44 triệu tấn',
    draft: 'Năm 2020, Indonesia sản xuất 61 triệu tấn dầu cọ.',
    encoding: 'cr',
  },
  {
    file: 'corpus/australia.txt',
    text: 'Than đá Australia\nNăm 2019, Australia xuất khẩu 393 triệu tấn than đá, chủ yếu sang châu Á.\nNgành than sử dụng hàng chục nghìn lao động BAD.\n',
    figure: '393 triệu tấn',
    draft: 'Năm 2019, Australia xuất khẩu 520 triệu tấn than đá.',
    encoding: 'invalid-utf8',
  },
  {
    file: 'corpus/norway.md',
    text: '---\ntitle: "Cá hồi Na Uy\noutlet: [unclosed\n---\nCá hồi Na Uy\n\nNăm 2018, Na Uy xuất khẩu 1,1 triệu tấn cá hồi, theo Hội đồng Hải sản Na Uy.\n\nThị trường lớn nhất là Ba Lan.\n',
    figure: '1,1 triệu tấn',
    draft: 'Năm 2018, Na Uy xuất khẩu 2,7 triệu tấn cá hồi.',
    encoding: 'broken-yaml-crlf',
  },
];

/** Invalid UTF-8: a lone continuation byte, a truncated sequence and 0xFF. */
const INVALID_UTF8 = Buffer.from([0x80, 0xc3, 0x28, 0xff]);

function utf16(text: string, bigEndian: boolean): Buffer {
  const out = Buffer.alloc(2 + text.length * 2);
  out[0] = bigEndian ? 0xfe : 0xff;
  out[1] = bigEndian ? 0xff : 0xfe;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (bigEndian) out.writeUInt16BE(c, 2 + 2 * i);
    else out.writeUInt16LE(c, 2 + 2 * i);
  }
  return out;
}

/** The bytes of a fact file as stored. */
export function encodeFact(f: Fact): Buffer {
  switch (f.encoding) {
    case 'utf16le':
      return utf16(f.text, false);
    case 'utf16be':
      return utf16(f.text, true);
    case 'crlf':
    case 'broken-yaml-crlf':
      return Buffer.from(f.text.split('\n').join('\r\n'), 'utf8');
    case 'cr':
      return Buffer.from(f.text.split('\n').join('\r'), 'utf8');
    case 'invalid-utf8': {
      const [before, after] = f.text.split('BAD');
      return Buffer.concat([Buffer.from(before!, 'utf8'), INVALID_UTF8, Buffer.from(after!, 'utf8')]);
    }
  }
}

/** The text an editor shows for a fact file (decoded, line breaks as stored, U+FFFD for bad bytes). */
export function decodedFact(f: Fact): string {
  const bytes = encodeFact(f);
  if (f.encoding === 'utf16le') return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (f.encoding === 'utf16be') return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** The text of `range` in `text`, counting `\r\n`, `\n` and `\r` as line breaks (as LSP does). */
export function textAtRange(text: string, range: Range): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (range.start.line !== range.end.line) throw new Error(`multi-line range ${JSON.stringify(range)}`);
  return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
}

/** YAML front matter that expands to 9^12 nodes without alias limits. */
export function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) {
    const name = String.fromCharCode(97 + i);
    const prev = String.fromCharCode(96 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  lines.push('title: *l');
  return lines.join('\n');
}

export const DUPLICATE_ID = 'bai-trung-lap';

/** Damaged files and what the warning about each must say (a regex over "<file>: <message>"). */
export const DAMAGED: Record<string, { content: string | Buffer; warning: RegExp | undefined; article: boolean }> = {
  'corpus/binary.txt': { content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0xff, 0xfe, 0x00, 0x01]), warning: /corpus\/binary\.txt: binary file/, article: false },
  'corpus/empty.txt': { content: '', warning: /corpus\/empty\.txt: empty file/, article: false },
  'corpus/blank.md': { content: '  \r\n\t\r\n\r\n', warning: /corpus\/blank\.md: empty file/, article: false },
  'corpus/bomb.md': { content: `---\n${aliasBomb()}\n---\nBài thử nghiệm với phần đầu YAML độc hại.\n`, warning: /corpus\/bomb\.md: front matter: invalid YAML \(Excessive alias count/, article: true },
  'corpus/deep.md': { content: `---\ntitle: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n---\nBài thử nghiệm với YAML lồng sâu.\n`, warning: /corpus\/deep\.md: front matter: invalid YAML/, article: true },
  'corpus/huge-title.md': { content: `---\nid: tieu-de-dai\ntitle: "${'Tiêu đề rất dài '.repeat(50_000)}"\n---\nBài thử nghiệm với tiêu đề khổng lồ.\n`, warning: /corpus\/huge-title\.md: front matter: "title" longer than 500 characters: truncated/, article: true },
  'corpus/tags.md': { content: '---\ntitle: !!js/function "function () { process.exit(7) }"\nid: !!binary aGVsbG8=\n---\nBài thử nghiệm với thẻ YAML lạ.\n', warning: /corpus\/tags\.md: front matter: "id" is not a string/, article: true },
  'corpus/dup-a.md': { content: `---\nid: ${DUPLICATE_ID}\n---\nBản thứ nhất của bài trùng mã.\n`, warning: undefined, article: true },
  'corpus/dup-b.md': { content: `---\nid: ${DUPLICATE_ID}\n---\nBản thứ hai của bài trùng mã.\n`, warning: new RegExp(`corpus/dup-b\\.md: duplicate article id "${DUPLICATE_ID}" \\(already used by corpus/dup-a\\.md\\)`), article: false },
};

/** Every hostile file (facts and damaged), relative path → bytes. */
export function hostileFiles(): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const f of FACTS) out[f.file] = encodeFact(f);
  for (const [file, d] of Object.entries(DAMAGED)) out[file] = d.content;
  return out;
}

/** Articles the hostile files add to the seed corpus. */
export const HOSTILE_ARTICLES = FACTS.length + Object.values(DAMAGED).filter((d) => d.article).length;

/** Warnings every indexing of the hostile files must print (one per damaged file, plus invalid UTF-8 and broken YAML). */
export const EXPECTED_WARNINGS: RegExp[] = [
  ...Object.values(DAMAGED).flatMap((d) => (d.warning ? [d.warning] : [])),
  /corpus\/australia\.txt: invalid UTF-8: \d+ malformed byte sequence/,
  /corpus\/norway\.md: front matter: invalid YAML/,
];

/** Writes the hostile files, and a symlink loop `corpus/loop -> .`, into `root`. */
export function writeHostileFiles(root: string): void {
  for (const [rel, content] of Object.entries(hostileFiles())) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  fs.symlinkSync('.', path.join(root, 'corpus', 'loop'));
}

/** A draft holding every fact's contradicting sentence, one paragraph each. */
export function factsDraft(extra: string[] = []): string {
  return [...FACTS.map((f) => f.draft), ...extra].join('\n\n') + '\n';
}
