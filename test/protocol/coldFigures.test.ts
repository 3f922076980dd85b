/**
 * Protocol: a cold index of a corpus large enough for the preparer threads leaves the figures
 * to count once the folder is ready. The status says how many articles are still to count;
 * a check meanwhile gives its verdict (the core's ingest table holds them to those after);
 * the counts come to what a server that counts at once finds; the index cache is first
 * written once they are counted, so the next server starts with them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startLsp, type LspSession } from '../support/lspClient';
import { CONTRADICTED, TempWorkspace, messageOf } from './workspace';

/** More than the service's PREPARE_ELSEWHERE_MIN (200): a run of them goes to the preparer threads. */
const GENERATED = 240;
const WRITTEN = /^index cache written: \d+ bytes in \d+ ms$/;
const LOADED = /^index cache: (\d+) files in \d+ ms$/;
const codes = (p: PublishDiagnosticsParams): (string | number | undefined)[] => p.diagnostics.map((d) => d.code);

function article(i: number): string {
  return `Doanh nghiệp số ${i}\n\nCông ty số ${i} báo lãi ${i + 3} tỷ đồng trong năm ${2000 + (i % 24)}. Công ty có ${i * 7 + 12} nhân viên, tăng ${(i % 9) + 1}% so với năm trước.\n\nBan giám đốc họp hôm ${(i % 28) + 1}/${(i % 12) + 1} và không công bố con số nào khác.\n`;
}

describe('protocol: a cold index counts the figures once it is ready', function () {
  this.timeout(60_000);
  let ws: TempWorkspace;
  let storage: string;
  const sessions: LspSession[] = [];

  before(() => {
    const files: Record<string, string> = { 'draft.md': `${CONTRADICTED}\n` };
    for (let i = 0; i < GENERATED; i++) files[`corpus/gen/${String(i).padStart(3, '0')}.txt`] = article(i);
    ws = new TempWorkspace({ files });
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-storage-'));
  });

  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.close();
  });

  after(() => {
    ws?.remove();
    fs.rmSync(storage, { recursive: true, force: true });
  });

  async function start(options: { storage?: string; env?: NodeJS.ProcessEnv } = {}): Promise<LspSession> {
    const s = await startLsp(ws.root, {}, options.storage ? { initializationOptions: { storagePath: options.storage } } : {}, options.env ? { env: options.env } : {});
    sessions.push(s);
    return s;
  }

  it('counts what a server counting at once counts, checks meanwhile, and writes the cache after', async () => {
    // The reference: no preparer threads, every file read and counted inline.
    const inline = await start({ env: { ...process.env, SOURCEMARK_WORKERS: '0' } });
    const reference = await inline.waitForStatus((s) => s.state === 'ready');
    assert.equal(reference.articles, GENERATED + 5);
    assert.ok(!reference.figuresPending && reference.figures > GENERATED * 4, JSON.stringify(reference));
    await inline.close();
    sessions.splice(0);

    const cold = await start({ storage });
    await cold.open(ws.uri('draft.md'), ws.read('draft.md'));
    const ready = await cold.waitForStatus((s) => s.state === 'ready');
    assert.equal(ready.figuresPending, ready.articles, `every article went to the preparer threads, their figures left to count: ${JSON.stringify(ready)}`);
    assert.equal(ready.figures, 0);
    // The check made once ready, with the figures' kinds not known yet (a check due holds the counting back).
    const diagnostics = await cold.waitForDiagnostics(ws.uri('draft.md'), (p) => p.diagnostics.every((d) => !messageOf(d).includes('still being indexed')));
    assert.deepEqual(codes(diagnostics), ['contradicted-figure']);
    // The cache writes logged when the counted status arrives (read as it arrives: the write comes right after).
    let writesBefore: number | undefined;
    const counted = await cold.waitForStatus((s) => {
      const done = s.state === 'ready' && s.figuresPending === 0;
      if (done) writesBefore ??= cold.logs.filter((l) => WRITTEN.test(l)).length;
      return done;
    });
    assert.equal(counted.figures, reference.figures);
    assert.equal(counted.articles, reference.articles);
    assert.equal(writesBefore, 0, 'no cache was written before the figures were counted');
    await cold.waitForLog(WRITTEN);
    // The cache as that first write left it (the shutdown may write again).
    const written = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcemark-storage-'));
    fs.cpSync(storage, written, { recursive: true });
    await cold.close();
    sessions.splice(0);

    // The next server starts from that cache with every figure counted.
    const warm = await start({ storage: written });
    const loaded = await warm.waitForStatus((s) => s.state === 'ready');
    assert.ok(warm.logs.some((l) => LOADED.test(l)), warm.logs.join('\n'));
    assert.equal(loaded.figuresPending, 0, JSON.stringify(loaded));
    assert.equal(loaded.figures, reference.figures);
    await warm.close();
    fs.rmSync(written, { recursive: true, force: true });
  });
});
