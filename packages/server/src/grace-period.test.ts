/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests read JSON response bodies loosely */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '@opie/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi } from './__fixtures__/harness.js';
import { hostLimitViolations } from './__fixtures__/invariants.js';
import { FakeClock } from './__fixtures__/manual-timer.js';
import { TEST_NOVA_CONF, testCloud } from './__fixtures__/test-cloud.js';

/** nova's time format: ISO 8601 to the second. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The grace period of these tests, in seconds (the clock is moved by hand: nothing sleeps it). */
const GRACE_S = 600;

const graceConf = (action: 'delete' | 'stop') => [
  {
    path: 'grace.conf',
    text: `${TEST_NOVA_CONF}\n[preemptible_instances_scheduler]\ngrace_period = ${GRACE_S}\ntermination_action = ${action}\n`,
  },
];

/**
 * One host, 8192 MB usable, full with one preemptible `large` (8192 MB)
 * server: a normal `large` request fits only by preempting it.
 */
const oneVictim = () =>
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

let open: TestApi[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const t of open) await t.close().catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  open = [];
  dirs = [];
});

async function start(
  clock: FakeClock,
  options: { action?: 'delete' | 'stop'; db?: string } = {},
): Promise<TestApi> {
  const t = await startTestApi({
    cloud: oneVictim(),
    configFiles: graceConf(options.action ?? 'delete'),
    runtime: createRuntime({ now: clock.now }),
    // No sweep on a timer: the tests call tick() after moving the clock.
    sweepMs: 0,
    ...(options.db !== undefined ? { db: options.db } : {}),
  });
  open.push(t);
  return t;
}

describe('preemption with a grace period (notice, then termination)', () => {
  it('gives the victim a notice it can see, keeps its room for the new server, and stops it at the deadline', async () => {
    const clock = new FakeClock();
    const t = await start(clock, { action: 'stop' });
    const noticeAt = clock.ms;
    const r = await t.client.createServer({ name: 'prod', flavorRef: '4' });
    expect(r.status).toBe(202);
    const requestId = r.headers.get('x-openstack-request-id');
    expect(requestId).toMatch(/^req-[0-9a-f-]{36}$/);
    const id = r.body.server.id as string;

    // During the grace: the new server is placed (BUILD, spawning), the victim still runs.
    const prod = (await t.client.get(`/v2.1/servers/${id}`)).body.server;
    expect(prod).toMatchObject({
      status: 'BUILD',
      'OS-EXT-STS:vm_state': 'building',
      'OS-EXT-STS:task_state': 'spawning',
      'OS-EXT-SRV-ATTR:host': 'node1',
    });
    const victim = (await t.client.get('/v2.1/servers/victim')).body.server;
    expect(victim).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:task_state': 'preempting',
      'OS-EXT-SRV-ATTR:host': 'node1',
    });
    // The due time: the notice time (the frozen clock) plus the grace period.
    const due = iso(noticeAt + GRACE_S * 1000);
    const actions = (await t.client.get('/v2.1/servers/victim/os-instance-actions')).body
      .instanceActions;
    expect(actions).toEqual([
      expect.objectContaining({
        action: 'preempt',
        instance_uuid: 'victim',
        request_id: requestId,
        start_time: iso(noticeAt),
        'opie:terminate_at': due,
        'opie:termination_action': 'stop',
        'opie:preempted_for': id,
        'opie:outcome': null,
      }),
    ]);
    expect(actions[0].message).toContain(due);
    expect(actions[0].message).toContain(requestId);
    const one = await t.client.get(`/v2.1/servers/victim/os-instance-actions/${requestId}`);
    expect(one.status).toBe(200);
    expect(one.body.instanceAction).toMatchObject({ action: 'preempt', request_id: requestId });
    expect(one.body.instanceAction.events[0]).toMatchObject({ finish_time: null, result: null });
    expect((await t.client.get('/v2.1/servers/victim/os-instance-actions/req-none')).status).toBe(
      404,
    );
    // The new server's own actions: its create, under the same request id.
    const own = (await t.client.get(`/v2.1/servers/${id}/os-instance-actions`)).body
      .instanceActions;
    expect(own).toEqual([expect.objectContaining({ action: 'create', request_id: requestId })]);

    // The room is promised: another normal request finds no host (the victim is no one else's).
    const other = await t.client.createServer({ name: 'late', flavorRef: '1' });
    const late = (await t.client.get(`/v2.1/servers/${other.body.server.id}`)).body.server;
    expect(late.status).toBe('ERROR');
    expect(late.fault.message).toMatch(/^No valid host was found/);

    // Just before the deadline nothing happens; at it, the victim is stopped and prod runs.
    clock.advance(GRACE_S * 1000 - 1);
    await t.api.service.tick();
    await t.api.service.settled();
    expect((await t.client.get('/v2.1/servers/victim')).body.server.status).toBe('ACTIVE');
    clock.advance(1);
    await t.api.service.tick();
    await t.api.service.settled();
    const stopped = (await t.client.get('/v2.1/servers/victim')).body.server;
    expect(stopped).toMatchObject({
      status: 'SHUTOFF',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-SRV-ATTR:host': null,
    });
    expect(stopped.fault).toMatchObject({
      code: 409,
      message: `preempted by request ${requestId} (server ${id})`,
    });
    expect((await t.client.get(`/v2.1/servers/${id}`)).body.server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:task_state': null,
    });
    const after = (await t.client.get('/v2.1/servers/victim/os-instance-actions')).body
      .instanceActions;
    expect(after[0]).toMatchObject({ 'opie:outcome': 'terminated' });
    expect((await hostLimitViolations(t.api.service)).violations).toEqual([]);
  });

  it('ends the wait early when the owner deletes the victim during the grace', async () => {
    const clock = new FakeClock();
    const t = await start(clock);
    const r = await t.client.createServer({ name: 'prod', flavorRef: '4' });
    const id = r.body.server.id as string;
    expect((await t.client.get(`/v2.1/servers/${id}`)).body.server.status).toBe('BUILD');
    expect((await t.client.delete('/v2.1/servers/victim')).status).toBe(204);
    await t.api.service.settled();
    // The clock never moved: the deadline is still ahead, the server runs already.
    expect((await t.client.get(`/v2.1/servers/${id}`)).body.server.status).toBe('ACTIVE');
    expect(await t.api.service.store.preemptionsOf('victim')).toEqual([
      expect.objectContaining({ outcome: 'deleted', finishedAt: clock.ms }),
    ]);
    expect(await t.api.service.store.listRequests()).toEqual([]);
  });

  it('spares the victim when the new server is deleted during the grace', async () => {
    const clock = new FakeClock();
    const t = await start(clock);
    const r = await t.client.createServer({ name: 'prod', flavorRef: '4' });
    expect((await t.client.delete(`/v2.1/servers/${r.body.server.id}`)).status).toBe(204);
    await t.api.service.settled();
    expect((await t.client.get('/v2.1/servers/victim')).body.server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:task_state': null,
    });
    expect(await t.api.service.store.preemptionsOf('victim')).toEqual([
      expect.objectContaining({ outcome: 'cancelled' }),
    ]);
  });

  it('resumes a grace period after a restart: the victim is deleted at the deadline, the new server ACTIVE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opie-grace-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const first = await start(clock, { db: dir });
    const r = await first.client.createServer({ name: 'prod', flavorRef: '4' });
    const id = r.body.server.id as string;
    const requestId = r.headers.get('x-openstack-request-id');
    await first.close();
    open = [];

    // Restarted before the deadline: the notice stands, nothing was given away.
    clock.advance(GRACE_S * 500);
    const second = await start(clock, { db: dir });
    expect((await second.client.get('/v2.1/servers/victim')).body.server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:task_state': 'preempting',
    });
    expect((await second.client.get(`/v2.1/servers/${id}`)).body.server.status).toBe('BUILD');
    await second.api.service.tick();
    await second.api.service.settled();
    expect((await second.client.get('/v2.1/servers/victim')).body.server.status).toBe('ACTIVE');
    // At the deadline the restarted service acts (termination_action = delete: ERROR, no host).
    clock.advance(GRACE_S * 500);
    await second.api.service.tick();
    await second.api.service.settled();
    const victim = (await second.client.get('/v2.1/servers/victim')).body.server;
    expect(victim).toMatchObject({ status: 'ERROR', 'OS-EXT-SRV-ATTR:host': null });
    expect(victim.fault.message).toBe(`preempted by request ${requestId} (server ${id})`);
    expect((await second.client.get(`/v2.1/servers/${id}`)).body.server.status).toBe('ACTIVE');
    expect(await second.api.service.store.preemptionsOf('victim')).toHaveLength(1);
  });

  it('finishes at start a grace period whose deadline passed while no process ran', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opie-grace-'));
    dirs.push(dir);
    const clock = new FakeClock();
    const first = await start(clock, { db: dir });
    const r = await first.client.createServer({ name: 'prod', flavorRef: '4' });
    await first.close();
    open = [];
    clock.advance(GRACE_S * 1000 + 1);
    const second = await start(clock, { db: dir });
    await second.api.service.settled();
    expect((await second.client.get(`/v2.1/servers/${r.body.server.id}`)).body.server.status).toBe(
      'ACTIVE',
    );
    expect((await second.client.get('/v2.1/servers/victim')).body.server.status).toBe('ERROR');
  });

  it('waits a real (short) grace period on its own timers', async () => {
    const t = await startTestApi({
      cloud: oneVictim(),
      configFiles: [
        {
          path: 'grace.conf',
          text: `${TEST_NOVA_CONF}\n[preemptible_instances_scheduler]\ngrace_period = 1\n`,
        },
      ],
    });
    open.push(t);
    const started = Date.now();
    const r = await t.client.createServer({ name: 'prod', flavorRef: '4' });
    const shown = await t.client.waitWhile(r.body.server.id as string, (s) => s.status === 'BUILD');
    expect(shown.status).toBe('ACTIVE');
    // Not before the grace period (1 s) has passed since the notice.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
