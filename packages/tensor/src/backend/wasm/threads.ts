import { runTask } from './task.js';

/*
 * Worker threads that run kernel tasks over the shared WebAssembly memory. The calling thread
 * writes the task into the control block, bumps the generation word and wakes the workers with
 * Atomics.notify, does its own share, then blocks in Atomics.wait until the pending count drops
 * to zero. Blocking needs a thread where Atomics.wait is allowed: Node's main thread, or a
 * browser worker of a cross-origin isolated page (never a browser main thread, which then runs
 * single-threaded).
 *
 * Workers start lazily and asynchronously (Node's worker_threads is loaded with a dynamic
 * import so browser bundles never see it); until they report ready, tasks use fewer threads.
 * That is safe because results do not depend on the thread count (see task.ts). Workers are
 * unref()'d in Node so they never keep the process alive.
 */

const GEN = 0;
const PENDING = 1;
const TASK_GEN = 2;
const THREADS = 3;
const READY = 64;

/** Source of a worker: receive { module, memory, id }, instantiate, then serve tasks forever. */
function workerSource(): string {
  return `
const runTask = ${runTask.toString()};
function serve(data) {
  const inst = new WebAssembly.Instance(data.module, { env: { memory: data.memory } });
  const w = new Int32Array(data.memory.buffer, 0, 1024);
  const id = data.id;
  let seen = Atomics.load(w, ${GEN});
  Atomics.store(w, ${READY} + id, 1);
  for (;;) {
    Atomics.wait(w, ${GEN}, seen);
    const g = Atomics.load(w, ${GEN});
    if (g === seen) continue;
    seen = g;
    // Seqlock: only a worker that sees this generation's parameters takes part.
    if (Atomics.load(w, ${TASK_GEN}) !== g) continue;
    const T = Atomics.load(w, ${THREADS});
    if (id >= T || Atomics.load(w, ${TASK_GEN}) !== g) continue;
    try { runTask(inst.exports, w, id); } finally {
      if (Atomics.sub(w, ${PENDING}, 1) === 1) Atomics.notify(w, ${PENDING});
    }
  }
}
if (typeof require === 'function') {
  require('node:worker_threads').parentPort.once('message', serve);
} else {
  self.onmessage = (e) => serve(e.data);
}
`;
}

interface WorkerLike {
  postMessage(msg: unknown): void;
  terminate(): unknown;
  unref?(): void;
}

type Spawn = (src: string) => WorkerLike;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return !!p?.versions?.node;
}

/** True where this thread may block in Atomics.wait (and so can wait for workers). */
export function canBlock(): boolean {
  if (isNode()) return true;
  const g = globalThis as { crossOriginIsolated?: boolean; document?: unknown; WorkerGlobalScope?: unknown };
  return g.crossOriginIsolated === true && g.document === undefined && g.WorkerGlobalScope !== undefined;
}

async function spawner(): Promise<Spawn | null> {
  if (isNode()) {
    const name = 'node:worker_threads';
    const wt = (await import(/* @vite-ignore */ name)) as {
      Worker: new (src: string, o: { eval: boolean }) => WorkerLike;
    };
    return (src) => {
      const w = new wt.Worker(src, { eval: true });
      w.unref?.();
      return w;
    };
  }
  const g = globalThis as { Worker?: new (url: string) => WorkerLike; Blob?: typeof Blob; URL?: typeof URL };
  if (!g.Worker || !g.Blob || !g.URL) return null;
  return (src) => new g.Worker!(g.URL!.createObjectURL(new g.Blob!([src], { type: 'text/javascript' })));
}

/** A pool over one shared memory; thread 0 is the calling thread. */
export class ThreadPool {
  private workers: WorkerLike[] = [];
  private starting: Promise<void> | null = null;
  /** Set when workers cannot be started; tasks then run on the calling thread only. */
  private unavailable = false;
  private readonly w: Int32Array;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly exports: Record<string, (...a: number[]) => unknown>,
  ) {
    this.w = new Int32Array(memory.buffer, 0, 1024);
  }

  /** Starts workers until `n - 1` exist; resolves once they are ready to take tasks. */
  ensure(n: number): Promise<void> {
    const want = Math.max(0, n - 1);
    if (this.unavailable || this.workers.length >= want) return this.starting ?? Promise.resolve();
    const prev = this.starting ?? Promise.resolve();
    this.starting = prev.then(async () => {
      const spawn = await spawner().catch(() => null);
      if (!spawn) {
        // No way to start workers here (e.g. a worker scope without Worker): stay single-threaded.
        this.unavailable = true;
        return;
      }
      const src = workerSource();
      while (this.workers.length < want) {
        const id = this.workers.length + 1;
        const worker = spawn(src);
        worker.postMessage({ module: this.module, memory: this.memory, id });
        this.workers.push(worker);
      }
      await this.whenReady(want);
    }).catch(() => {
      this.unavailable = true;
    });
    return this.starting;
  }

  private async whenReady(want: number): Promise<void> {
    for (let tries = 0; tries < 2000 && this.readyCount() < want; tries++) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Workers that finished instantiating, counted from id 1 without gaps. */
  readyCount(): number {
    let c = 0;
    while (c < this.workers.length && Atomics.load(this.w, READY + c + 1) === 1) c++;
    return c;
  }

  /**
   * Runs the task whose parameters are already in the control block on up to `threads` threads
   * (fewer while workers are still starting); returns the count used.
   */
  run(threads: number): number {
    const T = Math.max(1, Math.min(threads, 1 + this.readyCount()));
    const w = this.w;
    if (T === 1) {
      w[THREADS] = 1;
      runTask(this.exports, w, 0);
      return 1;
    }
    const g = (Atomics.load(w, GEN) + 1) | 0;
    Atomics.store(w, THREADS, T);
    Atomics.store(w, PENDING, T - 1);
    Atomics.store(w, TASK_GEN, g);
    Atomics.store(w, GEN, g);
    Atomics.notify(w, GEN);
    try {
      runTask(this.exports, w, 0);
    } finally {
      for (let v = Atomics.load(w, PENDING); v !== 0; v = Atomics.load(w, PENDING)) Atomics.wait(w, PENDING, v);
      Atomics.store(w, TASK_GEN, -1);
    }
    return T;
  }

  /** Stops every worker (tests; the pool restarts on demand). */
  async terminate(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    this.starting = null;
    for (let i = 0; i < ws.length; i++) Atomics.store(this.w, READY + i + 1, 0);
    await Promise.all(ws.map((x) => x.terminate()));
  }
}
