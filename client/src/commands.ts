/**
 * The four Sourcemark commands. Each returns its result (status, counts, location, file) so
 * extension tests can call them through `vscode.commands.executeCommand`; information
 * messages are never awaited (they resolve only when dismissed).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BibliographyRequest, CheckAllRequest, ReindexRequest, type CheckAllResult, type SourcemarkStatus } from '../../server/src/protocol';
import { SHOW_OUTPUT_COMMAND, type StatusBar } from './statusBar';
import { count } from './statusText';

export function registerCommands(client: LanguageClient, ready: Promise<void>, statusBar: StatusBar): vscode.Disposable[] {
  /** Runs a command body, reporting failures instead of throwing into the command palette. */
  const guarded =
    <A extends unknown[], R>(name: string, body: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        await ready;
        return await body(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        client.outputChannel.appendLine(`[${name}] ${message}`);
        void vscode.window.showErrorMessage(`Sourcemark: ${name} failed: ${message}`);
        return undefined;
      }
    };

  const reindex = guarded('reindex', async (): Promise<SourcemarkStatus> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Sourcemark: reindexing corpus' }, async () => {
      const status = await client.sendRequest(ReindexRequest.type);
      statusBar.update(status);
      void vscode.window.showInformationMessage(`Sourcemark indexed ${count(status.articles, 'article')} (${count(status.figures, 'figure')}).`);
      return status;
    }),
  );

  const checkAll = guarded('check all drafts', async (): Promise<CheckAllResult | undefined> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Sourcemark: checking all drafts…', cancellable: true }, async (_progress, token) => {
      try {
        const result = await client.sendRequest(CheckAllRequest.type, token);
        const message = `Sourcemark checked ${count(result.files, 'draft')}: ${count(result.errors, 'error')}, ${count(result.warnings, 'warning')}.`;
        void vscode.window.showInformationMessage(message, 'Show Problems').then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
        return result;
      } catch (err) {
        if (token.isCancellationRequested) return undefined;
        throw err;
      }
    }),
  );

  const openSource = guarded('open source', async (): Promise<vscode.Location | undefined> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'markdown') {
      void vscode.window.showInformationMessage('Sourcemark: put the cursor on a figure or a citation key in a Markdown draft.');
      return undefined;
    }
    const doc = editor.document.uri;
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>('vscode.executeDefinitionProvider', doc, editor.selection.active);
    const locations = (found ?? []).map(toLocation);
    // Other providers (Markdown's own) may answer with places in the draft itself; the source is elsewhere.
    const target = locations.find((l) => l.uri.toString() !== doc.toString()) ?? locations[0];
    if (!target) {
      void vscode.window.showInformationMessage('Sourcemark: no source found for the figure or citation at the cursor.');
      return undefined;
    }
    await vscode.window.showTextDocument(target.uri, { selection: target.range, preview: true });
    return target;
  });

  /** `target` skips the save dialog (for tests and keybindings with arguments). */
  const exportBibliography = guarded('export bibliography', async (target?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    const items = await client.sendRequest(BibliographyRequest.type, { format: 'csl-json' });
    if (!items.length) {
      void vscode.window.showWarningMessage('Sourcemark: the corpus has no articles yet, so there is nothing to export.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            title: 'Export bibliography (CSL-JSON)',
            saveLabel: 'Export',
            filters: { 'CSL-JSON': ['json'] },
            ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'bibliography.json') } : {}),
          });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(items, null, 2) + '\n'));
    void vscode.window
      .showInformationMessage(`Sourcemark exported ${count(items.length, 'article')} to ${vscode.workspace.asRelativePath(uri)}.`, 'Open')
      .then((choice) => choice && vscode.window.showTextDocument(uri));
    return uri;
  });

  return [
    vscode.commands.registerCommand('sourcemark.reindex', reindex),
    vscode.commands.registerCommand('sourcemark.checkAll', checkAll),
    vscode.commands.registerCommand('sourcemark.openSource', openSource),
    vscode.commands.registerCommand('sourcemark.exportBibliography', exportBibliography),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => client.outputChannel.show(true)),
  ];
}

function toLocation(l: vscode.Location | vscode.LocationLink): vscode.Location {
  return 'targetUri' in l ? new vscode.Location(l.targetUri, l.targetSelectionRange ?? l.targetRange) : l;
}
