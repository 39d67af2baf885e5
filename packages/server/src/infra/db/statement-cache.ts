import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements longer than this are left unnamed (bulk statements with long value lists run once). */
const MAX_TEXT = 8_000;
const DML = /^\s*(select|with|insert|update|delete)\b/i;
/**
 * A statement whose best plan depends on its parameters' values (how many rows a filter matches)
 * says so with this comment: it stays unnamed, so PostgreSQL plans it for its values every time
 * instead of settling on a generic plan.
 */
export const PLAN_EACH_TIME = '/* plan each time */';

/**
 * The name a statement is prepared under on every connection (`s_` + 20 hex of its text's sha1),
 * or undefined to run it unnamed: DDL and long texts, and any new text once `limit` names exist.
 * The same text always gets the same name, so two texts can never share one prepared statement.
 */
export function statementNamer(limit: number): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    const known = names.get(text);
    if (known !== undefined) return known;
    if (names.size >= limit || text.length > MAX_TEXT || !DML.test(text) || text.includes(PLAN_EACH_TIME))
      return undefined;
    const name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
    return name;
  };
}

/**
 * A node-postgres client class that prepares each statement text once per connection, then binds
 * and executes it (PostgreSQL plans a prepared statement with its parameters five times, then keeps a
 * generic plan when that costs no more): what asyncpg and pgx do by default. Lists built by query
 * builders have a bounded number of shapes; `limit` bounds the server memory the cache may hold per
 * connection. ADR 23.
 */
export function statementCachingClient(limit: number): typeof pg.Client {
  const nameOf = statementNamer(limit);
  class StatementCachingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this only adds a name.
    override query(config: any, values?: any, callback?: any): any {
      if (config !== null && typeof config === 'object' && typeof config.text === 'string' && !config.name) {
        const name = nameOf(config.text);
        if (name !== undefined) return super.query({ ...config, name }, values, callback);
      }
      return super.query(config, values, callback);
    }
  }
  return StatementCachingClient;
}
