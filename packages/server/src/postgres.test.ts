/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read JSON response bodies loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeApi } from './compute-api.js';
import type { ComputeService } from './compute-service.js';
import { listenComputeApi } from './http-server.js';
import type { ListeningApi } from './http-server.js';
import { openComputeService } from './open-compute-service.js';
import { TestClient } from './__fixtures__/harness.js';
import { copyMatchesStore, hostLimitViolations } from './__fixtures__/invariants.js';
import { startPostgres } from './__fixtures__/postgres-server.js';
import type { TestPostgres } from './__fixtures__/postgres-server.js';
import { TEST_CONFIG_FILES, testCloud } from './__fixtures__/test-cloud.js';
import { openStore } from './store/open-store.js';
import { redactUrl } from './store/pg-client.js';

let pg: TestPostgres | undefined;
let problem: string | undefined;
const opened: ComputeService[] = [];
const listening: ListeningApi[] = [];

beforeAll(async () => {
  const started = await startPostgres();
  if ('problem' in started) problem = started.problem;
  else pg = started;
}, 120_000);
afterAll(async () => {
  for (const l of listening) await l.close();
  for (const s of opened) await s.close();
  await pg?.stop();
}, 120_000);

function database(name: string): string {
  expect(problem, problem).toBeUndefined();
  return `${(pg as TestPostgres).url.replace(/\/postgres$/, '')}/${name}`;
}

/** A fresh database on the test server. */
async function createDatabase(name: string): Promise<string> {
  const admin = await openStore((pg as TestPostgres).url);
  try {
    await admin.sql.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  return database(name);
}

async function replica(db: string, options: { hosts: number; syncIntervalMs?: number }) {
  const service = await openComputeService({
    configFiles: TEST_CONFIG_FILES,
    cloud: testCloud({ hosts: options.hosts }),
    db,
    ...(options.syncIntervalMs !== undefined ? { syncIntervalMs: options.syncIntervalMs } : {}),
  });
  opened.push(service);
  return service;
}

describe('the PostgreSQL store (a real server on 127.0.0.1)', () => {
  it('starts (PostgreSQL binaries installed)', () => {
    expect(problem, problem).toBeUndefined();
  });

  it('hides the password of the URL in messages', () => {
    expect(redactUrl('postgres://u:secret@h:5/d')).toBe('postgres://u:***@h:5/d');
  });

  it('two replicas starting together seed the schema and the cloud once', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('seeding');
    const cloud = testCloud({
      hosts: 1,
      instances: [{ uuid: 'i-1', host: 'node1', flavor: 'tiny' }],
    });
    const [a, b] = await Promise.all(
      [0, 1].map(() => openComputeService({ configFiles: TEST_CONFIG_FILES, cloud, db })),
    );
    opened.push(a!, b!);
    expect(a!.store.sql.kind).toBe('postgres');
    expect(await a!.store.countServers()).toEqual({ total: 1, live: 1, placed: 1 });
  });

  it('a replica with a stale copy loses the race: its claim is re-checked against the store and it never double-books', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('race');
    const a = await replica(db, { hosts: 1, syncIntervalMs: 3_600_000 });
    const b = await replica(db, { hosts: 1, syncIntervalMs: 3_600_000 });
    const ctx = { projectId: 'p', userId: 'u' };
    const input = {
      name: 'big',
      flavorRef: '4',
      imageRef: undefined,
      minCount: 1,
      maxCount: 1,
      availabilityZone: undefined,
      forceHost: undefined,
      forceNode: undefined,
      preemptible: false,
      schedulerHints: {},
      metadata: {},
      keyName: undefined,
      returnReservationId: false,
    };
    const first = await b.createServers(input, ctx);
    expect(first.servers[0]?.vmState).toBe('active');
    // a still believes node1 is empty: it plans there, the claim sees the new generation.
    const second = await a.createServers({ ...input, name: 'big-2' }, ctx);
    expect(a.counters.conflicts).toBe(1);
    expect(second.servers[0]).toMatchObject({ vmState: 'error', host: null });
    expect(second.servers[0]?.fault?.message).toMatch(/^No valid host was found\./);
    expect((await hostLimitViolations(a)).violations).toEqual([]);
    expect(await copyMatchesStore(a)).toEqual([]);
  });

  it('200 concurrent creates over two replicas on one database never double-book a host and lose no server', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('concurrent');
    const replicas = [await replica(db, { hosts: 8 }), await replica(db, { hosts: 8 })];
    const clients: TestClient[] = [];
    for (const service of replicas) {
      const l = await listenComputeApi(new ComputeApi(service), { port: 0 });
      listening.push(l);
      clients.push(new TestClient(l.url));
    }
    const flavors = ['1', '2', '3', '4'];
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (clients[i % 2] as TestClient).createServer({
          name: `r-${i}`,
          flavorRef: flavors[i % 4],
          ...(i % 3 === 0 ? { preemptible: true } : {}),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(202));
    const ids = new Set(responses.map((r) => r.body.server.id as string));
    expect(ids.size).toBe(200);

    const service = replicas[0] as ComputeService;
    const servers = await service.listServers({});
    expect(new Set(servers.map((s) => s.uuid))).toEqual(ids);
    const placed = servers.filter((s) => s.vmState === 'active');
    for (const s of servers) {
      if (s.vmState !== 'active') expect([500, 409]).toContain(s.fault?.code);
    }
    const { totals, violations } = await hostLimitViolations(service);
    expect(violations).toEqual([]);
    expect(totals.reduce((n, x) => n + x.servers, 0)).toBe(placed.length);
    // Both replicas' views of the hypervisors agree with the store.
    const [h0, h1] = await Promise.all(
      clients.map((c) => c.get('/v2.1/os-hypervisors/statistics')),
    );
    expect(h0?.body).toEqual(h1?.body);
    expect(h0?.body.hypervisor_statistics.running_vms).toBe(placed.length);
  });

  it('a PostgreSQL restart during a burst on two replicas: both stay up, every 202 is stored, no host over its limits, later requests succeed', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('restart');
    const replicas = [await replica(db, { hosts: 8 }), await replica(db, { hosts: 8 })];
    const clients: TestClient[] = [];
    for (const service of replicas) {
      const l = await listenComputeApi(new ComputeApi(service), { port: 0 });
      listening.push(l);
      clients.push(new TestClient(l.url, 'alice:projA'));
    }
    let answered = 0;
    // All at once: each replica decides one at a time, so a claim is in flight when the server goes.
    const burst = Array.from({ length: 120 }, async (_, i) => {
      const r = await (clients[i % 2] as TestClient).createServer({
        name: `pg-${i}`,
        flavorRef: '1',
      });
      answered += 1;
      return r;
    });
    while (answered < 20) await new Promise((r) => setTimeout(r, 2));
    await (pg as TestPostgres).restart();
    const responses = await Promise.all(burst);

    const statuses = new Set(responses.map((r) => r.status));
    console.log('STATUSES', JSON.stringify(responses.map((r) => r.status)));
    // A create is acknowledged (202) or says the store was unavailable (503): nothing else.
    expect(
      [...statuses].every((s) => s === 202 || s === 503),
      [...statuses].join(),
    ).toBe(true);
    const acknowledged = responses.filter((r) => r.status === 202);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const r of responses.filter((x) => x.status === 503)) {
      expect(r.body.serviceUnavailable.code).toBe(503);
    }
    const service = replicas[0] as ComputeService;
    for (const r of acknowledged) {
      expect(
        await service.getServer(r.body.server.id as string),
        String(r.body.server.id),
      ).toBeDefined();
    }
    expect((await hostLimitViolations(service)).violations).toEqual([]);
    // Both replicas still serve, and read and write the restarted server.
    for (const [i, client] of clients.entries()) {
      const after = await client.createServer({ name: `after-${i}`, flavorRef: '1' });
      expect(after.status).toBe(202);
      expect((await client.get(`/v2.1/servers/${after.body.server.id}`)).status).toBe(200);
    }
  });

  it('quotas hold under 200 concurrent creates over two replicas: exactly the quota is stored', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('quota');
    const replicas = [await replica(db, { hosts: 8 }), await replica(db, { hosts: 8 })];
    const clients: TestClient[] = [];
    for (const service of replicas) {
      const l = await listenComputeApi(new ComputeApi(service), { port: 0 });
      listening.push(l);
      clients.push(new TestClient(l.url, 'eve:projE'));
    }
    const put = await new TestClient((listening.at(-1) as ListeningApi).url, 'admin').request(
      'PUT',
      '/v2.1/os-quota-sets/projE',
      { quota_set: { instances: 41, preemptible_instances: 5 } },
    );
    expect(put.status).toBe(200);
    // 64 tiny servers fit the 8 hosts: only the quotas refuse. A third are preemptible.
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (clients[i % 2] as TestClient).createServer({
          name: `q-${i}`,
          flavorRef: '1',
          ...(i % 3 === 0 ? { preemptible: true } : {}),
        }),
      ),
    );
    const accepted = responses.filter((r) => r.status === 202);
    expect(responses.filter((r) => r.status !== 202).every((r) => r.status === 403)).toBe(true);
    const servers = await (replicas[0] as ComputeService).listServers({ projectId: 'projE' });
    expect(servers.filter((s) => !s.preemptible)).toHaveLength(41);
    expect(servers.filter((s) => s.preemptible)).toHaveLength(5);
    expect(accepted).toHaveLength(46);
  });

  it('keeps servers across a replica restart', async () => {
    expect(problem, problem).toBeUndefined();
    const db = database('concurrent');
    const again = await replica(db, { hosts: 8 });
    expect((await again.store.countServers()).total).toBe(200);
  });
});
