/**
 * Protocol: the server keeps answering after malformed input (invalid JSON bytes, messages
 * that are not JSON-RPC, invalid params, unknown methods), a 100,000-line draft and corpus
 * entries it cannot read; cancelled requests answer RequestCancelled. After each case a
 * `sourcemark/status` request must still succeed and the process must be alive.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { CancellationTokenSource, ErrorCodes, FileChangeType, LSPErrorCodes, ResponseError, type CompletionItem, type Hover, type Location } from 'vscode-languageserver-protocol';
import { startLsp, type LspSession } from '../support/lspClient';
import { CONTRADICTED, ID_JAPAN, SUPPORTED, TempWorkspace } from './workspace';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> => p.then(
  (value) => ({ ok: true as const, value }),
  (error: unknown) => ({ ok: false as const, error }),
);
const frame = (body: string | Buffer): Buffer => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
};
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const DRAFTS_ON_DISK = 150;

describe('protocol: robustness', function () {
  this.timeout(30_000);
  let ws: TempWorkspace;
  let s: LspSession;

  const assertAnswering = async (): Promise<void> => {
    const status = await s.status();
    assert.equal(status.state, 'ready');
    assert.ok(status.articles >= 5, JSON.stringify(status));
    assert.ok(s.alive(), 'the server process is alive');
  };

  before(async () => {
    ws = new TempWorkspace();
    // Corpus entries that cannot be read as articles. Running as root (CI), chmod does not stop
    // reads, so: a folder named like an article, a dangling symlink, a link to a folder and binary data.
    fs.mkdirSync(ws.path('corpus/folder.txt'));
    fs.writeFileSync(ws.path('corpus/folder.txt/readme.pdf'), 'not an article');
    fs.symlinkSync(ws.path('corpus/nowhere.txt'), ws.path('corpus/dangling.txt'));
    fs.symlinkSync(ws.path('corpus/folder.txt'), ws.path('corpus/linked-folder.txt'));
    fs.writeFileSync(ws.path('corpus/binary.txt'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0xff, 0xfe]));
    if (!isRoot) {
      fs.writeFileSync(ws.path('corpus/locked.txt'), 'Một bài không đọc được.\n');
      fs.chmodSync(ws.path('corpus/locked.txt'), 0o000);
    }
    // Drafts on disk, so that references and checkAll have real work to cancel.
    for (let i = 0; i < DRAFTS_ON_DISK; i++) ws.write(`drafts/d${String(i).padStart(3, '0')}.md`, `# Nháp ${i}\n\n${SUPPORTED}\n`);
    s = await startLsp(ws.root);
    await s.waitForProgressEnd(1);
  });

  after(async () => {
    await s?.close();
    ws?.remove();
  });

  describe('unreadable corpus entries', () => {
    it('indexes the readable articles and counts the unreadable ones as problems', async () => {
      const status = await s.status();
      assert.equal(status.state, 'ready');
      assert.equal(status.articles, 5);
      assert.ok(status.problems >= (isRoot ? 1 : 2), `binary${isRoot ? '' : ' and permission denied'}: ${JSON.stringify(status)}`);
      assert.ok(s.logs.some((m) => /binary\.txt/.test(m)), s.logs.join('\n'));
      if (!isRoot) assert.ok(s.logs.some((m) => /locked\.txt.*permission denied/.test(m)), s.logs.join('\n'));
      await assertAnswering();
    });

    it('survives unreadable entries announced by the file watcher', async () => {
      const before = (await s.status()).problems;
      const uri = ws.write('check.md', `${CONTRADICTED}\n`);
      await s.open(uri, `${CONTRADICTED}\n`);
      await s.waitForDiagnostics(uri);
      const recheck = s.waitForNextDiagnostics(uri);
      await s.watchedFilesChanged([
        { uri: ws.uri('corpus/folder.txt'), type: FileChangeType.Created },
        { uri: ws.uri('corpus/dangling.txt'), type: FileChangeType.Created },
        { uri: ws.uri('corpus/linked-folder.txt'), type: FileChangeType.Changed },
        { uri: ws.uri('corpus/never-existed.txt'), type: FileChangeType.Deleted },
      ]);
      // The folder's open drafts are re-checked once the changes are handled.
      const after = await recheck;
      assert.ok(after.diagnostics.some((d) => d.code === 'contradicted-figure'), 'the corpus still works');
      const status = await s.status();
      assert.equal(status.articles, 5);
      assert.ok(status.problems >= before + 1, `a folder read as a file is a problem: ${JSON.stringify(status)}`);
      assert.ok(s.logs.some((m) => /folder\.txt.*is a folder/.test(m)), s.logs.join('\n'));
      await s.closeDocument(uri);
      await assertAnswering();
    });
  });

  describe('malformed messages', () => {
    it('invalid JSON bytes', async () => {
      await s.writeRaw(frame('{"jsonrpc": "2.0", "id": 9001, "method": "sourcemark/status", '));
      await s.writeRaw(frame(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80])));
      await assertAnswering();
    });

    it('JSON that is not a JSON-RPC message', async () => {
      for (const body of ['null', '42', '"text"', '[1, 2, 3]', '{"hello": "world"}', '{"jsonrpc": "2.0", "id": {"nested": true}, "method": 7}', '{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": "nope"}']) {
        await s.writeRaw(frame(body));
      }
      await assertAnswering();
    });

    it('requests with invalid params answer (a result or an error) and do not stop the server', async () => {
      const uri = ws.write('params.md', `${SUPPORTED}\n`);
      await s.open(uri, `${SUPPORTED}\n`);
      const requests: [string, unknown][] = [
        ['textDocument/hover', {}],
        ['textDocument/hover', { textDocument: { uri: 42 }, position: null }],
        ['textDocument/hover', { textDocument: { uri }, position: { line: -5, character: 'x' } }],
        ['textDocument/hover', { textDocument: { uri }, position: { line: 1e9, character: 1e9 } }],
        ['textDocument/completion', { textDocument: { uri }, position: null }],
        ['textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 1e9 } }],
        ['textDocument/codeAction', { textDocument: { uri }, range: null, context: null }],
        ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{ bogus: true }] } }],
        ['textDocument/definition', { textDocument: { uri }, position: { line: 0 } }],
        ['textDocument/references', {}],
        ['textDocument/references', { textDocument: { uri: 'not a uri' }, position: { line: 0, character: 0 } }],
        ['textDocument/references', { textDocument: { uri: ws.uri('corpus/folder.txt') }, position: { line: 0, character: 0 } }],
        ['textDocument/documentLink', { textDocument: null }],
        ['workspace/symbol', { query: 42 }],
        ['workspace/symbol', null],
        ['sourcemark/status', [1, 2, 3]],
        ['sourcemark/bibliography', { format: 'bibtex' }],
      ];
      for (const [method, params] of requests) {
        const result = await settle(s.connection.sendRequest(method, params));
        if (!result.ok) assert.ok(result.error instanceof ResponseError, `${method}: ${String(result.error)}`);
        assert.ok(s.alive(), `alive after ${method} ${JSON.stringify(params)}`);
      }
      // Notifications with invalid params.
      await s.connection.sendNotification('textDocument/didOpen', {});
      await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri: ws.uri('never-opened.md'), version: 2 }, contentChanges: [{ text: 'x' }] });
      await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 99, character: 0 }, end: { line: 0, character: 0 } }, text: 'Năm 2024' }] });
      await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 9 }, { uri: ws.uri('corpus/x.txt'), type: 'changed' }] });
      await s.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: null });
      await s.closeDocument(uri);
      await assertAnswering();
    });

    it('an unknown method answers MethodNotFound; an unknown notification is ignored', async () => {
      const result = await settle(s.connection.sendRequest('sourcemark/noSuchMethod', { a: 1 }));
      assert.ok(!result.ok && result.error instanceof ResponseError && result.error.code === ErrorCodes.MethodNotFound, String(!result.ok && result.error));
      await s.connection.sendNotification('sourcemark/noSuchNotification', { a: 1 });
      await s.connection.sendNotification('$/noSuchNotification', {});
      await assertAnswering();
    });
  });

  describe('cancellation', () => {
    it('a cancelled references request answers RequestCancelled', async () => {
      const cts = new CancellationTokenSource();
      const pending = settle(s.connection.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: ws.uri(`corpus/${ID_JAPAN}.txt`) }, position: { line: 0, character: 0 }, context: { includeDeclaration: true } }, cts.token));
      cts.cancel();
      const result = await pending;
      assert.ok(!result.ok && result.error instanceof ResponseError && result.error.code === LSPErrorCodes.RequestCancelled, JSON.stringify(result).slice(0, 300));
      // Not cancelled, the same request finds every draft on disk.
      const all = await s.connection.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: ws.uri(`corpus/${ID_JAPAN}.txt`) }, position: { line: 0, character: 0 }, context: { includeDeclaration: true } });
      assert.equal(all.filter((l) => l.uri.includes('/drafts/')).length, DRAFTS_ON_DISK);
    });

    it('a cancelled sourcemark/checkAll answers RequestCancelled', async () => {
      const cts = new CancellationTokenSource();
      const pending = settle(s.connection.sendRequest('sourcemark/checkAll', cts.token));
      cts.cancel();
      const result = await pending;
      assert.ok(!result.ok && result.error instanceof ResponseError && result.error.code === LSPErrorCodes.RequestCancelled, JSON.stringify(result).slice(0, 300));
      await assertAnswering();
    });

    it('cancelled feature requests answer (a result or RequestCancelled)', async () => {
      const uri = ws.write('cancel.md', `${CONTRADICTED}\n`);
      await s.open(uri, `${CONTRADICTED}\n`);
      const position = { line: 0, character: CONTRADICTED.indexOf('5,4') + 1 };
      for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/codeAction', 'textDocument/documentLink']) {
        const cts = new CancellationTokenSource();
        const params = method === 'textDocument/codeAction' ? { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } } : { textDocument: { uri }, position };
        const pending = settle(s.connection.sendRequest(method, params, cts.token));
        cts.cancel();
        const result = await pending;
        if (!result.ok) assert.ok(result.error instanceof ResponseError && result.error.code === LSPErrorCodes.RequestCancelled, `${method}: ${String(result.error)}`);
      }
      await s.closeDocument(uri);
      await assertAnswering();
    });
  });

  describe('a document with 100,000 lines', () => {
    it('is checked, answers requests and takes incremental edits', async function () {
      this.timeout(60_000);
      const lines: string[] = [];
      for (let i = 0; i < 100_000; i++) lines.push(i === 0 || i === 99_999 ? CONTRADICTED : `Dòng thứ ${i}: Kiev nhận thêm ${i % 97} xe tăng.`);
      const text = lines.join('\n');
      const uri = ws.uri('huge.md');
      await s.open(uri, text);
      const first = await s.waitForDiagnostics(uri, (p) => p.version === 1);
      assert.ok(first.diagnostics.some((d) => d.code === 'contradicted-figure' && d.range.start.line === 0), 'the start of the draft is checked');
      await assertAnswering();

      const hover = await s.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: CONTRADICTED.indexOf('5,4') + 1 } });
      assert.ok(hover, 'hover at the top');
      const last = { line: 99_999, character: CONTRADICTED.indexOf('5,4') + 1 };
      for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/documentLink']) await s.connection.sendRequest(method, { textDocument: { uri }, position: last });
      const items = await s.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 99_999, character: CONTRADICTED.length } });
      assert.ok(Array.isArray(items));

      // Fix the first figure: one small incremental edit in a huge document.
      const col = CONTRADICTED.indexOf('5,4');
      await s.change(uri, 2, [{ range: { start: { line: 0, character: col }, end: { line: 0, character: col + 3 } }, text: '4,5' }]);
      const second = await s.waitForDiagnostics(uri, (p) => p.version === 2);
      assert.ok(!second.diagnostics.some((d) => d.code === 'contradicted-figure' && d.range.start.line === 0), 'the edit reached the server');
      await s.closeDocument(uri);
      await assertAnswering();
    });
  });
});
