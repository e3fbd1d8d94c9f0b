import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { OpieError } from '@opie/core';
import type { SqlClient, SqlQueryable } from './sql-client.js';

const LOCK_FILE = 'opie-server.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes the directory's lock file: PGlite is one process's database, and a
 * second process on the same directory would corrupt it. A lock left by a
 * process that is gone is taken over.
 */
async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new OpieError(
          'INVALID_INPUT',
          `the database ${dir} is in use by process ${pid}; an embedded database serves one process (use --db postgres://... for replicas)`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new OpieError('INVALID_INPUT', `cannot lock the database directory ${dir}`);
}

function wrap(db: { query: PGlite['query'] }): SqlQueryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      const result = await db.query<R>(text, [...params]);
      return result.rows;
    },
  };
}

/**
 * The embedded store: PostgreSQL compiled to WebAssembly (PGlite), persisted
 * in a directory (`memory` keeps it in memory). One connection; PGlite runs
 * one transaction at a time.
 */
export async function openPgliteClient(location: string): Promise<SqlClient> {
  const inMemory = location === 'memory' || location === ':memory:';
  let unlock: () => Promise<void> = () => Promise.resolve();
  let dir = 'memory';
  if (!inMemory) {
    dir = resolve(location);
    await mkdir(dir, { recursive: true });
    unlock = await lockDirectory(dir);
  }
  let db: PGlite;
  try {
    db = inMemory ? new PGlite() : new PGlite(dir);
    await db.waitReady;
  } catch (error) {
    await unlock();
    throw error;
  }
  const queryable = wrap(db);
  return {
    kind: 'pglite',
    location: dir,
    query: (text, params) => queryable.query(text, params),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    async close() {
      try {
        await db.close();
      } finally {
        await unlock();
      }
    },
  };
}
