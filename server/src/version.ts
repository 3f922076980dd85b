/** The package's identity, bundled in at build time so `dist/*.js` need no package.json beside them. */
import pkg from '../../package.json';

export const VERSION: string = pkg.version;

/** The package's `homepage`, when it declares one (never invented). */
export const HOMEPAGE: string | undefined = (pkg as { homepage?: string }).homepage;
