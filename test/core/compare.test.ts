import * as assert from 'node:assert/strict';
import { parseQuantities } from '../../server/src/core/quantity/parseQuantities';
import { compareQuantities } from '../../server/src/core/check/compareQuantities';

function one(text: string) {
  const q = parseQuantities(text).filter((x) => x.dimension !== 'number');
  assert.equal(q.length, 1, `one figure in "${text}": ${JSON.stringify(q.map((x) => x.text))}`);
  return q[0]!;
}

// [draft figure, source figure, expected agreement]
const table: [string, string, string][] = [
  ['hơn 200 triệu euro', 'hơn 250 triệu euro', 'consistent'],
  ['hơn 300 triệu euro', 'hơn 250 triệu euro', 'undetermined'],
  ['150 triệu euro', 'hơn 250 triệu euro', 'contradicts'],
  ['250 triệu euro', 'hơn 250 triệu euro', 'consistent'],
  ['0,67 triệu người', '672.000 người', 'consistent'],
  ['khoảng 670.000 người', 'khoảng 672.000 người', 'consistent'],
  ['700.000 người', '672.000 người', 'consistent'],
  ['khoảng 762.000 người', 'khoảng 672.000 người', 'contradicts'],
  ['5,4 tỷ USD', '4,5 tỷ USD', 'contradicts'],
  ['4,5 triệu USD', '4,5 tỷ USD', 'contradicts'],
  ['4.500 triệu USD', '4,5 tỷ USD', 'consistent'],
  ['$4.5 billion', '4,5 tỷ USD', 'consistent'],
  ['4,5 tỷ euro', '4,5 tỷ USD', 'incomparable'],
  ['10 năm', '5 năm', 'contradicts'],
  ['10 năm', '10 năm', 'consistent'],
  ['120 tháng', '10 năm', 'consistent'],
  ['48 giờ', '24 giờ', 'contradicts'],
  ['80 triệu euro', '85 triệu euro', 'contradicts'],
  ['khoảng 20 hiệp ước', 'khoảng 20 hiệp ước', 'consistent'],
  ['20 thỏa thuận', 'khoảng 20 hiệp ước', 'consistent'],
  ['30 hiệp ước', 'khoảng 20 hiệp ước', 'contradicts'],
  ['19 hệ thống', '91 hệ thống', 'contradicts'],
  ['20 người', '20 hệ thống', 'incomparable'],
  ['12,5%', '12,5%', 'consistent'],
  ['15%', '12,5%', 'contradicts'],
  // dates and years
  ['ngày 13/6', 'Ngày 13/6', 'consistent'],
  ['ngày 14/6', 'Ngày 13/6', 'contradicts'],
  ['ngày 11/7', 'ngày 11-12/7', 'consistent'],
  ['ngày 22-24/3', 'ngày 20-22/3', 'contradicts'],
  ['tháng 9/2021', 'tháng 9/2022', 'contradicts'],
  ['tháng 9/2022', 'tháng 9/2022', 'consistent'],
  ['từ năm 2018 đến 2028', 'từ năm 2019 đến 2028', 'contradicts'],
  ['từ năm 2019 đến 2028', 'từ năm 2019 đến 2028', 'consistent'],
  ['năm 2024', 'Năm 2024', 'consistent'],
];

describe('comparing figures', () => {
  for (const [claim, source, expected] of table) {
    it(`${claim} vs ${source}: ${expected}`, () => {
      assert.equal(compareQuantities(one(claim), one(source)), expected);
    });
  }
});
