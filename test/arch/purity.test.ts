/**
 * Architecture invariant: the analysis core (server/src/core) imports no Node built-in,
 * no `vscode` and no LSP transport. IO comes in through the workspace interface.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { repoRoot } from '../support/memoryWorkspace';

const FORBIDDEN = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageclient', 'vscode-jsonrpc', 'vscode-languageserver-protocol', 'fast-glob', 'picomatch']);

function* files(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

describe('architecture', () => {
  it('keeps the core free of Node, vscode and LSP imports', () => {
    const offenders: string[] = [];
    for (const file of files(path.join(repoRoot, 'server/src/core'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (FORBIDDEN.has(spec) || spec.startsWith('node:')) offenders.push(`${path.relative(repoRoot, file)} imports ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
