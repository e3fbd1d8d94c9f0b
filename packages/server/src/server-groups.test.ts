/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests read JSON response bodies loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi, TestClient } from './__fixtures__/harness.js';
import { TEST_NOVA_CONF, testCloud } from './__fixtures__/test-cloud.js';

/** The test scheduler with nova's two server-group filters enabled too. */
const GROUP_NOVA_CONF = TEST_NOVA_CONF.replace(
  'ComputeFilter, ImagePropertiesFilter',
  'ComputeFilter, ImagePropertiesFilter, ServerGroupAntiAffinityFilter, ServerGroupAffinityFilter',
);

let t: TestApi;
let alice: TestClient;
let bob: TestClient;
beforeAll(async () => {
  t = await startTestApi({
    cloud: testCloud({ hosts: 4 }),
    configFiles: [{ path: 'groups.conf', text: GROUP_NOVA_CONF }],
  });
  alice = t.client.as('alice:projA');
  bob = t.client.as('bob:projB');
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function group(client: TestClient, name: string, policy: string): Promise<string> {
  const r = await client.post('/v2.1/os-server-groups', {
    server_group: { name, policies: [policy] },
  });
  expect(r.status).toBe(200);
  return r.body.server_group.id as string;
}

/** Where servers run, as the admin sees it (extended attributes are admin only). */
async function hostsOf(client: TestClient, ids: string[]): Promise<Array<string | null>> {
  const out: Array<string | null> = [];
  for (const id of ids) {
    out.push(
      (await client.get(`/v2.1/servers/${id}`)).body.server['OS-EXT-SRV-ATTR:host'] as
        string | null,
    );
  }
  return out;
}

const hint = (id: string) => ({ 'os:scheduler_hints': { group: id } });

describe('os-server-groups', () => {
  it('creates, shows, lists and deletes a group, scoped to its project', async () => {
    const id = await group(alice, 'web', 'anti-affinity');
    const shown = await alice.get(`/v2.1/os-server-groups/${id}`);
    expect(shown.body.server_group).toEqual({
      id,
      name: 'web',
      policies: ['anti-affinity'],
      members: [],
      metadata: {},
      project_id: 'projA',
      user_id: 'alice',
    });
    const ids = (r: { body: { server_groups: Array<{ id: string }> } }) =>
      r.body.server_groups.map((g) => g.id);
    expect(ids(await alice.get('/v2.1/os-server-groups'))).toContain(id);
    expect(ids(await bob.get('/v2.1/os-server-groups'))).not.toContain(id);
    expect((await bob.get(`/v2.1/os-server-groups/${id}`)).status).toBe(404);
    expect((await bob.delete(`/v2.1/os-server-groups/${id}`)).status).toBe(404);
    // bob cannot put servers in it either.
    const joined = await bob.createServer({ name: 'intruder', flavorRef: '1' }, hint(id));
    expect(joined.status).toBe(400);
    expect(joined.body.badRequest.message).toContain('The server group could not be found');
    const admin = t.client.as('admin');
    expect(ids(await admin.get('/v2.1/os-server-groups?all_projects=1'))).toContain(id);
    expect((await alice.delete(`/v2.1/os-server-groups/${id}`)).status).toBe(204);
    expect((await alice.get(`/v2.1/os-server-groups/${id}`)).status).toBe(404);
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'server_group'],
      [{ server_group: { policies: ['affinity'] } }, 'name'],
      [{ server_group: { name: 'a\u0000', policies: ['affinity'] } }, 'server_group.name'],
      [{ server_group: { name: 'a', policies: ['spread'] } }, 'policies'],
      [{ server_group: { name: 'a', policies: ['affinity', 'anti-affinity'] } }, 'policies'],
      [
        { server_group: { name: 'a', policies: ['affinity'], rules: {} } },
        "'rules' was unexpected",
      ],
    ];
    for (const [body, field] of cases) {
      const r = await alice.post('/v2.1/os-server-groups', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.badRequest.message).toContain(field);
    }
  });
});

describe('the group hint on create (nova server-group filters)', () => {
  it('anti-affinity: members on distinct hosts, one request or many; no host left is NoValidHost', async () => {
    const id = await group(alice, 'spread', 'anti-affinity');
    const one = await alice.createServer({ name: 'a', flavorRef: '1', max_count: 2 }, hint(id));
    expect(one.status).toBe(202);
    const two = await alice.createServer({ name: 'b', flavorRef: '1' }, hint(id));
    const three = await alice.createServer({ name: 'c', flavorRef: '1' }, hint(id));
    expect([two.status, three.status]).toEqual([202, 202]);
    const members = (await alice.get(`/v2.1/os-server-groups/${id}`)).body.server_group
      .members as string[];
    expect(members).toHaveLength(4);
    const hosts = await hostsOf(t.client, members);
    expect(new Set(hosts).size).toBe(4);
    const fifth = await alice.createServer({ name: 'e', flavorRef: '1' }, hint(id));
    const shown = (await alice.get(`/v2.1/servers/${fifth.body.server.id}`)).body.server;
    expect(shown.status).toBe('ERROR');
    expect(shown.fault.message).toMatch(/^No valid host was found/);
  });

  it('affinity: every member on the first member host', async () => {
    const id = await group(alice, 'together', 'affinity');
    await alice.createServer({ name: 'f', flavorRef: '1' }, hint(id));
    await alice.createServer({ name: 'g', flavorRef: '1', max_count: 2 }, hint(id));
    const members = (await alice.get(`/v2.1/os-server-groups/${id}`)).body.server_group
      .members as string[];
    expect(members).toHaveLength(3);
    const hosts = await hostsOf(t.client, members);
    expect(hosts[0]).not.toBeNull();
    expect(new Set(hosts).size).toBe(1);
  });

  it('anti-affinity holds under 12 concurrent creates into one group over 4 empty hosts', async () => {
    const fresh = await startTestApi({
      cloud: testCloud({ hosts: 4 }),
      configFiles: [{ path: 'groups.conf', text: GROUP_NOVA_CONF }],
    });
    const carol = fresh.client.as('carol:projC');
    try {
      await burstInto(carol, fresh.client);
    } finally {
      await fresh.close();
    }
  });

  async function burstInto(bob: TestClient, admin: TestClient): Promise<void> {
    const id = await group(bob, 'burst', 'anti-affinity');
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        bob.createServer({ name: `burst-${i}`, flavorRef: '1' }, hint(id)),
      ),
    );
    expect(responses.every((r) => r.status === 202)).toBe(true);
    const members = (await bob.get(`/v2.1/os-server-groups/${id}`)).body.server_group
      .members as string[];
    const placed = (await hostsOf(admin, members)).filter((h) => h !== null);
    // 4 hosts: 4 members placed, each on its own host; the other 8 found no valid host.
    expect(placed).toHaveLength(4);
    expect(new Set(placed).size).toBe(4);
  }

  it('accepts the soft policies (recorded; no weigher prefers them here)', async () => {
    const id = await group(alice, 'soft', 'soft-anti-affinity');
    const r = await alice.createServer({ name: 'h', flavorRef: '1' }, hint(id));
    expect(r.status).toBe(202);
    expect((await alice.get(`/v2.1/os-server-groups/${id}`)).body.server_group.members).toEqual([
      r.body.server.id,
    ]);
  });
});

/**
 * nova Zed's soft-(anti-)affinity weighers through the API: the service gives
 * the scheduler the group's members, so the weighers see them. Each case pairs
 * the soft weigher (multiplier 10) with a RAMWeigher pulling the other way
 * (multiplier 1: spread by free RAM; -1: stack), so without the members the
 * RAM weigher alone decides and the placement comes out the opposite way.
 */
describe('server groups and the soft weighers (nova_version = zed)', () => {
  const conf = (weigher: string, ramMultiplier: number, softOption: string): string =>
    `${TEST_NOVA_CONF}\n[opie]\nnova_version = zed\n[filter_scheduler]\n` +
    `weight_classes = nova.scheduler.weights.ram.RAMWeigher, nova.scheduler.weights.affinity.${weigher}\n` +
    `ram_weight_multiplier = ${ramMultiplier}\n${softOption} = 10.0\n`;

  async function placeFour(policy: string, text: string): Promise<Array<string | null>> {
    const api = await startTestApi({
      cloud: testCloud({ hosts: 4 }),
      configFiles: [{ path: 'soft.conf', text }],
    });
    try {
      const carol = api.client.as('carol:projC');
      const r = await carol.post('/v2.1/os-server-groups', {
        server_group: { name: 'soft', policies: [policy] },
      });
      expect(r.status).toBe(200);
      const id = r.body.server_group.id as string;
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const created = await carol.createServer({ name: `s${i}`, flavorRef: '1' }, hint(id));
        expect(created.status).toBe(202);
        ids.push(created.body.server.id as string);
      }
      return await hostsOf(api.client.as('admin'), ids);
    } finally {
      await api.close();
    }
  }

  it('soft-anti-affinity spreads four members over the four hosts, against a stacking RAMWeigher', async () => {
    const text = conf(
      'ServerGroupSoftAntiAffinityWeigher',
      -1,
      'soft_anti_affinity_weight_multiplier',
    );
    const hosts = await placeFour('soft-anti-affinity', text);
    expect(hosts.every((h) => h !== null)).toBe(true);
    expect(new Set(hosts).size).toBe(4);
  }, 60_000);

  it('soft-affinity packs four members on one host, against a spreading RAMWeigher', async () => {
    // A tiny server is 1024 MB; a test host holds several, so all four fit on one.
    const text = conf('ServerGroupSoftAffinityWeigher', 1, 'soft_affinity_weight_multiplier');
    const hosts = await placeFour('soft-affinity', text);
    expect(hosts.every((h) => h !== null)).toBe(true);
    expect(new Set(hosts).size).toBe(1);
  }, 60_000);
});
