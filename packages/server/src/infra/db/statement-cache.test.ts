import { describe, expect, it } from 'vitest';
import { PLAN_EACH_TIME, statementNamer } from './statement-cache';

describe('statement names', () => {
  it('gives one text one name, and different texts different names', () => {
    const name = statementNamer(10);
    const a = name('select * from users where id = $1');
    expect(a).toMatch(/^s_[0-9a-f]{20}$/);
    expect(name('select * from users where id = $1')).toBe(a);
    expect(name('select * from users where id = $2')).not.toBe(a);
    expect(name('  WITH x as (select 1) select * from x')).toBeDefined();
    for (const dml of ['insert into t values ($1)', 'update t set a = $1', 'delete from t where a = $1'])
      expect(name(dml), dml).toBeDefined();
  });

  it('leaves DDL, long texts and texts past the limit unnamed', () => {
    const name = statementNamer(2);
    expect(name('create table t (id int)')).toBeUndefined();
    expect(name('set statement_timeout = 0')).toBeUndefined();
    expect(name(`select ${'1, '.repeat(5_000)}1`)).toBeUndefined();
    expect(name(`select count(*) from t where a = $1 ${PLAN_EACH_TIME}`)).toBeUndefined();
    const first = name('select 1');
    expect(name('select 2')).toBeDefined();
    expect(name('select 3')).toBeUndefined(); // the limit: two names
    expect(name('select 1')).toBe(first); // known texts keep theirs
  });
});
