/**
 * The data model of the analysis core. Plain, serialisable objects only: no classes,
 * no LSP or Node types. Offsets are UTF-16 code-unit offsets (JavaScript string indices),
 * positions are zero-based (line, character) as in LSP.
 */

/** A half-open span `[start, end)` of UTF-16 offsets into some text. */
export interface Span {
  start: number;
  end: number;
}

/** Zero-based position, `character` in UTF-16 code units (LSP's default encoding). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** What a figure measures. */
export type Dimension =
  | 'money' // an amount of a currency: unit is an ISO 4217 code (USD, EUR, VND, GBP, JPY…)
  | 'count' // a number of things: unit is the folded head noun ("nguoi", "hiep uoc", "treaty")
  | 'duration' // a length of time: unit is year | month | week | day | hour | minute
  | 'date' // a calendar date or part of one (see `Quantity.date`)
  | 'year' // a calendar year or span of years ("năm 2024", "từ năm 2019 đến 2028")
  | 'percent' // unit "%"
  | 'ordinal' // "năm thứ ba", "third": value is the rank, unit the folded noun if any
  | 'number'; // a bare number with no recognisable unit

/** How the text qualifies the figure. */
export type Qualifier =
  | 'exact'
  | 'approx' // khoảng, chừng, độ, ước tính, about, around, roughly, some
  | 'gt' // hơn, trên, vượt, more than, over
  | 'gte' // ít nhất, tối thiểu, at least
  | 'lt' // dưới, chưa đến, less than, under
  | 'lte' // tối đa, nhiều nhất, at most, up to
  | 'nearly'; // gần, gần như, almost, nearly (a value a little below)

/** Calendar parts a date figure gives; absent parts are unknown, not zero. */
export interface DateParts {
  day?: number;
  month?: number;
  year?: number;
  /** End of a range such as `11-12/7` (dayEnd 12) or `tháng 6-7/2024` (monthEnd 7). */
  dayEnd?: number;
  monthEnd?: number;
  yearEnd?: number;
}

/** A figure found in text. */
export interface Quantity extends Span {
  /** The figure exactly as written, qualifier included (`text === source.slice(start, end)`). */
  text: string;
  dimension: Dimension;
  /** Value in base units: 4,5 tỷ USD → 4.5e9; 10 năm → 10; for dates a sortable yyyymmdd-like number. */
  value: number;
  /** Upper end of a range ("từ 10 đến 15 năm", "2019–2028"); absent for a single value. */
  valueHigh?: number;
  /**
   * Place value of the last digit as written, in base units: "4,5 tỷ" → 1e8, "672.000" → 1,
   * "80 triệu" → 1e6, "38 tỷ" → 1e9. The checker derives rounding tolerance from it.
   */
  step: number;
  /** See `Dimension`. */
  unit?: string;
  qualifier: Qualifier;
  /** For `date` (and `year`) figures. */
  date?: DateParts;
  /** The figure was spelled out in words ("hai", "mười", "ten"). */
  spelled?: boolean;
}

/** Where an article came from and what it says about itself. */
export interface ArticleMeta {
  /** Citation key: front matter `id`, else the file name without extension. */
  id: string;
  title?: string;
  outlet?: string;
  /** ISO date (yyyy-mm-dd or yyyy-mm or yyyy) when known. */
  date?: string;
  url?: string;
  /** The first body paragraph after the title (sapo), when recognisable. */
  lead?: string;
}

/** A sentence of an article, with exact offsets into the article's file text. */
export interface SourceSentence extends Span {
  /** Index of the sentence within its article. */
  index: number;
  /** NFC-normalised sentence text (same length as the span when the file was already NFC). */
  text: string;
  /** The figures inside the sentence; spans relative to the *file* text. */
  quantities: Quantity[];
  /** Canonical entity ids mentioned in the sentence ("UA", "US", "NATO"…). */
  entities: string[];
  /** Zero-based paragraph number inside the article's body (for `para.` locators). */
  paragraph: number;
}

/** A reason an input was skipped or only partly used. Never thrown; always reported. */
export interface Problem {
  /** Corpus-relative path or URI of the file concerned. */
  file: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
}
