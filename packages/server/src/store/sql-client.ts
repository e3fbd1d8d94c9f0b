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
