import * as assert from 'node:assert/strict';
import { findEntities } from '../../server/src/core/entities/entities';

const cases: [string, string[]][] = [
  ['Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD', ['JP:Tokyo', 'UA:Kiev']],
  ['Kyiv and Washington signed a deal', ['UA:Kyiv', 'US:Washington']],
  ['Mỹ và Nhật Bản đã ký thỏa thuận an ninh với Ukraine', ['US:Mỹ', 'JP:Nhật Bản', 'UA:Ukraine']],
  ['Hoa Kỳ và Liên bang Nga', ['US:Hoa Kỳ', 'RU:Liên bang Nga']],
  ['Mát-xcơ-va và Điện Kremlin phản đối', ['RU:Mát-xcơ-va', 'RU:Điện Kremlin']],
  ['Tổ chức Hiệp ước Bắc Đại Tây Dương (NATO)', ['NATO:Tổ chức Hiệp ước Bắc Đại Tây Dương', 'NATO:NATO']],
  ['Ngoại trưởng Anh David Cameron cảnh báo', ['GB:Anh']],
  ['bao gồm Anh, Pháp và Đức.', ['GB:Anh', 'FR:Pháp', 'DE:Đức']],
  ['the United Kingdom and Japan', ['GB:United Kingdom', 'JP:Japan']],
  // Ambiguous names that are not places here.
  ['Anh ấy nói rằng', []],
  ['Ông Nguyễn Minh Đức cho biết', []],
  ['Chị Nga bán hàng', []],
  ['tiếng anh và mỹ thuật', []],
];

describe('entities', () => {
  for (const [text, expected] of cases) {
    it(text, () => {
      assert.deepEqual(findEntities(text).map((e) => `${e.id}:${text.slice(e.start, e.end)}`), expected);
    });
  }
});
