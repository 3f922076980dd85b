/**
 * Offset ↔ (line, character) conversion for one text.
 *
 * Line starts are computed once; lookups are a binary search, so converting many offsets of a
 * large file stays cheap. Line breaks are `\n`, `\r\n` and a lone `\r` (old Mac exports), the
 * same set LSP clients use, so positions agree with what the editor shows.
 */

import type { Position } from '../types';
import { lastAtOrBefore } from '../sorted';

/** Maps UTF-16 offsets of a text to zero-based LSP positions and back. */
export class LineIndex {
  /** Offset of the first character of every line; `lineStarts[0] === 0`. */
  private readonly lineStarts: number[];
  private readonly length: number;
  /** Kept (not copied: strings are shared) to tell "\r\n" from a lone break at a line end. */
  private readonly text: string;

  /** Indexes the line starts of `text`. */
  constructor(text: string) {
    this.text = text;
    this.length = text.length;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) starts.push(i + 1);
      else if (code === 13) {
        // "\r\n" is one break: skip the "\n" so it does not open an empty line.
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /** Number of lines; an empty text has one (empty) line, as in editors. */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /**
   * Position of `offset`. Offsets outside `[0, text.length]` are clamped; a non-integer offset
   * is floored, so callers never get a position that does not exist.
   */
  positionAt(offset: number): Position {
    const clamped = clamp(Math.floor(Number.isFinite(offset) ? offset : 0), 0, this.length);
    const line = lastAtOrBefore(this.lineStarts, clamped);
    return { line, character: clamped - this.lineStarts[line]! };
  }

  /**
   * Offset of `position`. A line past the end maps to the end of the text; a character past
   * the end of its line maps to the end of that line (before its line break).
   */
  offsetAt(position: Position): number {
    const line = Math.floor(Number.isFinite(position.line) ? position.line : 0);
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.length;
    const start = this.lineStarts[line]!;
    const character = Math.max(0, Math.floor(Number.isFinite(position.character) ? position.character : 0));
    return Math.min(start + character, this.lineContentEnd(line));
  }

  /** End of a line's content, i.e. the offset of its line break (or of the text end). */
  private lineContentEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.length;
    // The next line starts right after the break, which is one unit or two ("\r\n").
    const next = this.lineStarts[line + 1]!;
    const crlf = next - 2 >= this.lineStarts[line]! && this.text.charCodeAt(next - 2) === 13 && this.text.charCodeAt(next - 1) === 10;
    return crlf ? next - 2 : next - 1;
  }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
