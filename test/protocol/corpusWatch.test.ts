/**
 * Protocol: the corpus changes on disk while the server runs. The client reports it with
 * `workspace/didChangeWatchedFiles` (as an editor would for the registered watchers); the
 * server re-reads that one file — no full re-index — and re-checks the open drafts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { FileChangeType, type CompletionItem, type CompletionList, type Hover, type MarkupContent, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startLsp, type LspSession } from '../support/lspClient';
import { CONTRADICTED, ID_JAPAN, SUPPORTED, TempWorkspace, positionOf, messageOf } from './workspace';

const codes = (p: PublishDiagnosticsParams): (string | number | undefined)[] => p.diagnostics.map((d) => d.code);
const ADDED_ID = '005_added';
const ADDED_ARTICLE = ['---', `id: ${ADDED_ID}`, 'title: Hà Lan cam kết viện trợ quân sự cho Ukraine', 'outlet: Báo Thử nghiệm', 'date: 2025-02-01', '---', '', 'Hà Lan cam kết viện trợ quân sự cho Ukraine.', '', 'Năm 2025, Amsterdam sẽ cung cấp cho Kiev 2,1 tỷ euro viện trợ quân sự.', ''].join('\n');
const ADDED_DRAFT = `Năm 2025, Amsterdam sẽ cung cấp cho Kiev 3,1 tỷ euro viện trợ quân sự [@${ADDED_ID}].\n`;

describe('protocol: corpus watched on disk', function () {
  this.timeout(30_000);
  let ws: TempWorkspace;
  let s: LspSession;

  beforeEach(async () => {
    ws = new TempWorkspace({ files: { 'supported.md': `${SUPPORTED}\n`, 'contradicted.md': `${CONTRADICTED}\n`, 'added.md': ADDED_DRAFT } });
    s = await startLsp(ws.root);
    await s.waitForProgressEnd(1);
    await s.waitForRegistration('workspace/didChangeWatchedFiles');
  });

  afterEach(async () => {
    await s?.close();
    ws?.remove();
  });

  const openDraft = async (name: string): Promise<{ uri: string; initial: PublishDiagnosticsParams }> => {
    const uri = ws.uri(name);
    await s.open(uri, ws.read(name));
    return { uri, initial: await s.waitForDiagnostics(uri) };
  };

  it('a changed article: "4,5 tỷ USD" becomes "5,4 tỷ USD" and the drafts\' diagnostics follow', async () => {
    const supported = await openDraft('supported.md');
    const contradicted = await openDraft('contradicted.md');
    assert.deepEqual(codes(supported.initial), []);
    assert.ok(codes(contradicted.initial).includes('contradicted-figure'));

    const file = `corpus/${ID_JAPAN}.txt`;
    const before = ws.read(file);
    assert.ok(before.includes('4,5 tỷ USD'));
    ws.write(file, before.replace('4,5 tỷ USD', '5,4 tỷ USD'));
    await s.watchedFilesChanged([{ uri: ws.uri(file), type: FileChangeType.Changed }]);

    const now = await s.waitForDiagnostics(supported.uri, (p) => codes(p).includes('contradicted-figure'));
    const d = now.diagnostics.find((x) => x.code === 'contradicted-figure')!;
    assert.match(messageOf(d), /5,4 tỷ USD/);
    assert.equal(d.relatedInformation?.[0]?.location.uri, ws.uri(file));
    await s.waitForDiagnostics(contradicted.uri, (p) => !codes(p).includes('contradicted-figure'));

    const hover = await s.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: supported.uri }, position: positionOf(SUPPORTED, '4,5', 1) });
    assert.match((hover?.contents as MarkupContent).value, /\*\*5,4 tỷ USD\*\*/);
    assert.equal(s.progressEnds, 1, 'the one file was re-read, the corpus was not re-indexed');
    assert.equal((await s.status()).articles, 5);
  });

  it('an added article is indexed and the drafts citing it are re-checked', async () => {
    const draft = await openDraft('added.md');
    assert.ok(codes(draft.initial).includes('unknown-source'), JSON.stringify(draft.initial));

    const added = ws.write(`corpus/${ADDED_ID}.md`, ADDED_ARTICLE);
    await s.watchedFilesChanged([{ uri: added, type: FileChangeType.Created }]);

    const now = await s.waitForDiagnostics(draft.uri, (p) => !codes(p).includes('unknown-source'));
    const d = now.diagnostics.find((x) => x.code === 'contradicted-figure');
    assert.ok(d, JSON.stringify(now.diagnostics));
    assert.match(messageOf(d), /2,1 tỷ euro/);
    assert.equal(d.relatedInformation?.[0]?.location.uri, added);
    assert.equal((await s.status()).articles, 6);
    const answer = await s.connection.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: draft.uri }, position: positionOf(ADDED_DRAFT, `@${ADDED_ID}`, 1) });
    const keys = Array.isArray(answer) ? answer : answer.items;
    assert.ok(keys.some((k) => k.label === ADDED_ID && /Báo Thử nghiệm/.test(k.detail ?? '')), keys.map((k) => k.label).join());
    assert.equal(s.progressEnds, 1, 'no full re-index');
  });

  it('a deleted article is forgotten and its citations become unknown sources', async () => {
    const draft = await openDraft('supported.md');
    assert.deepEqual(codes(draft.initial), []);

    const file = `corpus/${ID_JAPAN}.txt`;
    fs.rmSync(ws.path(file));
    await s.watchedFilesChanged([{ uri: ws.uri(file), type: FileChangeType.Deleted }]);

    const now = await s.waitForDiagnostics(draft.uri, (p) => codes(p).includes('unknown-source'));
    assert.match(messageOf(now.diagnostics.find((d) => d.code === 'unknown-source')!), new RegExp(ID_JAPAN));
    assert.equal((await s.status()).articles, 4);
    assert.equal(s.progressEnds, 1, 'no full re-index');
  });

  it('a changed metadata sidecar re-reads its article', async () => {
    const draft = await openDraft('supported.md');
    const key = positionOf(SUPPORTED, ID_JAPAN, 2);
    const hover = async (): Promise<string> => ((await s.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: draft.uri }, position: key }))?.contents as MarkupContent).value;
    assert.match(await hover(), /Mỹ, Nhật Bản ký thỏa thuận/);

    const sidecar = `corpus/${ID_JAPAN}.meta.yaml`;
    ws.write(sidecar, 'title: Tiêu đề đã sửa\noutlet: Báo Đã Sửa\ndate: 2024-06\n');
    // The drafts of the folder are re-checked once the article is re-read.
    const recheck = s.waitForNextDiagnostics(draft.uri);
    await s.watchedFilesChanged([{ uri: ws.uri(sidecar), type: FileChangeType.Changed }]);
    await recheck;
    const value = await hover();
    assert.match(value, /Tiêu đề đã sửa/);
    assert.match(value, /Báo Đã Sửa/);
  });
});
