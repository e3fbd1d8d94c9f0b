/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- tests read JSON response bodies loosely */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi } from './__fixtures__/harness.js';
import { testCloud, testCloudDocument } from './__fixtures__/test-cloud.js';
import { parseCloud } from '@opie/cloud';
import { openStore } from './store/open-store.js';

let dir: string;
let db: string;
const cloudWithVictim = () =>
  testCloud({
    hosts: 1,
    instances: [
      {
        uuid: 'pre-1',
        host: 'node1',
        flavor: 'large',
        preemptible: true,
        created_at: '2025-01-01T00:00:00Z',
      },
    ],
  });

/** A body with the service's own address taken out (each run listens on a new port). */
const portless = (body: unknown, url: string): unknown =>
  JSON.parse(JSON.stringify(body).split(url).join('http://opie')) as unknown;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opie-server-persist-'));
  db = join(dir, 'data');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the embedded store (PGlite in a directory)', () => {
  let firstRun: { normal: string; error: string; hypervisors: unknown; preempted: unknown };

  it('keeps every server, host and preemption record across a restart', async () => {
    let t: TestApi = await startTestApi({ cloud: cloudWithVictim(), db });
    try {
      const normal = (await t.client.createServer({ name: 'keep-me', flavorRef: '4' })).body.server
        .id as string;
      const error = (await t.client.createServer({ name: 'no-room', flavorRef: '4' })).body.server
        .id as string;
      firstRun = {
        normal,
        error,
        hypervisors: (await t.client.get('/v2.1/os-hypervisors/detail')).body,
        preempted: portless((await t.client.get('/v2.1/servers/pre-1')).body, t.api.url),
      };
    } finally {
      await t.close();
    }

    t = await startTestApi({ cloud: cloudWithVictim(), db });
    try {
      const list = await t.client.get('/v2.1/servers/detail?all_tenants=1');
      expect(
        list.body.servers.map((s: { name: string; status: string }) => [s.name, s.status]).sort(),
      ).toEqual([
        ['keep-me', 'ACTIVE'],
        ['no-room', 'ERROR'],
        ['pre-1', 'ERROR'],
      ]);
      const preempted = (await t.client.get('/v2.1/servers/pre-1')).body;
      expect(portless(preempted, t.api.url)).toEqual(firstRun.preempted);
      expect((await t.client.get('/v2.1/os-hypervisors/detail')).body).toEqual(
        firstRun.hypervisors,
      );
      const records = await t.api.service.store.preemptionsOf('pre-1');
      expect(records).toHaveLength(1);
      expect(records[0]?.byServerUuid).toBe(firstRun.normal);
      // The cloud's instances were imported once: pre-1 was not brought back.
      expect(await t.api.service.store.countServers()).toEqual({ total: 3, live: 3, placed: 1 });
      // The scheduler reads the store: the host is full.
      const again = await t.client.createServer({ name: 'still-full', flavorRef: '1' });
      expect((await t.client.get(`/v2.1/servers/${again.body.server.id}`)).body.server.status).toBe(
        'ERROR',
      );
      expect((await t.client.delete(`/v2.1/servers/${firstRun.normal}`)).status).toBe(204);
    } finally {
      await t.close();
    }
  });

  it('keeps deletions, and takes new nodes and flavors from the cloud file at start', async () => {
    const doc = testCloudDocument({ hosts: 2 });
    (doc['flavors'] as unknown[]).push({
      id: '5',
      name: 'xl',
      memory_mb: 8192,
      vcpus: 4,
      root_gb: 80,
    });
    const t = await startTestApi({ cloud: parseCloud(doc), db });
    try {
      expect((await t.client.get(`/v2.1/servers/${firstRun.normal}`)).status).toBe(404);
      const hypervisors = await t.client.get('/v2.1/os-hypervisors');
      expect(
        hypervisors.body.hypervisors.map(
          (h: { hypervisor_hostname: string }) => h.hypervisor_hostname,
        ),
      ).toEqual(['node1', 'node2']);
      expect((await t.client.get('/v2.1/flavors/5')).status).toBe(200);
      const placed = await t.client.createServer({ name: 'on-new-node', flavorRef: '5' });
      const shown = await t.client.get(`/v2.1/servers/${placed.body.server.id}`);
      expect(shown.body.server['OS-EXT-SRV-ATTR:host']).toBe('node1');
    } finally {
      await t.close();
    }
  });

  it('refuses a second process on the same directory while it is open', async () => {
    const store = await openStore(db);
    try {
      // Another live process (here: the test's own parent) holding the lock is refused.
      const { writeFile, readFile } = await import('node:fs/promises');
      const lock = join(db, 'opie-server.lock');
      const own = await readFile(lock, 'utf8');
      await writeFile(lock, String(process.ppid));
      await expect(openStore(db)).rejects.toThrow(`is in use by process ${process.ppid}`);
      await writeFile(lock, own);
    } finally {
      await store.close();
    }
  });
});
