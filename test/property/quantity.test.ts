/**
 * Property tests of the quantity parser on random and adversarial text: it never throws, every
 * figure is an exact slice of the input, figures are sorted and disjoint, and a number
 * formatted Vietnamese- or English-style (with or without a scale word and a unit) parses back
 * to its value.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuantities, type ParseOptions } from '../../server/src/core/quantity/parseQuantities';
import type { Quantity } from '../../server/src/core/types';
import { assertQuantities } from './assertions';
import { DIGIT_FORMS, SCALE_WORDS, UNIT_WORDS, anyUnicode, anyUtf16, digitRun, formattedNumber, longNumber, params, vietnameseish } from './arbitraries';

const locales: ParseOptions['locale'][] = ['auto', 'vi', 'en'];
const locale = fc.constantFrom(...locales);

function check(text: string, options?: ParseOptions): Quantity[] {
  const qs = parseQuantities(text, options);
  assertQuantities(text, qs);
  // The scan regex is global and shared: a second call must see the same text the same way.
  assert.deepEqual(parseQuantities(text, options), qs, 'deterministic');
  return qs;
}

describe('property: parseQuantities', () => {
  it('keeps its invariants on arbitrary UTF-16 (lone surrogates, NUL, U+FFFF)', () => {
    fc.assert(fc.property(anyUtf16(300), locale, (t, l) => void check(t, { locale: l })), params(400));
  });

  it('keeps its invariants on arbitrary well-formed Unicode', () => {
    fc.assert(fc.property(anyUnicode(300), (t) => void check(t)), params(300));
  });

  it('keeps its invariants on Vietnamese-looking text with digits, separators, scale words and units', () => {
    fc.assert(fc.property(vietnameseish(60), locale, (t, l) => void check(t, { locale: l })), params(1500));
  });

  it('keeps its invariants on every Unicode digit form, and reads no figure out of non-ASCII digits', () => {
    const nonAscii = new RegExp(`[${Object.entries(DIGIT_FORMS).filter(([k]) => k !== 'ascii').flatMap(([, ds]) => ds).join('')}]`, 'u');
    fc.assert(
      fc.property(fc.array(fc.oneof(digitRun, fc.constantFrom(' ', '.', ',', ' triệu USD', ' người', '%', '/', '-', 'năm ', 'hơn ')), { maxLength: 20 }), (parts) => {
        const t = parts.join('');
        for (const q of check(t)) {
          // A figure may sit next to other digits, but its own number is ASCII.
          const digits = q.text.replace(/[^\p{Nd}]/gu, '');
          assert.ok(!nonAscii.test(digits) || /\d/.test(digits), `figure from non-ASCII digits: ${JSON.stringify(q.text)}`);
        }
      }),
      params(500),
    );
  });

  it('keeps its invariants on 41–400-digit numbers (grouped or not) in context', () => {
    fc.assert(
      fc.property(longNumber, fc.constantFrom('', 'hơn ', '$', 'khoảng '), fc.constantFrom('', ' triệu USD', ' người', '%', ',5 tỷ'), (n, pre, post) => {
        const t = `Dân số ${pre}${n}${post} năm 2024.`;
        const qs = check(t);
        for (const q of qs) assert.ok(q.text.length < n.length || !q.text.includes(n), `a ${n.length}-char number was read: ${JSON.stringify(q.text)}`);
      }),
      params(200),
    );
  });

  it('keeps its invariants on CRLF, lone CR, NUL and U+2028 around figures', () => {
    const breaker = fc.constantFrom('\r\n', '\r', '\n', '\u0000', '\u2028', '\r\r\n');
    fc.assert(
      fc.property(fc.array(fc.oneof(vietnameseish(6), breaker), { maxLength: 12 }), (parts) => void check(parts.join(''))),
      params(500),
    );
  });

  it('reads each paragraph on its own: parse(a + "\\n\\n" + b) = parse(a) ++ shifted parse(b)', () => {
    fc.assert(
      fc.property(vietnameseish(30), vietnameseish(30), (a0, b0) => {
        // Paragraph text only: no line breaks inside the parts.
        const a = a0.replace(/[\r\n\u2028]/g, ' ');
        const b = b0.replace(/[\r\n\u2028]/g, ' ');
        const whole = check(`${a}\n\n${b}`);
        const shift = a.length + 2;
        const parts = [...check(a), ...check(b).map((q) => ({ ...q, start: q.start + shift, end: q.end + shift }))];
        assert.deepEqual(whole, parts);
      }),
      params(500),
    );
  });

  describe('formatted numbers parse back', () => {
    const cases = fc.tuple(
      formattedNumber,
      fc.nat(10),
      fc.nat(10),
      fc.constantFrom('Số liệu là ', 'Tổng cộng ', 'Theo AFP, ', 'khoảng ', 'hơn ', 'about ', 'more than '),
      fc.constantFrom('', '.', ' vào năm ngoái.', ', tăng mạnh.'),
    );

    const close = (actual: number, expected: number): boolean =>
      expected === 0 ? actual === 0 : Math.abs(actual - expected) <= 1e-9 * Math.abs(expected);

    for (const explicit of [true, false]) {
      it(`number [scale] [unit] → value (relative tolerance 1e-9; locale ${explicit ? 'given' : 'auto, unambiguous forms only'})`, () => {
        fc.assert(
          fc.property(cases, ([num, scaleIx, unitIx, pre, post]) => {
            const scales = SCALE_WORDS[num.style];
            const units = UNIT_WORDS[num.style];
            const scale = scaleIx < scales.length ? scales[scaleIx]! : undefined;
            const unit = unitIx < units.length ? units[unitIx]! : undefined;
            // Auto mode: "1,500" alone is ambiguous by design; give it only forms it must read
            // the same way in both locales (no single separator before exactly three digits).
            if (!explicit && /^\d+[.,]\d{3}$/.test(num.text)) return;
            const figure = `${num.text}${scale ? ` ${scale[0]}` : ''}${unit ? ` ${unit[0]}` : ''}`;
            const text = `${pre}${figure}${post}`;
            const qs = check(text, explicit ? { locale: num.style } : {});
            const expected = num.value * (scale ? scale[1] : 1);
            const hit = qs.find((q) => q.start <= pre.length && q.end >= pre.length + num.text.length);
            assert.ok(hit, `no figure over ${JSON.stringify(figure)} in ${JSON.stringify(text)}: ${JSON.stringify(qs.map((q) => q.text))}`);
            assert.ok(close(hit.value, expected), `${JSON.stringify(text)}: value ${hit.value}, expected ${expected}`);
            assert.ok(hit.text.includes(figure), `${JSON.stringify(hit.text)} covers ${JSON.stringify(figure)}`);
            if (unit) assert.equal(hit.dimension, unit[1], `dimension of ${JSON.stringify(text)}`);
          }),
          params(2000),
        );
      });
    }
  });
});
