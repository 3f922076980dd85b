/** `sourcemark bib` (CSL-JSON for Pandoc) and `sourcemark index`. */
import * as assert from 'node:assert/strict';
import { Projects, ensureBuilt, runCli } from './support';
import { dateParts, type CslItem } from '../../server/src/cli/bib';

const projects = new Projects();
before(ensureBuilt);
after(() => projects.cleanup());

describe('CSL date-parts from ISO dates', () => {
  // [metadata date, date-parts]
  const table: [string | undefined, number[] | undefined][] = [
    ['2024-06-13', [2024, 6, 13]],
    ['2024-06', [2024, 6]],
    ['2024', [2024]],
    ['2024-7-9', [2024, 7, 9]],
    ['2024-13', undefined],
    ['2024-02-00', undefined],
    ['13/6/2024', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [iso, parts] of table) it(`${JSON.stringify(iso)} → ${JSON.stringify(parts)}`, () => assert.deepEqual(dateParts(iso), parts));
});

describe('sourcemark bib', () => {
  const english = '---\nid: reuters-lux\ntitle: Luxembourg signs a security pact with Ukraine\noutlet: Reuters\ndate: 2024-07-11\nurl: https://example.com/lux\n---\nLuxembourg will give Ukraine 80 million euros this year.\n';

  it('prints the corpus as CSL-JSON items sorted by id, with outlet, issued date, URL and language', () => {
    const dir = projects.make({ 'corpus/en.md': english });
    const r = runCli(dir, ['bib']);
    assert.deepEqual([r.code, r.stderr], [0, '']);
    const items = JSON.parse(r.stdout) as CslItem[];
    assert.deepEqual(items.map((i) => i.id), ['000_7f8327f5e496136c', '001_480f489f3fef32bb', '002_bd768a52f42e921c', '003_80a1a450f9bb5232', '004_d08c92ed60afddfa', 'reuters-lux']);
    for (const i of items) assert.equal(i.type, 'article-newspaper');
    const vi = items.find((i) => i.id === '002_bd768a52f42e921c')!;
    assert.equal(vi.title, 'Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine, hé lộ điểm khác biệt của Washington với các nước NATO');
    assert.equal(vi['container-title'], 'Thế giới & Việt Nam');
    assert.deepEqual(vi.issued, { 'date-parts': [[2024, 6]] });
    assert.equal(vi.language, 'vi');
    const en = items.find((i) => i.id === 'reuters-lux')!;
    assert.deepEqual(
      { title: en.title, container: en['container-title'], issued: en.issued, URL: en.URL, language: en.language },
      { title: 'Luxembourg signs a security pact with Ukraine', container: 'Reuters', issued: { 'date-parts': [[2024, 7, 11]] }, URL: 'https://example.com/lux', language: 'en' },
    );
    assert.equal(runCli(dir, ['bib', '--format', 'csl-json']).stdout, r.stdout);
  });
});

describe('sourcemark index', () => {
  it('prints the index size and time as text (with or without --stats) and as JSON', () => {
    const dir = projects.make();
    for (const [args, cache] of [[['index'], 'none, 5 of 5'], [['index', '--stats'], 'used, 0 of 5']] as const) {
      const r = runCli(dir, [...args]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^articles 5\nsentences \d+\nfigures \d+\nagreements \d+\ncorpus sha256:[0-9a-f]{64}\ncache [^\n]+ files read\ntime \d+ ms\n$/);
      assert.ok(r.stdout.includes(`cache ${cache} files read`), r.stdout);
    }
    const json = JSON.parse(runCli(dir, ['index', '--format', 'json']).stdout);
    assert.deepEqual(Object.keys(json), ['articles', 'sentences', 'figures', 'agreements', 'timeMs', 'corpus', 'cache', 'preparedInThreads']);
    assert.equal(json.articles, 5);
    assert.deepEqual(json.cache, { state: 'used', files: 5, read: 0 });
    const sarif = JSON.parse(runCli(dir, ['check', '--format', 'sarif']).stdout);
    assert.equal(json.corpus, sarif.runs[0].properties.corpusHash, 'one snapshot hash for index and check');
  });
});
