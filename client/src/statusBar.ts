/** The status bar item: index state and counts, kept current by `sourcemark/statusChanged`. */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification, StatusRequest, type SourcemarkStatus } from '../../server/src/protocol';
import { presentStatus } from './statusText';

export const SHOW_OUTPUT_COMMAND = 'sourcemark.showOutput';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sourcemark.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private status: SourcemarkStatus | undefined;
  private stopped = false;
  private readonly changed = new vscode.EventEmitter<SourcemarkStatus>();
  /** Fires with every status the server reports (tests and the preview wait on it). */
  readonly onDidChange = this.changed.event;

  constructor(client: LanguageClient, ready: Promise<void>) {
    this.item.name = 'Sourcemark';
    this.item.command = SHOW_OUTPUT_COMMAND;
    this.disposables.push(
      this.changed,
      client.onNotification(StatusNotification.type, (s) => this.update(s)),
      client.onDidChangeState((e) => {
        this.stopped = e.newState === State.Stopped;
        this.render();
      }),
    );
    this.render();
    this.item.show();
    void ready.then(
      () => client.sendRequest(StatusRequest.type).then((s) => this.update(s)),
      () => {
        this.stopped = true;
        this.render();
      },
    );
  }

  /** The last status the server reported, if any. */
  get current(): SourcemarkStatus | undefined {
    return this.status;
  }

  update(status: SourcemarkStatus): void {
    this.status = status;
    this.stopped = false;
    this.render();
    this.changed.fire(status);
  }

  private render(): void {
    const { text, tooltip } = presentStatus(this.status, this.stopped);
    this.item.text = text;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
