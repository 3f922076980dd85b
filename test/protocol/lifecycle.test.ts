/**
 * Protocol: initialize (capabilities, workspace folders), background indexing with
 * work-done progress, requests answered while indexing, open drafts refreshed after it,
 * and the dynamic registration of the corpus watchers.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocumentSyncKind, type CompletionItem, type CompletionList, type Hover, type WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { startLsp, type LspSession } from '../support/lspClient';
import { CONTRADICTED, ID_JAPAN, SUPPORTED, TempWorkspace, positionOf } from './workspace';

const codes = (p: { diagnostics: { code?: string | number }[] }): (string | number | undefined)[] => p.diagnostics.map((d) => d.code);

describe('protocol: lifecycle and indexing', function () {
  this.timeout(30_000);
  let session: LspSession | undefined;
  const workspaces: TempWorkspace[] = [];

  afterEach(async () => {
    await session?.close();
    session = undefined;
    for (const ws of workspaces.splice(0)) ws.remove();
  });

  const workspace = (options?: ConstructorParameters<typeof TempWorkspace>[0]): TempWorkspace => {
    const ws = new TempWorkspace(options);
    workspaces.push(ws);
    return ws;
  };

  it('announces its capabilities, indexes with work-done progress and registers corpus watchers', async () => {
    const ws = workspace();
    session = await startLsp(ws.root);
    const caps = session.initializeResult.capabilities;
    assert.equal(session.initializeResult.serverInfo?.name, 'sourcemark');
    assert.equal(typeof caps.textDocumentSync === 'object' ? caps.textDocumentSync.change : caps.textDocumentSync, TextDocumentSyncKind.Incremental);
    assert.ok(caps.completionProvider?.triggerCharacters?.includes('@'));
    assert.equal(caps.completionProvider?.resolveProvider, true, 'citation items past the first ten are resolved');
    for (const key of ['hoverProvider', 'codeActionProvider', 'definitionProvider', 'referencesProvider', 'workspaceSymbolProvider', 'documentLinkProvider'] as const) assert.ok(caps[key], key);

    await session.waitForProgressEnd(1);
    const kinds = session.progress.map((p) => p.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const reports = session.progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report').map((p) => p.message);
    assert.ok(reports.length >= 1, 'progress reports');
    for (const m of reports) assert.match(m ?? '', /^\d+ of 5 articles$/);
    assert.equal(reports[reports.length - 1], '5 of 5 articles');

    const status = await session.status();
    assert.equal(status.state, 'ready');
    assert.equal(status.articles, 5);
    assert.equal(status.folders, 1);
    assert.equal(status.problems, 0);
    assert.ok(status.sentences > 0 && status.figures > 0, JSON.stringify(status));
    // Agreement records are prepared in the background after indexing; a status says when.
    const withAgreements = await session.waitForStatus((s) => s.agreements > 0);
    assert.equal(withAgreements.state, 'ready');
    assert.ok(session.statuses.some((s) => s.state === 'indexing'), 'a statusChanged with state indexing');
    assert.equal(session.statuses[session.statuses.length - 1]?.state, 'ready');

    // Settings are read with workspace/configuration, section "sourcemark".
    assert.ok(session.configurationRequests.some((r) => r.items.some((i) => i.section === 'sourcemark')));

    const registration = await session.waitForRegistration('workspace/didChangeWatchedFiles');
    const watchers = (registration.registerOptions as { watchers: { globPattern: { baseUri: string; pattern: string } }[] }).watchers;
    const patterns = watchers.map((w) => w.globPattern.pattern);
    assert.ok(patterns.includes('corpus/**/*.{txt,md,jsonl}'), patterns.join());
    assert.ok(patterns.includes('corpus/**/*.meta.yaml'), patterns.join());
    assert.ok(patterns.includes('sourcemark.json'), patterns.join());
    for (const w of watchers) assert.equal(w.globPattern.baseUri.replace(/\/$/, ''), ws.uri('').replace(/\/$/, ''));
  });

  it('answers requests while indexing with what is indexed, then re-checks open drafts', async () => {
    const text = `${CONTRADICTED}\n\nXem [@\n`;
    const ws = workspace({ files: { 'draft.md': text } });
    const uri = ws.uri('draft.md');
    // The server waits for the client to accept its progress token before it reads the corpus.
    session = await startLsp(ws.root, {}, {}, { holdFirstProgress: true });
    await session.waitForProgressCreate();

    const during = await session.status();
    assert.equal(during.state, 'indexing');
    assert.equal(during.articles, 0);
    await session.open(uri, text);
    const first = await session.waitForDiagnostics(uri);
    assert.ok(!codes(first).includes('contradicted-figure'), 'nothing indexed yet: no contradiction');
    assert.ok(first.diagnostics.length > 0 && first.diagnostics.every((d) => JSON.stringify(d.message).includes('still being indexed')), 'each says its verdict may change');
    const hover = await session.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '5,4', 1) });
    assert.ok(hover === null || !JSON.stringify(hover).includes(ID_JAPAN), 'hover answered from the (empty) index');
    const keys = await session.connection.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(text, '[@', 2) });
    assert.deepEqual(Array.isArray(keys) ? keys : keys.items, []);

    session.releaseProgress();
    await session.waitForProgressEnd(1);
    const refreshed = await session.waitForDiagnostics(uri, (p) => codes(p).includes('contradicted-figure'));
    assert.equal(refreshed.version, 1, 'the same document version, re-checked after indexing');
    assert.ok(!refreshed.diagnostics.some((d) => JSON.stringify(d.message).includes('still being indexed')));
    const after = await session.status();
    assert.equal(after.state, 'ready');
    assert.equal(after.articles, 5);
    const keysAfter = await session.connection.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(text, '[@', 2) });
    assert.equal((Array.isArray(keysAfter) ? keysAfter : keysAfter.items).length, 5);
  });

  it('takes its workspace folders from initialize, each with its own corpus', async () => {
    const a = workspace();
    const b = workspace();
    fs.rmSync(b.path(`corpus/${ID_JAPAN}.txt`));
    const outside = workspace({ corpusDir: null });
    session = await startLsp(a.root, {}, {}, { folders: [a.root, b.root] });
    await session.waitForProgressEnd(2);
    const status = await session.status();
    assert.equal(status.folders, 2);
    assert.equal(status.articles, 9);

    const text = `${CONTRADICTED}\n\n${SUPPORTED}\n`;
    const inA = a.write('draft.md', text);
    const inB = b.write('draft.md', text);
    const loose = outside.write('draft.md', text);
    for (const uri of [inA, inB, loose]) await session.open(uri, text);
    const dA = await session.waitForDiagnostics(inA);
    const dB = await session.waitForDiagnostics(inB);
    const dLoose = await session.waitForDiagnostics(loose);
    assert.ok(codes(dA).includes('contradicted-figure'), 'folder A has the article');
    assert.ok(!codes(dA).includes('unknown-source'));
    assert.ok(!codes(dB).includes('contradicted-figure'), 'folder B does not');
    assert.ok(codes(dB).includes('unknown-source'), `[@${ID_JAPAN}] is unknown in folder B`);
    assert.ok(!codes(dLoose).includes('contradicted-figure'), 'a draft outside every folder has no corpus');
    // Nor will it ever have one: nothing it is told is provisional.
    assert.ok(dLoose.diagnostics.length > 0 && !dLoose.diagnostics.some((d) => JSON.stringify(d.message).includes('still being indexed')), JSON.stringify(dLoose.diagnostics.map((d) => d.message)));
    for (const d of [dA, dB]) assert.ok(!d.diagnostics.some((x) => JSON.stringify(x.message).includes('still being indexed')));
  });

  it('falls back to rootUri when the client sends no workspace folders', async () => {
    const ws = workspace();
    session = await startLsp(ws.root, {}, {}, { folders: null });
    await session.waitForProgressEnd(1);
    const status = await session.status();
    assert.equal(status.folders, 1);
    assert.equal(status.articles, 5);
    const uri = ws.write(path.join('drafts', 'a.md'), CONTRADICTED);
    await session.open(uri, CONTRADICTED);
    await session.waitForDiagnostics(uri, (p) => codes(p).includes('contradicted-figure'));
  });
});
