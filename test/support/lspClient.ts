/**
 * A minimal LSP client for protocol tests: spawns `node dist/server.js --stdio` and speaks
 * JSON-RPC to it through vscode-languageserver-protocol. Waits on conditions, never on time:
 * every `waitFor…` resolves when a message satisfying it arrives and rejects when the server
 * process exits (mocha's per-test timeout bounds the rest).
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
  type InitializeResult,
  type ConfigurationParams,
  type Registration,
  type FileEvent,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
  type WorkDoneProgressEnd,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ExitNotification,
  ShutdownRequest,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification,
  WorkDoneProgressCreateRequest,
  RegistrationRequest,
  UnregistrationRequest,
  ConfigurationRequest,
  LogMessageNotification,
} from 'vscode-languageserver-protocol/node';
import { StatusNotification, StatusRequest, type SourcemarkStatus } from '../../server/src/protocol';
import { repoRoot } from './memoryWorkspace';

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcess;
  stderr: string[];
  initializeResult: InitializeResult;
  /** Latest diagnostics per URI. */
  diagnostics: Map<string, PublishDiagnosticsParams>;
  /** Every diagnostics publication, in arrival order. */
  publications: PublishDiagnosticsParams[];
  /** Resolves when a publication for `uri` satisfies `predicate` (the latest one counts, if it already does). */
  waitForDiagnostics(uri: string, predicate?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Resolves when a publication for `uri` arrives after this call and satisfies `predicate`. */
  waitForNextDiagnostics(uri: string, predicate?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Resolves when a work-done progress has ended `count` times in total. */
  waitForProgressEnd(count?: number): Promise<void>;
  progressEnds: number;
  /** Every `$/progress` value received, in order. */
  progress: ProgressValue[];
  /** Every `sourcemark/statusChanged` notification, in order. */
  statuses: SourcemarkStatus[];
  /** Resolves with the first status notification (received or to come) satisfying `predicate`. */
  waitForStatus(predicate: (s: SourcemarkStatus) => boolean): Promise<SourcemarkStatus>;
  /** Every `workspace/configuration` request the server made. */
  configurationRequests: ConfigurationParams[];
  /** Registrations in force (dynamic registrations minus unregistrations). */
  registrations: Registration[];
  /** Resolves when a registration for `method` satisfying `predicate` is in force. */
  waitForRegistration(method: string, predicate?: (r: Registration) => boolean): Promise<Registration>;
  /** What `workspace/configuration` answers (per item). Mutable: change it, then `changeConfiguration()`. */
  settings: Record<string, unknown>;
  open(uri: string, text: string, version?: number): Promise<void>;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void>;
  closeDocument(uri: string): Promise<void>;
  watchedFilesChanged(changes: FileEvent[]): Promise<void>;
  changeConfiguration(): Promise<void>;
  status(): Promise<SourcemarkStatus>;
  /** Writes bytes straight to the server's stdin (for malformed-input tests). */
  writeRaw(data: string | Buffer): Promise<void>;
  /** Resolves when the server has asked to create its first work-done progress. */
  waitForProgressCreate(): Promise<void>;
  /** Answers the first `window/workDoneProgress/create` (held with `holdFirstProgress`). */
  releaseProgress(): void;
  /** Answers the `workspace/configuration` requests held with `holdConfiguration`, and those to come. */
  releaseConfiguration(): void;
  /** `window/logMessage` texts, in order. */
  logs: string[];
  /** Resolves with the first log text (received or to come) matching `pattern`. */
  waitForLog(pattern: RegExp): Promise<string>;
  alive(): boolean;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Delay the answer to the first `window/workDoneProgress/create` until `releaseProgress()`: indexing waits for it. */
  holdFirstProgress?: boolean;
  /** Delay the answers to `workspace/configuration` until `releaseConfiguration()`. */
  holdConfiguration?: boolean;
  /** Workspace folders to send (default: `rootDir` alone). `null`: send only `rootUri`. */
  folders?: string[] | null;
  /** The server's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

type Waiter<T> = { test: (v: T) => boolean; resolve: (v: T) => void; reject: (e: Error) => void };

/** Not a wait: how long a server may take to exit after `exit` before it is killed. */
const EXIT_GRACE_MS = 5_000;

export async function startLsp(rootDir: string, settings: Record<string, unknown> = {}, extra: Partial<InitializeParams> = {}, options: StartOptions = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  // Writes to a dead server must not crash the test process.
  child.stdin!.on('error', () => undefined);
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const publications: PublishDiagnosticsParams[] = [];
  const diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  const progressWaiters: Waiter<number>[] = [];
  const registrationWaiters: Waiter<Registration>[] = [];
  const statusWaiters: Waiter<SourcemarkStatus>[] = [];
  const logWaiters: Waiter<string>[] = [];
  const registrations: Registration[] = [];
  let exited = false;
  let exitReason = '';
  let releaseFirstProgress: (() => void) | undefined;
  let firstProgressHeld = false;
  let progressCreated!: () => void;
  let releaseConfiguration: () => void = () => undefined;
  const configurationReleased = options.holdConfiguration ? new Promise<void>((resolve) => (releaseConfiguration = resolve)) : undefined;
  const progressCreatedPromise = new Promise<void>((resolve) => (progressCreated = resolve));

  const settle = <T>(waiters: Waiter<T>[], value: T): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.test(value)) {
        waiters.splice(i, 1);
        w.resolve(value);
      }
    }
  };
  const wait = <T>(waiters: Waiter<T>[], test: (v: T) => boolean): Promise<T> => {
    if (exited) return Promise.reject(new Error(`server exited (${exitReason})`));
    return new Promise<T>((resolve, reject) => waiters.push({ test, resolve, reject }));
  };
  child.once('exit', (code, signal) => {
    exited = true;
    exitReason = `code ${code}, signal ${signal}; stderr: ${stderr.join('').slice(-2000)}`;
    const err = new Error(`server exited (${exitReason})`);
    for (const list of [diagnosticWaiters, progressWaiters, registrationWaiters, statusWaiters, logWaiters] as Waiter<never>[][]) for (const w of list.splice(0)) w.reject(err);
  });

  const session: LspSession = {
    connection,
    process: child,
    stderr,
    initializeResult: undefined as unknown as InitializeResult,
    diagnostics,
    publications,
    progressEnds: 0,
    progress: [],
    statuses: [],
    configurationRequests: [],
    logs: [],
    registrations,
    settings,
    waitForDiagnostics(uri, predicate = () => true) {
      const current = diagnostics.get(uri);
      if (current && predicate(current)) return Promise.resolve(current);
      return session.waitForNextDiagnostics(uri, predicate);
    },
    waitForNextDiagnostics(uri, predicate = () => true) {
      return wait(diagnosticWaiters, (p) => p.uri === uri && predicate(p));
    },
    async waitForProgressEnd(count = 1) {
      if (session.progressEnds >= count) return;
      await wait(progressWaiters, (n) => n >= count);
    },
    waitForStatus(predicate) {
      const found = session.statuses.find(predicate);
      return found ? Promise.resolve(found) : wait(statusWaiters, predicate);
    },
    waitForLog(pattern) {
      const found = session.logs.find((l) => pattern.test(l));
      return found !== undefined ? Promise.resolve(found) : wait(logWaiters, (l) => pattern.test(l));
    },
    waitForRegistration(method, predicate = () => true) {
      const test = (r: Registration): boolean => r.method === method && predicate(r);
      const found = registrations.find(test);
      return found ? Promise.resolve(found) : wait(registrationWaiters, test);
    },
    async open(uri, text, version = 1) {
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version, text } });
    },
    async change(uri, version, contentChanges) {
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
    },
    async closeDocument(uri) {
      await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    },
    async watchedFilesChanged(changes) {
      await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
    },
    async changeConfiguration() {
      await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    },
    status() {
      return connection.sendRequest(StatusRequest.type);
    },
    writeRaw(data) {
      return new Promise<void>((resolve, reject) => child.stdin!.write(data, (err) => (err ? reject(err) : resolve())));
    },
    waitForProgressCreate() {
      return progressCreatedPromise;
    },
    releaseProgress() {
      firstProgressHeld = true;
      releaseFirstProgress?.();
    },
    releaseConfiguration() {
      releaseConfiguration();
    },
    alive() {
      return !exited && child.exitCode === null && child.signalCode === null;
    },
    async close() {
      if (session.alive()) {
        try {
          await connection.sendRequest(ShutdownRequest.type);
          await connection.sendNotification(ExitNotification.type);
        } catch {
          // already gone
        }
      }
      if (session.alive()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      connection.dispose();
    },
  };

  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.set(p.uri, p);
    publications.push(p);
    settle(diagnosticWaiters, p);
  });
  connection.onNotification(StatusNotification.type, (s) => {
    session.statuses.push(s);
    settle(statusWaiters, s);
  });
  connection.onRequest(WorkDoneProgressCreateRequest.type, async () => {
    progressCreated();
    if (options.holdFirstProgress && !firstProgressHeld) {
      firstProgressHeld = true;
      await new Promise<void>((resolve) => (releaseFirstProgress = resolve));
    }
  });
  connection.onRequest(RegistrationRequest.type, (p) => {
    for (const r of p.registrations) {
      registrations.push(r);
      settle(registrationWaiters, r);
    }
  });
  connection.onRequest(UnregistrationRequest.type, (p) => {
    for (const u of p.unregisterations) {
      const i = registrations.findIndex((r) => r.id === u.id);
      if (i >= 0) registrations.splice(i, 1);
    }
  });
  connection.onRequest(ConfigurationRequest.type, async (p) => {
    session.configurationRequests.push(p);
    await configurationReleased;
    return p.items.map(() => session.settings);
  });
  connection.onNotification(LogMessageNotification.type, (p) => {
    session.logs.push(p.message);
    settle(logWaiters, p.message);
  });
  connection.onUnhandledNotification(() => undefined);
  connection.onError(() => undefined);
  // Progress arrives as `$/progress` notifications with any token.
  connection.onNotification('$/progress', (p: { value?: ProgressValue }) => {
    if (!p.value) return;
    session.progress.push(p.value);
    if (p.value.kind !== 'end') return;
    session.progressEnds++;
    settle(progressWaiters, session.progressEnds);
  });
  connection.listen();
  const rootUri = pathToFileURL(rootDir).href;
  const folders = options.folders === undefined ? [rootDir] : options.folders;
  session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: folders ? folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })) : null,
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
