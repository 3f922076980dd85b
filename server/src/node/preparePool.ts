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
}
export interface PrepareRequest {
  id: number;
  file: WorkspaceFile;
}
export type PrepareResponse = { id: number; ready: ReadyFile } | { id: number; error: string };

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
export function workerPreparer(options: PrepareWorkerData & { threads?: number; script?: string }): (() => CorpusPreparer | undefined) | undefined {
  const threads = options.threads ?? workerThreads();
  const script = options.script ?? WORKER_SCRIPT;
  if (threads <= 0 || !fs.existsSync(script)) return undefined;
  return () => new PreparePool(script, { root: options.root, allowOutside: options.allowOutside }, threads);
}

interface Pending {
  resolve: (ready: ReadyFile) => void;
  reject: (err: Error) => void;
}

class PreparePool implements CorpusPreparer {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;
  private closed = false;

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
        const job = slot.pending.get(message.id);
        if (!job) return;
        slot.pending.delete(message.id);
        if ('ready' in message) job.resolve(message.ready);
        else job.reject(new Error(message.error));
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
      // The thread with the fewest files in hand.
      let slot = this.workers[0]!;
      for (const w of this.workers) if (w.pending.size < slot.pending.size) slot = w;
      const id = this.nextId++;
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, file } satisfies PrepareRequest);
    });
  }

  /** Ends the threads; files still in their hands are dropped (the run that asked is over). */
  close(): void {
    this.closed = true;
    for (const { worker, pending } of this.workers.splice(0)) {
      pending.clear();
      void worker.terminate();
    }
  }

}
