/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- tests read JSON response bodies loosely */
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
import { ManualTimer } from './__fixtures__/manual-timer.js';
import { TEST_CONFIG_FILES, TEST_NOVA_CONF, testCloud } from './__fixtures__/test-cloud.js';
import type { OpenComputeServiceOptions } from './open-compute-service.js';
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

async function replica(
  db: string,
  options: { hosts: number; syncIntervalMs?: number } & Partial<OpenComputeServiceOptions>,
) {
  const { hosts, ...rest } = options;
  const service = await openComputeService({
    configFiles: TEST_CONFIG_FILES,
    cloud: testCloud({ hosts }),
    db,
    ...rest,
  });
  opened.push(service);
  return service;
}

/** Closes replicas a test is done with (the test server allows 60 connections). */
async function closeReplicas(...services: ComputeService[]): Promise<void> {
  for (const service of services) {
    const i = opened.indexOf(service);
    if (i >= 0) opened.splice(i, 1);
    await service.close();
  }
}

/** Polls (as a client would) until no server of any project is in BUILD. */
async function untilNoneBuilding(client: TestClient, timeoutMs = 120_000): Promise<void> {
  const admin = client.as('admin');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const building = await admin.get('/v2.1/servers?status=BUILD&all_tenants=1');
    if (building.status === 200 && building.body.servers.length === 0) return;
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
    expect(first.servers[0]?.vmState).toBe('building');
    await b.settled();
    expect((await b.getServer(first.servers[0]?.uuid ?? ''))?.vmState).toBe('active');
    // a still believes node1 is empty: it plans there, the claim sees the new generation.
    const second = await a.createServers({ ...input, name: 'big-2' }, ctx);
    await a.settled();
    expect(a.counters.conflicts).toBe(1);
    const shown = await a.getServer(second.servers[0]?.uuid ?? '');
    expect(shown).toMatchObject({ vmState: 'error', host: null });
    expect(shown?.fault?.message).toMatch(/^No valid host was found\./);
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
        (clients[i % 2] as TestClient).createServer(
          {
            name: `r-${i}`,
            flavorRef: flavors[i % 4],
            ...(i % 3 === 0 ? { preemptible: true } : {}),
          },
          {},
          false,
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(202));
    const ids = new Set(responses.map((r) => r.body.server.id as string));
    expect(ids.size).toBe(200);
    await untilNoneBuilding(clients[0] as TestClient);

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
      const r = await (clients[i % 2] as TestClient).createServer(
        { name: `pg-${i}`, flavorRef: '1' },
        {},
        false,
      );
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
    // Scheduling that failed while the database was away is tried again: every server settles.
    await untilNoneBuilding(clients[0] as TestClient);
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
      // Scheduled by the restarted database (the 8 hosts hold 64 tiny servers, 120 were asked:
      // ERROR with NoValidHost when full), not left in BUILD.
      const shown = await client.waitWhile(
        after.body.server.id as string,
        (x) => x.status === 'BUILD',
      );
      expect(shown.status === 'ACTIVE' || shown.fault?.message?.startsWith('No valid host')).toBe(
        true,
      );
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

  const graceFiles = [
    {
      path: 'grace.conf',
      text: `${TEST_NOVA_CONF}\n[preemptible_instances_scheduler]\ngrace_period = 1\n`,
    },
  ];
  // One host, full with one preemptible large server: a normal large one must preempt it.
  const victimCloud = () =>
    testCloud({
      hosts: 1,
      instances: [
        {
          uuid: 'victim',
          host: 'node1',
          flavor: 'large',
          preemptible: true,
          created_at: '2025-01-01T00:00:00Z',
        },
      ],
    });

  it('a grace period over two replicas: both watch the deadline, exactly one terminates the victim', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('grace');
    const options = { configFiles: graceFiles, cloud: victimCloud(), db, sweepMs: 100 };
    const a = await openComputeService(options);
    const b = await openComputeService(options);
    opened.push(a, b);
    const ctx = { projectId: 'p', userId: 'u' };
    const outcome = await a.createServers(
      {
        name: 'prod',
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
      },
      ctx,
    );
    await a.settled();
    const id = outcome.servers[0]?.uuid ?? '';
    // The notice, seen from the other replica's store reads.
    expect(await b.getServer('victim')).toMatchObject({ taskState: 'preempting', host: 'node1' });
    expect(await b.getServer(id)).toMatchObject({ vmState: 'building', host: 'node1' });
    const deadline = Date.now() + 30_000;
    while ((await b.getServer(id))?.vmState !== 'active') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all([a.settled(), b.settled()]);
    expect(a.counters.terminations + b.counters.terminations).toBe(1);
    expect(await a.store.preemptionsOf('victim')).toEqual([
      expect.objectContaining({ outcome: 'terminated', requestId: outcome.requestId }),
    ]);
    expect((await a.getServer('victim'))?.host).toBeNull();
    expect((await hostLimitViolations(a)).violations).toEqual([]);
    await closeReplicas(a, b);
  });

  it('a replica stopped during a grace period: the other finishes it at the deadline', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('gracestop');
    const options = { configFiles: graceFiles, cloud: victimCloud(), db, sweepMs: 100 };
    const a = await openComputeService(options);
    const b = await openComputeService(options);
    opened.push(b);
    const la = await listenComputeApi(new ComputeApi(a), { port: 0 });
    const r = await new TestClient(la.url).createServer({ name: 'prod', flavorRef: '4' });
    const id = r.body.server.id as string;
    await a.settled();
    expect((await b.getServer(id))?.vmState).toBe('building');
    await la.close();
    await a.close();
    const deadline = Date.now() + 30_000;
    while ((await b.getServer(id))?.vmState !== 'active') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(b.counters.terminations).toBe(1);
    expect((await b.getServer('victim'))?.vmState).toBe('error');
    await closeReplicas(b);
  });

  it('a replica stopped before scheduling what it accepted: the other takes the request over when its lease runs out', async () => {
    expect(problem, problem).toBeUndefined();
    const db = await createDatabase('takeover');
    // a never runs its background work (a manual timer nobody fires), as if it had died after the 202.
    const a = await replica(db, { hosts: 1, timer: new ManualTimer(), leaseMs: 300 });
    const b = await replica(db, { hosts: 1, sweepMs: 100, leaseMs: 300 });
    const la = await listenComputeApi(new ComputeApi(a), { port: 0 });
    const r = await new TestClient(la.url).createServer(
      { name: 'orphan', flavorRef: '1' },
      {},
      false,
    );
    const id = r.body.server.id as string;
    expect((await b.getServer(id))?.vmState).toBe('building');
    const deadline = Date.now() + 30_000;
    while ((await b.getServer(id))?.vmState !== 'active') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await b.store.listRequests()).toEqual([]);
    await la.close();
    await closeReplicas(a, b);
  });

  it('keeps servers across a replica restart', async () => {
    expect(problem, problem).toBeUndefined();
    const db = database('concurrent');
    const again = await replica(db, { hosts: 8 });
    expect((await again.store.countServers()).total).toBe(200);
  });
});
