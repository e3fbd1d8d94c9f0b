/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read JSON response bodies loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi, TestClient } from './__fixtures__/harness.js';
import { TEST_CONFIG_FILES, testCloud } from './__fixtures__/test-cloud.js';

let t: TestApi;
let alice: TestClient;
let admin: TestClient;
beforeAll(async () => {
  // 8 hosts of 8 tiny servers: room for 64, so only the quota limits.
  t = await startTestApi({
    cloud: testCloud({ hosts: 8 }),
    configFiles: [
      ...TEST_CONFIG_FILES,
      { path: 'quota.conf', text: '[quota]\ninstances = 3\npreemptible_instances = 2\n' },
    ],
  });
  alice = t.client.as('alice:projA');
  admin = t.client.as('admin');
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const live = async (project: string) =>
  (await t.api.service.listServers({ projectId: project })).length;

describe('os-quota-sets', () => {
  it('shows the defaults nova.conf sets, -1 (unlimited) where it sets none', async () => {
    const r = await alice.get('/v2.1/os-quota-sets/projA');
    expect(r.status).toBe(200);
    expect(r.body.quota_set).toEqual({
      id: 'projA',
      instances: 3,
      cores: -1,
      ram: -1,
      preemptible_instances: 2,
      preemptible_cores: -1,
      preemptible_ram: -1,
    });
    expect((await alice.get('/v2.1/os-quota-sets/projA/defaults')).body.quota_set.instances).toBe(
      3,
    );
  });

  it("keeps another project's quota from a non-admin (403) and updates to admins (403 otherwise)", async () => {
    expect((await alice.get('/v2.1/os-quota-sets/projB')).status).toBe(403);
    expect((await admin.get('/v2.1/os-quota-sets/projB')).status).toBe(200);
    const put = await alice.request('PUT', '/v2.1/os-quota-sets/projA', {
      quota_set: { instances: 100 },
    });
    expect(put.status).toBe(403);
    expect(put.body.forbidden.message).toBe(
      "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.",
    );
  });

  it('refuses unknown resources and values that are not integers >= -1 (400)', async () => {
    const bad = await admin.request('PUT', '/v2.1/os-quota-sets/projQ', {
      quota_set: { gpus: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.message).toContain('Bad key(s) gpus in quota_set');
    const value = await admin.request('PUT', '/v2.1/os-quota-sets/projQ', {
      quota_set: { cores: -5 },
    });
    expect(value.status).toBe(400);
    expect(value.body.badRequest.message).toContain('quota_set.cores');
    expect((await admin.get('/v2.1/os-quota-sets/projQ')).body.quota_set.cores).toBe(-1);
  });
});

describe('creates against quotas', () => {
  it('counts preemptible servers only against preemptible quotas, and normal ones only against the others', async () => {
    for (const name of ['n1', 'n2', 'n3']) {
      expect((await alice.createServer({ name, flavorRef: '1' })).status).toBe(202);
    }
    const over = await alice.createServer({ name: 'n4', flavorRef: '1' });
    expect(over.status).toBe(403);
    expect(over.body.forbidden.message).toBe(
      'Quota exceeded for instances: Requested 1, but already used 3 of 3 instances',
    );
    // The normal quota is full; the preemptible one is not.
    for (const name of ['p1', 'p2']) {
      expect((await alice.createServer({ name, flavorRef: '1', preemptible: true })).status).toBe(
        202,
      );
    }
    const overP = await alice.createServer({ name: 'p3', flavorRef: '1', preemptible: true });
    expect(overP.status).toBe(403);
    expect(overP.body.forbidden.message).toContain('Quota exceeded for preemptible_instances');
    expect(await live('projA')).toBe(5);
    // Another project has its own quota.
    expect(
      (await t.client.as('bob:projB').createServer({ name: 'b', flavorRef: '1' })).status,
    ).toBe(202);
  });

  it('gives max_count servers when they fit, else as many as fit if at least min_count', async () => {
    const carol = t.client.as('carol:projC');
    const r = await carol.createServer({ name: 'm', flavorRef: '1', min_count: 1, max_count: 5 });
    expect(r.status).toBe(202);
    expect(await live('projC')).toBe(3);
    const tooMany = await carol.createServer({ name: 'x', flavorRef: '1', min_count: 1 });
    expect(tooMany.status).toBe(403);
    expect(await live('projC')).toBe(3);
  });

  it('an admin raises a quota with PUT, and creates follow it; deleting frees quota', async () => {
    const dave = t.client.as('dave:projD');
    const put = await admin.request('PUT', '/v2.1/os-quota-sets/projD', {
      quota_set: { instances: 1, cores: 1 },
    });
    expect(put.status).toBe(200);
    expect(put.body.quota_set).toMatchObject({ instances: 1, cores: 1, preemptible_instances: 2 });
    // flavor 2 has 1 vCPU, flavor 3 has 2: over the cores quota.
    const cores = await dave.createServer({ name: 'c', flavorRef: '3' });
    expect(cores.status).toBe(403);
    expect(cores.body.forbidden.message).toBe(
      'Quota exceeded for cores: Requested 2, but already used 0 of 1 cores',
    );
    const one = await dave.createServer({ name: 'c', flavorRef: '2' });
    expect(one.status).toBe(202);
    expect((await dave.createServer({ name: 'd', flavorRef: '2' })).status).toBe(403);
    expect((await dave.delete(`/v2.1/servers/${one.body.server.id}`)).status).toBe(204);
    expect((await dave.createServer({ name: 'e', flavorRef: '2' })).status).toBe(202);
  });

  it('holds under 200 concurrent creates: exactly the quota is stored, every other create is a 403', async () => {
    await admin.request('PUT', '/v2.1/os-quota-sets/projE', { quota_set: { instances: 37 } });
    const eve = t.client.as('eve:projE');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => eve.createServer({ name: `q-${i}`, flavorRef: '1' })),
    );
    const statuses = responses.map((r) => r.status);
    // 64 tiny servers fit on the hosts, so only the quota (37) refuses.
    expect(statuses.filter((s) => s === 202)).toHaveLength(37);
    expect(statuses.filter((s) => s === 403)).toHaveLength(163);
    expect(await live('projE')).toBe(37);
  });
});
