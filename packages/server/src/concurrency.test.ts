/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests read JSON response bodies loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi } from './__fixtures__/harness.js';
import { copyMatchesStore, hostLimitViolations } from './__fixtures__/invariants.js';
import { CIRROS, TEST_NOVA_CONF, testCloud } from './__fixtures__/test-cloud.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ cloud: testCloud({ hosts: 8 }) });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('200 concurrent creates against one service', () => {
  it('never push a host past its limits and lose no server', async () => {
    const flavors = ['1', '2', '3', '4'];
    const requests = Array.from({ length: 200 }, (_, i) =>
      t.client.createServer(
        {
          name: `c-${i}`,
          flavorRef: flavors[i % flavors.length],
          imageRef: CIRROS,
          // Every third one preemptible: later normal requests preempt them.
          ...(i % 3 === 0 ? { preemptible: true } : {}),
        },
        {},
        false,
      ),
    );
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(202));
    const ids = new Set(responses.map((r) => r.body.server.id as string));
    expect(ids.size).toBe(200);
    // The 202s come before the decisions: poll (as a client would) until none is in BUILD.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const building = await t.client.get('/v2.1/servers?status=BUILD&all_tenants=1');
      if (building.body.servers.length === 0) break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Every server was stored: placed, failed (no room) or preempted.
    const servers = await t.api.service.listServers({});
    expect(servers).toHaveLength(200);
    expect(new Set(servers.map((s) => s.uuid))).toEqual(ids);
    for (const s of servers) {
      if (s.vmState === 'active') {
        expect(s.host).not.toBeNull();
      } else {
        expect(s.vmState).toBe('error');
        expect(s.host).toBeNull();
        expect([500, 409]).toContain(s.fault?.code);
      }
    }
    const placed = servers.filter((s) => s.vmState === 'active');
    const preempted = servers.filter((s) => s.fault?.code === 409);
    expect(placed.length).toBeGreaterThan(0);
    expect(preempted.every((s) => s.preemptible)).toBe(true);

    const { totals, violations } = await hostLimitViolations(t.api.service);
    expect(violations).toEqual([]);
    expect(totals.reduce((n, x) => n + x.servers, 0)).toBe(placed.length);
    expect(await copyMatchesStore(t.api.service)).toEqual([]);

    const stats = (await t.client.get('/v2.1/os-hypervisors/statistics')).body
      .hypervisor_statistics;
    expect(stats.running_vms).toBe(placed.length);
    expect(stats.memory_mb_used).toBe(totals.reduce((n, x) => n + x.memoryMb, 0));
  });
});

describe('200 concurrent creates with a grace period (1 s)', () => {
  it('never push a host past its limits once every server has settled, and every victim was noticed first', async () => {
    const g = await startTestApi({
      cloud: testCloud({ hosts: 4 }),
      configFiles: [
        {
          path: 'grace.conf',
          text: `${TEST_NOVA_CONF}\n[preemptible_instances_scheduler]\ngrace_period = 1\n`,
        },
      ],
    });
    try {
      // The preemptible ones first fill the hosts; the normal ones then preempt them with notice.
      const flavors = ['1', '2', '3'];
      const send = (i: number, preemptible: boolean) =>
        g.client.createServer(
          {
            name: `g-${i}`,
            flavorRef: flavors[i % flavors.length],
            ...(preemptible ? { preemptible } : {}),
          },
          {},
          false,
        );
      const first = await Promise.all(Array.from({ length: 100 }, (_, i) => send(i, true)));
      const second = await Promise.all(Array.from({ length: 100 }, (_, i) => send(100 + i, false)));
      expect([...first, ...second].map((r) => r.status)).toEqual(Array(200).fill(202));
      const deadline = Date.now() + 120_000;
      for (;;) {
        const building = await g.client.get('/v2.1/servers?status=BUILD&all_tenants=1');
        const preempting = (await g.api.service.listServers({})).filter(
          (s) => s.taskState === 'preempting',
        );
        if (building.body.servers.length === 0 && preempting.length === 0) break;
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const servers = await g.api.service.listServers({});
      expect(servers).toHaveLength(200);
      const preempted = servers.filter((s) => s.fault?.code === 409);
      expect(preempted.length).toBeGreaterThan(0);
      for (const s of preempted) {
        // Each victim had a notice a grace period (1000 ms) before its termination.
        const [record] = await g.api.service.store.preemptionsOf(s.uuid);
        expect(record).toMatchObject({ outcome: 'terminated' });
        expect((record?.finishedAt ?? 0) - (record?.createdAt ?? 0)).toBeGreaterThanOrEqual(1000);
      }
      const { totals, violations } = await hostLimitViolations(g.api.service);
      expect(violations).toEqual([]);
      const placed = servers.filter((s) => s.vmState === 'active');
      expect(totals.reduce((n, x) => n + x.servers, 0)).toBe(placed.length);
      expect(await copyMatchesStore(g.api.service)).toEqual([]);
    } finally {
      await g.close();
    }
  }, 180_000);
});
