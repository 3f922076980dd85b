/** The evidence a diagnostic points at in the corpus, as the CLI's outputs show it. */
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../core/check/diagnostics';
import type { Range } from '../../core/types';
import { relativePath } from '../drafts';

export interface Evidence {
  /** Corpus file relative to the working directory (or the URI as given when it is no file). */
  path: string;
  /** Zero-based, as in LSP. */
  range: Range;
  /** `id — title: “source sentence”`. */
  message: string;
}

/** The first related location of `d` (the source sentence behind the verdict), if any. */
export function evidenceOf(d: Diagnostic, cwd: string): Evidence | undefined {
  const info = d.relatedInformation?.[0];
  if (!info) return undefined;
  return { path: uriToPath(info.location.uri, cwd), range: info.location.range, message: info.message };
}

/** `file:` URIs become paths relative to `cwd`; other URIs (none today) pass through. */
export function uriToPath(uri: string, cwd: string): string {
  return uri.startsWith('file:') ? relativePath(cwd, fileURLToPath(uri)) : uri;
}
