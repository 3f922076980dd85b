/**
 * Sourcemark's custom LSP messages, shared by the server and the VS Code client (and usable
 * from any editor). Each message is a namespace with its literal method name and typed `type`;
 * the comment says who sends it.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

export type IndexState = 'starting' | 'indexing' | 'ready';

export interface SourcemarkStatus {
  state: IndexState;
  articles: number;
  sentences: number;
  figures: number;
  agreements: number;
  /** Corpus files skipped or only partly read (see the output log for the reasons). */
  problems: number;
  /** Workspace folders with a corpus. */
  folders: number;
}

/** Client → server: the index state and counts (status bars, `:SourcemarkStatus`). */
export namespace StatusRequest {
  export const method = 'sourcemark/status' as const;
  export const type = new RequestType0<SourcemarkStatus, void>(method);
}

/** Server → client: the status changed (indexing started, progressed or ended). */
export namespace StatusNotification {
  export const method = 'sourcemark/statusChanged' as const;
  export const type = new NotificationType<SourcemarkStatus>(method);
}

/** Client → server: forget the index and read the corpus again. Resolves when done. */
export namespace ReindexRequest {
  export const method = 'sourcemark/reindex' as const;
  export const type = new RequestType0<SourcemarkStatus, void>(method);
}

export interface CheckAllResult {
  files: number;
  errors: number;
  warnings: number;
}

/** Client → server: check every draft of the workspace, publishing diagnostics for unopened drafts too. */
export namespace CheckAllRequest {
  export const method = 'sourcemark/checkAll' as const;
  export const type = new RequestType0<CheckAllResult, void>(method);
}

export interface BibliographyParams {
  /** Only `csl-json` for now. */
  format?: 'csl-json';
}

/** Client → server: the corpus as a bibliography (CSL-JSON items), for Pandoc. */
export namespace BibliographyRequest {
  export const method = 'sourcemark/bibliography' as const;
  export const type = new RequestType<BibliographyParams, unknown[], void>(method);
}

/** Settings section read with `workspace/configuration`. */
export const configurationSection = 'sourcemark';
