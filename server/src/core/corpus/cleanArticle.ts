/**
 * Separates article prose from the noise a scraper leaves around it.
 *
 * Works line by line (in scraped news every non-empty line is a paragraph) on a region of an
 * NFC text, and never copies text: every result is a span into the caller's string, so
 * positions found later map straight back to the file.
 *
 * The rules are patterns of Vietnamese/English news pages, not of any particular site:
 * - header: numbered/arrow breadcrumbs, the headline (title), a byline, a dateline, the sapo
 *   (lead), possibly introduced by an outlet prefix ("GDTĐ - ", "(Dân trí) - ");
 * - inside the body: photo captions, "Tin liên quan"/"Related" link blocks, share bars,
 *   repeated headlines;
 * - tail: a credit line ("Theo AFP", "Name/Báo X") ends the article — what follows is teaser
 *   or footer; otherwise a trailing run of paragraphs unrelated to the article's topic is
 *   teaser (see {@link findTeaserTail}).
 */

import type { Span } from '../types';
import { foldKey, tokenize } from '../text/normalize';

/** One removed piece of the input and why. */
export interface RemovedSpan {
  span: Span;
  /** 'breadcrumb' | 'related' | 'caption' | 'byline' | 'share' | 'footer' | 'teaser' | 'title' | 'outlet-prefix' | 'duplicate' */
  reason: string;
}

/** What {@link cleanArticle} found in a region. */
export interface CleanedArticle {
  title?: string;
  titleSpan?: Span;
  /** The first kept body paragraph (the sapo). */
  lead?: string;
  /** Publisher, from an outlet prefix or a credit line naming a publication. */
  outlet?: string;
  /** Wire or original source credited in the text ("Theo AFP" → "AFP"); not the publisher. */
  source?: string;
  /** Publication date (ISO yyyy-mm-dd) from a dateline; never an event date from the prose. */
  date?: string;
  /** Kept body paragraphs in order, trimmed spans into the text. */
  paragraphs: Span[];
  removed: RemovedSpan[];
}

/** Options for {@link cleanArticle}. */
export interface CleanOptions {
  /** The region is Markdown: strip `#` heading markers, treat image lines as captions. */
  markdown?: boolean;
  /**
   * The title is known from elsewhere (a JSONL record's `title`): a line is taken as the
   * headline only when it repeats it (or is a Markdown heading), so a short first paragraph
   * without a final period is not mistaken for a headline and dropped.
   */
  knownTitle?: string;
}

interface Line {
  /** Trimmed span of the whole line. */
  start: number;
  end: number;
  /** End of the line's content without a trailing navigation bar (" |"). */
  coreEnd: number;
  /** Start of the content after a Markdown heading marker, else `start`. */
  coreStart: number;
  /** The content `text.slice(coreStart, coreEnd)`. */
  core: string;
  /** The line ended with " |", a scraped navigation/link separator. */
  piped: boolean;
  /** `dupKey(core)`, made once per line (folding is most of the cleaner's time). */
  dup: string;
}

type Role =
  | { kind: 'removed'; reason: string }
  | { kind: 'title' }
  | { kind: 'paragraph'; start: number; prefixReason?: string };

/** Lines longer than this are never headlines, bylines, captions or menu items. */
const MAX_HEADLINE = 250;

/**
 * Cleans the article in `text[from, to)`: returns its title, lead, outlet, date, the kept
 * body paragraphs and every removed span with its reason. Pure and linear in the region size.
 */
export function cleanArticle(text: string, from: number, to: number, options: CleanOptions = {}): CleanedArticle {
  const lines = readLines(text, Math.max(0, from), Math.min(text.length, to), options.markdown === true);
  const state = new CleanState(text, lines, options.knownTitle === undefined ? undefined : foldKey(options.knownTitle.trim()));
  state.run();
  return state.result();
}

/** A line break (`\r\n` is one: see `readLines`); a native scan finds the next one, not a loop over every unit. */
const LINE_BREAK = /[\n\r]/g;

/** Splits the region into non-empty trimmed lines (\n, \r\n and lone \r all break lines). */
function readLines(text: string, from: number, to: number, markdown: boolean): Line[] {
  const lines: Line[] = [];
  let lineStart = from;
  for (;;) {
    LINE_BREAK.lastIndex = lineStart;
    const found = LINE_BREAK.exec(text);
    const i = found === null || found.index >= to ? to : found.index;
    const line = makeLine(text, lineStart, i, markdown);
    if (line) lines.push(line);
    if (i >= to) return lines;
    lineStart = text.charCodeAt(i) === 13 && i + 1 < to && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
}

function makeLine(text: string, from: number, to: number, markdown: boolean): Line | undefined {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (start >= end) return undefined;
  // "Headline text |" — scraped link lists and captions end with a bar; the bar is not content.
  let coreEnd = end;
  while (coreEnd > start && (text[coreEnd - 1] === '|' || text[coreEnd - 1] === ' ')) coreEnd--;
  let coreStart = start;
  if (markdown) {
    const heading = /^#{1,6}[ \t]+/.exec(text.slice(start, Math.min(end, start + 10)));
    if (heading) coreStart = start + heading[0].length;
    while (coreEnd > coreStart && (text[coreEnd - 1] === '#' || text[coreEnd - 1] === ' ')) coreEnd--;
  }
  const core = text.slice(coreStart, coreEnd);
  return { start, end, coreStart, coreEnd, core, piped: coreEnd < end && text[end - 1] === '|', dup: dupKey(core) };
}

/** The line-by-line classifier; one instance per call. */
class CleanState {
  private title?: string;
  private titleSpan?: Span;
  private outlet?: string;
  private source?: string;
  private date?: string;
  private readonly paragraphs: Span[] = [];
  private readonly removed: RemovedSpan[] = [];
  /** Index (into `lines`) of the line each kept paragraph came from. */
  private readonly paragraphLines: number[] = [];
  /** A credit line, share bar or footer closed the article: what follows is teaser or footer. */
  private ended = false;
  /** It was a credit line: the writer's own sign-off, so the prose before it is the body. */
  private endedByCredit = false;
  private inRelated = false;
  private captionNext = false;
  private sawBreadcrumb = false;
  private readonly seen = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
    /** Folded known title, when the caller has one. */
    private readonly knownTitle: string | undefined,
  ) {}

  run(): void {
    for (let k = 0; k < this.lines.length; k++) this.apply(k, this.classify(k));
    // Teasers can sit between the body and a share bar or footer, but not before a sign-off.
    if (!this.endedByCredit) this.dropTeaserTail();
  }

  result(): CleanedArticle {
    const out: CleanedArticle = { paragraphs: this.paragraphs, removed: this.removed.sort((a, b) => a.span.start - b.span.start) };
    if (this.title !== undefined) out.title = this.title;
    if (this.titleSpan) out.titleSpan = this.titleSpan;
    const lead = this.paragraphs[0];
    if (lead) out.lead = this.text.slice(lead.start, lead.end);
    if (this.outlet) out.outlet = this.outlet;
    if (this.source) out.source = this.source;
    if (this.date) out.date = this.date;
    return out;
  }

  private apply(k: number, role: Role): void {
    const line = this.lines[k]!;
    if (role.kind === 'removed') {
      this.removed.push({ span: { start: line.start, end: line.end }, reason: role.reason });
      return;
    }
    if (role.kind === 'title') {
      this.title = line.core;
      this.titleSpan = { start: line.coreStart, end: line.coreEnd };
      this.seen.add(line.dup);
      this.removed.push({ span: { start: line.start, end: line.end }, reason: 'title' });
      return;
    }
    if (role.prefixReason) this.removed.push({ span: { start: line.start, end: role.start }, reason: role.prefixReason });
    this.paragraphs.push({ start: role.start, end: line.coreEnd });
    this.paragraphLines.push(k);
    this.seen.add(role.start === line.coreStart ? line.dup : dupKey(this.text.slice(role.start, line.coreEnd)));
  }

  /** Decides what line `k` is. Order matters: the most specific patterns come first. */
  private classify(k: number): Role {
    const line = this.lines[k]!;
    const core = line.core;
    // Every pattern below that needs the folded key is bounded to short lines: folding a
    // 20 MB line would cost seconds and never match.
    const key = core.length <= 600 ? line.dup : '';
    const inHeader = this.paragraphs.length === 0;
    if (!/[\p{L}\p{N}]/u.test(core)) return removed('breadcrumb'); // "|", "***", "—"
    if (this.ended) return removed(tailReason(core, key));
    if (isShareBar(core, key)) return this.closeIf(!inHeader, 'share');
    if (isFooter(core, key)) return this.closeIf(!inHeader, 'footer');
    if (inHeader && this.title === undefined && this.isBreadcrumb(core)) return removed('breadcrumb');
    if (core.length <= 60 && isRelatedHeader(key)) {
      this.inRelated = true;
      return removed('related');
    }
    if (this.inRelated) {
      if (isHeadlineLike(core) || line.piped) return removed('related');
      this.inRelated = false;
    }
    const caption = this.captionRole(core, key);
    if (caption) return caption;
    if (this.title !== undefined && this.seen.has(line.dup)) return removed('duplicate');
    const dated = parseDateline(core);
    if (dated) {
      this.date ??= dated;
      return removed('byline');
    }
    const credit = this.creditRole(k, core, inHeader);
    if (credit) return credit;
    return this.contentRole(k, line, inHeader);
  }

  /** Share bars and footers after the body close the article; in the header they are just noise. */
  private closeIf(closes: boolean, reason: string): Role {
    if (closes) this.ended = true;
    return removed(reason);
  }

  /** Numbered menu lines ("1. Dòng sự kiện:", "  2. …") and arrow trails ("Trang chủ > Thế giới"). */
  private isBreadcrumb(core: string): boolean {
    if (core.length > 160) return false;
    const numbered = /^\d{1,2}[.)]\s+\S/.test(core);
    if (numbered && (this.sawBreadcrumb || /:\s*$/.test(core))) return (this.sawBreadcrumb = true);
    if (!/[.!?…]$/.test(core) && /\S\s*[>»›]\s*\S/.test(core) && core.split(/[>»›]/).every((part) => part.trim().length <= 40)) {
      return (this.sawBreadcrumb = true);
    }
    if (/:\s*$/.test(core) && core.length <= 40 && this.lines.length > 3 && !this.title) return (this.sawBreadcrumb = true);
    return false;
  }

  private captionRole(core: string, key: string): Role | undefined {
    if (this.captionNext) {
      this.captionNext = false;
      if (core.length <= 600) return removed('caption');
    }
    if (/^(?:chu thich anh|anh minh hoa|photo caption|caption)\s*:?$/.test(key)) {
      this.captionNext = true;
      return removed('caption');
    }
    if (isCaption(core, key)) return removed('caption');
    // "Headline - 1": the scraped alt text of the article's first photo.
    if (this.title !== undefined) {
      const numbered = /^(.*\S)\s+-\s+\d{1,2}$/.exec(key);
      if (numbered && numbered[1] === foldKey(this.title)) return removed('caption');
    }
    return undefined;
  }

  /** Bylines and credit lines; a credit after the body closes the article. */
  private creditRole(k: number, core: string, inHeader: boolean): Role | undefined {
    const credit = parseCredit(core);
    if (credit) {
      if (credit.outlet) this.outlet ??= credit.outlet;
      if (credit.source) this.source ??= credit.source;
      if (!inHeader) this.ended = this.endedByCredit = true;
      return removed('byline');
    }
    // A bare name ("Thành Đạt", "Jane Smith") — only once there is a title, else it may be one.
    if (this.title !== undefined && isNameLine(core)) {
      // In the body a bare name ends the article only in its second half: a Title-Case
      // subheading early on must not swallow the rest.
      if (!inHeader && this.paragraphs.length >= this.lines.length - k - 1) this.ended = this.endedByCredit = true;
      return removed('byline');
    }
    return undefined;
  }

  private contentRole(k: number, line: Line, inHeader: boolean): Role {
    const core = line.core;
    if (this.title === undefined && inHeader && this.mayBeTitle(line)) return { kind: 'title' };
    // Sapo-first pages: "lead.\nHeadline |" — the headline follows the sapo and repeats its words.
    if (this.title === undefined && this.paragraphs.length === 1 && this.paragraphLines[0] === k - 1 && k - 1 === this.firstContentLine()) {
      const lead = this.paragraphs[0]!;
      if (this.mayBeTitle(line) && sharedTerms(core, this.text.slice(lead.start, lead.end)) >= 2) return { kind: 'title' };
    }
    if (line.piped && isHeadlineLike(core)) return removed('related');
    if (this.paragraphs.length < 2) {
      const prefix = outletPrefix(core);
      if (prefix) {
        this.outlet ??= prefix.outlet;
        return { kind: 'paragraph', start: line.coreStart + prefix.length, prefixReason: 'outlet-prefix' };
      }
    }
    if (!inHeader && this.seen.has(line.dup)) return removed('duplicate');
    return { kind: 'paragraph', start: line.coreStart };
  }

  /** A headline-like line (or a Markdown heading) that agrees with the known title, if any. */
  private mayBeTitle(line: Line): boolean {
    const heading = line.coreStart > line.start;
    if (this.knownTitle !== undefined && !heading) return line.core.length <= MAX_HEADLINE * 2 && foldKey(line.core) === this.knownTitle;
    return (heading || isHeadlineLike(line.core)) && !outletPrefix(line.core);
  }

  /** Index of the first line that was not removed as breadcrumb/menu noise. */
  private firstContentLine(): number {
    let first = 0;
    for (const r of this.removed) {
      if (r.reason !== 'breadcrumb') break;
      first++;
    }
    return first;
  }

  /** Removes a trailing run of off-topic paragraphs (scraped teasers for other stories). */
  private dropTeaserTail(): void {
    const texts = this.paragraphs.map((p) => this.text.slice(p.start, p.end));
    const from = findTeaserTail(this.title ?? '', texts);
    if (from < 0) return;
    for (const span of this.paragraphs.splice(from)) this.removed.push({ span, reason: 'teaser' });
    this.paragraphLines.splice(from);
  }
}

/** Key for spotting repeated lines: case- and diacritic-insensitive, exact for huge lines. */
function dupKey(core: string): string {
  return core.length <= 2000 ? foldKey(core) : core;
}

function removed(reason: string): Role {
  return { kind: 'removed', reason };
}

/** Why a line after the end of the article is removed. */
function tailReason(core: string, key: string): string {
  if (isShareBar(core, key)) return 'share';
  if (isFooter(core, key)) return 'footer';
  return 'teaser';
}

// ---------------------------------------------------------------------------------------
// Line patterns. All regexes are anchored or bounded; none can backtrack catastrophically.

/** Ends like a sentence: terminal punctuation, possibly followed by closing quotes/brackets. */
function endsLikeSentence(core: string): boolean {
  return /[.!?…;:,]["'”’»)\]]*$/.test(core);
}

/**
 * A headline: short, several words, starts like a sentence and does not end like one.
 * (Headlines ending in "?" or "!" are accepted when short.)
 */
export function isHeadlineLike(core: string): boolean {
  if (core.length < 8 || core.length > MAX_HEADLINE) return false;
  if (!/^["'“‘«(\[]?[\p{Lu}\p{N}]/u.test(core)) return false;
  if (core.split(/\s+/).length < 2) return false;
  if (/[?!]["'”’»)]*$/.test(core)) return core.length <= 150;
  return !endsLikeSentence(core);
}

function isShareBar(core: string, key: string): boolean {
  if (core.length > 80) return false;
  if (/^(?:chia se|share)(?:\s+(?:bai viet|this|this article|this story|on))?\s*:?/.test(key) && core.length <= 40) return true;
  const words = key.replace(/[^a-z0-9 ]+/g, ' ').trim().split(/\s+/);
  return words.length > 0 && words.every((w) => SHARE_WORDS.has(w));
}

const SHARE_WORDS = new Set(['facebook', 'twitter', 'x', 'zalo', 'email', 'e', 'mail', 'linkedin', 'messenger', 'whatsapp', 'telegram', 'tweet', 'print', 'in', 'copy', 'link', 'sao', 'chep', 'share', 'chia', 'se', 'bai', 'reddit', 'pinterest']);

/** Site furniture: footers, copyright, ad and subscription lines. Short lines only. */
function isFooter(core: string, key: string): boolean {
  if (core.length > 200 || (endsLikeSentence(core) && core.length > 80)) return false;
  if (core.includes('©')) return true;
  return FOOTER.test(key);
}

const FOOTER =
  /^(?:cac don vi thong tin cua|ban quyen|copyright|all rights reserved|giay phep|tong bien tap|toa soan|lien he quang cao|quang cao|advertisement|subscribe|dang ky nhan|tags?\s*:|tu khoa\s*:|keywords?\s*:)|thong cao bao chi|rao vat|all rights reserved|ghi ro nguon/;

function isRelatedHeader(key: string): boolean {
  return /^(?:tin lien quan|bai lien quan|tin cung chuyen muc|xem them|doc them|related(?: articles| stories| news| coverage)?|read more|see also|more on this(?: story)?|recommended)\s*[:|]*$/.test(
    key,
  );
}

/**
 * Photo captions: "(Ảnh: Reuters)", "… Ảnh: AP", "(Nguồn: AP)", "(Photo: …)", Markdown images.
 * "Ảnh" (photo) is matched with its diacritics: folded, it would also match "Anh" (Britain).
 */
function isCaption(core: string, key: string): boolean {
  if (core.length > 600) return false;
  if (/^!\[[^\]]{0,300}\]\([^)]{0,500}\)$/.test(core)) return true;
  const lower = core.toLowerCase();
  if (/\((?:ảnh|ảnh minh h(?:ọa|oạ)[^):]{0,40}|photo|photograph|image|video|đồ họa|infographic)\s*:/.test(lower)) return true;
  if (/\((?:ảnh minh h(?:ọa|oạ)|illustrative (?:photo|image)|file photo)\)/.test(lower)) return true;
  // A trailing credit after the caption sentence: "… tháng 12/2022. Ảnh: AP".
  if (/(?:^|[.)]\s+)(?:ảnh|photo|photograph|image|credit)\s*:\s*[^:.!?]{1,60}$/.test(lower)) return true;
  if (/\((?:nguon|source)\s*:[^)]{1,80}\)\s*\.?$/.test(key)) return true;
  return /\((?:ap|afp|reuters|getty images|epa|xinhua|ttxvn)(?: photo)?(?:\/[^)]{0,60})?\)\s*\.?$/.test(key);
}

/** A bare name byline: 1–4 capitalised words, optionally "(tổng hợp)"-style suffix. */
function isNameLine(core: string): boolean {
  if (core.length > 50) return false;
  const m = /^([\p{Lu}][\p{L}'’.-]*(?:\s+[\p{Lu}][\p{L}'’.-]*){0,3})(?:\s*[-,–]\s*[\p{L} ]{2,20}|\s*\((?:t\/h|th|tổng hợp|theo [^)]{1,30})\))?$/u.exec(core);
  return m !== null && !/[.]$/.test(m[1]!);
}

interface Credit {
  outlet?: string;
  source?: string;
}

/**
 * Credit lines: "Theo AFP", "Nguồn: Reuters", "Công Thuận/Báo Tin tức", "By Jane Smith",
 * "Reporting by … ; Editing by …". Returns what the credit names, or undefined.
 */
function parseCredit(core: string): Credit | undefined {
  if (core.length > 90) return undefined;
  const body = core.replace(/[.。]$/, '');
  const theo = /^(?:Theo|According to|Via|Source|Nguồn|Nguồn tin)\s*:?\s+(.+)$/iu.exec(body);
  if (theo) {
    const named = theo[1]!.trim();
    if (named.split(/\s+/).length > 6 || /[,;]\s*\p{Ll}/u.test(named) || !/^[\p{Lu}\p{N}]|^(?:hãng|tờ|báo|đài|kênh)\s/u.test(named)) return undefined;
    const cleanName = named.replace(/^(?:hãng tin|hãng thông tấn|hãng|tờ|kênh|đài)\s+/iu, '');
    return /^nguồn/iu.test(body) && /^(?:báo|tạp chí|đài)\s/iu.test(cleanName) ? { outlet: cleanName } : { source: cleanName };
  }
  if (/^(?:By|Reporting by|Reported by|Written by|Bài và ảnh|Bài:|Nhóm phóng viên|Phóng viên)\s/u.test(body) && body.split(/\s+/).length <= 12) {
    const agency = /\b(Reuters|AP|AFP|Bloomberg|Associated Press)\b/.exec(body);
    return agency ? { source: agency[1]! } : {};
  }
  // "Name/Outlet": a reporter and their publication.
  const slash = /^([\p{Lu}][\p{L}'’. -]{1,40})\/\s*([\p{Lu}\p{N}][\p{L}\p{N}'’. -]{1,50})$/u.exec(body);
  if (slash && slash[1]!.trim().split(/\s+/).length <= 4 && slash[2]!.trim().split(/\s+/).length <= 5) {
    return { outlet: slash[2]!.trim() };
  }
  return undefined;
}

interface OutletPrefix {
  outlet: string;
  /** Length of the prefix including the dash and the space after it. */
  length: number;
}

/** "GDTĐ - …", "(Dân trí) - …", "KYIV (Reuters) - …" at the start of the lead. */
export function outletPrefix(core: string): OutletPrefix | undefined {
  const caps = /^([\p{Lu}][\p{Lu}\p{N}&.]{1,11})\s+[-–—]\s+(?=\S)/u.exec(core);
  if (caps && !/\p{Ll}/u.test(caps[1]!)) return { outlet: caps[1]!.replace(/\.$/, ''), length: caps[0].length };
  const paren = /^(?:[\p{Lu}][\p{Lu} .'’-]{1,30}(?:,[^()\n]{1,25})?\s)?\(([\p{Lu}][^()\n]{1,30})\)\s*[-–—]\s+(?=\S)/u.exec(core);
  if (paren) return { outlet: paren[1]!.trim(), length: paren[0].length };
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Datelines

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

/**
 * The publication date of a dateline — a short line that is mostly a date: "Thứ năm,
 * 11/7/2024 14:30 (GMT+7)", "11/07/2024 - 09:15", "2024-07-11", "July 11, 2024",
 * "Cập nhật: 11/07/2024". Prose that merely contains a date returns undefined.
 */
export function parseDateline(core: string): string | undefined {
  if (core.length > 90) return undefined;
  const date = parseDateText(core);
  if (!date) return undefined;
  // What is left once date, time, weekday and dateline words are gone must be tiny.
  const rest = foldKey(core)
    .replace(/\d{4}-\d{1,2}-\d{1,2}(?:t[\d:.]+z?)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?|\b\d{1,2}\b|\b\d{4}\b/g, ' ')
    .replace(/\b(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat|cap nhat|dang|dang luc|ngay|thang|nam|luc|gmt|utc|ict|am|pm|published|updated|posted|on|at|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b/g, ' ')
    .replace(new RegExp(`\\b(?:${Object.keys(MONTHS).join('|')})\\b`, 'g'), ' ')
    .replace(/[^a-z]+/g, ' ')
    .trim();
  return rest.split(/\s+/).filter(Boolean).length <= 3 ? date : undefined;
}

/**
 * Parses the first full date (day, month and year) in a string to ISO yyyy-mm-dd: d/m/yyyy
 * (Vietnamese order), ISO, "ngày 11 tháng 7 năm 2024", "July 11, 2024", "11 July 2024".
 */
export function parseDateText(value: string): string | undefined {
  const iso = /\b(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/.exec(value);
  if (iso) return isoDate(+iso[1]!, +iso[2]!, +iso[3]!);
  const dmy = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/.exec(value);
  if (dmy) return isoDate(+dmy[3]!, +dmy[2]!, +dmy[1]!);
  const key = foldKey(value);
  const vi = /\bngay (\d{1,2}) thang (\d{1,2}),? nam (\d{4})\b/.exec(key);
  if (vi) return isoDate(+vi[3]!, +vi[2]!, +vi[1]!);
  const mdy = /\b([a-z]{3,9})\.? (\d{1,2}),? (\d{4})\b/.exec(key);
  if (mdy && MONTHS[mdy[1]!]) return isoDate(+mdy[3]!, MONTHS[mdy[1]!]!, +mdy[2]!);
  const dmyName = /\b(\d{1,2}) ([a-z]{3,9})\.?,? (\d{4})\b/.exec(key);
  if (dmyName && MONTHS[dmyName[2]!]) return isoDate(+dmyName[3]!, MONTHS[dmyName[2]!]!, +dmyName[1]!);
  return undefined;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return undefined; // 31/2
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------
// Topic overlap and teaser detection

/**
 * Function words (diacritic-folded) that carry no topic: Vietnamese syllables and English
 * words. "an" is deliberately absent: Vietnamese "an ninh" (security) is topical.
 */
const STOP = new Set(
  `va cua cac nhung mot la co duoc da se dang cho voi trong tren duoi nay do khi thi ma de tu tai ve theo nhu cung khong rat nhieu vao ra lai neu bi hon ong ba biet noi rang hom ngay nam thang tuan sau truoc gan day bang qua hay hoac nen vi moi ca chi van con den len o ay nao gi ai nguoi nuoc viec su cuoc nhat tiep hien the dau khac tuy nhien toi chung ho minh cung dieu phai can
  the a of to in on for and or but is are was were be been has have had it its this that these those with by as at from said says say will would can could not no he she they we you his her their our who which what when where than then also after before about over into more most new one two
  mr mrs ms`.split(/\s+/),
);

/**
 * Multi-syllable words so common in any news story that sharing them says nothing about
 * sharing a topic ("tổng thống", "thế giới", "cho biết").
 */
const GENERIC = new Set([
  'tong thong', 'thu tuong', 'bo truong', 'chinh phu', 'quoc gia', 'the gioi', 'phat trien', 'cho biet', 'thong bao', 'tuyen bo',
  'cong bo', 'hien nay', 'hien tai', 'tiep tuc', 'bat dau', 'quan chuc', 'phat bieu', 'nhan manh', 'cuoc hop', 'dong thoi',
  'theo do', 'ngoai ra', 'gan day', 'truoc do', 'sau do', 'khu vuc', 'van de', 'nguoi dan', 'thong tin', 'bao chi', 'phong vien',
  'trong khi', 'tuy nhien', 'dac biet', 'lien quan', 'quan trong', 'cho rang', 'keo dai', 'nhieu nuoc', 'cac nuoc',
]);

/**
 * Topic terms of a text: compounds of two adjacent content syllables (Vietnamese words are
 * mostly two syllables; single syllables match by accident), names, and long ASCII words
 * (English content words, where one word is already specific).
 *
 * A capitalised syllable counts as a name only when it does not open a sentence and is not
 * the head of a title-cased common noun ("Tổng thống", "Hội nghị": a capitalised Vietnamese
 * syllable, then a lower-case syllable of the same word; a Latin-script name followed by a
 * verb, "Frieden viết", stays a name). Compounds never straddle a name and a common word
 * ("Mỹ phát" is not a word), except at a sentence start ("Thỏa thuận …").
 */
export function topicTerms(value: string): Set<string> {
  const tokens = tokenize(value);
  const terms = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isContent(t.key)) continue;
    const raw = value.slice(t.start, t.end);
    const next = tokens[i + 1];
    const joined = next !== undefined && isContent(next.key) && /^[\s-]{1,2}$/.test(value.slice(t.end, next.start));
    const capital = /^\p{Lu}/u.test(raw);
    const initial = capital && isSentenceInitial(value, t.start);
    const nextCapital = joined && /^\p{Lu}/u.test(value.slice(next.start, next.end));
    if (isAcronym(raw)) terms.add(t.key);
    else if (capital && !initial && !TITLE_HEADS.has(t.key) && (nextCapital || !joined || /^[A-Za-z]+$/.test(raw))) terms.add(t.key);
    else if (!capital && /^[a-z]{5,}$/.test(raw)) terms.add(t.key);
    if (joined && (capital === nextCapital || initial)) {
      const compound = `${t.key} ${next.key}`;
      if (!GENERIC.has(compound)) terms.add(compound);
    }
  }
  return terms;
}

/** Capitalised heads of Vietnamese titles and institutions ("Bộ Ngoại giao", "Phó Thủ tướng"): not names. */
const TITLE_HEADS = new Set(['bo', 'tong', 'hoi', 'ngoai', 'thu', 'pho', 'dai', 'chu', 'vien', 'so', 'cuc', 'uy', 'truong', 'nha', 'toa', 'quoc', 'hang']);

/** "NATO", "WSJ", "G7": names even at a sentence start. */
function isAcronym(raw: string): boolean {
  return raw.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(raw) && /\p{Lu}/u.test(raw);
}

function isContent(key: string): boolean {
  return key.length > 1 && !STOP.has(key) && !/^\d+$/.test(key);
}

/** Capitalised because it opens a sentence (so not evidence of a name). */
function isSentenceInitial(value: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /[\s"'“‘«(\[]/.test(value[i]!)) i--;
  return i < 0 || /[.!?…:]/.test(value[i]!);
}

/** Number of topic terms two texts share. */
export function sharedTerms(a: string, b: string): number {
  const tb = topicTerms(b);
  let n = 0;
  for (const t of topicTerms(a)) if (tb.has(t)) n++;
  return n;
}

/** Paragraphs (after the lead) that define the topic together with the title and the lead. */
const REFERENCE_PARAGRAPHS = 3;
/** Score below which a paragraph counts as off-topic. */
const OFF_TOPIC = 0.4;

/**
 * Finds where a trailing run of teasers starts among `paragraphs` (lead first), or -1.
 *
 * Each paragraph after the reference block (title, lead and the next
 * {@link REFERENCE_PARAGRAPHS} paragraphs) gets a topic score in [0, 1]: half a point per topic
 * term shared with the reference — a quarter when the term occurs only once in the reference
 * paragraphs and not in the title or lead — plus a quarter for a paragraph of several sentences
 * (teasers are one-sentence snippets). The tail is the suffix maximising Σ(OFF_TOPIC − score):
 * a clearly on-topic paragraph stops the run — the paragraphs before it are kept — while a
 * teaser that happens to name one of the article's entities cannot, on its own, save the
 * unrelated snippets around it. The run must end the article, start and end with an
 * off-topic paragraph and hold at least two paragraphs that share nothing with the topic.
 */
export function findTeaserTail(title: string, paragraphs: string[]): number {
  const first = 1 + REFERENCE_PARAGRAPHS;
  if (paragraphs.length < first + 2) return -1;
  const reference = referenceWeights(title, paragraphs.slice(0, first));
  const weights = paragraphs.map((p, i) => (i < first ? 0 : OFF_TOPIC - topicScore(p, reference)));
  let best = 0;
  let bestStart = -1;
  let sum = 0;
  for (let i = paragraphs.length - 1; i >= first; i--) {
    sum += weights[i]!;
    if (sum > best) {
      best = sum;
      bestStart = i;
    }
  }
  if (bestStart < 0 || weights[paragraphs.length - 1]! <= 0) return -1;
  // Evidence must be strong: at least two snippets sharing nothing at all with the topic.
  const unrelated = weights.slice(bestStart).filter((w) => w >= OFF_TOPIC).length;
  return unrelated >= 2 ? bestStart : -1;
}

/**
 * How strongly each reference term marks the topic: 1 for terms of the title or the lead or
 * repeated in the reference paragraphs, 0.5 for a term the reference mentions only once.
 */
function referenceWeights(title: string, head: string[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const paragraph of head.slice(1)) {
    for (const t of topicTerms(paragraph)) weights.set(t, weights.has(t) ? 1 : 0.5);
  }
  for (const t of topicTerms(`${title}\n${head[0] ?? ''}`)) weights.set(t, 1);
  return weights;
}

function topicScore(paragraph: string, reference: Map<string, number>): number {
  let shared = 0;
  for (const t of topicTerms(paragraph)) shared += reference.get(t) ?? 0;
  const sentences = (paragraph.match(/[.!?…]["'”’)]*\s+[\p{Lu}\p{N}"“]/gu) ?? []).length + 1;
  return Math.min(1, shared * 0.5 + (sentences >= 2 ? 0.25 : 0));
}
