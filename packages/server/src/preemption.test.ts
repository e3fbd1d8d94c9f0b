/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- tests read JSON response bodies loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi } from './__fixtures__/harness.js';
import { testCloud } from './__fixtures__/test-cloud.js';

/**
 * One host (8192 MB usable, 4 vCPUs, 100 GB) holding two preemptible
 * servers of the cloud file: a normal large server only fits by
 * preempting both.
 */
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({
    cloud: testCloud({
      hosts: 1,
      instances: [
        {
          uuid: 'pre-old',
          host: 'node1',
          flavor: 'medium',
          preemptible: true,
          created_at: '2025-01-01T00:00:00Z',
        },
        {
          uuid: 'pre-new',
          host: 'node1',
          flavor: 'small',
          preemptible: true,
          created_at: '2025-01-01T00:10:00Z',
        },
      ],
    }),
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('preemption through the API', () => {
  it('a preemptible request never preempts: no room, ERROR', async () => {
    const r = await t.client.createServer({ name: 'batch', flavorRef: '4', preemptible: true });
    const shown = await t.client.get(`/v2.1/servers/${r.body.server.id}`);
    expect(shown.body.server.status).toBe('ERROR');
    expect(shown.body.server.fault.code).toBe(500);
    expect((await t.client.get('/v2.1/servers/pre-old')).body.server.status).toBe('ACTIVE');
    await t.client.delete(`/v2.1/servers/${r.body.server.id}`);
  });

  it('a normal request preempts; each victim ends in ERROR with a fault naming the request and server', async () => {
    const r = await t.client.createServer({ name: 'prod', flavorRef: '4' });
    expect(r.status).toBe(202);
    const id = r.body.server.id as string;
    const server = (await t.client.get(`/v2.1/servers/${id}`)).body.server;
    expect(server).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'node1' });
    const record = await t.api.service.getServer(id);
    const requestId = record?.requestId as string;
    expect(requestId).toMatch(/^req-/);

    for (const victim of ['pre-old', 'pre-new']) {
      const shown = (await t.client.get(`/v2.1/servers/${victim}`)).body.server;
      expect(shown).toMatchObject({
        status: 'ERROR',
        preemptible: true,
        'OS-EXT-STS:vm_state': 'error',
        'OS-EXT-STS:task_state': null,
        'OS-EXT-STS:power_state': 0,
        'OS-EXT-SRV-ATTR:host': null,
        'opie:last_host': 'node1',
      });
      expect(shown.fault).toMatchObject({
        code: 409,
        message: `preempted by request ${requestId} (server ${id})`,
      });
      expect(shown.fault.details).toMatch(/^Terminated on node1 \(node1\): over limits/);
      // Without a grace period the preempt action is recorded done, at the termination.
      const actions = (await t.client.get(`/v2.1/servers/${victim}/os-instance-actions`)).body
        .instanceActions;
      expect(actions).toEqual([
        expect.objectContaining({
          action: 'preempt',
          request_id: requestId,
          'opie:outcome': 'terminated',
          'opie:preempted_for': id,
        }),
      ]);
      expect(actions[0].message).toMatch(/^Preempted: deleted at /);
      const records = await t.api.service.store.preemptionsOf(victim);
      expect(records).toEqual([
        expect.objectContaining({
          victimUuid: victim,
          host: 'node1',
          requestId,
          byServerUuid: id,
          action: 'delete',
        }),
      ]);
    }
    const detail = await t.client.get('/v2.1/servers/detail?status=ERROR&all_tenants=1');
    expect(detail.body.servers.map((s: { id: string }) => s.id).sort()).toEqual([
      'pre-new',
      'pre-old',
    ]);
    const stats = (await t.client.get('/v2.1/os-hypervisors/statistics')).body
      .hypervisor_statistics;
    expect(stats).toMatchObject({ running_vms: 1, memory_mb_used: 512 + 8192, vcpus_used: 4 });
    expect(t.api.service.counters.preemptions).toBe(2);
  });

  it('a preempted server can be deleted', async () => {
    expect((await t.client.delete('/v2.1/servers/pre-old')).status).toBe(204);
    expect((await t.client.get('/v2.1/servers/pre-old')).status).toBe(404);
  });
});

describe('preemption edge cases', () => {
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

  it('a victim gone behind the scheduler: the claim rolls back and the request is planned again', async () => {
    const e = await startTestApi({ cloud: oneVictim() });
    try {
      // Another writer frees the victim's node without bumping the node's generation.
      await e.api.service.store.sql.query(
        "UPDATE opie_servers SET host = NULL, node = NULL, vm_state = 'stopped' WHERE uuid = 'victim'",
      );
      const r = await e.client.createServer({ name: 'prod', flavorRef: '4' });
      const shown = await e.client.get(`/v2.1/servers/${r.body.server.id}`);
      expect(shown.body.server.status).toBe('ACTIVE');
      expect(e.api.service.counters).toMatchObject({ conflicts: 1, preemptions: 0 });
      expect(await e.api.service.store.preemptionsOf('victim')).toEqual([]);
      const victim = await e.api.service.getServer('victim');
      expect(victim).toMatchObject({ vmState: 'stopped', fault: null });
    } finally {
      await e.close();
    }
  });

  it('reads preemptions recorded before schema version 3 (no deadline) as terminated at once', async () => {
    const e = await startTestApi({ cloud: oneVictim() });
    try {
      await e.api.service.store.sql.query(
        `INSERT INTO opie_preemptions (victim_uuid, host, node, request_id, by_server_uuid, action,
           reason, created_at) VALUES ('victim', 'node1', 'node1', 'req-old', 'new', 'delete', 'r', 1000)`,
      );
      // Such a row was written at the termination: due then, finished then.
      expect(await e.api.service.store.preemptionsOf('victim')).toEqual([
        expect.objectContaining({
          createdAt: 1000,
          dueAt: 1000,
          finishedAt: 1000,
          outcome: 'terminated',
        }),
      ]);
      expect(await e.api.service.store.pendingPreemptions('req-old')).toEqual([]);
    } finally {
      await e.close();
    }
  });
});
