/**
 * The extension in a real editor: this suite runs in VS Code's Node extension host (under
 * @vscode/test-electron, or inside code-server through the smoke-test driver; see
 * scripts/editor/). The workspace is a temporary copy of `corpus/` plus
 * `test/editor/workspace/drafts/`, made by the runner before the editor starts.
 *
 * Every wait is a condition re-checked on editor events (diagnostics changed, status changed)
 * with an overall deadline; there are no fixed sleeps.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { SourcemarkApi } from '../../../client/src/extension';
import type { SourcemarkStatus } from '../../../server/src/protocol';
import { diagnosticsOf, waitFor } from './wait';

const EXTENSION_ID = 'sourcemark.sourcemark';
const ID_JAPAN = '002_bd768a52f42e921c';
const PROMPT = 'Năm 2024, Tokyo sẽ cung cấp cho Kiev ';
const SOURCE_SENTENCE = /Tokyo sẽ cung cấp cho Kiev \*\*4,5 tỷ USD\*\*/;

const codeOf = (d: vscode.Diagnostic): string | number | undefined => (typeof d.code === 'object' ? d.code.value : d.code);
const contradictions = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'contradicted-figure');
const show = (uri: vscode.Uri): string =>
  JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => ({ code: codeOf(d), message: d.message, line: d.range.start.line })));
const hoverText = (h: vscode.Hover): string => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

function rangeOf(doc: vscode.TextDocument, needle: string): vscode.Range {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" in ${doc.uri.path}`);
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + needle.length));
}

describe('Sourcemark in a real editor', function () {
  this.timeout(90_000);

  let folder: vscode.Uri;
  let api: SourcemarkApi;
  let status: SourcemarkStatus;
  const draft = (name: string): vscode.Uri => vscode.Uri.joinPath(folder, 'drafts', name);

  before(async function () {
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the runner opens the test workspace as the first folder');
    folder = first.uri;
    // Opening a Markdown draft is what activates the extension (onLanguage:markdown).
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(draft('contradicted.md')));
    const extension = vscode.extensions.getExtension<SourcemarkApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    await api.ready;
    // Figures are counted in the background once the index is ready: wait for both.
    status = await waitFor(
      'the corpus index to be ready and its figures counted',
      () => (api.statusBar.current?.state === 'ready' && api.statusBar.current.figures > 0 ? api.statusBar.current : undefined),
      [api.statusBar.onDidChange],
      { describe: () => JSON.stringify(api.statusBar.current) },
    );
  });

  it('activates and starts the language server, which indexes the copied corpus', () => {
    const extension = vscode.extensions.getExtension<SourcemarkApi>(EXTENSION_ID);
    assert.ok(extension?.isActive, 'active');
    assert.equal(extension.exports, api);
    assert.equal(typeof api.extendMarkdownIt, 'function');
    assert.ok(api.client.isRunning(), 'the language client is running');
    assert.equal(status.articles, 5, JSON.stringify(status));
    assert.ok(status.figures > 0, JSON.stringify(status));
  });

  it('reports the contradicted figure as an error naming the source figure', async () => {
    const uri = draft('contradicted.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const [d] = await waitFor('a contradicted-figure diagnostic', () => (contradictions(uri).length ? contradictions(uri) : undefined), [diagnosticsOf(uri)], {
      describe: () => show(uri),
    });
    assert.ok(d);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.source, 'sourcemark');
    assert.match(d.message, /4,5 tỷ USD/);
    assert.equal(doc.getText(d.range), '5,4 tỷ USD');
    const related = d.relatedInformation?.[0];
    assert.ok(related, 'relatedInformation points at the source sentence');
    assert.ok(related.location.uri.path.endsWith(`/corpus/${ID_JAPAN}.txt`), related.location.uri.toString());
  });

  it('completes the source figure after the prose that introduces it', async () => {
    const uri = draft('completion.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    const end = doc.positionAt(doc.getText().length);
    edit.insert(uri, end, PROMPT);
    assert.ok(await vscode.workspace.applyEdit(edit), 'prompt inserted');
    const position = doc.positionAt(doc.getText().length);
    assert.equal(doc.lineAt(position.line).text, PROMPT);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const labels = list.items.map(labelOf);
    const item = list.items.find((i) => labelOf(i) === '4,5 tỷ USD');
    assert.ok(item, `completion labels: ${labels.join(' | ')}`);
    const insert = typeof item.insertText === 'string' ? item.insertText : item.insertText?.value;
    assert.equal(insert, `4,5 tỷ USD [@${ID_JAPAN}]`);
  });

  it('shows the source sentence when hovering the figure', async () => {
    const uri = draft('contradicted.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = rangeOf(doc, '5,4 tỷ USD').start.translate(0, 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
    const texts = hovers.map(hoverText);
    const ours = texts.find((t) => SOURCE_SENTENCE.test(t));
    assert.ok(ours, `hovers: ${JSON.stringify(texts)}`);
    assert.match(ours, /✗/);
    assert.match(ours, /Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm với Ukraine/);
  });

  it("applies the quick fix: the text takes the source's figure and the error goes away", async () => {
    const uri = draft('contradicted.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const [d] = await waitFor('a contradicted-figure diagnostic', () => (contradictions(uri).length ? contradictions(uri) : undefined), [diagnosticsOf(uri)], {
      describe: () => show(uri),
    });
    assert.ok(d);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined && /4,5 tỷ USD/.test(a.title));
    // What the editor and the server held then, should this ever fail (it did once in CI, and never again in seven runs).
    assert.ok(fix?.edit, `code actions: ${actions.map((a) => a.title).join(' | ')}; diagnostics: ${show(uri)}; status: ${JSON.stringify(api.statusBar.current)}; version ${doc.version}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'edit applied');
    assert.match(doc.getText(), /Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD/);
    assert.doesNotMatch(doc.getText(), /5,4 tỷ USD/);
    await waitFor('the contradiction to be cleared', () => (contradictions(uri).length === 0 ? true : undefined), [diagnosticsOf(uri)], { describe: () => show(uri) });
  });

  it('re-checks open drafts when a corpus file changes on disk', async () => {
    const stale = draft('watch-contradicted.md');
    const fresh = draft('watch-supported.md');
    await vscode.workspace.openTextDocument(stale);
    await vscode.workspace.openTextDocument(fresh);
    const before = (): boolean => contradictions(stale).length === 1 && contradictions(fresh).length === 0;
    await waitFor('5,4 contradicted and 4,5 supported before the edit', () => (before() ? true : undefined), [diagnosticsOf(stale), diagnosticsOf(fresh)], {
      describe: () => `${show(stale)} ${show(fresh)}`,
    });

    const corpusFile = vscode.Uri.joinPath(folder, 'corpus', `${ID_JAPAN}.txt`);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(corpusFile));
    assert.ok(text.includes('Kiev 4,5 tỷ USD'), 'the seed corpus says 4,5');
    await vscode.workspace.fs.writeFile(corpusFile, new TextEncoder().encode(text.replace('Kiev 4,5 tỷ USD', 'Kiev 5,4 tỷ USD')));

    const after = (): vscode.Diagnostic | undefined => (contradictions(stale).length === 0 ? contradictions(fresh)[0] : undefined);
    const d = await waitFor('5,4 supported and 4,5 contradicted after the edit', after, [diagnosticsOf(stale), diagnosticsOf(fresh)], {
      describe: () => `${show(stale)} ${show(fresh)}`,
    });
    assert.match(d.message, /5,4 tỷ USD/);
  });
});
