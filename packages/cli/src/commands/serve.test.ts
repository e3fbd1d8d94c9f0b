import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningComputeApi } from '@opie/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { SERVE_USAGE, serve } from './serve.js';

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
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ server: { name: 'cli', flavorRef: '1' } }),
      });
      expect(created.status).toBe(202);
      id = ((await created.json()) as { server: { id: string } }).server.id;
    });
    expect(first.code).toBe(0);
    expect(first.out.stdout).toMatch(
      /^opie serve: nova compute API v2\.1 on http:\/\/127\.0\.0\.1:\d+\/v2\.1 \(store: embedded \(PGlite\) in /,
    );
    expect(first.out.stdout).toContain('openstack --os-auth-type none --os-endpoint');
    expect(first.out.stdout).toMatch(/opie serve: stopped\n$/);
    expect(first.out.stderr).toMatch(/^POST \/v2\.1\/servers 202 /m);

    const second = await session(async (api) => {
      const shown = await fetch(`${api.url}/v2.1/servers/${id}`);
      expect(shown.status).toBe(200);
    });
    expect(second.code).toBe(0);
  }, 60_000);
});
