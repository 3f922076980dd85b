/** Invariants shared by several property files. */
import * as assert from 'node:assert/strict';
import type { Quantity } from '../../server/src/core/types';

/** The invariants every result of `parseQuantities(text)` keeps. */
export function assertQuantities(text: string, qs: Quantity[]): void {
  let prevEnd = 0;
  for (const q of qs) {
    const where = `${JSON.stringify(q.text)} [${q.start}, ${q.end})`;
    assert.ok(Number.isInteger(q.start) && Number.isInteger(q.end), `integer offsets: ${where}`);
    assert.ok(q.start >= 0 && q.start < q.end && q.end <= text.length, `span inside the text: ${where}`);
    assert.equal(q.text, text.slice(q.start, q.end), `text is the slice: ${where}`);
    assert.ok(q.start >= prevEnd, `sorted and non-overlapping: ${where} after ${prevEnd}`);
    assert.ok(Number.isFinite(q.value), `finite value: ${where} → ${q.value}`);
    assert.ok(Number.isFinite(q.step) && q.step > 0, `positive finite step: ${where} → ${q.step}`);
    if (q.valueHigh !== undefined) assert.ok(Number.isFinite(q.valueHigh), `finite valueHigh: ${where}`);
    prevEnd = q.end;
  }
}

