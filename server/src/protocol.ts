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
  /** Articles whose figures are not counted yet (`figures` leaves them out): a cold index counts them once it is ready. */
  figuresPending?: number;
  agreements: number;
  /** Corpus files skipped or only partly read (see the output log for the reasons). */
  problems: number;
  /** Workspace folders with a corpus. */
  folders: number;
  /** Grows whenever the indexed corpus changes (a file indexed, re-indexed or removed). */
  corpusVersion: number;
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

export interface PreviewDataParams {
  /** The draft's URI, as the client knows it. */
  uri: string;
}

/** A cited or source article, for links in a rendered preview. */
export interface PreviewArticle {
  id: string;
  /** The article's title, or its id when it has none. */
  title: string;
  /** The corpus file. */
  uri: string;
}

/** A checked figure of the draft, for marks in a rendered preview. */
export interface PreviewFigure {
  /** UTF-16 offsets into the draft text the server checked. */
  start: number;
  end: number;
  /** Zero-based line of `start` (renderers map blocks by line, which survives CRLF normalisation). */
  line: number;
  /** The figure as written in the draft. */
  text: string;
  verdict: 'supported' | 'contradicted' | 'unsupported';
  /** The source sentence that supports or contradicts the figure. */
  source?: string;
  /** Id of the article holding `source`. */
  sourceId?: string;
  /** `file:` URI of the source sentence, with a `#L<line>,<column>` fragment. */
  sourceUri?: string;
}

export interface PreviewData {
  /** Articles the draft cites (known keys only) and articles its verdicts point at. */
  articles: PreviewArticle[];
  figures: PreviewFigure[];
}

/** Client → server: citations and verdicts of one draft, for the Markdown preview. */
export namespace PreviewDataRequest {
  export const method = 'sourcemark/previewData' as const;
  export const type = new RequestType<PreviewDataParams, PreviewData, void>(method);
}
