import { createSourcemarkService } from '../../server/src/core/service';
import { ENGINE_VERSION } from '../../server/src/version';
import { loadIndexCache } from '../../server/src/node/indexCache';
import { citationCatalogue } from '../../server/src/core/languageFeatures/completion';
const service = createSourcemarkService({ workspace: undefined as never, engineVersion: ENGINE_VERSION });
let t = performance.now();
const load = loadIndexCache(service, '/tmp/ws35k/.sourcemark/cache/index.bin');
console.log('load', load.state, (performance.now() - t).toFixed(1));
t = performance.now();
citationCatalogue(service.corpus);
console.log('catalogue', (performance.now() - t).toFixed(1), process.memoryUsage().heapUsed / 1e6);
const settings = { locale: 'vi' } as never;
for (const typed of ['', 'vne', 'ukraine', 'thoa thuan', 'a']) {
  const text = `Theo [@${typed}`;
  const doc = { uri: 'file:///d.md', version: 1, getText: () => text };
  t = performance.now();
  const items = service.provideCompletions(doc, { line: 0, character: text.length }, settings);
  console.log(JSON.stringify(typed), items.length, (performance.now() - t).toFixed(1), items.slice(0, 2).map((i) => i.label));
}
t = performance.now();
service.prepareCompletions();
console.log('prepare', (performance.now() - t).toFixed(1));
