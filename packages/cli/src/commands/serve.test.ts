import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningComputeApi } from '@opie/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { exposureWarning, isLoopback, quotaLine, SERVE_USAGE, serve } from './serve.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../__fixtures__/', import.meta.url));

function buffers() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd: repoRoot,
  };
  return { out, io };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opie-serve-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('opie serve', () => {
  it('--help prints the usage', async () => {
    const { out, io } = buffers();
    expect(await runCli(['serve', '--help'], io)).toBe(0);
    expect(out.stdout).toBe(SERVE_USAGE);
  });

  it.each([
    [[], 'missing --config, --cloud'],
    [['--config', 'examples/nova.conf'], 'missing --cloud'],
    [['--config', 'a', '--cloud', 'b', '--port', 'http'], '--port: expected a port number'],
    [['--config', 'a', '--cloud', 'b', '--port', '70000'], '--port: expected a port number'],
    [['--config', 'a', '--cloud', 'b', '--bogus'], "Unknown option '--bogus'"],
    [
      ['--config', 'a', '--cloud', 'b', '--auth', 'open'],
      '--auth: expected noauth2 or keystone-headers, got "open"',
    ],
    [
      ['--config', 'a', '--cloud', 'b', '--public-url', 'ftp://x'],
      '--public-url: expected an http(s) URL',
    ],
    [
      ['--config', 'a', '--cloud', 'b', '--shutdown-timeout=-1'],
      '--shutdown-timeout: expected a number of seconds >= 0',
    ],
  ])('exits 2 on bad usage %j', async (args, message) => {
    const { out, io } = buffers();
    expect(await serve(args, io)).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).toContain(SERVE_USAGE);
  });

  it('exits 1 with every problem of a bad cloud file', async () => {
    const { out, io } = buffers();
    const code = await serve(
      [
        '--config',
        'examples/nova.conf',
        '--cloud',
        join(fixtures, 'bad-cloud.json'),
        '--db',
        'memory',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/^Invalid cloud file /);
  });

  it('exits 1 for a bad nova.conf', async () => {
    const { out, io } = buffers();
    const code = await serve(
      ['--config', join(fixtures, 'bad.conf'), '--cloud', 'examples/cloud.json', '--db', 'memory'],
      io,
    );
    expect(code).toBe(1);
    expect(out.stderr).toContain('Invalid configuration');
  }, 60_000);

  it('exits 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { out, io } = buffers();
      const code = await serve(
        [
          '--config',
          'examples/nova.conf',
          '--cloud',
          'examples/cloud.json',
          '--db',
          'memory',
          '--port',
          String(port),
        ],
        io,
      );
      expect(code).toBe(1);
      expect(out.stderr).toContain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 60_000);

  it('serves the example cloud on 127.0.0.1 until stopped, keeping servers in --db', async () => {
    const db = join(dir, 'data');
    const args = [
      '--config',
      'examples/nova.conf',
      '--cloud',
      'examples/cloud.json',
      '--db',
      db,
      '--port',
      '0',
    ];
    const session = async (work: (api: RunningComputeApi) => Promise<void>) => {
      const { out, io } = buffers();
      const controller = new AbortController();
      let failure: Error | undefined;
      const code = await serve(args, io, {
        signal: controller.signal,
        onListening: (api) => {
          work(api)
            .catch((error: unknown) => {
              failure = error instanceof Error ? error : new Error(String(error));
            })
            .finally(() => controller.abort());
        },
      });
      if (failure !== undefined) throw failure;
      return { code, out };
    };

    let id = '';
    const first = await session(async (api) => {
      expect(api.host).toBe('127.0.0.1');
      const created = await fetch(`${api.url}/v2.1/servers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': 'alice:projA' },
        body: JSON.stringify({ server: { name: 'cli', flavorRef: '1' } }),
      });
      expect(created.status).toBe(202);
      id = ((await created.json()) as { server: { id: string } }).server.id;
    });
    expect(first.code).toBe(0);
    expect(first.out.stdout).toMatch(
      /^opie serve: nova compute API v2\.1 on http:\/\/127\.0\.0\.1:\d+\/v2\.1 \(store: embedded \(PGlite\) in /,
    );
    expect(first.out.stdout).toContain(
      'openstack --os-auth-type admin_token --os-token alice:projA --os-endpoint http://127.0.0.1:',
    );
    expect(first.out.stdout).toContain('auth: noauth2');
    // examples/nova.conf sets no quota option.
    expect(first.out.stdout).toContain(
      'default quotas per project: unlimited (-1, no nova.conf [quota] option sets them): instances, cores, ram, preemptible_instances, preemptible_cores, preemptible_ram',
    );
    // No false warning: the example cloud has no heartbeats, but the service gives them.
    expect(first.out.stderr).not.toContain('warning');
    expect(first.out.stdout).toMatch(/opie serve: stopped\n$/);
    expect(first.out.stderr).toMatch(/^POST \/v2\.1\/servers 202 /m);

    const second = await session(async (api) => {
      const shown = await fetch(`${api.url}/v2.1/servers/${id}`, {
        headers: { 'x-auth-token': 'alice:projA' },
      });
      expect(shown.status).toBe(200);
      const other = await fetch(`${api.url}/v2.1/servers/${id}`, {
        headers: { 'x-auth-token': 'bob:projB' },
      });
      expect(other.status).toBe(404);
    });
    expect(second.code).toBe(0);
  }, 60_000);

  it('exits 1 naming the line of a bad --policy file, before opening anything', async () => {
    const file = join(dir, 'policy.yaml');
    await writeFile(
      file,
      '# overrides\n"os_compute_api:os-hypervisors": "role:ops or"\n"os_compute_api:nope": ""\n',
    );
    const { out, io } = buffers();
    const code = await serve(
      [
        '--config',
        'examples/nova.conf',
        '--cloud',
        'examples/cloud.json',
        '--db',
        'memory',
        '--policy',
        file,
      ],
      io,
    );
    expect(code).toBe(1);
    expect(out.stderr).toContain(`${file}:2: rule "os_compute_api:os-hypervisors"`);
    expect(out.stderr).toContain(`${file}:3: unknown rule name "os_compute_api:nope"`);
  });
});

describe('quotaLine', () => {
  it('names each default with its source, and the unset ones as unlimited', () => {
    const line = quotaLine({
      service: {
        quotaDefaults: {
          instances: 10,
          cores: -1,
          ram: -1,
          preemptible_instances: 4,
          preemptible_cores: -1,
          preemptible_ram: -1,
        },
        quotaSources: {
          instances: 'nova.conf:3 [quota] instances',
          preemptible_instances: 'nova.conf:4 [quota] preemptible_instances',
        },
      } as never,
    });
    expect(line).toBe(
      '  default quotas per project: instances 10 (nova.conf:3 [quota] instances), preemptible_instances 4 (nova.conf:4 [quota] preemptible_instances); unlimited (-1, no nova.conf [quota] option sets them): cores, ram, preemptible_cores, preemptible_ram\n',
    );
  });
});

describe('exposureWarning', () => {
  it('is silent on loopback and names the auth mode elsewhere', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) {
      expect(isLoopback(host), host).toBe(true);
      expect(exposureWarning(host, 'noauth2')).toBeUndefined();
    }
    expect(exposureWarning('0.0.0.0', 'noauth2')).toContain('with --auth noauth2: anyone');
    expect(exposureWarning('10.1.2.3', 'keystone-headers')).toContain(
      'with --auth keystone-headers',
    );
  });
});
