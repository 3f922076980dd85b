import * as assert from 'node:assert/strict';
import { seedCorpus, serviceFor } from '../support/memoryWorkspace';
import { extraArticle } from '../fixtures/extra-article';

describe('agreements', () => {
  it('builds records from the seed corpus, merging reports of one agreement', async () => {
    const { service } = await serviceFor(seedCorpus());
    const byKey = new Map(service.agreements().map((r) => [r.key, r]));
    const lu = byKey.get('LU+UA:security');
    assert.ok(lu, `keys: ${[...byKey.keys()].join(', ')}`);
    assert.equal(lu.status, 'signed');
    assert.deepEqual(lu.signed?.date, { day: 10, month: 7 });
    const jp = byKey.get('JP+UA:security');
    assert.ok(jp);
    assert.deepEqual(jp.signed?.date, { day: 13, month: 6 });
    assert.equal(jp.term?.quantity.value, 10);
    assert.ok(jp.amounts.some((a) => a.quantity.value === 4.5e9 && a.quantity.unit === 'USD'));
    const us = byKey.get('UA+US:security');
    assert.ok(us);
    assert.ok(new Set(us.sources.map((s) => s.articleId)).size >= 2, 'the US–Ukraine agreement is reported by several articles');
    const il = byKey.get('IL+US:agreement') ?? [...byKey.values()].find((r) => r.parties.join() === 'IL,US');
    assert.ok(il?.amounts.some((a) => a.quantity.value === 38e9));
  });

  it('prepared in slices (a step per call), gives the records made in one go, and again after a corpus change', async () => {
    const files = { ...seedCorpus(), [`corpus/${extraArticle.fileName}`]: extraArticle.content };
    const { service } = await serviceFor(files);
    const { service: reference } = await serviceFor(files);
    let calls = 0;
    while (!service.prepareAgreements(() => true)) calls++;
    assert.ok(calls > 3, `${calls} slices`);
    assert.deepEqual(service.agreements(), reference.agreements());
    assert.equal(service.prepareAgreements(() => true), true, 'nothing left to do');
    // A changed corpus: prepared again, the same as asked for directly.
    service.corpus.setFile({ uri: 'memory:///corpus/late.txt', path: 'corpus/late.txt', content: extraArticle.content.replace(/Nhật Bản/g, 'Hàn Quốc') });
    reference.corpus.setFile({ uri: 'memory:///corpus/late.txt', path: 'corpus/late.txt', content: extraArticle.content.replace(/Nhật Bản/g, 'Hàn Quốc') });
    while (!service.prepareAgreements(() => true));
    assert.deepEqual(service.agreements(), reference.agreements());
  });

  it('finds an agreement in an article it has never seen', async () => {
    const { service } = await serviceFor({ [`corpus/${extraArticle.fileName}`]: extraArticle.content });
    const rec = service.agreements().find((r) => r.parties.includes('VN') && r.parties.includes('JP'));
    assert.ok(rec, JSON.stringify(service.agreements().map((r) => r.key)));
    assert.equal(rec.status, 'signed');
    assert.deepEqual(rec.signed?.date, { day: 12, month: 3 });
    assert.equal(rec.term?.quantity.value, 5);
    assert.equal(rec.place, 'Hà Nội');
  });
});
