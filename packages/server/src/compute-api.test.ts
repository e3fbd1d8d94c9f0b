/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- tests read JSON response bodies loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIRROS, testCloud } from './__fixtures__/test-cloud.js';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi, TestResponse } from './__fixtures__/harness.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ cloud: testCloud({ hosts: 2 }) });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const counts = () => t.api.service.store.countServers();

describe('versions', () => {
  it('GET / lists v2.0 and v2.1 (current)', async () => {
    const r = await t.client.get('/');
    expect(r.status).toBe(200);
    expect(r.body.versions.map((v: { id: string; status: string }) => [v.id, v.status])).toEqual([
      ['v2.0', 'SUPPORTED'],
      ['v2.1', 'CURRENT'],
    ]);
    expect(r.body.versions[1].links[0].href).toBe(
      `${t.api.url.replace('127.0.0.1', '127.0.0.1')}/v2.1/`,
    );
  });
  it('GET /v2.1 describes v2.1 with its microversion range', async () => {
    for (const path of ['/v2.1', '/v2.1/']) {
      const r = await t.client.get(path);
      expect(r.status).toBe(200);
      expect(r.body.version).toMatchObject({ id: 'v2.1', version: '2.1', min_version: '2.1' });
    }
  });
  it('answers every response with the microversion headers', async () => {
    const r = await t.client.get('/v2.1/flavors');
    expect(r.headers.get('openstack-api-version')).toBe('compute 2.1');
    expect(r.headers.get('x-openstack-nova-api-version')).toBe('2.1');
    expect(r.headers.get('x-openstack-request-id')).toMatch(/^req-/);
  });
  it('refuses microversions above 2.1 with a 406 and bad ones with a 400', async () => {
    const high = await t.client.get('/v2.1/servers', { 'OpenStack-API-Version': 'compute 2.99' });
    expect(high.status).toBe(406);
    expect(high.body.computeFault.message).toContain('Version 2.99 is not supported');
    const legacy = await t.client.get('/v2.1/servers', { 'X-OpenStack-Nova-API-Version': '2.60' });
    expect(legacy.status).toBe(406);
    const bad = await t.client.get('/v2.1/servers', { 'X-OpenStack-Nova-API-Version': 'two' });
    expect(bad.status).toBe(400);
    const latest = await t.client.get('/v2.1/servers', {
      'OpenStack-API-Version': 'compute latest',
    });
    expect(latest.status).toBe(200);
  });
});

describe('servers', () => {
  it('creates, shows, lists and deletes a server', async () => {
    const created = await t.client.createServer({ name: 'web', flavorRef: '1', imageRef: CIRROS });
    expect(created.status).toBe(202);
    const id = created.body.server.id as string;
    expect(created.body.server).toMatchObject({
      'OS-DCF:diskConfig': 'MANUAL',
      security_groups: [{ name: 'default' }],
    });
    expect(created.body.server.adminPass).toMatch(/^\w{12}$/);
    expect(created.body.server.links[0].href).toBe(`${t.api.url}/v2.1/servers/${id}`);
    expect(created.headers.get('location')).toBe(`${t.api.url}/v2.1/servers/${id}`);

    const shown = await t.client.get(`/v2.1/servers/${id}`);
    expect(shown.status).toBe(200);
    const s = shown.body.server;
    expect(s).toMatchObject({
      id,
      name: 'web',
      status: 'ACTIVE',
      preemptible: false,
      flavor: { id: '1' },
      image: { id: CIRROS },
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
      tenant_id: 'admin', // the harness's default token is `admin` (user = project = admin)
    });
    expect(['node1', 'node2']).toContain(s['OS-EXT-SRV-ATTR:host']);
    expect(s['OS-EXT-AZ:availability_zone']).toBe(
      s['OS-EXT-SRV-ATTR:host'] === 'node1' ? 'az1' : 'az2',
    );
    expect(s.hostId).toMatch(/^[0-9a-f]{56}$/);
    expect(s.fault).toBeUndefined();

    const list = await t.client.get('/v2.1/servers');
    expect(list.body.servers).toContainEqual({
      id,
      name: 'web',
      links: expect.any(Array) as unknown,
    });
    const detail = await t.client.get('/v2.1/servers/detail?name=we');
    expect(detail.body.servers.map((x: { id: string }) => x.id)).toEqual([id]);

    const deleted = await t.client.delete(`/v2.1/servers/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const gone = await t.client.get(`/v2.1/servers/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      itemNotFound: { code: 404, message: `Instance ${id} could not be found.` },
    });
    expect((await t.client.delete(`/v2.1/servers/${id}`)).status).toBe(404);
  });

  it('marks a preemptible server from the field or the hint, in its system metadata too', async () => {
    const byField = await t.client.createServer({
      name: 'batch-a',
      flavorRef: '1',
      preemptible: 'True',
    });
    const byHint = await t.client.createServer(
      { name: 'batch-b', flavorRef: '1' },
      { 'os:scheduler_hints': { preemptible: 'True' } },
    );
    for (const r of [byField, byHint]) {
      expect(r.status).toBe(202);
      const shown = await t.client.get(`/v2.1/servers/${r.body.server.id}`);
      expect(shown.body.server.preemptible).toBe(true);
      const record = await t.api.service.getServer(r.body.server.id as string);
      expect(record?.systemMetadata).toEqual({ preemptible: 'True' });
      expect(record?.preemptible).toBe(true);
      await t.client.delete(`/v2.1/servers/${r.body.server.id}`);
    }
  });

  it('creates max_count servers named name-N under one reservation', async () => {
    const r = await t.client.createServer({
      name: 'fleet',
      flavorRef: '1',
      min_count: 2,
      max_count: 3,
      return_reservation_id: true,
    });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ reservation_id: expect.stringMatching(/^r-[0-9a-f]{8}$/) as unknown });
    const list = await t.client.get(`/v2.1/servers/detail?reservation_id=${r.body.reservation_id}`);
    const names = list.body.servers.map((s: { name: string }) => s.name).sort();
    expect(names).toEqual(['fleet-1', 'fleet-2', 'fleet-3']);
    for (const s of list.body.servers) expect(s.status).toBe('ACTIVE');
    for (const s of list.body.servers) await t.client.delete(`/v2.1/servers/${s.id}`);
  });

  it('stores servers no host fits in ERROR with the NoValidHost fault, holding nothing', async () => {
    const r = await t.client.createServer({ name: 'huge', flavorRef: '4', max_count: 3 });
    expect(r.status).toBe(202);
    const list = await t.client.get('/v2.1/servers/detail?name=huge');
    expect(list.body.servers).toHaveLength(3);
    for (const s of list.body.servers) {
      expect(s).toMatchObject({ status: 'ERROR', 'OS-EXT-SRV-ATTR:host': null });
      expect(s.fault).toMatchObject({ code: 500 });
      expect(s.fault.message).toMatch(/^No valid host was found\. /);
      await t.client.delete(`/v2.1/servers/${s.id}`);
    }
    const stats = await t.client.get('/v2.1/os-hypervisors/statistics');
    expect(stats.body.hypervisor_statistics.running_vms).toBe(0);
  });

  it('pages server lists with limit and marker', async () => {
    const ids: string[] = [];
    for (const name of ['p1', 'p2', 'p3']) {
      ids.push((await t.client.createServer({ name, flavorRef: '1' })).body.server.id as string);
    }
    const first = await t.client.get('/v2.1/servers?limit=2&name=p');
    expect(first.body.servers.map((s: { name: string }) => s.name)).toEqual(['p3', 'p2']);
    const next = first.body.servers_links[0];
    expect(next.rel).toBe('next');
    const rest = await t.client.get(
      new URL(next.href as string).pathname + new URL(next.href as string).search,
    );
    expect(rest.body.servers.map((s: { name: string }) => s.name)).toEqual(['p1']);
    expect(rest.body.servers_links).toBeUndefined();
    expect((await t.client.get('/v2.1/servers?marker=nope')).status).toBe(400);
    expect((await t.client.get('/v2.1/servers?limit=-1')).status).toBe(400);
    const active = await t.client.get('/v2.1/servers/detail?status=active&name=p');
    expect(active.body.servers).toHaveLength(3);
    for (const id of ids) await t.client.delete(`/v2.1/servers/${id}`);
  });

  it("serves paths with the caller's project id, and refuses another one (400, nova's message)", async () => {
    const tenant = t.client.as('u-7:p-42');
    const r = await tenant.post('/v2.1/p-42/servers', {
      server: { name: 'tenant', flavorRef: '1' },
    });
    expect(r.status).toBe(202);
    const shown = await tenant.get(`/v2.1/p-42/servers/${r.body.server.id}`);
    expect(shown.body.server).toMatchObject({ tenant_id: 'p-42', user_id: 'u-7' });
    const other = await tenant.post('/v2.1/projB/servers', {
      server: { name: 'elsewhere', flavorRef: '1' },
    });
    expect(other.status).toBe(400);
    expect(other.body.badRequest.message).toBe(
      "Malformed request URL: URL's project_id 'projB' doesn't match Context's project_id 'p-42'",
    );
    // X-Project-Id is not an identity in noauth2 mode: the token is.
    const header = await tenant.post(
      '/v2.1/servers',
      { server: { name: 'header', flavorRef: '1' } },
      { 'X-Project-Id': 'projB' },
    );
    const headerShown = await tenant.get(`/v2.1/servers/${header.body.server.id}`);
    expect(headerShown.body.server.tenant_id).toBe('p-42');
    await tenant.delete(`/v2.1/servers/${r.body.server.id}`);
    await tenant.delete(`/v2.1/servers/${header.body.server.id}`);
  });

  it('answers server actions it does not know with a 400', async () => {
    const r = await t.client.createServer({ name: 'act', flavorRef: '1' });
    const action = await t.client.post(`/v2.1/servers/${r.body.server.id}/action`, { reboot: {} });
    expect(action.status).toBe(400);
    expect(action.body.badRequest.message).toBe('There is no such action: reboot');
    expect((await t.client.post('/v2.1/servers/nope/action', { reboot: {} })).status).toBe(404);
    await t.client.delete(`/v2.1/servers/${r.body.server.id}`);
  });
});

describe('bad input stores nothing', () => {
  const cases: Array<[string, () => Promise<TestResponse>, number, string]> = [
    [
      'malformed JSON',
      () => t.client.post('/v2.1/servers', '{"server": {"name": '),
      400,
      'Malformed request body',
    ],
    ['an empty body', () => t.client.post('/v2.1/servers', ''), 400, 'Malformed request body'],
    [
      'an unknown flavor',
      () => t.client.createServer({ name: 'x', flavorRef: '99' }),
      400,
      'Invalid flavorRef provided.',
    ],
    [
      'a missing name',
      () => t.client.createServer({ flavorRef: '1' }),
      400,
      "'name' is a required property",
    ],
    [
      'a bad preemptible',
      () => t.client.createServer({ name: 'x', flavorRef: '1', preemptible: 'maybe' }),
      400,
      'field/attribute preemptible',
    ],
    [
      'an unknown image',
      () => t.client.createServer({ name: 'x', flavorRef: '1', imageRef: 'nope' }),
      400,
      'Can not find requested image',
    ],
    [
      'an image that is not active',
      () => t.client.createServer({ name: 'x', flavorRef: '1', imageRef: 'queued-image' }),
      400,
      'is not active',
    ],
    [
      'a flavor too small for the image',
      () =>
        t.client.createServer({
          name: 'x',
          flavorRef: '1',
          imageRef: '11111111-2222-4333-8444-666666666666',
        }),
      400,
      "Flavor's memory is too small",
    ],
    [
      'an unknown zone',
      () => t.client.createServer({ name: 'x', flavorRef: '1', availability_zone: 'az9' }),
      400,
      'availability zone is not available',
    ],
    [
      'a non-JSON content type',
      () => t.client.post('/v2.1/servers', 'name=x', { 'content-type': 'text/plain' }),
      415,
      'Unsupported Content-Type',
    ],
    [
      'an oversized body',
      () =>
        t.client.createServer({
          name: 'x',
          flavorRef: '1',
          metadata: { pad: 'x'.repeat(200) },
          user_data: 'x'.repeat(200_000),
        }),
      413,
      'Request is too large.',
    ],
  ];
  it.each(cases)('%s', async (_what, send, status, message) => {
    const before = await counts();
    const r = await send();
    expect(r.status).toBe(status);
    const fault = Object.values(r.body as Record<string, { code: number; message: string }>)[0];
    expect(fault?.code).toBe(status);
    expect(fault?.message).toContain(message);
    expect(await counts()).toEqual(before);
  });
});

describe('flavors', () => {
  it('lists, details and shows flavors (v2.1 view)', async () => {
    const list = await t.client.get('/v2.1/flavors');
    expect(list.body.flavors.map((f: { name: string }) => f.name)).toEqual([
      'tiny',
      'small',
      'medium',
      'large',
    ]);
    const detail = await t.client.get('/v2.1/flavors/detail?is_public=None');
    expect(detail.body.flavors[0]).toMatchObject({
      id: '1',
      name: 'tiny',
      ram: 1024,
      disk: 10,
      vcpus: 1,
      swap: '',
      'OS-FLV-EXT-DATA:ephemeral': 0,
      'os-flavor-access:is_public': true,
    });
    const shown = await t.client.get('/v2.1/flavors/4');
    expect(shown.body.flavor).toMatchObject({ id: '4', ram: 8192 });
    expect((await t.client.get('/v2.1/flavors/4/os-extra_specs')).body).toEqual({
      extra_specs: {},
    });
    const missing = await t.client.get('/v2.1/flavors/large');
    expect(missing.status).toBe(404);
    expect(missing.body.itemNotFound.message).toBe('Flavor large could not be found.');
  });
});

describe('os-hypervisors', () => {
  it('lists, details, shows and sums the hypervisors with live usage', async () => {
    const r = await t.client.createServer({ name: 'h', flavorRef: '3' });
    const list = await t.client.get('/v2.1/os-hypervisors');
    expect(list.body.hypervisors).toEqual([
      { id: 1, hypervisor_hostname: 'node1', state: 'up', status: 'enabled' },
      { id: 2, hypervisor_hostname: 'node2', state: 'up', status: 'enabled' },
    ]);
    const detail = await t.client.get('/v2.1/os-hypervisors/detail');
    const used = detail.body.hypervisors
      .map((h: { memory_mb_used: number }) => h.memory_mb_used)
      .sort((a: number, b: number) => a - b);
    expect(used).toEqual([512, 512 + 4096]);
    expect(detail.body.hypervisors[0]).toMatchObject({
      memory_mb: 8704,
      vcpus: 4,
      local_gb: 100,
      hypervisor_type: 'QEMU',
      host_ip: '10.0.0.1',
      service: { host: 'node1', id: 1 },
    });
    const stats = await t.client.get('/v2.1/os-hypervisors/statistics');
    expect(stats.body.hypervisor_statistics).toMatchObject({
      count: 2,
      memory_mb: 17408,
      memory_mb_used: 1024 + 4096,
      running_vms: 1,
      vcpus_used: 2,
      local_gb_used: 20,
    });
    expect((await t.client.get('/v2.1/os-hypervisors/2')).body.hypervisor.hypervisor_hostname).toBe(
      'node2',
    );
    expect((await t.client.get('/v2.1/os-hypervisors/9')).status).toBe(404);
    await t.client.delete(`/v2.1/servers/${r.body.server.id}`);
  });
});

describe('os-availability-zone', () => {
  it('lists the zones of the aggregates, with hosts in detail', async () => {
    const r = await t.client.get('/v2.1/os-availability-zone');
    expect(r.body).toEqual({
      availabilityZoneInfo: [
        { zoneName: 'az1', zoneState: { available: true }, hosts: null },
        { zoneName: 'az2', zoneState: { available: true }, hosts: null },
      ],
    });
    const detail = await t.client.get('/v2.1/os-availability-zone/detail');
    expect(Object.keys(detail.body.availabilityZoneInfo[0].hosts)).toEqual(['node1']);
  });
  it('places a server in the zone it asks for', async () => {
    const r = await t.client.createServer({ name: 'z', flavorRef: '1', availability_zone: 'az2' });
    const shown = await t.client.get(`/v2.1/servers/${r.body.server.id}`);
    expect(shown.body.server).toMatchObject({
      'OS-EXT-SRV-ATTR:host': 'node2',
      'OS-EXT-AZ:availability_zone': 'az2',
    });
    await t.client.delete(`/v2.1/servers/${r.body.server.id}`);
  });
});

describe('images (image API v2 shape, for clients without keystone)', () => {
  it('finds an image by id and by name at the compute endpoint and at /v2/images', async () => {
    const byId = await t.client.get(`/v2.1/images/${CIRROS}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      id: CIRROS,
      name: 'cirros',
      status: 'active',
      disk_format: 'qcow2',
      container_format: 'bare',
      min_ram: 64,
      min_disk: 1,
      size: 21430272,
      visibility: 'public',
      architecture: 'x86_64',
      self: `/v2/images/${CIRROS}`,
    });
    for (const path of ['/v2.1/images?name=cirros', '/v2/images?name=cirros']) {
      const r = await t.client.get(path);
      expect(r.body.images.map((i: { id: string }) => i.id)).toEqual([CIRROS]);
      expect(r.body.schema).toBe('/v2/schemas/images');
    }
    expect((await t.client.get('/v2.1/images/cirros')).status).toBe(404);
    expect((await t.client.get('/v2.1/images?name=nothing')).body.images).toEqual([]);
  });
  it('pages like Glance with limit, marker and next', async () => {
    const first = await t.client.get('/v2/images?limit=2');
    expect(first.body.images).toHaveLength(2);
    expect(first.body.next).toMatch(/^\/v2\/images\?/);
    const rest = await t.client.get(first.body.next as string);
    expect(rest.body.images.map((i: { id: string }) => i.id)).toEqual(['queued-image']);
    expect(rest.body.next).toBeUndefined();
  });
});

describe('opie api-patch', () => {
  it('answers os-preemptible-instances with 501, as opie does', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await t.client.request(
        method,
        '/v2.1/os-preemptible-instances',
        method === 'POST' ? {} : undefined,
      );
      expect(r.status).toBe(501);
      expect(r.body.notImplemented.code).toBe(501);
    }
  });
});

describe('routing errors', () => {
  it('answers unknown paths with 404 itemNotFound and wrong methods with 405 badMethod', async () => {
    const unknown = await t.client.get('/v2.1/os-networks');
    expect(unknown.status).toBe(404);
    expect(unknown.body.itemNotFound.code).toBe(404);
    expect((await t.client.get('/v3')).status).toBe(404);
    const method = await t.client.request('PUT', '/v2.1/servers', {});
    expect(method.status).toBe(405);
    expect(method.body.badMethod.code).toBe(405);
    expect((await t.client.delete('/v2.1/flavors/1')).status).toBe(405);
  });
  it('answers HEAD like GET without a body', async () => {
    const r = await t.client.request('HEAD', '/v2.1/flavors');
    expect(r.status).toBe(200);
    expect(r.body).toBeUndefined();
  });
});

describe('unexpected errors', () => {
  it('answer 500 computeFault and are logged', async () => {
    const { ComputeApi } = await import('./compute-api.js');
    const logged: string[] = [];
    const broken = {
      runtime: {
        now: () => 0,
        logger: { ...console, error: (m: string) => logged.push(m) },
      },
      listFlavors: () => Promise.reject(new Error('disk on fire')),
    };
    const api = new ComputeApi(broken as never);
    const r = await api.handle({
      method: 'GET',
      url: '/v2.1/flavors',
      headers: { 'x-auth-token': 'alice:projA' },
      baseUrl: 'http://x',
    });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({
      computeFault: { code: 500, message: 'Unexpected API Error: disk on fire' },
    });
    expect(logged).toEqual(['Unexpected API error']);
  });
});

describe('a lost database', () => {
  it('answers 503 serviceUnavailable with Retry-After, and logs a warning', async () => {
    const { ComputeApi } = await import('./compute-api.js');
    const { StoreUnavailableError } = await import('./store/sql-client.js');
    const warned: string[] = [];
    const lost = {
      runtime: {
        now: () => 0,
        logger: { ...console, warn: (m: string) => warned.push(m) },
      },
      listFlavors: () => Promise.reject(new StoreUnavailableError('PostgreSQL is gone', false)),
    };
    const api = new ComputeApi(lost as never);
    const r = await api.handle({
      method: 'GET',
      url: '/v2.1/flavors',
      headers: { 'x-auth-token': 'alice:projA' },
      baseUrl: 'http://x',
    });
    expect(r.status).toBe(503);
    expect(r.headers?.['retry-after']).toBe('1');
    expect((r.body as { serviceUnavailable: { code: number } }).serviceUnavailable.code).toBe(503);
    expect(warned).toEqual(['The store is unavailable']);
  });
});
