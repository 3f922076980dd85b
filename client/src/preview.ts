/**
 * Connects the pure preview plugin to VS Code: data comes from `sourcemark/previewData`
 * through a client-side cache, refreshed when the draft's diagnostics change (the server
 * publishes them after every check) or the index changes; the preview re-renders when an
 * answer differs from what it showed.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { MarkdownIt } from 'markdown-it';
import { PreviewDataRequest } from '../../server/src/protocol';
import { PreviewDataCache } from './previewCache';
import { documentUriOf, englishLabels, sourcemarkPreviewPlugin, vietnameseLabels } from './previewPlugin';
import type { StatusBar } from './statusBar';

export class PreviewSupport implements vscode.Disposable {
  private readonly cache: PreviewDataCache;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshQueued = false;

  constructor(client: LanguageClient, ready: Promise<void>, statusBar: StatusBar) {
    this.cache = new PreviewDataCache(
      async (uri) => {
        await ready;
        return client.sendRequest(PreviewDataRequest.type, { uri });
      },
      () => this.refreshPreview(),
      (uri, err) => client.outputChannel.appendLine(`[preview] ${uri}: ${err instanceof Error ? err.message : String(err)}`),
    );
    this.disposables.push(
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) if (this.cache.has(uri.toString())) void this.cache.refresh(uri.toString());
      }),
      statusBar.onDidChange((s) => {
        if (s.state === 'ready') for (const uri of this.cache.uris()) void this.cache.refresh(uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString())),
    );
  }

  /** The `extendMarkdownIt` VS Code calls for `markdown.markdownItPlugins`. */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt {
    return sourcemarkPreviewPlugin(md, {
      dataFor: (env) => {
        const uri = documentUriOf(env);
        return uri ? this.cache.get(uri) : undefined;
      },
      labels: () => (vscode.workspace.getConfiguration('sourcemark').get('locale') === 'vi' ? vietnameseLabels : englishLabels),
    });
  }

  /** One preview refresh for any number of answers arriving together. */
  private refreshPreview(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    void Promise.resolve().then(() => {
      this.refreshQueued = false;
      return vscode.commands.executeCommand('markdown.preview.refresh');
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
