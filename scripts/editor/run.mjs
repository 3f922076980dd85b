#!/usr/bin/env node
// `npm run test:editor`: the extension in a real editor, offline.
//
// 1. Installs what is missing into ~/.cache/sourcemark-editor (Debian chromium, Node 24 and
//    code-server from the npm registry; see install.mjs and shared/editor-e2e.md).
// 2. Builds the extension (`npm run build`, `npm run package`) and the test bundles.
// 3. Runs the extension-host mocha suite (test/editor/suite) inside code-server: the smoke-test
//    driver loads the development folder and the suite from the page's `payload`, and the exit
//    code arrives through `codeAutomationExit`, exposed with Playwright.
// 4. Runs the UI test (test/editor/ui) in headless Chromium against a second code-server with
//    the packaged .vsix installed; screenshots land in test-results/editor/.
//
// Every process it starts is stopped by process group, also on failure. Exits 1 on any failure
// and ends with the line `N passed, M failed`. Environment: SOURCEMARK_EDITOR_CACHE (cache
// folder), SOURCEMARK_EDITOR_KEEP=1 (keep the temporary run folder with logs and workspaces).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureEditorTools, node24Env, CHROMIUM } from './install.mjs';
import { buildEditorTests, createWorkspace, ROOT, SUITE_ENTRY, UI_ENTRY } from './common.mjs';

const SUITE_DEADLINE_MS = 5 * 60_000;
const START_DEADLINE_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Settings for the throwaway user-data folders: no tours, no update checks, no automatic suggestions. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  // Has Vietnamese's precomposed letters (the default monospace fonts here do not).
  'editor.fontFamily': "'Noto Sans Mono', monospace",
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnCommitCharacter': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.hover.delay': 200,
  'files.autoSave': 'off',
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // One rendered line per text line, so the UI test can read lines from the DOM.
  '[markdown]': { 'editor.wordWrap': 'off' },
};

process.setSourceMapsEnabled(true); // the UI test's stack traces point into test/editor/ui/ui.ts
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`[editor] ${msg}`);

/** Everything started here, stopped in `cleanup` (children by process group, then the browser). */
const servers = [];
let browser;
let runDir;
let failedOnce = false;

function run(cmd, args, options = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The members of process group `pgid` (pid, state, command), for the log. */
function groupMembers(pgid) {
  const r = spawnSync('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], { encoding: 'utf8' });
  return (r.stdout ?? '').trim();
}

/**
 * SIGTERM to the process group (code-server, its extension host, the language server, the
 * file watcher and the pty host), then SIGKILL to whatever is left after the grace period.
 */
async function stopServer(server) {
  const { child, name } = server;
  if (!groupAlive(child.pid)) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const end = Date.now() + STOP_GRACE_MS;
  // Cleanup, not a test wait: re-check the group every 100 ms until it is empty or the grace period ends.
  while (groupAlive(child.pid) && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(child.pid)) {
    log(`${name}: still running ${secs(STOP_GRACE_MS)} after SIGTERM, sending SIGKILL:\n${groupMembers(child.pid)}`);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    if (browser) await browser.close().catch((err) => log(`closing Chromium: ${err.message}`));
    for (const s of servers.splice(0).reverse()) await stopServer(s);
    if (runDir && existsSync(runDir)) {
      if (failedOnce || process.env.SOURCEMARK_EDITOR_KEEP === '1') log(`logs and workspaces kept in ${runDir}`);
      else rmSync(runDir, { recursive: true, force: true });
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    failedOnce = true;
    log(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Code-server folders: config on a random port of 127.0.0.1, throwaway user data and XDG folders. */
function serverDirs(name) {
  const dir = path.join(runDir, name);
  const dirs = { dir, config: path.join(dir, 'config.yaml'), userData: path.join(dir, 'user-data'), extensions: path.join(dir, 'extensions'), log: path.join(dir, 'code-server.log') };
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2) + '\n');
  return dirs;
}

function serverEnv(dirs, extra = {}) {
  return { ...node24Env(), XDG_CONFIG_HOME: path.join(dirs.dir, 'xdg-config'), XDG_DATA_HOME: path.join(dirs.dir, 'xdg-data'), ...extra };
}

function commonArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];
}

/** Starts code-server in its own process group; resolves with its base URL once it listens. */
async function startServer(name, dirs, tools, extraArgs, env) {
  const args = [tools.codeServerEntry, ...commonArgs(dirs), '--reconnection-grace-time', '10', ...extraArgs];
  const child = spawn(tools.node24, args, { cwd: dirs.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const server = { name, child, log: dirs.log };
  servers.push(server);
  const out = createWriteStream(dirs.log);
  let seen = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: code-server did not listen within ${secs(START_DEADLINE_MS)} (log: ${dirs.log})`)), START_DEADLINE_MS);
    const onData = (chunk) => {
      out.write(chunk);
      seen += chunk.toString();
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${name}: code-server could not start: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name}: code-server exited (${code ?? signal}) before listening; log: ${dirs.log}\n${seen.slice(-2000)}`));
    });
  });
  const health = await fetch(`${url}/healthz`);
  if (!health.ok) throw new Error(`${name}: ${url}/healthz answered ${health.status}`);
  log(`${name}: code-server (pid ${child.pid}) at ${url}`);
  return { ...server, url };
}

async function newPage(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const console_ = createWriteStream(path.join(runDir, `${name}-browser.log`));
  page.on('console', (m) => console_.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => console_.write(`[pageerror] ${e.stack ?? e.message}\n`));
  return page;
}

/** The extension-host suite inside code-server. Returns the per-test outcomes. */
async function runSuite(tools) {
  const dirs = serverDirs('suite');
  const workspace = createWorkspace(path.join(runDir, 'suite-workspace'));
  const resultsFile = path.join(dirs.dir, 'results.json');
  const server = await startServer('suite', dirs, tools, ['--vscode-option', 'enable-smoke-test-driver'], serverEnv(dirs, { SOURCEMARK_E2E_RESULTS: resultsFile }));
  const host = new URL(server.url).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${ROOT}`],
    ['extensionTestsPath', `vscode-remote://${host}${SUITE_ENTRY}`],
  ];
  const page = await newPage('suite');
  let onExit;
  const exited = new Promise((resolve) => (onExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code, logs) => onExit({ code, logs }));
  const started = Date.now();
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { waitUntil: 'domcontentloaded' });
  let timer;
  const deadline = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the extension-host suite did not finish within ${secs(SUITE_DEADLINE_MS)}`)), SUITE_DEADLINE_MS)));
  const serverDied = new Promise((_, reject) => server.child.once('exit', (code, signal) => reject(new Error(`code-server exited (${code ?? signal}) during the suite; log: ${dirs.log}`))));
  let exit;
  try {
    exit = await Promise.race([exited, deadline, serverDied]);
  } finally {
    clearTimeout(timer);
  }
  log(`suite: extension host exited with code ${exit.code} after ${secs(Date.now() - started)}`);
  if (Array.isArray(exit.logs)) {
    for (const l of exit.logs) writeFileSync(path.join(dirs.dir, `exthost-${path.basename(String(l.relativePath ?? 'log'))}`), String(l.contents ?? ''));
  }
  await page.context().close();
  await stopServer(server);
  servers.splice(servers.indexOf(server), 1);
  if (!existsSync(resultsFile)) throw new Error(`the suite wrote no results (exit code ${exit.code}); see ${dirs.log} and ${path.join(runDir, 'suite-browser.log')}`);
  const { outcomes, fatal } = JSON.parse(readFileSync(resultsFile, 'utf8'));
  if (fatal) log(`suite: could not run: ${fatal}`);
  if (exit.code !== 0 && outcomes.every((o) => o.state === 'passed')) outcomes.push({ title: 'extension host exit code', state: 'failed', durationMs: 0, error: `exit code ${exit.code}` });
  return outcomes;
}

/** The UI test against code-server with the packaged extension installed. */
async function runUi(tools, vsix) {
  const dirs = serverDirs('ui');
  const workspace = createWorkspace(path.join(runDir, 'ui-workspace'));
  log(`ui: installing ${path.basename(vsix)} into a throwaway extensions folder`);
  run(tools.node24, [tools.codeServerEntry, ...commonArgs(dirs), '--install-extension', vsix], { env: serverEnv(dirs) });
  const server = await startServer('ui', dirs, tools, [], serverEnv(dirs));
  const screenshotDir = path.join(ROOT, 'test-results', 'editor');
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  const { runUiTest } = createRequire(import.meta.url)(UI_ENTRY);
  const page = await newPage('ui');
  const started = Date.now();
  try {
    await runUiTest({ page, url: `${server.url}/?folder=${encodeURIComponent(workspace)}`, screenshotDir, log: (m) => log(`ui: ${m}`) });
    return { title: 'UI: open a draft, squiggle, Problems row, hover with the source sentence, figure completion', state: 'passed', durationMs: Date.now() - started };
  } catch (err) {
    return { title: 'UI test', state: 'failed', durationMs: Date.now() - started, error: `${err instanceof Error ? err.message : String(err)} (screenshot: ${path.join(screenshotDir, 'failure.png')})` };
  } finally {
    await page.context().close();
  }
}

async function main() {
  const outcomes = [];
  try {
    let t = Date.now();
    const tools = ensureEditorTools();
    log(`tools ready in ${secs(Date.now() - t)}`);

    t = Date.now();
    run('npm', ['run', 'build', '--silent']);
    run('npm', ['run', 'package', '--silent']);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
    if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
    await buildEditorTests();
    log(`built in ${secs(Date.now() - t)}`);

    runDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'sourcemark-editor-')));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

    t = Date.now();
    try {
      outcomes.push(...(await runSuite(tools)));
    } catch (err) {
      outcomes.push({ title: 'extension-host suite', state: 'failed', durationMs: Date.now() - t, error: err instanceof Error ? err.message : String(err) });
    }
    log(`extension-host suite: ${secs(Date.now() - t)}`);

    t = Date.now();
    outcomes.push(await runUi(tools, vsix));
    log(`UI test: ${secs(Date.now() - t)}`);
  } catch (err) {
    outcomes.push({ title: 'setup', state: 'failed', durationMs: 0, error: err instanceof Error ? err.message : String(err) });
  } finally {
    failedOnce ||= outcomes.some((o) => o.state !== 'passed');
    await cleanup();
  }

  console.log('');
  for (const o of outcomes) {
    console.log(`${o.state === 'passed' ? '  ✓' : '  ✗'} ${o.title} (${secs(o.durationMs)})`);
    if (o.error) console.log(o.error.replace(/^/gm, '      '));
  }
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  const failed = outcomes.length - passed;
  console.log(`\n[editor] total ${secs(Date.now() - t0)}`);
  if (failed) console.log('[editor] FAILED: see the messages above');
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
