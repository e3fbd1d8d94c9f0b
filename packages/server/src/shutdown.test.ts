import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import { testCloud } from './__fixtures__/test-cloud.js';
import { openStore } from './store/open-store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opie-server-shutdown-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Outcome = { status: number; id?: string } | { error: string };

/** A create over its own connection; a connection error is an outcome, not a failure. */
function create(url: string, name: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ server: { name, flavorRef: '1' } });
    const req = request(
      `${url}/v2.1/servers`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'x-auth-token': 'alice:projA' },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => {
          const parsed = data === '' ? {} : (JSON.parse(data) as { server?: { id: string } });
          resolve({
            status: res.statusCode ?? 0,
            ...(parsed.server ? { id: parsed.server.id } : {}),
          });
        });
        res.on('error', (e) => resolve({ error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}

describe('close() (what SIGTERM does)', () => {
  it('answers every request already received during a burst, and each 202 server is stored', async () => {
    const db = join(dir, 'burst');
    // 8 hosts x 8 tiny servers each: room for all 64 creates.
    const t = await startTestApi({ cloud: testCloud({ hosts: 8 }), db });
    let received = 0;
    t.api.server.on('request', () => (received += 1));
    const outcomes: Array<Promise<Outcome>> = [];
    for (let i = 0; i < 64; i++) outcomes.push(create(t.api.url, `burst-${i}`));
    // Stop once some requests are in: the rest are queued, mid-decision or not yet connected.
    while (received < 16) await new Promise((r) => setTimeout(r, 2));
    const closed = t.close();
    const results = await Promise.all(outcomes);
    await closed;

    const answered = results.filter((r): r is { status: number; id?: string } => 'status' in r);
    const failed = results.filter((r): r is { error: string } => 'error' in r);
    // Every request the server received got an answer; the others were refused at connect.
    expect(answered.length).toBe(received);
    expect(answered.every((r) => r.status === 202)).toBe(true);
    expect(failed.every((r) => r.error === 'ECONNREFUSED' || r.error === 'ECONNRESET')).toBe(true);
    // Only connections that sent nothing yet may be reset: a received request never is.
    expect(answered.length + failed.length).toBe(64);

    const store = await openStore(db);
    try {
      for (const r of answered) {
        expect(await store.getServer(r.id as string), r.id).toBeDefined();
      }
      // Nothing else was stored either: the store holds exactly the answered creates.
      expect((await store.countServers()).live).toBe(answered.length);
    } finally {
      await store.close();
    }
  });

  it('waits for a request whose body is still arriving, and answers it', async () => {
    const t = await startTestApi();
    const body = JSON.stringify({ server: { name: 'slow-body', flavorRef: '1' } });
    let closed: Promise<void> | undefined;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${t.api.url}/v2.1/servers`,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            'x-auth-token': 'alice:projA',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      t.api.server.once('request', () => {
        closed = t.close();
        setTimeout(() => req.end(body.slice(10)), 200);
      });
    });
    expect(status).toBe(202);
    await closed;
  });

  it('cuts connections still busy after the shutdown timeout', async () => {
    const t = await startTestApi({ shutdownTimeoutMs: 100 });
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${t.api.url}/v2.1/servers`, {
        method: 'POST',
        agent: false,
        headers: { 'content-length': '100', 'x-auth-token': 'alice:projA' },
      });
      req.on('response', () => resolve('answered'));
      req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
      req.write('{');
      // The body never completes: close() must not wait for it forever.
      t.api.server.once('request', () => void t.close());
    });
    expect(outcome).toBe('ECONNRESET');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
