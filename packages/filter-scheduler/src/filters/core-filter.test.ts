import { describe, expect, it } from 'vitest';
import { novaVersionOption } from '@opie/core';
import {
  makeAggregate,
  makeFlavor,
  makeHost,
  makeRequest,
  pluginContext,
  recordingLogger,
} from '@opie/testing';
import {
  aggregateCoreFilterPlugin,
  coreFilterPlugin,
  createAggregateCoreFilter,
  createCoreFilter,
} from './core-filter.js';

const request = makeRequest({ flavor: makeFlavor({ vcpus: 1 }) });
const ratioAggs = (...ratios: string[]) =>
  ratios.map((r, i) => makeAggregate({ id: i + 1, metadata: { cpu_allocation_ratio: r } }));

describe('CoreFilter', () => {
  const filter = createCoreFilter();

  it('test_core_filter_passes (nova)', () => {
    const host = makeHost({ vcpusTotal: 4, vcpusUsed: 7, cpuAllocationRatio: 2 });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.vcpu).toBe(8);
  });

  it('test_core_filter_fails_safe (nova)', () => {
    const logger = recordingLogger();
    const host = makeHost({ vcpusTotal: 0, vcpusUsed: 0 });
    expect(createCoreFilter({ logger }).hostPasses(host, request)).toBe(true);
    expect(host.limits.vcpu).toBeUndefined();
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'VCPUs not set; assuming CPU collection broken',
    ]);
  });

  it('test_core_filter_fails (nova); the vcpu limit is written even though the host fails', () => {
    const host = makeHost({ vcpusTotal: 4, vcpusUsed: 8, cpuAllocationRatio: 2 });
    expect(filter.hostPasses(host, request)).toBe(false);
    expect(host.limits.vcpu).toBe(8);
  });

  it('an instance cannot overcommit against itself (more vCPUs than the host has)', () => {
    const host = makeHost({ vcpusTotal: 4, vcpusUsed: 0, cpuAllocationRatio: 16 });
    const big = makeRequest({ flavor: makeFlavor({ vcpus: 5 }) });
    expect(filter.hostPasses(host, big)).toBe(false);
    expect(host.limits.vcpu).toBe(64);
  });

  it('a ratio of 0 writes no limit and skips the self-overcommit check', () => {
    const host = makeHost({ vcpusTotal: 4, vcpusUsed: 0, cpuAllocationRatio: 0 });
    expect(filter.hostPasses(host, request)).toBe(false);
    expect(host.limits.vcpu).toBeUndefined();
  });
});

describe('AggregateCoreFilter', () => {
  it('test_aggregate_core_filter_value_error (nova)', () => {
    const logger = recordingLogger();
    const host = makeHost({
      vcpusTotal: 4,
      vcpusUsed: 7,
      cpuAllocationRatio: 2,
      aggregates: ratioAggs('XXX'),
    });
    expect(createAggregateCoreFilter({ logger }).hostPasses(host, request)).toBe(true);
    expect(host.limits.vcpu).toBe(4 * 2);
    expect(logger.warnings).toHaveLength(1);
  });

  it('test_aggregate_core_filter_default_value (nova)', () => {
    const filter = createAggregateCoreFilter();
    const base = { vcpusTotal: 4, vcpusUsed: 8, cpuAllocationRatio: 2 };
    expect(filter.hostPasses(makeHost(base), request)).toBe(false);
    const host = makeHost({ ...base, aggregates: ratioAggs('3') });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.vcpu).toBe(4 * 3);
  });

  it('test_aggregate_core_filter_conflict_values (nova)', () => {
    const host = makeHost({
      vcpusTotal: 4,
      vcpusUsed: 8,
      cpuAllocationRatio: 1,
      aggregates: ratioAggs('2', '3'),
    });
    expect(createAggregateCoreFilter().hostPasses(host, request)).toBe(false);
    expect(host.limits.vcpu).toBe(4 * 2);
  });
});

describe('core filter plugins', () => {
  it('CoreFilter definition', () => {
    expect(coreFilterPlugin.classPath).toBe('nova.scheduler.filters.core_filter.CoreFilter');
    // Its only option is [opie] nova_version (placement's check: see the .zed.test.ts file).
    expect(coreFilterPlugin.options).toEqual([novaVersionOption]);
    const filter = coreFilterPlugin.create(pluginContext(coreFilterPlugin));
    expect(filter.name).toBe('CoreFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
  });

  it('AggregateCoreFilter definition logs through the runtime logger', () => {
    expect(aggregateCoreFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.core_filter.AggregateCoreFilter',
    );
    const logger = recordingLogger();
    const filter = aggregateCoreFilterPlugin.create(
      pluginContext(aggregateCoreFilterPlugin, {}, logger),
    );
    expect(filter.name).toBe('AggregateCoreFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    filter.hostPasses(makeHost({ aggregates: ratioAggs('x') }), request);
    expect(logger.warnings).toHaveLength(1);
  });
});
