import { resolve } from 'node:path';
import { openPgClient } from './pg-client.js';
import { openPgliteClient } from './pglite-client.js';
import { ServerStore } from './server-store.js';

/** Whether `--db` names a PostgreSQL server rather than an embedded database directory. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * Opens the store `db` names: a `postgres://` / `postgresql://` URL (shared
 * by replicas), `memory` (embedded, not persisted), or a directory for the
 * embedded database (PGlite), relative to `cwd`.
 */
export async function openStore(db: string, cwd: string = process.cwd()): Promise<ServerStore> {
  if (isPostgresUrl(db)) return new ServerStore(await openPgClient(db));
  const location = db === 'memory' || db === ':memory:' ? 'memory' : resolve(cwd, db);
  return new ServerStore(await openPgliteClient(location));
}
