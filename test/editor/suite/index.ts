/**
 * Entry point of the extension-host suite (`extensionTestsPath`): VS Code requires this
 * module and awaits `run()`; a rejection makes the editor exit with a non-zero code (under
 * code-server, through the smoke-test driver's `codeAutomationExit`).
 *
 * Bundled by scripts/editor/build.mjs into out/editor-tests/index.js beside the suite files
 * (`*.e2e.js`). When SOURCEMARK_E2E_RESULTS names a file, each test's outcome is also written
 * there as JSON, for runners that cannot read the extension host's console.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

// mocha 12 is an ES module; its CommonJS build loads the same way in Electron and in Node 24.
const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaType;

export function run(): Promise<void> {
  // Stack traces point into test/editor/suite/*.ts (the bundles carry inline source maps).
  process.setSourceMapsEnabled(true);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 90_000 });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.e2e.js')).sort()) mocha.addFile(path.join(__dirname, file));
  const outcomes: TestOutcome[] = [];
  const resultsFile = process.env.SOURCEMARK_E2E_RESULTS;
  const save = (fatal?: string): void => {
    if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify({ outcomes, fatal }, null, 2) + '\n');
  };
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        save();
        if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
        else if (outcomes.length === 0) reject(new Error('no editor test ran'));
        else resolve();
      });
      runner.on('pass', (test) => outcomes.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
      runner.on('fail', (test, err: unknown) =>
        outcomes.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
    } catch (err) {
      save(err instanceof Error ? (err.stack ?? err.message) : String(err));
      reject(err);
    }
  });
}
