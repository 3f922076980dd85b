/**
 * Worker threads that read and prepare corpus files for a bulk index run (the core's
 * `CorpusPreparer`): the host's thread only numbers the sentences and indexes their words,
 * and the other cores parse. Results are the core's own (`loadCorpusFile` + `prepareFile`),
 * so an index built this way is the index built inline.
 *
 * Anything that goes wrong with a worker (it cannot start, it dies, it answers with an error)
 * rejects the files it held: the service reads those inline, so a run never loses a file to
 * a thread.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CorpusPreparer, ReadyFile, WorkspaceFile } from '../core/service';

export interface PrepareWorkerData {
  root: string;
  allowOutside: boolean;
  /** Whether the threads parse the figures too (`PrepareOptions.figures`). */
  figures: boolean;
}
/** Files for a thread to prepare, answered in order in one or more `PrepareResponse`s. */
export interface PrepareRequest {
  files: { id: number; file: WorkspaceFile }[];
}
export interface PrepareResponse {
  results: ({ id: number; ready: ReadyFile } | { id: number; error: string })[];
}

/**
 * Files per message each way. A message between threads cost about 60 µs on this machine
 * (a preparer thread spent 1.1 s of the archive's run posting one result per file), so
 * requests go out in batches (those asked for in one turn of the host's event loop, up to
 * this many) and results come back in batches too (`ANSWER_BATCH`, in prepareWorker).
 */
const REQUEST_BATCH = 16;

/** The worker script, beside the bundle that uses it (`dist/`). */
export const WORKER_SCRIPT = path.join(__dirname, 'prepareWorker.js');

/**
 * How many corpus preparer threads: `SOURCEMARK_WORKERS` when set (0 turns them off), else
 * one per core, at most 4. (One per core, not one per core beyond the
 * host's: the host's thread waits on them part of the time; on 2 cores, 2 preparer threads
 * indexed the 35k archive in 11 s, 1 in 14 s.)
 */
export function workerThreads(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.SOURCEMARK_WORKERS;
  if (set !== undefined && set.trim() !== '') {
    const n = Number(set);
    return Number.isInteger(n) && n >= 0 ? Math.min(n, 16) : 0;
  }
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/**
 * A preparer factory for `createSourcemarkService({ preparer })`: each bulk run starts its own
 * threads and ends them when it closes. Undefined when threads are off or the worker script
 * is not there (running from sources).
 */
export function workerPreparer(options: Omit<PrepareWorkerData, 'figures'> & { figures?: boolean; threads?: number; script?: string }): (() => CorpusPreparer | undefined) | undefined {
  const threads = options.threads ?? workerThreads();
  const script = options.script ?? WORKER_SCRIPT;
  if (threads <= 0 || !fs.existsSync(script)) return undefined;
  return () => new PreparePool(script, { root: options.root, allowOutside: options.allowOutside, figures: options.figures ?? true }, threads);
}

interface Pending {
  resolve: (ready: ReadyFile) => void;
  reject: (err: Error) => void;
}

interface Queued extends Pending {
  id: number;
  file: WorkspaceFile;
}

class PreparePool implements CorpusPreparer {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;
  private closed = false;
  /** Asked for since the last send (sent at the next turn of the event loop). */
  private queued: Queued[] = [];
  private sendScheduled = false;

  constructor(
    script: string,
    data: PrepareWorkerData,
    threads: number,
  ) {
    for (let i = 0; i < threads; i++) {
      let worker: Worker;
      try {
        worker = new Worker(script, { workerData: data });
      } catch {
        continue;
      }
      const slot = { worker, pending: new Map<number, Pending>() };
      worker.on('message', (message: PrepareResponse) => {
        for (const result of message.results) {
          const job = slot.pending.get(result.id);
          if (!job) continue;
          slot.pending.delete(result.id);
          if ('ready' in result) job.resolve(result.ready);
          else job.reject(new Error(result.error));
        }
      });
      const fail = (): void => {
        const at = this.workers.indexOf(slot);
        if (at >= 0) this.workers.splice(at, 1);
        const jobs = [...slot.pending.values()];
        slot.pending.clear();
        for (const job of jobs) job.reject(new Error('the preparer thread stopped'));
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      this.workers.push(slot);
    }
  }

  prepare(file: WorkspaceFile): Promise<ReadyFile> {
    return new Promise((resolve, reject) => {
      if (this.closed || !this.workers.length) return reject(new Error('no preparer thread'));
      this.queued.push({ id: this.nextId++, file, resolve, reject });
      if (!this.sendScheduled) {
        this.sendScheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  /** Sends what was asked for, in batches, each to the thread with the fewest files in hand. */
  private send(): void {
    this.sendScheduled = false;
    const queued = this.queued;
    this.queued = [];
    for (let at = 0; at < queued.length; at += REQUEST_BATCH) {
      const batch = queued.slice(at, at + REQUEST_BATCH);
      if (this.closed || !this.workers.length) {
        for (const job of batch) job.reject(new Error('no preparer thread'));
        continue;
      }
      let slot = this.workers[0]!;
      for (const w of this.workers) if (w.pending.size < slot.pending.size) slot = w;
      for (const job of batch) slot.pending.set(job.id, job);
      slot.worker.postMessage({ files: batch.map(({ id, file }) => ({ id, file })) } satisfies PrepareRequest);
    }
  }

  /** Ends the threads; files still in their hands are dropped (the run that asked is over). */
  close(): void {
    this.closed = true;
    this.queued = [];
    for (const { worker, pending } of this.workers.splice(0)) {
      pending.clear();
      void worker.terminate();
    }
  }
}
