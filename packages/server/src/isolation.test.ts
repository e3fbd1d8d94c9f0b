/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- tests read JSON response bodies loosely */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi, TestClient } from './__fixtures__/harness.js';
import { testCloud } from './__fixtures__/test-cloud.js';

let t: TestApi;
let alice: TestClient;
let bob: TestClient;
let admin: TestClient;
let aliceServer: string;

beforeAll(async () => {
  t = await startTestApi({ cloud: testCloud({ hosts: 2 }) });
  alice = t.client.as('alice:projA');
  bob = t.client.as('bob:projB');
  admin = t.client.as('admin');
  const r = await alice.createServer({ name: 'a-1', flavorRef: '1' });
  expect(r.status).toBe(202);
  aliceServer = r.body.server.id as string;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const ids = (r: { body: { servers: Array<{ id: string }> } }) => r.body.servers.map((s) => s.id);

describe('identity (noauth2)', () => {
  it('answers 401 without a token, except for the version documents', async () => {
    const anonymous = t.client.as(null);
    for (const path of ['/v2.1/servers', '/v2.1/flavors', '/v2.1/os-hypervisors', '/v2/images']) {
      const r = await anonymous.get(path);
      expect(r.status, path).toBe(401);
      expect(r.body.unauthorized.message).toContain('X-Auth-Token: USER:PROJECT');
      expect(r.headers.get('www-authenticate')).toContain('noauth2');
    }
    expect((await anonymous.get('/')).status).toBe(200);
    expect((await anonymous.get('/v2.1')).status).toBe(200);
  });

  it('refuses a token with spaces or control characters (401), and stores nothing', async () => {
    const before = await t.api.service.store.countServers();
    for (const token of ['bad token:projA', 'eve:proj\tA']) {
      const r = await t.client.as(token).createServer({ name: 'x', flavorRef: '1' });
      expect(r.status, token).toBe(401);
    }
    expect(await t.api.service.store.countServers()).toEqual(before);
  });

  it('takes user = project from a token without ":", and the user admin as administrator', async () => {
    const solo = t.client.as('carol');
    const r = await solo.createServer({ name: 'solo', flavorRef: '1' });
    const shown = await solo.get(`/v2.1/servers/${r.body.server.id}`);
    expect(shown.body.server).toMatchObject({ tenant_id: 'carol', user_id: 'carol' });
    expect((await solo.get('/v2.1/os-hypervisors')).status).toBe(403);
    expect((await t.client.as('admin:projZ').get('/v2.1/os-hypervisors')).status).toBe(200);
    await solo.delete(`/v2.1/servers/${r.body.server.id}`);
  });
});

describe('owner policy on servers', () => {
  it("hides project A's servers from project B: absent from lists, 404 on show, delete and actions", async () => {
    expect(ids(await alice.get('/v2.1/servers'))).toContain(aliceServer);
    expect(ids(await bob.get('/v2.1/servers'))).not.toContain(aliceServer);
    expect(ids(await bob.get('/v2.1/servers/detail'))).not.toContain(aliceServer);
    const shown = await bob.get(`/v2.1/servers/${aliceServer}`);
    expect(shown.status).toBe(404);
    expect(shown.body.itemNotFound.message).toBe(`Instance ${aliceServer} could not be found.`);
    expect((await bob.delete(`/v2.1/servers/${aliceServer}`)).status).toBe(404);
    expect(
      (await bob.post(`/v2.1/servers/${aliceServer}/action`, { 'os-stop': null })).status,
    ).toBe(404);
    // A marker from another project is as unknown as a made-up one.
    expect((await bob.get(`/v2.1/servers?marker=${aliceServer}`)).status).toBe(400);
    // Still there for its owner.
    expect((await alice.get(`/v2.1/servers/${aliceServer}`)).status).toBe(200);
  });

  it('shows where a server runs (OS-EXT-SRV-ATTR:*) to admins only, as nova', async () => {
    const own = (await alice.get(`/v2.1/servers/${aliceServer}`)).body.server;
    expect(Object.keys(own).filter((k) => k.startsWith('OS-EXT-SRV-ATTR:'))).toEqual([]);
    const listed = (await alice.get('/v2.1/servers/detail')).body.servers[0];
    expect(listed['OS-EXT-SRV-ATTR:host']).toBeUndefined();
    const seen = (await admin.get(`/v2.1/servers/${aliceServer}`)).body.server;
    expect(['node1', 'node2']).toContain(seen['OS-EXT-SRV-ATTR:host']);
  });

  it('lets another user of the same project see and act on it (owner = project, as nova)', async () => {
    const colleague = t.client.as('dave:projA');
    expect((await colleague.get(`/v2.1/servers/${aliceServer}`)).status).toBe(200);
  });

  it('lets the admin show any server; all_tenants=1 and project_id lists are admin only (403)', async () => {
    expect((await admin.get(`/v2.1/servers/${aliceServer}`)).status).toBe(200);
    // Without all_tenants the admin lists its own project, as nova does.
    expect(ids(await admin.get('/v2.1/servers'))).not.toContain(aliceServer);
    expect(ids(await admin.get('/v2.1/servers/detail?all_tenants=1'))).toContain(aliceServer);
    const onlyB = await admin.get('/v2.1/servers/detail?all_tenants=1&project_id=projB');
    expect(ids(onlyB)).not.toContain(aliceServer);
    expect(ids(await admin.get('/v2.1/servers?project_id=projA'))).toContain(aliceServer);

    const denied = await bob.get('/v2.1/servers/detail?all_tenants=1');
    expect(denied.status).toBe(403);
    expect(denied.body.forbidden.message).toBe(
      "Policy doesn't allow os_compute_api:servers:detail:get_all_tenants to be performed.",
    );
    expect((await bob.get('/v2.1/servers?project_id=projA')).status).toBe(403);
    // Asking for one's own project, or all_tenants=0, is an ordinary list.
    expect((await bob.get('/v2.1/servers?project_id=projB')).status).toBe(200);
    expect((await bob.get('/v2.1/servers?all_tenants=0')).status).toBe(200);
  });

  it('lets the admin delete any server', async () => {
    const r = await alice.createServer({ name: 'a-2', flavorRef: '1' });
    expect((await admin.delete(`/v2.1/servers/${r.body.server.id}`)).status).toBe(204);
    expect((await alice.get(`/v2.1/servers/${r.body.server.id}`)).status).toBe(404);
  });
});

describe('admin-only resources', () => {
  it('keeps os-hypervisors and the zone detail for admins; flavors, images and zone names for all', async () => {
    for (const path of [
      '/v2.1/os-hypervisors',
      '/v2.1/os-hypervisors/detail',
      '/v2.1/os-hypervisors/statistics',
      '/v2.1/os-availability-zone/detail',
    ]) {
      const r = await bob.get(path);
      expect(r.status, path).toBe(403);
      expect((await admin.get(path)).status, path).toBe(200);
    }
    for (const path of [
      '/v2.1/flavors/detail',
      '/v2.1/flavors/1/os-extra_specs',
      '/v2.1/images',
      '/v2/images',
      '/v2.1/os-availability-zone',
      '/v2.1/limits',
    ]) {
      expect((await bob.get(path)).status, path).toBe(200);
    }
  });

  it('refuses a forced host to non-admins (403, nothing stored) and places the admin on it', async () => {
    const before = await t.api.service.store.countServers();
    const r = await bob.createServer({
      name: 'forced',
      flavorRef: '1',
      availability_zone: 'az2:node2',
    });
    expect(r.status).toBe(403);
    expect(r.body.forbidden.message).toBe(
      "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.",
    );
    expect(await t.api.service.store.countServers()).toEqual(before);
    const ok = await admin.createServer({
      name: 'forced',
      flavorRef: '1',
      availability_zone: 'az2:node2',
    });
    expect(ok.status).toBe(202);
    const shown = await admin.get(`/v2.1/servers/${ok.body.server.id}`);
    expect(shown.body.server['OS-EXT-SRV-ATTR:host']).toBe('node2');
    await admin.delete(`/v2.1/servers/${ok.body.server.id}`);
  });

  it('names an unknown forced host in the fault', async () => {
    const r = await admin.createServer({
      name: 'nowhere',
      flavorRef: '1',
      availability_zone: 'az2:node9',
    });
    expect(r.status).toBe(202);
    const shown = await admin.get(`/v2.1/servers/${r.body.server.id}`);
    expect(shown.body.server.status).toBe('ERROR');
    expect(shown.body.server.fault.message).toContain('node9');
    expect(shown.body.server.fault.message).toContain('node1, node2');
    await admin.delete(`/v2.1/servers/${r.body.server.id}`);
  });
});

describe('input nova refuses (400) and nothing reaches the store', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a NUL in the name', { name: 'a\u0000b', flavorRef: '1' }, 'server.name'],
    ['a tab in the name', { name: 'a\tb', flavorRef: '1' }, 'name'],
    ['an escape character in the name', { name: 'a\u001b[31mb', flavorRef: '1' }, 'name'],
    [
      'a NUL in a metadata value',
      { name: 'm', flavorRef: '1', metadata: { k: 'v\u0000' } },
      'server.metadata.k',
    ],
    [
      'a NUL in a metadata key',
      { name: 'm', flavorRef: '1', metadata: { 'k\u0000': 'v' } },
      'metadata',
    ],
    ['a NUL in key_name', { name: 'k', flavorRef: '1', key_name: 'key\u0000' }, 'server.key_name'],
    [
      'a control character in key_name',
      { name: 'k', flavorRef: '1', key_name: 'key\u0007' },
      'key_name',
    ],
  ];
  for (const [what, server, field] of cases) {
    it(what, async () => {
      const before = await t.api.service.store.countServers();
      const r = await alice.createServer(server);
      expect(r.status).toBe(400);
      expect(r.body.badRequest.message).toContain(field);
      expect(await t.api.service.store.countServers()).toEqual(before);
    });
  }

  it('a %00 in a query parameter or a path', async () => {
    for (const path of [
      '/v2.1/servers?name=%00',
      '/v2.1/servers/detail?status=a%00',
      '/v2.1/servers/%00',
    ]) {
      const r = await alice.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.badRequest.message).toContain('control characters');
    }
  });
});

describe('links', () => {
  it('use the listen address, never the Host header', async () => {
    const body = JSON.stringify({ server: { name: 'links', flavorRef: '1' } });
    const { status, text, location } = await new Promise<{
      status: number;
      text: string;
      location: string | undefined;
    }>((resolve, reject) => {
      const req = request(
        `${t.api.url}/v2.1/servers`,
        {
          method: 'POST',
          headers: {
            host: 'evil.example:666',
            'content-type': 'application/json',
            'x-auth-token': 'alice:projA',
          },
        },
        (res) => {
          let data = '';
          res.on('data', (c: Buffer) => (data += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: data, location: res.headers.location }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(202);
    expect(text).not.toContain('evil.example');
    expect(location).toMatch(new RegExp(`^${t.api.url}/v2.1/servers/`));
  });

  it('use a configured public URL', async () => {
    const other = await startTestApi({ publicUrl: 'https://compute.example.org:8774/' });
    try {
      const r = await other.client.createServer({ name: 'pub', flavorRef: '1' });
      expect(r.headers.get('location')).toBe(
        `https://compute.example.org:8774/v2.1/servers/${r.body.server.id}`,
      );
      expect((await other.client.get('/')).body.versions[1].links[0].href).toBe(
        'https://compute.example.org:8774/v2.1/',
      );
    } finally {
      await other.close();
    }
  });
});

describe('identity (keystone-headers)', () => {
  let k: TestApi;
  beforeAll(async () => {
    k = await startTestApi({ auth: 'keystone-headers' });
  });
  afterAll(async () => {
    await k?.close();
  });
  const headers = (user: string, project: string, roles: string) => ({
    'x-identity-status': 'Confirmed',
    'x-user-id': user,
    'x-project-id': project,
    'x-roles': roles,
  });

  it('answers 401 unless X-Identity-Status is Confirmed, and ignores X-Auth-Token', async () => {
    const client = k.client.as('admin');
    const r = await client.get('/v2.1/servers');
    expect(r.status).toBe(401);
    expect(r.body.unauthorized.message).toContain('X-Identity-Status is missing');
    const invalid = await client.get('/v2.1/servers', {
      ...headers('u', 'p', 'member'),
      'x-identity-status': 'Invalid',
    });
    expect(invalid.status).toBe(401);
    const noProject = await client.get('/v2.1/servers', {
      'x-identity-status': 'Confirmed',
      'x-user-id': 'u',
    });
    expect(noProject.body.unauthorized.message).toBe('X-Project-Id is missing');
  });

  it('takes the project from X-Project-Id and the admin role from X-Roles', async () => {
    const client = k.client.as(null);
    const member = headers('u1', 'p1', 'member,reader');
    const r = await client.post('/v2.1/servers', { server: { name: 'k', flavorRef: '1' } }, member);
    expect(r.status).toBe(202);
    const shown = await client.get(`/v2.1/servers/${r.body.server.id}`, member);
    expect(shown.body.server).toMatchObject({ tenant_id: 'p1', user_id: 'u1' });
    expect((await client.get('/v2.1/os-hypervisors', member)).status).toBe(403);
    const other = headers('u2', 'p2', 'member');
    expect((await client.get(`/v2.1/servers/${r.body.server.id}`, other)).status).toBe(404);
    const adminRole = headers('ops', 'ops-project', 'Member, Admin');
    expect((await client.get('/v2.1/os-hypervisors', adminRole)).status).toBe(200);
  });
});

describe('policy file overrides', () => {
  it('applies an oslo.policy YAML file over the defaults, through the API', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readPolicyFile } = await import('./policy/policy-file.js');
    const dir = await mkdtemp(join(tmpdir(), 'opie-policy-api-'));
    try {
      const file = join(dir, 'policy.yaml');
      await writeFile(
        file,
        [
          '# members may look at the hypervisors, only admins may delete',
          '"os_compute_api:os-hypervisors": "@"',
          '"os_compute_api:servers:delete": "rule:admin_api"',
        ].join('\n'),
      );
      const p = await startTestApi({ policy: await readPolicyFile(file) });
      try {
        const member = p.client.as('erin:projE');
        expect((await member.get('/v2.1/os-hypervisors')).status).toBe(200);
        const r = await member.createServer({ name: 'keep', flavorRef: '1' });
        const denied = await member.delete(`/v2.1/servers/${r.body.server.id}`);
        expect(denied.status).toBe(403);
        expect(denied.body.forbidden.message).toBe(
          "Policy doesn't allow os_compute_api:servers:delete to be performed.",
        );
        expect((await member.get(`/v2.1/servers/${r.body.server.id}`)).status).toBe(200);
        expect((await p.client.delete(`/v2.1/servers/${r.body.server.id}`)).status).toBe(204);
        // Rules it does not override keep nova's defaults.
        expect((await member.get('/v2.1/servers?all_tenants=1')).status).toBe(403);
      } finally {
        await p.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
