import { DatabaseBusyError } from './errors';

export interface QueueLimits {
  /** Callers allowed to wait; one more is refused at once. */
  maxWaiting: number;
  /** Longest wait for the connection before a caller is refused. */
  maxWaitMs: number;
}

interface Waiter {
  readonly key: string;
  readonly seq: number;
  readonly expectedMs: number;
  /** When it should have the connection at the latest: arrival + DEADLINE_FACTOR × expected cost. */
  readonly deadline: number;
  readonly grant: () => void;
  readonly timer: NodeJS.Timeout;
}

/** How many statement shapes keep a learned cost (oldest forgotten first). */
const MAX_KEYS = 1000;
/** Weight of the newest run in a statement's learned cost. */
const LEARNING_RATE = 0.3;
/**
 * How many times its own expected cost a waiter may be asked to wait for cheaper ones. Earliest
 * deadline first: cheap statements go ahead of expensive ones that arrived shortly before, and no
 * waiter is passed over by later arrivals once its deadline has come (measured: with a plain
 * "cheapest first", ten clients on one list left some requests waiting 5 s, p99, behind later
 * requests whose learned cost was a little lower).
 */
const DEADLINE_FACTOR = 8;

/**
 * The embedded database's one connection, shared fairly and boundedly (ADR 16).
 *
 * - Exclusive: one caller (a statement, a script or a whole transaction) holds it at a time.
 * - Bounded: at most `maxWaiting` callers wait, none longer than `maxWaitMs`; beyond either the
 *   caller gets a DatabaseBusyError (HTTP 503 with Retry-After) instead of an unbounded wait.
 * - Cheap first, nobody starved: each statement shape (its SQL text, or the call site of a
 *   transaction) keeps a moving average of how long it held the connection; a waiter's deadline is
 *   its arrival plus DEADLINE_FACTOR times that cost, and the earliest deadline goes next (ties in
 *   arrival order). A session lookup or a sign-in does not wait behind a queue of second-long list
 *   queries — only behind the one statement already running, which cannot be interrupted (PGlite
 *   enforces no statement_timeout) — and a list query waits for cheaper arrivals only so long.
 */
export class ConnectionQueue {
  readonly #limits: QueueLimits;
  readonly #costs = new Map<string, number>();
  #waiting: Waiter[] = [];
  #busy = false;
  #seq = 0;

  readonly #now: () => number;

  constructor(limits: QueueLimits, clock: () => number = () => performance.now()) {
    this.#limits = limits;
    this.#now = clock;
  }

  get busy(): boolean {
    return this.#busy;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** The learned cost of a statement shape (ms), undefined before its first run. */
  expectedMs(key: string): number | undefined {
    return this.#costs.get(key);
  }

  /** Runs `fn` holding the connection, after waiting for it within the limits. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.#busy) await this.#wait(key);
    else this.#busy = true;
    return this.#hold(key, fn);
  }

  /** Runs `fn` only if the connection is free right now; undefined (without waiting) otherwise. */
  tryRun<T>(key: string, fn: () => Promise<T>): Promise<T> | undefined {
    if (this.#busy) return undefined;
    this.#busy = true;
    return this.#hold(key, fn);
  }

  async #hold<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const started = this.#now();
    try {
      return await fn();
    } finally {
      this.#learn(key, this.#now() - started);
      this.#release();
    }
  }

  #wait(key: string): Promise<void> {
    if (this.#waiting.length >= this.#limits.maxWaiting) {
      return Promise.reject(
        new DatabaseBusyError(
          `The embedded database is busy (${this.#waiting.length} requests waiting); retry shortly`,
          this.#retryAfterSeconds(),
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const expectedMs = this.#costs.get(key) ?? 0;
      const waiter: Waiter = {
        key,
        seq: this.#seq++,
        expectedMs,
        deadline: this.#now() + DEADLINE_FACTOR * expectedMs,
        grant: resolve,
        timer: setTimeout(() => {
          this.#waiting = this.#waiting.filter((w) => w !== waiter);
          reject(
            new DatabaseBusyError(
              `The embedded database stayed busy for ${Math.round(this.#limits.maxWaitMs / 1000)} s; retry shortly`,
              this.#retryAfterSeconds(),
            ),
          );
        }, this.#limits.maxWaitMs),
      };
      this.#waiting.push(waiter);
    });
  }

  #release(): void {
    let next: Waiter | undefined;
    for (const w of this.#waiting) {
      if (!next || w.deadline < next.deadline || (w.deadline === next.deadline && w.seq < next.seq)) next = w;
    }
    if (!next) {
      this.#busy = false;
      return;
    }
    const chosen = next;
    this.#waiting = this.#waiting.filter((w) => w !== chosen);
    clearTimeout(chosen.timer);
    chosen.grant();
  }

  #learn(key: string, ms: number): void {
    const previous = this.#costs.get(key);
    this.#costs.delete(key);
    this.#costs.set(key, previous === undefined ? ms : previous + LEARNING_RATE * (ms - previous));
    if (this.#costs.size > MAX_KEYS) {
      const oldest = this.#costs.keys().next().value;
      if (oldest !== undefined) this.#costs.delete(oldest);
    }
  }

  /** The work already queued, in whole seconds (1–30): when a retry has a chance. */
  #retryAfterSeconds(): number {
    const backlogMs = this.#waiting.reduce((sum, w) => sum + w.expectedMs, 0);
    return Math.min(30, Math.max(1, Math.ceil(backlogMs / 1000)));
  }
}
