import type pg from 'pg';
import type { DatabaseHandle } from '../src/infra/db';

/** The statements one database handle sent while recording (their SQL, in order). */
export interface StatementLog {
  /** Records what `fn` sends, and returns it. */
  during(fn: () => Promise<unknown>): Promise<string[]>;
}

const PATCHED = Symbol('statement-log');
type Patched = { [PATCHED]?: true };

/**
 * Counts the statements a handle really sends to its database, below drizzle: on PostgreSQL each
 * `query` of a pool client (one round trip each), on PGlite each Parse or simple Query message its
 * client hands the database thread (a statement; Bind/Describe/Execute/Sync are its other messages).
 * Everything the handle sends counts, so run the platform with jobs off (JOBS_ENABLED=false).
 */
export function statementLog(handle: DatabaseHandle): StatementLog {
  let log: string[] | undefined;
  const record = (text: string) => log?.push(text.replace(/\s+/g, ' ').trim());
  if (handle.kind === 'postgres') {
    const wrap = (client: pg.PoolClient & Patched) => {
      if (client[PATCHED]) return;
      client[PATCHED] = true;
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const q = args[0];
        record(typeof q === 'string' ? q : String((q as { text?: string }).text));
        return query(...args);
      };
    };
    handle.pool.on('acquire', wrap);
  } else {
    const thread = handle.pglite as unknown as {
      execProtocolStream: (message: Uint8Array, ...rest: unknown[]) => Promise<unknown>;
    };
    const send = thread.execProtocolStream.bind(thread);
    const decoder = new TextDecoder();
    thread.execProtocolStream = (message, ...rest) => {
      // Parse: 'P', int32 length, statement name\0, query\0 …; Query: 'Q', int32 length, query\0.
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === 'P' || type === 'Q') {
        const body = message.subarray(5);
        const start = type === 'P' ? body.indexOf(0) + 1 : 0;
        record(decoder.decode(body.subarray(start, body.indexOf(0, start))));
      }
      return send(message, ...rest);
    };
  }
  return {
    async during(fn) {
      log = [];
      try {
        await fn();
        return log;
      } finally {
        log = undefined;
      }
    },
  };
}
