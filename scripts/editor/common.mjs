// Shared by the editor test runners: the repository root, the test bundles and the
// temporary test workspace (a copy of corpus/ and test/editor/workspace/drafts/).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = path.join(ROOT, 'out', 'editor-tests');
/** `extensionTestsPath`: the mocha entry point VS Code's extension host loads. */
export const SUITE_ENTRY = path.join(OUT, 'index.js');
export const UI_ENTRY = path.join(OUT, 'ui.js');

/** Bundles test/editor into out/editor-tests/ (vscode, mocha and playwright-core stay external). */
export async function buildEditorTests() {
  const suiteDir = path.join(ROOT, 'test', 'editor', 'suite');
  const entryPoints = {
    index: path.join(suiteDir, 'index.ts'),
    ui: path.join(ROOT, 'test', 'editor', 'ui', 'ui.ts'),
  };
  for (const f of readdirSync(suiteDir).filter((f) => f.endsWith('.e2e.ts'))) entryPoints[f.replace(/\.ts$/, '')] = path.join(suiteDir, f);
  await esbuild.build({
    entryPoints,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'playwright-core'],
    logLevel: 'warning',
  });
}

/** Makes `dir` a test workspace: corpus/ copied from the repository, plus drafts/. Returns its real path. */
export function createWorkspace(dir) {
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(ROOT, 'corpus'), path.join(dir, 'corpus'), { recursive: true });
  cpSync(path.join(ROOT, 'test', 'editor', 'workspace', 'drafts'), path.join(dir, 'drafts'), { recursive: true });
  return realpathSync(dir);
}
