/**
 * The corpus as a CSL-JSON bibliography. The conversion is pure and lives in the core
 * (`server/src/core/bibliography.ts`), shared with the language server; re-exported here
 * for the `bib` command and its tests.
 */
export { dateParts, toCslItems, type CslItem } from '../core/bibliography';
