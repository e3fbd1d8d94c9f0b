import type { Pool, PoolClient } from 'pg';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { isConnectionError, StoreUnavailableError } from './sql-client.js';

export interface PgClientOptions {
  /** Pool size (default 10). */
  max?: number;
  /**
   * A statement outside a transaction that fails because the connection was
   * refused or lost is run again after these delays in ms (default 100, 300,
   * 1000, 2000): a PostgreSQL restart is waited out.
   */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_DELAYS_MS = [100, 300, 1000, 2000];

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function unavailable(error: unknown, committed: false | 'unknown', url: string): Error {
  const why = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(
    committed === false
      ? `PostgreSQL ${url} is unavailable (${why}); nothing was committed`
      : `PostgreSQL ${url} was lost while committing (${why}); the outcome is unknown`,
    committed,
    { cause: error },
  );
}

/**
 * A PostgreSQL server through a `pg` pool: the store several service
 * replicas share. Transactions run on one pooled connection each. A
 * connection the server drops (restart, failover) never crashes the
 * process: idle or checked out, its `error` event is handled, the
 * connection is discarded and the pool opens new ones. Reads outside a
 * transaction wait a restart out (`retryDelaysMs`); a transaction whose
 * connection is lost fails with a `StoreUnavailableError` saying whether
 * anything may have been committed.
 * `pg` is imported when the first PostgreSQL store is opened.
 */
export async function openPgClient(url: string, options: PgClientOptions = {}): Promise<SqlClient> {
  // Loaded on first use: only PostgreSQL stores need the driver.
  const pg = (await import('pg')).default;
  const shown = redactUrl(url);
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const pool: Pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // A server that restarts or drops an idle connection must not crash the process.
  pool.on('error', () => undefined);
  // Fail now, not on the first request, when the server cannot be reached.
  const probe = await pool.connect();
  probe.release();

  /** A pooled connection, waiting out a refused connection (the server restarting). */
  const connect = async (): Promise<PoolClient> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await pool.connect();
      } catch (error) {
        const delay = delays[attempt];
        if (!isConnectionError(error) || delay === undefined)
          throw unavailable(error, false, shown);
        await sleep(delay);
      }
    }
  };

  const query = async <R>(text: string, params: readonly unknown[] = []): Promise<R[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await pool.query(text, [...params]);
        return result.rows as R[];
      } catch (error) {
        const delay = delays[attempt];
        if (!isConnectionError(error)) throw error;
        if (delay === undefined) throw unavailable(error, false, shown);
        await sleep(delay);
      }
    }
  };
  return {
    kind: 'postgres',
    location: shown,
    query,
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await connect();
      let lost: unknown;
      // The connection may die while checked out (the server restarts): without
      // a listener that is an unhandled 'error' event, which ends the process.
      const onError = (error: unknown): void => {
        lost ??= error;
      };
      client.on('error', onError);
      const tx: SqlQueryable = {
        async query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
          const result = await client.query(text, [...params]);
          return result.rows as R[];
        },
      };
      let committing = false;
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await work(tx);
        committing = true;
        await client.query('COMMIT');
        return value;
      } catch (error) {
        const connectionLost = lost !== undefined || isConnectionError(error);
        if (connectionLost) {
          broken = true;
          throw unavailable(lost ?? error, committing ? 'unknown' : false, shown);
        }
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken || lost !== undefined);
      }
    },
    close: () => pool.end(),
  };
}
