// The README's "Writing a filter" examples, kept here so they always compile and run.
import { describe, expect, it } from 'vitest';
import type { HostFilter } from '@opie/core';
import { columnsOf, makeFilterRequest } from '@opie/core';
import { makeHost, makeSpec } from '@opie/testing';
import { runFilterStage } from './pipeline/filter-stage.js';
import { cloud, request, scheduler } from './scheduler/__fixtures__/scheduler-cloud.js';

/** Passes hosts whose name starts with the request's `rack` scheduler hint. */
export const rackFilter: HostFilter = {
  name: 'RackFilter',
  runFilterOncePerRequest: true,
  // Nothing to check without the hint: the scheduler skips the per-host calls.
  passesAll: (request) => request.spec.schedulerHints['rack'] === undefined,
  hostPasses: (host, request) => host.host.startsWith(String(request.spec.schedulerHints['rack'])),
};

export function createFreeVcpuFilter(minFree: number): HostFilter {
  return {
    name: 'FreeVcpuFilter',
    runFilterOncePerRequest: false,
    hostPasses: (host) => host.vcpusTotal - host.vcpusUsed >= minFree,
    // The same test over rows of the columns: bit-identical to hostPasses.
    filterColumns(cols, rows, count) {
      const { vcpusTotal, vcpusUsed } = cols;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        if ((vcpusTotal[i] as number) - (vcpusUsed[i] as number) >= minFree) rows[kept++] = i;
      }
      return kept;
    },
    // Writes no limits (a filter that does declares them: `limitDeclarations`).
  };
}

describe('README: writing a filter', () => {
  it('the scalar third-party filter places by its hint', () => {
    const { s } = scheduler(cloud([{ name: 'r1-a' }, { name: 'r2-a' }]), {
      filters: [rackFilter],
    });
    const plan = s.plan(request(512, { schedulerHints: { rack: 'r2' } }));
    expect(plan.result.destinations.map((d) => d.host)).toEqual(['r2-a']);
    expect(plan.result.explanation[0]?.hosts.map((h) => h.filteredBy)).toEqual([
      'RackFilter',
      null,
    ]);
  });

  it('the kernel keeps exactly the rows hostPasses passes', () => {
    // Free vCPUs: 8-1 = 7, 8-6 = 2, 4-0 = 4; at least 4 free passes rows 0 and 2.
    const hosts = [
      makeHost({ host: 'a', vcpusTotal: 8, vcpusUsed: 1 }),
      makeHost({ host: 'b', vcpusTotal: 8, vcpusUsed: 6 }),
      makeHost({ host: 'c', vcpusTotal: 4, vcpusUsed: 0 }),
    ];
    const filter = createFreeVcpuFilter(4);
    const req = makeFilterRequest(makeSpec(), 0);
    const rows = Int32Array.from([0, 1, 2]);
    const out = runFilterStage([filter], columnsOf(hosts, 'full'), rows, 3, req);
    expect([...rows.subarray(0, out.count)]).toEqual([0, 2]);
    expect(hosts.map((h) => filter.hostPasses(h, req))).toEqual([true, false, true]);
  });
});
