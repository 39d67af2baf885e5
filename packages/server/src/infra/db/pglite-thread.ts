import { Worker } from 'node:worker_threads';
import {
  type DescribeQueryResult,
  Mutex,
  messages,
  type PGlite,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';
import { PGliteWorker } from '@electric-sql/pglite/worker';
import { ConnectionQueue, type QueueLimits } from './connection-queue';

/** What PGlite's base class gives every client: query, exec and transaction over the wire protocol. */
interface PGliteBase {
  serializers: PGlite['serializers'];
  parsers: PGlite['parsers'];
  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(query: string, options?: QueryOptions): Promise<Results[]>;
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T>;
  describeQuery(query: string, options?: QueryOptions): Promise<DescribeQueryResult>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  _initArrayTypes(): Promise<void>;
}

/**
 * PGlite's base class (parsing, serialising, transactions over `execProtocol*`) is not exported
 * by name; PGliteWorker, the browser's proxy client, extends it, and so does this Node one.
 */
const BasePGlite = Object.getPrototypeOf(PGliteWorker) as abstract new () => PGliteBase;

type CallMethod = 'execProtocolStream' | 'execProtocol' | 'execProtocolRaw' | 'syncToFs' | 'close';
interface WorkerError {
  message: string;
  name: string;
  fields: Record<string, unknown>;
}
type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: WorkerError }
  | { type: 'notification'; channel: string; payload: string }
  | { type: 'result'; id: number; result?: unknown; error?: WorkerError };

export interface PGliteThreadOptions extends QueueLimits {
  /** undefined: an in-memory database (tests). */
  dataDir: string | undefined;
  /** postgresql.conf lines for PGlite's backend (shared_buffers, …). */
  postgresqlconf: string[];
}

/** A PostgreSQL error from the worker, rebuilt so callers see the same `code`/`constraint` as in-thread. */
function rebuildError(e: WorkerError): Error {
  if (e.name === 'error' || 'severity' in e.fields) {
    const err = new messages.DatabaseError(e.message, Number(e.fields.length ?? 0), 'error');
    return Object.assign(err, e.fields);
  }
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/** A transaction's cost key: where it was started from (a transaction's SQL is not known up front). */
function callSite(): string {
  const lines = new Error().stack?.split('\n') ?? [];
  return `tx ${lines.slice(3, 7).join('|')}`;
}

/**
 * PGlite on its own thread (ADR 16). The WebAssembly backend runs in `pglite-worker.js`; this
 * client on the server's thread is a PGlite like any other to drizzle, pg-boss and LISTEN, and
 * hands every caller the one connection through a bounded, cheapest-first ConnectionQueue.
 */
export class PGliteThread extends BasePGlite {
  readonly debug = 0;
  readonly #worker: Worker;
  readonly #queue: ConnectionQueue;
  readonly #queryMutex = new Mutex();
  readonly #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #ready = false;
  #closed = false;
  #closeRequested = false;
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker, limits: QueueLimits) {
    super();
    this.#worker = worker;
    this.#queue = new ConnectionQueue(limits);
  }

  /** Starts the worker and waits until PGlite there has opened (or created) the database. */
  static async open(options: PGliteThreadOptions): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), {
      workerData: { dataDir: options.dataDir, postgresqlconf: options.postgresqlconf },
    });
    const client = new PGliteThread(worker, options);
    try {
      await client.#start();
    } catch (err) {
      // A database that could not open must not leave its thread keeping the process alive.
      await worker.terminate();
      throw err;
    }
    return client;
  }

  #start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          this.#ready = true;
          resolve();
        } else if (msg.type === 'failed') reject(rebuildError(msg.error));
        else if (msg.type === 'notification') this.#notify(msg.channel, msg.payload);
        else this.#settle(msg);
      });
      this.#worker.on('error', (err) => {
        this.#fail(err);
        reject(err);
      });
      this.#worker.on('exit', (code) => {
        const err = new Error(`the embedded database thread stopped (exit code ${code})`);
        this.#fail(err);
        reject(err);
      });
    }).then(() => this._initArrayTypes());
  }

  #settle(msg: Extract<FromWorker, { type: 'result' }>): void {
    const call = this.#calls.get(msg.id);
    if (!call) return;
    this.#calls.delete(msg.id);
    if (msg.error) call.reject(rebuildError(msg.error));
    else call.resolve(msg.result);
  }

  #fail(err: Error): void {
    if (!this.#closeRequested) this.#failure ??= err;
    this.#closed = true;
    for (const call of this.#calls.values()) call.reject(this.#failure ?? err);
    this.#calls.clear();
  }

  #call<T>(method: CallMethod, ...args: unknown[]): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error('the embedded database is closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ id, method, args });
    });
  }

  get waitReady(): Promise<void> {
    return Promise.resolve();
  }
  get ready(): boolean {
    return this.#ready && !this.#closed;
  }
  get closed(): boolean {
    return this.#closed;
  }
  /** True while a caller holds the connection. */
  get busy(): boolean {
    return this.#queue.busy;
  }

  /** Callers waiting for the connection. */
  get waiting(): number {
    return this.#queue.waiting;
  }

  /** Why the thread stopped, if it stopped on its own. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  // The one connection: every public entry point takes it through the queue.
  override query<T>(query: string, params?: unknown[], options?: QueryOptions) {
    return this.#queue.run(query, () => super.query<T>(query, params, options));
  }
  override exec(query: string, options?: QueryOptions) {
    return this.#queue.run(query, () => super.exec(query, options));
  }
  override transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#queue.run(callSite(), () => super.transaction(callback));
  }
  override describeQuery(query: string, options?: QueryOptions) {
    return this.#queue.run(query, () => super.describeQuery(query, options));
  }

  /**
   * `select 1` if the connection is free right now; otherwise resolves at once, since a busy
   * connection is a live one and queueing behind a heavy statement would only measure the queue.
   */
  async ping(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new Error('the embedded database is closed');
    await this.#queue.tryRun('ping', () => super.query('select 1'));
  }

  async listen(channel: string, callback: (payload: string) => void, tx?: Transaction) {
    const name = channel.toLowerCase();
    const set = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, set);
    set.add(callback);
    await (tx ?? this).exec(`LISTEN ${name}`);
    return async (unlistenTx?: Transaction) => this.unlisten(name, callback, unlistenTx);
  }

  async unlisten(channel: string, callback?: (payload: string) => void, tx?: Transaction) {
    const name = channel.toLowerCase();
    const set = this.#listeners.get(name);
    if (callback) set?.delete(callback);
    else set?.clear();
    if (!set?.size) {
      this.#listeners.delete(name);
      if (!this.#closed) await (tx ?? this).exec(`UNLISTEN ${name}`);
    }
  }

  #notify(channel: string, payload: string): void {
    for (const cb of this.#listeners.get(channel) ?? []) queueMicrotask(() => cb(payload));
  }

  /** Closes PGlite in its thread (after the caller holding the connection) and waits for the thread to end. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#closed) return;
      const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
      const closeWorker = () => {
        this.#closeRequested = true;
        return this.#call('close');
      };
      // A full or stuck queue must not keep the process from stopping: close regardless.
      await this.#queue
        .run('close', closeWorker)
        .catch(closeWorker)
        .catch(() => this.#worker.terminate());
      this.#closed = true;
      await exited;
    })();
    return this.#closing;
  }

  // The wire-protocol primitives PGlite's base class builds on, served by the worker.
  execProtocolStream(message: Uint8Array, options: { syncToFs?: boolean } = {}) {
    return this.#call<messages.BackendMessage[]>('execProtocolStream', message, options.syncToFs);
  }
  execProtocol(message: Uint8Array, options: { syncToFs?: boolean } = {}) {
    return this.#call<{ messages: messages.BackendMessage[]; data: Uint8Array }>(
      'execProtocol',
      message,
      options.syncToFs,
    );
  }
  execProtocolRaw(message: Uint8Array, options: { syncToFs?: boolean } = {}) {
    return this.#call<Uint8Array>('execProtocolRaw', message, options.syncToFs);
  }
  execProtocolRawStream(): Promise<void> {
    return Promise.reject(
      new Error('execProtocolRawStream is not available on the embedded database thread'),
    );
  }
  syncToFs(): Promise<void> {
    return this.#call('syncToFs');
  }
  async _checkReady(): Promise<void> {
    if (this.#failure) throw this.#failure;
  }
  // The connection queue already makes each query/exec/transaction exclusive.
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queryMutex.runExclusive(fn);
  }
  async _handleBlob(blob?: Blob): Promise<void> {
    if (blob) throw new Error('COPY through /dev/blob is not available on the embedded database thread');
  }
  async _getWrittenBlob(): Promise<undefined> {
    return undefined;
  }
  async _cleanupBlob(): Promise<void> {}
}
