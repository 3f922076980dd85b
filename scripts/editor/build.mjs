// Bundles the editor tests into out/editor-tests/ (run by the editor test runners; handy alone
// when pointing a VS Code launch configuration at out/editor-tests/index.js).
import { buildEditorTests, OUT } from './common.mjs';

await buildEditorTests();
console.log(`editor tests bundled into ${OUT}`);
