/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests read JSON response bodies loosely */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { TestApi } from './__fixtures__/harness.js';
import { copyMatchesStore, hostLimitViolations } from './__fixtures__/invariants.js';
import { CIRROS, testCloud } from './__fixtures__/test-cloud.js';

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
      t.client.createServer({
        name: `c-${i}`,
        flavorRef: flavors[i % flavors.length],
        imageRef: CIRROS,
        // Every third one preemptible: later normal requests preempt them.
        ...(i % 3 === 0 ? { preemptible: true } : {}),
      }),
    );
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(202));
    const ids = new Set(responses.map((r) => r.body.server.id as string));
    expect(ids.size).toBe(200);

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
