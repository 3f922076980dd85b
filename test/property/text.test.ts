/**
 * Property tests of the sentence/paragraph splitter and of the normalisation layer.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitParagraphs, splitSentences } from '../../server/src/core/text/sentences';
import { foldKey, foldTones, toNfc, tokenize } from '../../server/src/core/text/normalize';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { SentenceIndex } from '../../server/src/core/index/sentenceIndex';
import { isWellFormed } from '../../server/src/core/corpus/decode';
import type { Span } from '../../server/src/core/types';
import { SYLLABLES, anyUnicode, anyUtf16, formattedNumber, hostileText, params, vietnameseish } from './arbitraries';

/** The splitter's own notion of blank: horizontal spaces (incl. U+2000–U+200B, U+3000, BOM) and line breaks. */
const BLANK = /^[ \t\u00a0\u202f\u2000-\u200b\u3000\ufeff\n\r\u2028\u2029]$/;

function assertSpans(text: string, spans: Span[], from: number, to: number, what: string): void {
  let prevEnd = from;
  for (const s of spans) {
    const where = `${what} [${s.start}, ${s.end}) of ${text.length}`;
    assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), `integer offsets: ${where}`);
    assert.ok(s.start >= prevEnd, `in order, non-overlapping and inside the range: ${where} (previous end ${prevEnd}, range start ${from})`);
    assert.ok(s.start < s.end && s.end <= to, `non-empty and inside the range: ${where} (range end ${to})`);
    prevEnd = s.end;
  }
}

/** A text plus a range given the way callers might: negative, past the end, reversed. */
const textAndRange = fc.oneof(hostileText(50), anyUtf16(200)).chain((t) =>
  fc.tuple(fc.constant(t), fc.integer({ min: -5, max: t.length + 5 }), fc.integer({ min: -5, max: t.length + 5 })),
);

describe('property: splitSentences / splitParagraphs', () => {
  it('sentence spans are inside their range, trimmed, non-empty, in order and disjoint', () => {
    fc.assert(
      fc.property(textAndRange, ([t, from, to]) => {
        const spans = splitSentences(t, from, to);
        const end = Math.min(Math.max(to, 0), t.length);
        const start = Math.max(0, Math.min(from, end));
        assertSpans(t, spans, start, end, 'sentence');
        for (const s of spans) {
          assert.ok(!BLANK.test(t[s.start]!) && !BLANK.test(t[s.end - 1]!), `trimmed: ${JSON.stringify(t.slice(s.start, s.end))}`);
          assert.ok(!/[\n\r\u2028\u2029]/.test(t.slice(s.start, s.end)), 'a line break always ends a sentence');
        }
      }),
      params(1500),
    );
  });

  it('whole-text spans with default arguments equal an explicit [0, length) range', () => {
    fc.assert(fc.property(hostileText(40), (t) => assert.deepEqual(splitSentences(t), splitSentences(t, 0, t.length))), params(300));
  });

  it('a sentence never ends inside a formatted number, an abbreviation or TP.HCM', () => {
    const word = fc.constantFrom(...SYLLABLES.filter((w) => !/[.!?…]$/.test(w)));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), formattedNumber, fc.constantFrom('', ' USD', ' triệu người', '%'), fc.array(word, { maxLength: 5 }), (a, num, unit, b) => {
        const before = `${a.join(' ')} `;
        const text = `${before}${num.text}${unit} ${b.join(' ')}.`;
        const inner = { start: before.length, end: before.length + num.text.length };
        for (const s of splitSentences(text)) {
          assert.ok(!(s.start > inner.start && s.start < inner.end) && !(s.end > inner.start && s.end < inner.end), `split inside ${JSON.stringify(num.text)}: ${JSON.stringify(text.slice(s.start, s.end))}`);
        }
      }),
      params(1000),
    );
  });

  for (const mode of ['line', 'block'] as const) {
    it(`paragraph spans (${mode} mode) are inside the text, trimmed, in order and disjoint`, () => {
      fc.assert(
        fc.property(fc.oneof(hostileText(50), anyUtf16(200)), (t) => {
          const spans = splitParagraphs(t, mode);
          assertSpans(t, spans, 0, t.length, 'paragraph');
          for (const s of spans) assert.ok(!BLANK.test(t[s.start]!) && !BLANK.test(t[s.end - 1]!), 'trimmed');
          if (mode === 'line') for (const s of spans) assert.ok(!/[\n\r\u2028\u2029]/.test(t.slice(s.start, s.end)), 'one line per paragraph');
        }),
        params(800),
      );
    });
  }
});

describe('property: normalisation', () => {
  const anyText = fc.oneof(anyUtf16(200), anyUnicode(200), vietnameseish(40));
  /** NFC text: Vietnamese-looking, arbitrary code points, and decomposed Vietnamese composed back. */
  const nfcText = fc.oneof(vietnameseish(40), anyUnicode(200), vietnameseish(40).map((t) => t.normalize('NFD'))).map((t) => t.normalize('NFC'));

  it('foldKey keeps the length (one unit in, one out) and is idempotent', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const k = foldKey(t);
        assert.equal(k.length, t.length);
        assert.equal(foldKey(k), k);
      }),
      params(1000),
    );
  });

  it('foldTones is length-preserving and idempotent on NFC text, and only moves tone marks', () => {
    fc.assert(
      fc.property(nfcText, (t) => {
        const f = foldTones(t);
        assert.equal(f.length, t.length, 'length');
        assert.equal(foldTones(f), f, 'idempotent');
        assert.equal(foldKey(f), foldKey(t), 'same diacritic-free key');
      }),
      params(1500),
    );
  });

  it('toNfc: toOriginal and fromOriginal are monotone, in range, and map the ends to the ends', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, vietnameseish(30).map((t) => t.normalize('NFD')), anyUtf16(60).map((t) => t.normalize('NFD'))), (input) => {
        const n = toNfc(input);
        assert.equal(n.toOriginal(0), 0);
        assert.equal(n.toOriginal(n.text.length), input.length);
        assert.equal(n.fromOriginal(0), 0);
        assert.equal(n.fromOriginal(input.length), n.text.length);
        let prev = 0;
        for (let o = 0; o <= n.text.length; o++) {
          const back = n.toOriginal(o);
          assert.ok(Number.isInteger(back) && back >= prev && back <= input.length, `toOriginal(${o}) = ${back} after ${prev}`);
          prev = back;
        }
        prev = 0;
        for (let i = 0; i <= input.length; i++) {
          const fwd = n.fromOriginal(i);
          assert.ok(Number.isInteger(fwd) && fwd >= prev && fwd <= n.text.length, `fromOriginal(${i}) = ${fwd} after ${prev}`);
          prev = fwd;
        }
      }),
      params(1000),
    );
  });

  it('toNfc: a cluster maps back onto the characters it was composed from', () => {
    fc.assert(
      fc.property(vietnameseish(30), (t0) => {
        const nfc = t0.normalize('NFC');
        const input = nfc.normalize('NFD');
        const n = toNfc(input);
        assert.equal(n.text, nfc);
        for (let o = 0; o < n.text.length; o++) {
          const back = n.toOriginal(o);
          assert.equal(input.slice(back).normalize('NFC')[0], n.text[o], `offset ${o} maps to ${back}`);
        }
      }),
      params(500),
    );
  });

  // Regression guard for a fixed bug (toNfc, server/src/core/text/normalize.ts): when NFC changes the length, the text is
  // composed cluster by cluster, a cluster being one base plus U+0300–U+036F marks; sequences
  // that compose otherwise (Hangul jamo, marks outside U+03xx) stay decomposed, so `text` is not
  // NFC. Minimal input: toNfc('\u1100\u1161').text === '\u1100\u1161' (NFC is '가', U+AC00).
  it('toNfc: the text is NFC', () => {
    fc.assert(
      fc.property(fc.oneof(anyUnicode(60), anyUtf16(60)).map((t) => t.normalize('NFD')), (input) => {
        const n = toNfc(input);
        assert.equal(n.text, n.text.normalize('NFC'));
      }),
      params(1000),
    );
  });

  it('tokenize: tokens are in order, inside the text, and keyed by foldKey of their slice', () => {
    fc.assert(
      fc.property(anyText, fc.nat(1000), (t, offset) => {
        let prev = offset;
        for (const tok of tokenize(t, offset)) {
          assert.ok(tok.start >= prev && tok.start < tok.end && tok.end <= t.length + offset);
          assert.equal(tok.key, foldKey(t.slice(tok.start - offset, tok.end - offset)));
          prev = tok.end;
        }
      }),
      params(500),
    );
  });

  it('LineIndex: positionAt/offsetAt round-trip on LF, CRLF and lone CR', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(vietnameseish(5), fc.constantFrom('\n', '\r\n', '\r', '\r\r\n')), { maxLength: 20 }).map((p) => p.join('')), (t) => {
        const lines = new LineIndex(t);
        for (let o = 0; o <= t.length; o++) {
          // The "\n" of a "\r\n" is not a position of its own.
          if (t[o - 1] === '\r' && t[o] === '\n') continue;
          const p = lines.positionAt(o);
          assert.ok(p.line < lines.lineCount);
          assert.equal(lines.offsetAt(p), o, `offset ${o} → ${JSON.stringify(p)}`);
        }
      }),
      params(500),
    );
  });
});

describe('property: the index tokenizer', () => {
  /** Well-formed text (what UTF-8 carries) with words, digits, marks and astral characters, cut into sentences anywhere. */
  const textAndCuts = fc
    .tuple(fc.oneof(vietnameseish(30), anyUnicode(120)).map((t) => t.normalize('NFC')).filter(isWellFormed), fc.array(fc.nat(), { maxLength: 8 }))
    // Never between the two units of a pair: a sentence never starts there (the splitter cuts at punctuation and spaces).
    .map(([t, cuts]) => ({ text: t, cuts: [...new Set(cuts.map((c) => c % (t.length + 1)))].filter((c) => !/[\ud800-\udbff]/.test(t[c - 1] ?? '')).sort((a, b) => a - b) }));

  it('addUtf8 over the UTF-8 bytes indexes as addText over the string, sentence by sentence', () => {
    fc.assert(
      fc.property(textAndCuts, ({ text, cuts }) => {
        const bounds = [0, ...cuts, text.length];
        const spans: number[] = [];
        for (let k = 1; k < bounds.length; k++) spans.push(bounds[k - 1]!, bounds[k]!, 0);
        const fromBytes = new SentenceIndex();
        const fromText = new SentenceIndex();
        assert.ok(fromBytes.addUtf8(0, new TextEncoder().encode(text), text.length, Int32Array.from(spans)));
        for (let i = 0; i < spans.length; i += 3) fromText.addText(i / 3, text, spans[i]!, spans[i + 1]!);
        const terms = (index: SentenceIndex): string[] => index.termsWithPrefix('', Number.MAX_SAFE_INTEGER);
        assert.deepEqual(terms(fromBytes), terms(fromText));
        for (const t of terms(fromText)) assert.deepEqual(fromBytes.search([t]).map((h) => h.doc), fromText.search([t]).map((h) => h.doc), t);
        assert.deepEqual(fromBytes.search(terms(fromText), { withDigits: true }), fromText.search(terms(fromText), { withDigits: true }));
      }),
      params(1500),
    );
  });
});
