// The README's "Use it alone" example, as written (console.log aside; the commented
// figures are asserted at the end).
import type { ComputeNode, Service } from '@opie/core';
import { formatSimulationText, loadPolicy, simulate } from './index.js';
import type { TraceRow } from './index.js';
import { describe, expect, it } from 'vitest';

describe('README example', () => {
  it('runs as written and gives the figures its comments state', async () => {
    const START = Date.parse('2024-03-05T12:00:00Z');
    const hosts = ['c1', 'c2'];
    const nodes: ComputeNode[] = hosts.map((host) => ({
      host,
      hypervisorHostname: host,
      memoryMb: 16384,
      freeRamMb: 16384,
      localGb: 200,
      localGbUsed: 0,
      freeDiskGb: 200,
      vcpus: 8,
      vcpusUsed: 0,
      updatedAt: START,
    }));
    const services: Service[] = hosts.map((host) => ({
      host,
      binary: 'nova-compute',
      disabled: false,
      lastSeenUp: START,
    }));

    // opie's driver and host manager; RAMWeigher (the default weighers) spreads the load.
    const policy = await loadPolicy({
      name: 'opie',
      files: [
        {
          path: 'opie.conf',
          text: [
            '[DEFAULT]',
            'ram_allocation_ratio = 1.0',
            '[scheduler]',
            'driver = opie.scheduler.filter_scheduler.FilterScheduler',
            'host_manager = opie.scheduler.host_manager.HostManager',
            '[filter_scheduler]',
            'enabled_filters = RamFilter, ComputeFilter',
          ].join('\n'),
        },
      ],
    });

    const row = (
      id: string,
      arrival: number,
      memoryMb: number,
      preemptible: boolean,
    ): TraceRow => ({
      line: 0,
      id,
      arrival, // seconds of trace time
      lifetime: 3600, // seconds; Infinity = never leaves
      vcpus: 2,
      memoryMb,
      diskGb: 20,
      preemptible,
      priority: undefined,
    });

    const result = await simulate({
      policies: [policy], // several policies replay the same trace, each on its own copy of the cloud
      cloud: { nodes, services, aggregates: [], instances: [] },
      trace: [
        row('batch-1', 0, 12288, true), // one host (both are empty)
        row('batch-2', 10, 8192, true), // the other one (more free RAM)
        row('web', 60, 12288, false), // batch-2's host (more free RAM), terminating batch-2 (it ran 50 s)
      ],
      startMs: START, // virtual time of trace time 0
    });
    const opie = result.policies[0];
    const text = formatSimulationText(result);

    expect(opie?.placed).toEqual({ normal: 1, preemptible: 2 });
    expect(opie?.preemptions.victims).toBe(1);
    expect(opie?.lostWork).toEqual({ instanceSeconds: 50, paidPeriodSeconds: 50 });
    expect(text).toContain('victims');
  });
});
