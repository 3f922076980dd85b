/** The package's identity, bundled in at build time so `dist/*.js` need no package.json beside them. */
import pkg from '../../package.json';

export const VERSION: string = pkg.version;

/** The package's `homepage`, when it declares one (never invented). */
export const HOMEPAGE: string | undefined = (pkg as { homepage?: string }).homepage;

declare const __SOURCEMARK_ENGINE__: string | undefined;

/**
 * Version plus the analysis core's source fingerprint (set by esbuild.mjs; `src` when running
 * from sources): what keys the on-disk index cache.
 */
export const ENGINE_VERSION: string = `${VERSION}+${typeof __SOURCEMARK_ENGINE__ === 'string' ? __SOURCEMARK_ENGINE__ : 'src'}`;
