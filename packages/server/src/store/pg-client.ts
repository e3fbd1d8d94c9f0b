import type { Pool } from 'pg';
import type { SqlClient, SqlQueryable } from './sql-client.js';

export interface PgClientOptions {
  /** Pool size (default 10). */
  max?: number;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://...';
  }
}

/**
 * A PostgreSQL server through a `pg` pool: the store several service
 * replicas share. Transactions run on one pooled connection each.
 * `pg` is imported when the first PostgreSQL store is opened.
 */
export async function openPgClient(url: string, options: PgClientOptions = {}): Promise<SqlClient> {
  // Loaded on first use: only PostgreSQL stores need the driver.
  const pg = (await import('pg')).default;
  const pool: Pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // A server that restarts or drops an idle connection must not crash the process.
  pool.on('error', () => undefined);
  // Fail now, not on the first request, when the server cannot be reached.
  const probe = await pool.connect();
  probe.release();
  const query = async <R>(text: string, params: readonly unknown[] = []): Promise<R[]> => {
    const result = await pool.query(text, [...params]);
    return result.rows as R[];
  };
  return {
    kind: 'postgres',
    location: redactUrl(url),
    query,
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const tx: SqlQueryable = {
        async query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
          const result = await client.query(text, [...params]);
          return result.rows as R[];
        },
      };
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await work(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
