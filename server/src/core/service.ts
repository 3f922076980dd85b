/**
 * The one entry point of the analysis core. Hosts (the language server, the CLI, tests)
 * create a service with an injected workspace and call its methods; nothing here touches
 * the file system, the network or an editor API.
 */
import { parse as parseYaml } from 'yaml';
import type { ArticleMeta, Problem } from './types';
import { Corpus } from './corpus/corpus';
import { decodeText } from './corpus/decode';
import { BlockCache, checkDraft, defaultThresholds, type DraftCheck } from './check/checkDraft';
import { toDiagnostics, type Diagnostic } from './check/diagnostics';
import type { SourcemarkSettings } from './settings';
import { throwIfCancelled, type CancellationToken } from './cancellation';
import { extractAgreements, type AgreementRecord } from './agreements/extractAgreements';
import type * as lsp from 'vscode-languageserver-types';
import { LineIndex } from './text/lineIndex';
import type { CheckedDraft, DraftDocument, FeatureContext } from './languageFeatures/context';
import { provideCompletions } from './languageFeatures/completion';
import { provideHover } from './languageFeatures/hover';
import { provideCodeActions } from './languageFeatures/codeActions';
import { provideDefinition, provideDocumentLinks, provideReferences, provideWorkspaceSymbols, referencedArticles } from './languageFeatures/navigation';

export type { DraftDocument } from './languageFeatures/context';

/** A file the workspace can hand over. */
export interface WorkspaceFile {
  uri: string;
  /** Path relative to the workspace folder, for messages. */
  path: string;
}

/** How the core reaches files. The server implements it over the disk and open documents. */
export interface SourcemarkWorkspace {
  /** Corpus files matching the globs, in a stable order. */
  findFiles(globs: readonly string[], token?: CancellationToken): Promise<WorkspaceFile[]>;
  /** The bytes of a file, or `undefined` when it does not exist. Throws with a reason when unreadable. */
  readFile(uri: string, token?: CancellationToken): Promise<Uint8Array | undefined>;
}

export interface Logger {
  warn(message: string): void;
  info(message: string): void;
}

export interface IndexProgress {
  (done: number, total: number): void;
}

export interface SourcemarkService {
  /** Indexes every corpus file; reports progress; returns the problems met. */
  indexCorpus(settings: SourcemarkSettings, progress?: IndexProgress, token?: CancellationToken): Promise<Problem[]>;
  /** Re-reads one corpus file (added or changed). */
  updateCorpusFile(file: WorkspaceFile, token?: CancellationToken): Promise<Problem[]>;
  /** Forgets one corpus file. */
  removeCorpusFile(uri: string): boolean;
  /** Checks a draft: verdicts per figure and the diagnostics to show. */
  checkDraft(text: string, settings: SourcemarkSettings, token?: CancellationToken): { check: DraftCheck; diagnostics: Diagnostic[] };
  /** Agreement records of the whole corpus. */
  agreements(): AgreementRecord[];
  /** Counts for status bars and `sourcemark index --stats`. */
  stats(): { articles: number; sentences: number; figures: number; agreements: number };
  /** The corpus model, for feature providers. */
  readonly corpus: Corpus;

  /** The check and diagnostics of a draft, cached per document version and corpus version. */
  checkDocument(doc: DraftDocument, settings: SourcemarkSettings, token?: CancellationToken): { checked: CheckedDraft; diagnostics: Diagnostic[] };
  /** Forgets the cached check of a closed document. */
  forgetDocument(uri: string): void;
  provideCompletions(doc: DraftDocument, position: lsp.Position, settings: SourcemarkSettings, token?: CancellationToken): lsp.CompletionItem[];
  provideHover(doc: DraftDocument, position: lsp.Position, settings: SourcemarkSettings, token?: CancellationToken): lsp.Hover | undefined;
  provideCodeActions(doc: DraftDocument, range: lsp.Range, diagnostics: readonly lsp.Diagnostic[], settings: SourcemarkSettings, token?: CancellationToken): lsp.CodeAction[];
  provideDefinition(doc: DraftDocument, position: lsp.Position, settings: SourcemarkSettings, token?: CancellationToken): lsp.Location[];
  /** Citations of the article under the cursor (in a draft) or of the corpus file `doc` itself, across `drafts`. */
  provideReferences(doc: DraftDocument, position: lsp.Position, drafts: Iterable<DraftDocument>, settings: SourcemarkSettings, token?: CancellationToken): lsp.Location[];
  provideWorkspaceSymbols(query: string, settings: SourcemarkSettings, token?: CancellationToken): lsp.SymbolInformation[];
  provideDocumentLinks(doc: DraftDocument, settings: SourcemarkSettings, token?: CancellationToken): lsp.DocumentLink[];
}

/** Creates the analysis service. */
export function createSourcemarkService(init: { workspace: SourcemarkWorkspace; logger?: Logger }): SourcemarkService {
  const { workspace, logger } = init;
  const corpus = new Corpus();
  let agreementCache: { version: number; records: AgreementRecord[] } | undefined;

  const report = (problems: Problem[]): Problem[] => {
    for (const p of problems) logger?.warn(`${p.file}: ${p.message}`);
    return problems;
  };

  async function loadFile(file: WorkspaceFile, token?: CancellationToken): Promise<Problem[]> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await workspace.readFile(file.uri, token);
    } catch (err) {
      corpus.deleteFile(file.uri);
      return [{ file: file.path, severity: 'error', message: `unreadable, skipped: ${errorMessage(err)}` }];
    }
    throwIfCancelled(token);
    if (bytes === undefined) {
      corpus.deleteFile(file.uri);
      return [];
    }
    const decoded = decodeText(bytes);
    if ('error' in decoded) {
      corpus.deleteFile(file.uri);
      return [{ file: file.path, severity: 'warning', message: decoded.error }];
    }
    const problems: Problem[] = decoded.warning ? [{ file: file.path, severity: 'warning', message: decoded.warning }] : [];
    const sidecar = await readSidecar(file, problems, token);
    problems.push(...corpus.setFile({ uri: file.uri, path: file.path, content: decoded.text, ...(sidecar ? { sidecar } : {}) }));
    return problems;
  }

  async function readSidecar(file: WorkspaceFile, problems: Problem[], token?: CancellationToken): Promise<Partial<ArticleMeta> | undefined> {
    const uri = file.uri.replace(/\.(txt|md|markdown|jsonl)$/i, '.meta.yaml');
    if (uri === file.uri) return undefined;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await workspace.readFile(uri, token);
    } catch {
      return undefined;
    }
    if (!bytes) return undefined;
    const decoded = decodeText(bytes);
    if ('error' in decoded) return undefined;
    try {
      const data: unknown = parseYaml(decoded.text, { maxAliasCount: 100, prettyErrors: false, logLevel: 'error' });
      if (!data || typeof data !== 'object') return undefined;
      const meta: Partial<ArticleMeta> = {};
      for (const key of ['id', 'title', 'outlet', 'date', 'url', 'lead'] as const) {
        const v = (data as Record<string, unknown>)[key];
        if (typeof v === 'string' || typeof v === 'number') meta[key] = String(v).slice(0, 500);
        else if (v instanceof Date) meta[key] = v.toISOString().slice(0, 10);
      }
      return meta;
    } catch (err) {
      problems.push({ file: file.path.replace(/\.[^.]+$/, '.meta.yaml'), severity: 'warning', message: `metadata ignored: ${errorMessage(err)}` });
      return undefined;
    }
  }

  const checks = new Map<string, { key: string; checked: CheckedDraft; diagnostics: Diagnostic[] }>();
  const blockCaches = new Map<string, BlockCache>();
  const featureContext = (settings: SourcemarkSettings): FeatureContext => ({ corpus, agreements: () => service.agreements(), locale: settings.locale });
  const checked = (doc: DraftDocument, settings: SourcemarkSettings, token?: CancellationToken): CheckedDraft => service.checkDocument(doc, settings, token).checked;
  const offsetOf = (draft: CheckedDraft, position: lsp.Position): number => draft.lines.offsetAt(position);

  const service: SourcemarkService = {
    corpus,
    async indexCorpus(settings, progress, token) {
      const files = await workspace.findFiles(settings.corpus, token);
      const problems: Problem[] = [];
      const keep = new Set(files.map((f) => f.uri));
      for (const a of corpus.articles()) if (!keep.has(a.uri)) corpus.deleteFile(a.uri);
      let done = 0;
      for (const file of files) {
        throwIfCancelled(token);
        problems.push(...(await loadFile(file, token)));
        progress?.(++done, files.length);
      }
      return report(problems);
    },
    async updateCorpusFile(file, token) {
      return report(await loadFile(file, token));
    },
    removeCorpusFile(uri) {
      return corpus.deleteFile(uri);
    },
    checkDraft(text, settings, token) {
      const check = checkDraft(text, corpus, token);
      return { check, diagnostics: toDiagnostics(check, corpus, settings) };
    },
    agreements() {
      if (!agreementCache || agreementCache.version !== corpus.version) agreementCache = { version: corpus.version, records: extractAgreements(corpus) };
      return agreementCache.records;
    },
    stats() {
      return { ...corpus.stats(), agreements: service.agreements().length };
    },
    checkDocument(doc, settings, token) {
      // Keyed by the text itself, not only the version: not every client bumps versions, and
      // TextDocument.getText() returns the same string instance, so the comparison is cheap.
      const key = `${corpus.version}|${JSON.stringify(settings)}`;
      const text = doc.getText();
      const cached = checks.get(doc.uri);
      if (cached && cached.key === key && cached.checked.text === text) return cached;
      let blocks = blockCaches.get(doc.uri);
      if (!blocks) blockCaches.set(doc.uri, (blocks = new BlockCache()));
      const check = checkDraft(text, corpus, token, defaultThresholds, { cache: blocks });
      const entry = { key, checked: { uri: doc.uri, text, lines: new LineIndex(text), check }, diagnostics: toDiagnostics(check, corpus, settings) };
      checks.set(doc.uri, entry);
      return entry;
    },
    forgetDocument(uri) {
      checks.delete(uri);
      blockCaches.delete(uri);
    },
    provideCompletions(doc, position, settings, token) {
      const draft = checked(doc, settings, token);
      return provideCompletions(featureContext(settings), draft, offsetOf(draft, position), token);
    },
    provideHover(doc, position, settings, token) {
      const draft = checked(doc, settings, token);
      return provideHover(featureContext(settings), draft, offsetOf(draft, position));
    },
    provideCodeActions(doc, range, diagnostics, settings, token) {
      const draft = checked(doc, settings, token);
      return provideCodeActions(draft, offsetOf(draft, range.start), offsetOf(draft, range.end), diagnostics);
    },
    provideDefinition(doc, position, settings, token) {
      const draft = checked(doc, settings, token);
      return provideDefinition(featureContext(settings), draft, offsetOf(draft, position));
    },
    provideReferences(doc, position, drafts, settings, token) {
      const ctx = featureContext(settings);
      const isCorpus = corpus.articlesOfFile(doc.uri).length > 0;
      const draft = isCorpus ? undefined : checked(doc, settings, token);
      const ids = referencedArticles(ctx, doc.uri, draft, draft ? offsetOf(draft, position) : 0);
      return provideReferences(ids, drafts, token);
    },
    provideWorkspaceSymbols(query, settings, token) {
      return provideWorkspaceSymbols(featureContext(settings), query, token);
    },
    provideDocumentLinks(doc, settings, token) {
      return provideDocumentLinks(featureContext(settings), checked(doc, settings, token));
    },
  };
  return Object.freeze(service);
}

function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    return code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder' : code;
  }
  return err instanceof Error ? err.message : String(err);
}
