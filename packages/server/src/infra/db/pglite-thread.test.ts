import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support';
import { PGliteThread } from './pglite-thread';

const limits = { maxWaiting: 4, maxWaitMs: 10_000, postgresqlconf: [] };

describe('PGliteThread (PGlite on its own thread)', () => {
  it('gives PostgreSQL errors back with their code, and keeps working after one', async () => {
    const db = await PGliteThread.open({ ...limits, dataDir: undefined });
    try {
      await db.exec('create table t (id int primary key)');
      await db.query('insert into t values ($1)', [1]);
      await expect(db.query('insert into t values ($1)', [1])).rejects.toMatchObject({
        code: '23505',
        constraint: 't_pkey',
      });
      expect((await db.query<{ n: number }>('select count(*)::int as n from t')).rows).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
    expect(db.closed).toBe(true);
  });

  it('delivers notifications to listeners on the server thread', async () => {
    const db = await PGliteThread.open({ ...limits, dataDir: undefined });
    try {
      const received: string[] = [];
      const unlisten = await db.listen('events', (payload) => received.push(payload));
      await db.exec("notify events, 'hello'");
      await expect.poll(() => received).toEqual(['hello']);
      await unlisten();
    } finally {
      await db.close();
    }
  });

  it('refuses to open a data folder that is a file, with an error', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(PGliteThread.open({ ...limits, dataDir: file })).rejects.toThrow();
  });
});
