import { ConfigError, createRuntime, InvalidInputError, OpieError } from '@opie/core';
import type { Logger } from '@opie/core';
import { parseCloud } from '@opie/cloud';
import type { CloudSnapshot } from '@opie/cloud';
import { isPostgresUrl, redactUrl, startComputeApi } from '@opie/server';
import type { RunningComputeApi } from '@opie/server';
import { EXIT_FAILURE, EXIT_OK } from '../io.js';
import type { CliIo, TextSink } from '../io.js';
import { parseCommandArgs, UsageError } from './parse-command-args.js';
import type { CommandArgs } from './parse-command-args.js';
import { readJsonInput } from './read-json-input.js';

export const SERVE_USAGE = `Usage: opie serve --config FILE [--config FILE...] --cloud FILE
                  [--db PATH|URL] [--port N] [--host ADDRESS] [--quiet]

Serve a nova compute API (v2.1 subset) whose servers are placed by the
scheduler the nova.conf files describe, on the hosts of the cloud file,
until interrupted (Ctrl-C or SIGTERM). The real OpenStack client works
without keystone:

  openstack --os-auth-type none --os-endpoint http://127.0.0.1:8774/v2.1 server list

Options:
  --config FILE   a nova.conf file (repeat: later files win)
  --cloud FILE    flavors, images, nodes, services, aggregates (JSON, as for
                  opie schedule); its instances are imported into a new store
  --db PATH|URL   a directory for the embedded database (default ./opie-data),
                  "memory" (nothing kept), or postgres://user@host/db for a
                  PostgreSQL server several replicas share
  --port N        TCP port; default 8774 (0: any free port)
  --host ADDRESS  address to listen on; default 127.0.0.1
  --quiet         no access log on stderr
  -h, --help      show this help

Exit status: 0 after a clean stop; 1 bad configuration, cloud or database,
or the port cannot be used; 2 bad usage.
`;

interface ServeArgs {
  configs: string[];
  cloud: string;
  db: string;
  port: number;
  host: string;
  quiet: boolean;
}

/** The arguments, or the exit status of a help request or usage error (written to `io`). */
function parseServeArgs(args: readonly string[], io: CliIo): CommandArgs<ServeArgs> {
  return parseCommandArgs(
    args,
    io,
    {
      command: 'serve',
      usage: SERVE_USAGE,
      config: {
        options: {
          config: { type: 'string', multiple: true },
          cloud: { type: 'string' },
          db: { type: 'string' },
          port: { type: 'string' },
          host: { type: 'string' },
          quiet: { type: 'boolean' },
        },
        allowPositionals: false,
      },
      required: ['config', 'cloud'],
    },
    ({ values: v }): ServeArgs => {
      let port = 8774;
      if (v.port !== undefined) {
        port = Number(v.port);
        if (!/^\d+$/.test(v.port.trim()) || port > 65535) {
          throw new UsageError(`--port: expected a port number 0..65535, got "${v.port}"`);
        }
      }
      const host = v.host ?? '127.0.0.1';
      if (host.trim() === '') throw new UsageError('--host: expected an address');
      return {
        configs: v.config ?? [],
        cloud: v.cloud ?? '',
        db: v.db ?? './opie-data',
        port,
        host,
        quiet: v.quiet === true,
      };
    },
  );
}

/** Warnings and errors of the service, on stderr. */
function stderrLogger(stderr: TextSink): Logger {
  const write = (message: string, fields?: Record<string, unknown>): void => {
    const extra = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    stderr.write(`opie serve: warning: ${message}${extra}\n`);
  };
  return { debug: () => undefined, info: () => undefined, warn: write, error: write };
}

/** How a running `opie serve` is stopped and watched (tests; the CLI uses process signals). */
export interface ServeControl {
  /** Aborting it stops the service. Default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Called once the API listens. */
  onListening?: (api: RunningComputeApi) => void;
}

function processSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

function describeDb(db: string): string {
  if (isPostgresUrl(db)) return `PostgreSQL ${redactUrl(db)}`;
  return db === 'memory' ? 'in memory (not kept)' : `embedded (PGlite) in ${db}`;
}

/**
 * `opie serve`: a nova compute API over the scheduler the nova.conf files
 * give, on the cloud file's hosts, kept in an embedded database or in
 * PostgreSQL. Runs until the signal aborts.
 */
export async function serve(
  args: readonly string[],
  io: CliIo,
  control: ServeControl = {},
): Promise<number> {
  const outcome = parseServeArgs(args, io);
  if (!outcome.ok) return outcome.exit;
  const parsed = outcome.args;

  let cloud: CloudSnapshot;
  try {
    cloud = parseCloud(await readJsonInput(parsed.cloud, 'cloud file', io.cwd), {
      source: `cloud file ${parsed.cloud}`,
    });
  } catch (error) {
    if (InvalidInputError.isInstance(error)) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  for (const warning of cloud.warnings) io.stderr.write(`opie serve: warning: ${warning}\n`);

  const own = control.signal === undefined ? processSignal() : undefined;
  const signal = control.signal ?? (own as { signal: AbortSignal }).signal;
  let api: RunningComputeApi;
  try {
    api = await startComputeApi({
      configPaths: parsed.configs,
      cwd: io.cwd,
      cloud,
      db: parsed.db,
      host: parsed.host,
      port: parsed.port,
      runtime: createRuntime({ logger: stderrLogger(io.stderr) }),
      ...(parsed.quiet
        ? {}
        : {
            onResponse: (e: { method: string; url: string; status: number; ms: number }) =>
              io.stderr.write(`${e.method} ${e.url} ${e.status} ${e.ms.toFixed(1)} ms\n`),
          }),
    });
  } catch (error) {
    own?.dispose();
    if (ConfigError.isInstance(error) || OpieError.isInstance(error)) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_FAILURE;
    }
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      io.stderr.write(
        `opie serve: cannot listen on ${parsed.host}:${parsed.port}: ${String(code)}\n`,
      );
      return EXIT_FAILURE;
    }
    throw error;
  }
  io.stdout.write(
    `opie serve: nova compute API v2.1 on ${api.url}/v2.1 (store: ${describeDb(parsed.db)})\n` +
      `  openstack --os-auth-type none --os-endpoint ${api.url}/v2.1 server list\n`,
  );
  control.onListening?.(api);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  own?.dispose();
  await api.close();
  io.stdout.write('opie serve: stopped\n');
  return EXIT_OK;
}
