/**
 * The VS Code extension: starts the bundled language server (`dist/server.js`) over IPC for
 * Markdown documents and adds what LSP has no words for — the status bar item, the commands
 * and the Markdown preview plugin. All analysis happens in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { MarkdownIt } from 'markdown-it';
import { configurationSection } from '../../server/src/protocol';
import { serverEnvironment } from '../../server/src/node/launchEnv';
import { registerCommands } from './commands';
import { PreviewSupport } from './preview';
import { StatusBar } from './statusBar';

/** What `activate` returns: for extension tests, and VS Code's `markdown.markdownItPlugins`. */
export interface SourcemarkApi {
  client: LanguageClient;
  /** Resolves when the server has answered `initialize`; rejects when it could not start. */
  ready: Promise<void>;
  statusBar: StatusBar;
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): SourcemarkApi {
  const module = context.asAbsolutePath('dist/server.js');
  // Huge pages for the server's malloc on Linux: its warm start reads the index cache into
  // fresh memory (see launchEnv.ts).
  const env = serverEnvironment(process.env);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'markdown', scheme: 'file' },
      { language: 'markdown', scheme: 'untitled' },
    ],
    synchronize: { configurationSection },
    initializationOptions: {
      storagePath: context.storageUri?.fsPath ?? context.globalStorageUri.fsPath,
      // Only the user's own settings may let the corpus leave the workspace, never a workspace file.
      allowCorpusOutsideWorkspace: vscode.workspace.getConfiguration(configurationSection).inspect<boolean>('allowCorpusOutsideWorkspace')?.globalValue === true,
    },
  };
  // The id `sourcemark` makes the client honour the `sourcemark.trace.server` setting.
  client = new LanguageClient('sourcemark', 'Sourcemark', serverOptions, clientOptions);
  const ready = client.start();
  ready.catch((err: unknown) => {
    void vscode.window.showErrorMessage(`Sourcemark: the language server could not start: ${err instanceof Error ? err.message : String(err)}`);
  });

  const statusBar = new StatusBar(client, ready);
  const preview = new PreviewSupport(client, ready, statusBar);
  context.subscriptions.push(statusBar, preview, ...registerCommands(client, ready, statusBar));

  return { client, ready, statusBar, extendMarkdownIt: (md) => preview.extendMarkdownIt(md) };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  // A server that never started has nothing to stop.
  if (c?.needsStop()) await c.stop();
}
