/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- tests read JSON response bodies loosely */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi } from './__fixtures__/harness.js';
import { ManualTimer } from './__fixtures__/manual-timer.js';
import { CIRROS, testCloud } from './__fixtures__/test-cloud.js';
import { SCHEMA_VERSION } from './store/schema.js';

let open: TestApi[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const t of open) await t.close().catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  open = [];
  dirs = [];
});

async function start(options: Parameters<typeof startTestApi>[0] = {}): Promise<TestApi> {
  const t = await startTestApi(options);
  open.push(t);
  return t;
}

describe('creates as nova does them: 202 in BUILD, then scheduled', () => {
  it('answers 202 with the server stored in BUILD (scheduling) before any decision, then ACTIVE', async () => {
    const timer = new ManualTimer();
    const t = await start({ timer });
    const r = await t.client.createServer(
      { name: 'web', flavorRef: '1', imageRef: CIRROS },
      {},
      false,
    );
    expect(r.status).toBe(202);
    const requestId = r.headers.get('x-openstack-request-id');
    expect(requestId).toMatch(/^req-[0-9a-f-]{36}$/);
    const id = r.body.server.id as string;
    // The timer has not run: nothing was scheduled, the server is stored all the same.
    const building = (await t.client.get(`/v2.1/servers/${id}`)).body.server;
    expect(building).toMatchObject({
      status: 'BUILD',
      'OS-EXT-STS:vm_state': 'building',
      'OS-EXT-STS:task_state': 'scheduling',
      'OS-EXT-STS:power_state': 0,
      'OS-EXT-SRV-ATTR:host': null,
    });
    const listed = (await t.client.get('/v2.1/servers/detail?status=BUILD')).body.servers;
    expect(listed.map((s: { id: string }) => s.id)).toEqual([id]);
    // nova's create action carries the request id the 202 returned.
    const actions = (await t.client.get(`/v2.1/servers/${id}/os-instance-actions`)).body;
    expect(actions.instanceActions).toEqual([
      expect.objectContaining({ action: 'create', request_id: requestId, instance_uuid: id }),
    ]);

    expect(timer.runReady()).toBe(1);
    await t.api.service.settled();
    expect((await t.client.get(`/v2.1/servers/${id}`)).body.server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
    });
    expect(await t.api.service.store.listRequests()).toEqual([]);
  });

  it('is polled to ACTIVE by a client (real timers)', async () => {
    const t = await start();
    const r = await t.client.createServer({ name: 'polled', flavorRef: '2' }, {}, false);
    expect(r.status).toBe(202);
    const shown = await t.client.waitWhile(r.body.server.id as string, (s) => s.status === 'BUILD');
    expect(shown).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': expect.any(String) });
  });

  it('ends in ERROR with the NoValidHost fault when no host fits', async () => {
    // One host of 8192 MB usable: two `large` (8192 MB) servers cannot both fit.
    const t = await start({ cloud: testCloud({ hosts: 1 }) });
    const r = await t.client.createServer({ name: 'big', flavorRef: '4', max_count: 2 });
    const servers = (await t.client.get('/v2.1/servers/detail')).body.servers;
    expect(servers).toHaveLength(2);
    for (const s of servers) {
      expect(s.status).toBe('ERROR');
      expect(s.fault).toMatchObject({ code: 500 });
      expect(s.fault.message).toMatch(/^No valid host was found\./);
      expect(s.fault.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(servers.map((s: { id: string }) => s.id)).toContain(r.body.server.id);
  });

  it('multi-create: every server of the request in BUILD first, then each placed, one request id', async () => {
    const timer = new ManualTimer();
    const t = await start({ timer });
    const r = await t.client.createServer(
      { name: 'm', flavorRef: '1', min_count: 2, max_count: 3, return_reservation_id: true },
      {},
      false,
    );
    expect(r.status).toBe(202);
    const reservation = r.body.reservation_id as string;
    const listed = async () =>
      (await t.client.get(`/v2.1/servers/detail?reservation_id=${reservation}`)).body.servers;
    expect((await listed()).map((s: { status: string }) => s.status)).toEqual(
      Array(3).fill('BUILD'),
    );
    timer.runReady();
    await t.api.service.settled();
    expect((await listed()).map((s: { status: string }) => s.status)).toEqual(
      Array(3).fill('ACTIVE'),
    );
    const records = await t.api.service.listServers({ reservationId: reservation });
    expect(new Set(records.map((s) => s.requestId))).toEqual(
      new Set([r.headers.get('x-openstack-request-id')]),
    );
  });

  it('checks quotas at the 202: a server in BUILD counts, one over is a synchronous 403 storing nothing', async () => {
    const timer = new ManualTimer();
    const t = await start({ timer });
    await t.client.request('PUT', '/v2.1/os-quota-sets/projQ', { quota_set: { instances: 1 } });
    const q = t.client.as('quinn:projQ');
    expect((await q.createServer({ name: 'one', flavorRef: '1' }, {}, false)).status).toBe(202);
    const over = await q.createServer({ name: 'two', flavorRef: '1' }, {}, false);
    expect(over.status).toBe(403);
    expect(over.body.forbidden.message).toMatch(/^Quota exceeded for instances/);
    expect((await q.get('/v2.1/servers')).body.servers).toHaveLength(1);
    expect(await t.api.service.store.listRequests()).toHaveLength(1);
  });

  it('a server deleted while in BUILD is not scheduled, and its request ends', async () => {
    const timer = new ManualTimer();
    const t = await start({ timer });
    const r = await t.client.createServer({ name: 'gone', flavorRef: '1' }, {}, false);
    expect((await t.client.delete(`/v2.1/servers/${r.body.server.id}`)).status).toBe(204);
    timer.runReady();
    await t.api.service.settled();
    expect(await t.api.service.store.listRequests()).toEqual([]);
    expect((await t.api.service.store.countServers()).placed).toBe(0);
  });

  it('schedules again at start what was accepted (202) but not scheduled before the process stopped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opie-async-'));
    dirs.push(dir);
    const timer = new ManualTimer();
    const first = await start({ db: dir, timer });
    const r = await first.client.createServer({ name: 'survivor', flavorRef: '1' }, {}, false);
    const id = r.body.server.id as string;
    await first.close(); // the timer never ran: the request is only in the store
    open = [];
    const second = await start({ db: dir });
    await second.api.service.settled();
    expect((await second.client.get(`/v2.1/servers/${id}`)).body.server.status).toBe('ACTIVE');
    expect(await second.api.service.store.listRequests()).toEqual([]);
  });

  it('tries a decision that failed (the store away) again after retryMs', async () => {
    const timer = new ManualTimer();
    const t = await start({ timer, retryMs: 250 });
    const store = t.api.service.store;
    const original = store.unplacedServers.bind(store);
    let failures = 0;
    store.unplacedServers = (...args) => {
      if (failures === 0) {
        failures += 1;
        return Promise.reject(new Error('connection lost'));
      }
      return original(...args);
    };
    const r = await t.client.createServer({ name: 'retry', flavorRef: '1' }, {}, false);
    timer.runReady();
    await t.api.service.settled();
    expect(failures).toBe(1);
    expect((await t.client.get(`/v2.1/servers/${r.body.server.id}`)).body.server.status).toBe(
      'BUILD',
    );
    // The retry waits retryMs (250): not among the tasks due at once, then run.
    expect(timer.runReady()).toBe(0);
    expect(timer.runReady(250)).toBe(1);
    await t.api.service.settled();
    expect((await t.client.get(`/v2.1/servers/${r.body.server.id}`)).body.server.status).toBe(
      'ACTIVE',
    );
  });

  it("hides another project's instance actions (404), as its server", async () => {
    const t = await start();
    const r = await t.client.as('alice:projA').createServer({ name: 'mine', flavorRef: '1' });
    const id = r.body.server.id as string;
    expect(
      (await t.client.as('alice:projA').get(`/v2.1/servers/${id}/os-instance-actions`)).status,
    ).toBe(200);
    expect(
      (await t.client.as('bob:projB').get(`/v2.1/servers/${id}/os-instance-actions`)).status,
    ).toBe(404);
    expect(
      (
        await t.client
          .as('alice:projA')
          .request('POST', `/v2.1/servers/${id}/os-instance-actions`, {})
      ).status,
    ).toBe(405);
  });

  it('upgrades a schema version 2 store at start (requests table, deadline columns)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opie-async-'));
    dirs.push(dir);
    const first = await start({ db: dir });
    const sql = first.api.service.store.sql;
    // Back to what version 2 had: no opie_requests, no deadline columns.
    await sql.query('DROP TABLE opie_requests');
    for (const column of ['due_at', 'finished_at', 'outcome']) {
      await sql.query(`ALTER TABLE opie_preemptions DROP COLUMN ${column}`);
    }
    await sql.query(`UPDATE opie_meta SET value = '2'::jsonb WHERE key = 'schema_version'`);
    await first.close();
    open = [];
    const second = await start({ db: dir });
    const r = await second.client.createServer({ name: 'upgraded', flavorRef: '1' });
    expect((await second.client.get(`/v2.1/servers/${r.body.server.id}`)).body.server.status).toBe(
      'ACTIVE',
    );
    const version = await second.api.service.store.sql.query<{ value: number }>(
      `SELECT value FROM opie_meta WHERE key = 'schema_version'`,
    );
    expect(version[0]?.value).toBe(SCHEMA_VERSION);
  });
});
