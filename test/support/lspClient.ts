/**
 * A minimal LSP client for protocol tests: spawns `node dist/server.js --stdio` and speaks
 * JSON-RPC to it through vscode-languageserver-protocol. Waits on conditions, never on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeParams,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ExitNotification,
  ShutdownRequest,
  DidOpenTextDocumentNotification,
  WorkDoneProgressCreateRequest,
  RegistrationRequest,
  ConfigurationRequest,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './memoryWorkspace';

export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcess;
  stderr: string[];
  /** Latest diagnostics per URI. */
  diagnostics: Map<string, PublishDiagnosticsParams>;
  /** Resolves when a publication for `uri` satisfies `predicate`. */
  waitForDiagnostics(uri: string, predicate?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Resolves when a work-done progress has ended `count` times in total. */
  waitForProgressEnd(count?: number): Promise<void>;
  progressEnds: number;
  registrations: unknown[];
  open(uri: string, text: string, version?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLsp(rootDir: string, settings: Record<string, unknown> = {}, extra: Partial<InitializeParams> = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const progressWaiters: { count: number; resolve: () => void }[] = [];
  const registrations: unknown[] = [];
  const session: LspSession = {
    connection,
    process: child,
    stderr,
    diagnostics,
    progressEnds: 0,
    registrations,
    waitForDiagnostics(uri, predicate = () => true) {
      const current = diagnostics.get(uri);
      if (current && predicate(current)) return Promise.resolve(current);
      return new Promise((resolve) => waiters.push({ uri, predicate, resolve }));
    },
    waitForProgressEnd(count = 1) {
      if (session.progressEnds >= count) return Promise.resolve();
      return new Promise((resolve) => progressWaiters.push({ count, resolve }));
    },
    async open(uri, text, version = 1) {
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version, text } });
    },
    async close() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.set(p.uri, p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.uri === p.uri && w.predicate(p)) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
  connection.onRequest(RegistrationRequest.type, (p) => {
    registrations.push(...p.registrations);
    return null;
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => settings));
  connection.onUnhandledNotification(() => undefined);
  // Progress arrives as `$/progress` notifications with any token.
  connection.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
    if (p.value?.kind !== 'end') return;
    session.progressEnds++;
    for (let i = progressWaiters.length - 1; i >= 0; i--) {
      if (session.progressEnds >= progressWaiters[i]!.count) progressWaiters.splice(i, 1)[0]!.resolve();
    }
  });
  connection.listen();
  const rootUri = pathToFileURL(rootDir).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: path.basename(rootDir) }],
    capabilities: {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true }, workspaceFolders: true },
      window: { workDoneProgress: true },
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
    },
    ...extra,
  } as InitializeParams);
  await connection.sendNotification(InitializedNotification.type, {});
  return session;
}

export const fileUri = (p: string): string => pathToFileURL(p).href;
