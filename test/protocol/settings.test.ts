/**
 * Protocol: settings. Corpus globs from `sourcemark.json` at the folder root (and that file
 * changing on disk), `sourcemark.*` editor settings read with `workspace/configuration`
 * (and re-read on `workspace/didChangeConfiguration`), the project file winning over them.
 */
import { strict as assert } from 'node:assert';
import { DiagnosticSeverity, FileChangeType, type PublishDiagnosticsParams, type Registration } from 'vscode-languageserver-protocol';
import { startLsp, type LspSession } from '../support/lspClient';
import { CONTRADICTED, SUPPORTED, TempWorkspace, UNCITED, messageOf } from './workspace';

const codes = (p: PublishDiagnosticsParams): (string | number | undefined)[] => p.diagnostics.map((d) => d.code);
const DRAFT = `${CONTRADICTED}\n\n${UNCITED}\n\n${SUPPORTED}\n`;
const watchPatterns = (r: Registration): string[] => (r.registerOptions as { watchers: { globPattern: { pattern: string } }[] }).watchers.map((w) => w.globPattern.pattern);
const watches = (pattern: string) => (r: Registration): boolean => watchPatterns(r).includes(pattern);

describe('protocol: settings', function () {
  this.timeout(30_000);
  let ws: TempWorkspace | undefined;
  let s: LspSession | undefined;

  afterEach(async () => {
    await s?.close();
    ws?.remove();
    s = undefined;
    ws = undefined;
  });

  it('reads corpus globs from sourcemark.json and re-reads them when the file changes', async () => {
    ws = new TempWorkspace({ corpusDir: 'sources', files: { 'sourcemark.json': JSON.stringify({ corpus: ['sources/00[0-2]_*.txt'] }), 'draft.md': DRAFT } });
    s = await startLsp(ws.root);
    await s.waitForProgressEnd(1);
    assert.equal((await s.status()).articles, 3);
    const registration = await s.waitForRegistration('workspace/didChangeWatchedFiles', watches('sources/00[0-2]_*.txt'));
    assert.ok(watchPatterns(registration).includes('sources/00[0-2]_*.meta.yaml'), watchPatterns(registration).join());
    const uri = ws.uri('draft.md');
    await s.open(uri, DRAFT);
    await s.waitForDiagnostics(uri, (p) => codes(p).includes('contradicted-figure'));

    // The team narrows the corpus: article 002 leaves it.
    ws.write('sourcemark.json', JSON.stringify({ corpus: ['sources/00[0-1]_*.txt', 'archive/**/*.txt'] }));
    await s.watchedFilesChanged([{ uri: ws.uri('sourcemark.json'), type: FileChangeType.Changed }]);
    await s.waitForProgressEnd(2);
    assert.equal((await s.status()).articles, 2);
    await s.waitForDiagnostics(uri, (p) => !codes(p).includes('contradicted-figure'));
    // The watchers follow the new globs.
    await s.waitForRegistration('workspace/didChangeWatchedFiles', watches('archive/**/*.txt'));
    assert.equal(s.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').length, 1, 'the old watchers were unregistered');
  });

  it('reads sourcemark.* settings with workspace/configuration and re-reads them on didChangeConfiguration', async () => {
    ws = new TempWorkspace({ files: { 'draft.md': DRAFT } });
    s = await startLsp(ws.root, { severity: { 'contradicted-figure': 'off' }, requireCitations: true });
    await s.waitForProgressEnd(1);
    const uri = ws.uri('draft.md');
    await s.open(uri, DRAFT);
    const first = await s.waitForDiagnostics(uri);
    assert.ok(!codes(first).includes('contradicted-figure'), 'severity off silences the code');
    // requireCitations: supported figures without a citation ("Năm 2024" too), none on the cited line.
    const missing = first.diagnostics.filter((d) => d.code === 'missing-citation');
    const uncited = missing.find((d) => d.range.start.line === 2 && d.range.start.character === UNCITED.indexOf('4,5'));
    assert.equal(uncited?.severity, DiagnosticSeverity.Warning, JSON.stringify(first.diagnostics));
    assert.ok(!missing.some((d) => d.range.start.line === 4), 'the cited line needs no citation');
    assert.ok(s.configurationRequests.some((r) => r.items.some((i) => i.section === 'sourcemark' && i.scopeUri === uri)), 'settings asked for the draft');

    s.settings = { locale: 'vi' };
    await s.changeConfiguration();
    const now = await s.waitForDiagnostics(uri, (p) => codes(p).includes('contradicted-figure'));
    assert.ok(!codes(now).includes('missing-citation'));
    const d = now.diagnostics.find((x) => x.code === 'contradicted-figure')!;
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.doesNotMatch(messageOf(d), /contradicts the source/, 'locale vi');
  });

  it('lets sourcemark.json win over editor settings', async () => {
    ws = new TempWorkspace({ files: { 'sourcemark.json': JSON.stringify({ severity: { 'contradicted-figure': 'warning' }, requireCitations: false }), 'draft.md': DRAFT } });
    s = await startLsp(ws.root, { severity: { 'contradicted-figure': 'off', 'unsupported-figure': 'off' }, requireCitations: true });
    await s.waitForProgressEnd(1);
    const uri = ws.uri('draft.md');
    await s.open(uri, DRAFT);
    const p = await s.waitForDiagnostics(uri);
    const d = p.diagnostics.find((x) => x.code === 'contradicted-figure');
    assert.equal(d?.severity, DiagnosticSeverity.Warning, JSON.stringify(p.diagnostics));
    assert.ok(!codes(p).includes('missing-citation'));
  });
});
