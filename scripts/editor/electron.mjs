#!/usr/bin/env node
// `npm run test:electron`: the extension-host suite (test/editor/suite) in a VS Code that
// @vscode/test-electron downloads into .vscode-test/ (git-ignored). For machines that can reach
// VS Code's download servers (a developer's machine, a hosted CI runner); on machines that only
// reach the npm registry the download fails, and `npm run test:editor` runs the same suite
// inside code-server instead.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildEditorTests, createWorkspace, ROOT, SUITE_ENTRY } from './common.mjs';
import { spawnSync } from 'node:child_process';

const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await buildEditorTests();

const runDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'sourcemark-electron-')));
const workspace = createWorkspace(path.join(runDir, 'workspace'));
let code = 0;
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION || 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: SUITE_ENTRY,
    extensionTestsEnv: { SOURCEMARK_E2E_RESULTS: path.join(runDir, 'results.json') },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', path.join(runDir, 'user-data')],
  });
  console.log('test:electron: the extension-host suite passed');
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`test:electron: ${message}`);
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|download/i.test(message)) {
    console.error('test:electron: VS Code could not be downloaded here; `npm run test:editor` runs the same suite inside code-server, offline.');
  }
  code = 1;
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
process.exit(code);
