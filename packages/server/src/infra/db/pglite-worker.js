// The embedded database's own thread (ADR 16). PGlite runs PostgreSQL as synchronous WebAssembly:
// on the server's thread one slow statement stopped every request, /health included. Here it runs
// beside it; the server's thread keeps PGlite's query/transaction logic (pglite-thread.ts) and
// sends each wire-protocol message over. Plain JavaScript because Node 20 cannot start a worker
// from a .ts file without a loader; the build copies it next to dist/main.js.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** What crosses back for a failed call: PostgreSQL's fields (code, constraint, …) survive. */
function describeError(err) {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error', fields: {} };
  return { message: err.message, name: err.name, fields: { ...err } };
}

const port = parentPort;
const { dataDir, postgresqlconf } = workerData;
// pg_trgm backs the substring searches' indexes (migration list_indexes creates the extension; ADR 15).
const db = new PGlite(dataDir, { postgresqlconf, extensions: { pg_trgm } });
try {
  await db.waitReady;
} catch (err) {
  port.postMessage({ type: 'failed', error: describeError(err) });
  port.close();
}

if (db.ready) {
  db.onNotification((channel, payload) => port.postMessage({ type: 'notification', channel, payload }));

  const methods = {
    execProtocolStream: (message, syncToFs) => db.execProtocolStream(message, { syncToFs }),
    execProtocol: async (message, syncToFs) => {
      const { messages, data } = await db.execProtocol(message, { syncToFs });
      // The result may be a view on PGlite's own buffer, which must not cross threads.
      return { messages, data: data.slice() };
    },
    execProtocolRaw: async (message, syncToFs) => (await db.execProtocolRaw(message, { syncToFs })).slice(),
    syncToFs: () => db.syncToFs(),
  };

  port.on('message', async ({ id, method, args }) => {
    if (method === 'close') {
      await db.close().catch(() => {});
      port.postMessage({ type: 'result', id, result: undefined });
      port.close();
      return;
    }
    try {
      const result = await methods[method](...args);
      port.postMessage({ type: 'result', id, result });
    } catch (err) {
      port.postMessage({ type: 'result', id, error: describeError(err) });
    }
  });
  port.postMessage({ type: 'ready' });
}
