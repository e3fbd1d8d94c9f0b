import { ConfigError, createRuntime, InvalidInputError, OpieError } from '@opie/core';
import type { Logger } from '@opie/core';
import { parseCloud } from '@opie/cloud';
import type { CloudSnapshot } from '@opie/cloud';
import {
  AUTH_MODES,
  isPostgresUrl,
  PolicyError,
  readPolicyFile,
  redactUrl,
  startComputeApi,
} from '@opie/server';
import type { AuthMode, ComputePolicy, RunningComputeApi } from '@opie/server';
import { EXIT_FAILURE, EXIT_OK } from '../io.js';
import type { CliIo, TextSink } from '../io.js';
import { parseCommandArgs, UsageError } from './parse-command-args.js';
import type { CommandArgs } from './parse-command-args.js';
import { readJsonInput } from './read-json-input.js';

export const SERVE_USAGE = `Usage: opie serve --config FILE [--config FILE...] --cloud FILE
                  [--db PATH|URL] [--port N] [--host ADDRESS] [--public-url URL]
                  [--auth noauth2|keystone-headers] [--policy FILE]
                  [--shutdown-timeout SECONDS] [--quiet]

Serve a nova compute API (v2.1 subset) whose servers are placed by the
scheduler the nova.conf files describe, on the hosts of the cloud file,
until interrupted (Ctrl-C or SIGTERM: requests already received are
answered first). Callers send a noauth2 token USER:PROJECT (the user
"admin" is an administrator); the real OpenStack client works without
keystone:

  openstack --os-auth-type admin_token --os-token alice:projA \\
    --os-endpoint http://127.0.0.1:8774/v2.1 server list

Options:
  --config FILE   a nova.conf file (repeat: later files win)
  --cloud FILE    flavors, images, nodes, services, aggregates (JSON, as for
                  opie schedule); its instances are imported into a new store
  --db PATH|URL   a directory for the embedded database (default ./opie-data),
                  "memory" (nothing kept), or postgres://user@host/db for a
                  PostgreSQL server several replicas share
  --port N        TCP port; default 8774 (0: any free port)
  --host ADDRESS  address to listen on; default 127.0.0.1 (any other address
                  is reachable by others: a warning names the auth mode)
  --public-url URL
                  the base URL clients reach the service at, for links
                  (default: the listen address; never the Host header)
  --auth MODE     noauth2 (default): X-Auth-Token USER:PROJECT, anyone may
                  claim any identity; keystone-headers: trust the headers
                  keystonemiddleware sets (X-Identity-Status, X-User-Id,
                  X-Project-Id, X-Roles), behind a Keystone auth proxy only
  --policy FILE   an oslo.policy YAML or JSON file of nova rule names
                  (os_compute_api:servers:index, ...) over nova's defaults
  --shutdown-timeout SECONDS
                  on SIGTERM, how long requests already received may take
                  to be answered (default 30)
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
  publicUrl: string | undefined;
  auth: AuthMode;
  policy: string | undefined;
  shutdownTimeoutMs: number;
  quiet: boolean;
}

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
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
          'public-url': { type: 'string' },
          auth: { type: 'string' },
          policy: { type: 'string' },
          'shutdown-timeout': { type: 'string' },
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
      const auth = v.auth ?? 'noauth2';
      if (!(AUTH_MODES as readonly string[]).includes(auth)) {
        throw new UsageError(`--auth: expected ${AUTH_MODES.join(' or ')}, got "${auth}"`);
      }
      let publicUrl: string | undefined;
      if (v['public-url'] !== undefined) {
        let parsed: URL | undefined;
        try {
          parsed = new URL(v['public-url']);
        } catch {
          parsed = undefined;
        }
        if (parsed === undefined || !/^https?:$/.test(parsed.protocol) || parsed.search !== '') {
          throw new UsageError(
            `--public-url: expected an http(s) URL such as https://compute.example.org:8774, got "${v['public-url']}"`,
          );
        }
        publicUrl = v['public-url'].replace(/\/+$/, '');
      }
      let shutdownTimeoutMs = 30_000;
      const timeout = v['shutdown-timeout'];
      if (timeout !== undefined) {
        const seconds = Number(timeout);
        if (timeout.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
          throw new UsageError(
            `--shutdown-timeout: expected a number of seconds >= 0, got "${timeout}"`,
          );
        }
        shutdownTimeoutMs = seconds * 1000;
      }
      return {
        configs: v.config ?? [],
        cloud: v.cloud ?? '',
        db: v.db ?? './opie-data',
        port,
        host,
        publicUrl,
        auth: auth as AuthMode,
        policy: v.policy,
        shutdownTimeoutMs,
        quiet: v.quiet === true,
      };
    },
  );
}

/** The warning for an address other machines can reach, naming the auth mode; none on loopback. */
export function exposureWarning(host: string, auth: AuthMode): string | undefined {
  if (isLoopback(host)) return undefined;
  return auth === 'noauth2'
    ? `listening on ${host}, reachable from other machines, with --auth noauth2: anyone who reaches the port can act as any project or as admin. Put an authenticating proxy in front and use --auth keystone-headers, or listen on 127.0.0.1`
    : `listening on ${host}, reachable from other machines, with --auth keystone-headers: X-Identity-Status, X-User-Id, X-Project-Id and X-Roles are trusted as sent. Only a Keystone auth proxy (keystonemiddleware) that sets them and strips them from clients may reach this port`;
}

/** The default quotas and where they come from; the unset ones are said to be unlimited. */
export function quotaLine(api: Pick<RunningComputeApi, 'service'>): string {
  const { quotaDefaults, quotaSources } = api.service;
  const set: string[] = [];
  const unset: string[] = [];
  for (const [resource, limit] of Object.entries(quotaDefaults)) {
    const source = quotaSources[resource as keyof typeof quotaSources];
    if (source === undefined) unset.push(resource);
    else set.push(`${resource} ${limit} (${source})`);
  }
  const parts: string[] = [];
  if (set.length > 0) parts.push(set.join(', '));
  if (unset.length > 0) {
    parts.push(`unlimited (-1, no nova.conf [quota] option sets them): ${unset.join(', ')}`);
  }
  return `  default quotas per project: ${parts.join('; ')}\n`;
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
  // The service heartbeats its compute services itself: a cloud file without
  // heartbeats does not leave them down here.
  for (const warning of cloud.warnings.filter((w) => !/have no heartbeat/.test(w))) {
    io.stderr.write(`opie serve: warning: ${warning}\n`);
  }

  let policy: ComputePolicy | undefined;
  if (parsed.policy !== undefined) {
    try {
      policy = await readPolicyFile(parsed.policy, io.cwd);
    } catch (error) {
      if (error instanceof PolicyError) {
        io.stderr.write(`opie serve: --policy ${parsed.policy}: ${error.message}\n`);
        return EXIT_FAILURE;
      }
      throw error;
    }
  }

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
      auth: parsed.auth,
      shutdownTimeoutMs: parsed.shutdownTimeoutMs,
      ...(parsed.publicUrl !== undefined ? { publicUrl: parsed.publicUrl } : {}),
      ...(policy !== undefined ? { policy } : {}),
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
  const exposure = exposureWarning(parsed.host, parsed.auth);
  if (exposure !== undefined) io.stderr.write(`opie serve: warning: ${exposure}\n`);
  const example =
    parsed.auth === 'noauth2'
      ? `  openstack --os-auth-type admin_token --os-token alice:projA --os-endpoint ${api.publicUrl}/v2.1 server list\n`
      : `  callers are identified by the headers of a Keystone auth proxy (--auth keystone-headers)\n`;
  io.stdout.write(
    `opie serve: nova compute API v2.1 on ${api.url}/v2.1 (store: ${describeDb(parsed.db)}, auth: ${parsed.auth}${policy !== undefined ? `, policy: ${parsed.policy as string}` : ''})\n` +
      example +
      quotaLine(api),
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
