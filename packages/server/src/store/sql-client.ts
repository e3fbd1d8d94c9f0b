/** Something SQL can be run on: a connection, or an open transaction. */
export interface SqlQueryable {
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * A database the store runs on: PGlite (embedded, one connection) or a
 * PostgreSQL server (a pool). Both speak the same SQL, so one schema and one
 * query layer serve both.
 */
export interface SqlClient extends SqlQueryable {
  /** `pglite` (embedded, one process) or `postgres` (shared by replicas). */
  readonly kind: 'pglite' | 'postgres';
  /** Where it is: a directory, `memory`, or a URL without its password. */
  readonly location: string;
  /**
   * Runs `work` in one transaction (READ COMMITTED): committed when it
   * resolves, rolled back when it throws (the error is rethrown).
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATEs after which a transaction may simply be run again. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** Whether an error is a PostgreSQL serialization failure or deadlock (retry the transaction). */
export function isRetryableSqlError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * The database could not be reached, or a connection was lost mid-request.
 * `committed` says whether the work may have been committed: `false` when
 * the connection broke before COMMIT was sent (nothing was stored, so the
 * work may be run again), `'unknown'` when it broke while committing.
 */
export class StoreUnavailableError extends Error {
  readonly committed: false | 'unknown';

  constructor(message: string, committed: false | 'unknown', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
    this.committed = committed;
  }
}

/** SQLSTATE classes and codes of a lost or refused connection (the server restarts or is gone). */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

/** Whether an error means the connection to the database was lost or refused. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (CONNECTION_SQLSTATES.has(code) || CONNECTION_CODES.has(code) || code.startsWith('08')) {
      return true;
    }
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection (?:was )?(?:closed|lost)|Client has encountered a connection error|terminating connection/i.test(
    message,
  );
}

/** Whether an error says the store is unavailable (the API answers 503). */
export function isStoreUnavailable(error: unknown): boolean {
  return isConnectionError(error);
}
