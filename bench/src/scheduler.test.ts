import { createRuntime } from '@opie/core';
import { FilterScheduler } from '@opie/filter-scheduler';
import { describe, expect, it } from 'vitest';
import { BENCH_FILTERS, benchNovaConf, loadBenchScheduler } from './scheduler.js';

describe('benchNovaConf', () => {
  it('names the driver and host manager of each run', () => {
    expect(benchNovaConf('nova')).toContain(
      'driver = nova.scheduler.filter_scheduler.FilterScheduler',
    );
    expect(benchNovaConf('opie')).toContain(
      'host_manager = opie.scheduler.host_manager.HostManager',
    );
    expect(benchNovaConf('opie')).toContain('host_selection = prefer-no-preemption');
    expect(benchNovaConf('nova')).not.toContain('preemptible_instances_scheduler');
  });

  it('lists the 13 filters of the issue', () => {
    expect(BENCH_FILTERS).toHaveLength(13);
    expect(benchNovaConf('nova')).toContain(`enabled_filters = ${BENCH_FILTERS.join(',\n    ')}`);
  });
});

describe('loadBenchScheduler', () => {
  it('loads both drivers through the loader', async () => {
    for (const driver of ['nova', 'opie'] as const) {
      const bench = await loadBenchScheduler(createRuntime({ now: () => 0 }), driver);
      expect(bench.scheduler).toBeInstanceOf(FilterScheduler);
      expect(bench.compute.terminated).toBe(0);
    }
  });
});
