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
  aggregateRamFilterPlugin,
  createAggregateRamFilter,
  createRamFilter,
  ramFilterPlugin,
} from './ram-filter.js';

const request = makeRequest({ flavor: makeFlavor({ memoryMb: 1024 }) });
const ratioAggs = (...ratios: string[]) =>
  ratios.map((r, i) => makeAggregate({ id: i + 1, metadata: { ram_allocation_ratio: r } }));

describe('RamFilter', () => {
  const filter = createRamFilter();

  it('test_ram_filter_fails_on_memory (nova)', () => {
    const host = makeHost({ freeRamMb: 1023, totalUsableRamMb: 1024, ramAllocationRatio: 1.0 });
    expect(filter.hostPasses(host, request)).toBe(false);
    expect(host.limits.memoryMb).toBeUndefined();
  });

  it('test_ram_filter_passes (nova)', () => {
    const host = makeHost({ freeRamMb: 1024, totalUsableRamMb: 1024, ramAllocationRatio: 1.0 });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.memoryMb).toBe(1024);
  });

  it('test_ram_filter_oversubscribe (nova)', () => {
    const host = makeHost({ freeRamMb: -1024, totalUsableRamMb: 2048, ramAllocationRatio: 2.0 });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.memoryMb).toBe(2048 * 2.0);
  });

  it('test_ram_filter_oversubscribe_singe_instance_fails (nova)', () => {
    const host = makeHost({ freeRamMb: 512, totalUsableRamMb: 512, ramAllocationRatio: 2.0 });
    expect(filter.hostPasses(host, request)).toBe(false);
  });

  it('used RAM is total - free, so the reserved host memory counts as used (docs/nova-and-opie-notes.md)', () => {
    // 4096 MB node, 512 MB reserved, nothing running: free = 3584.
    const host = makeHost({ freeRamMb: 3584, totalUsableRamMb: 4096, ramAllocationRatio: 1.0 });
    const big = makeRequest({ flavor: makeFlavor({ memoryMb: 3585 }) });
    expect(filter.hostPasses(host, big)).toBe(false);
    const fits = makeRequest({ flavor: makeFlavor({ memoryMb: 3584 }) });
    expect(filter.hostPasses(host, fits)).toBe(true);
  });

  it('a NaN ratio fails the host (Python `not x >= y`)', () => {
    const host = makeHost({ freeRamMb: 1024, totalUsableRamMb: 1024, ramAllocationRatio: NaN });
    expect(filter.hostPasses(host, request)).toBe(false);
  });

  it('limits persist on the host state across requests, overwritten on the next pass (docs/nova-and-opie-notes.md)', () => {
    const host = makeHost({ freeRamMb: 1024, totalUsableRamMb: 1024, ramAllocationRatio: 1.5 });
    host.limits.vcpu = 4;
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits).toEqual({ vcpu: 4, memoryMb: 1536 });
    const tooBig = makeRequest({ flavor: makeFlavor({ memoryMb: 2048 }) });
    expect(filter.hostPasses(host, tooBig)).toBe(false);
    expect(host.limits.memoryMb).toBe(1536);
  });
});

describe('AggregateRamFilter', () => {
  it('test_aggregate_ram_filter_value_error (nova)', () => {
    const logger = recordingLogger();
    const filter = createAggregateRamFilter({ logger });
    const host = makeHost({
      freeRamMb: 1024,
      totalUsableRamMb: 1024,
      ramAllocationRatio: 1.0,
      aggregates: ratioAggs('XXX'),
    });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.memoryMb).toBe(1024 * 1.0);
    expect(logger.warnings).toHaveLength(1);
  });

  it('test_aggregate_ram_filter_default_value (nova)', () => {
    const filter = createAggregateRamFilter();
    const base = { freeRamMb: 1023, totalUsableRamMb: 1024, ramAllocationRatio: 1.0 };
    // No aggregate value: the host's ratio.
    expect(filter.hostPasses(makeHost(base), request)).toBe(false);
    const host = makeHost({ ...base, aggregates: ratioAggs('2.0') });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.memoryMb).toBe(1024 * 2.0);
  });

  it('test_aggregate_ram_filter_conflict_values (nova)', () => {
    const filter = createAggregateRamFilter();
    const host = makeHost({
      freeRamMb: 1023,
      totalUsableRamMb: 1024,
      ramAllocationRatio: 1.0,
      aggregates: ratioAggs('1.5', '2.0'),
    });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.memoryMb).toBe(1024 * 1.5);
  });
});

describe('RAM filter plugins', () => {
  it('RamFilter definition', () => {
    expect(ramFilterPlugin.classPath).toBe('nova.scheduler.filters.ram_filter.RamFilter');
    // Its only option is [opie] nova_version (placement's check: see the .zed.test.ts file).
    expect(ramFilterPlugin.options).toEqual([novaVersionOption]);
    const filter = ramFilterPlugin.create(pluginContext(ramFilterPlugin));
    expect(filter.name).toBe('RamFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
  });

  it('AggregateRamFilter definition logs through the runtime logger', () => {
    expect(aggregateRamFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.ram_filter.AggregateRamFilter',
    );
    const logger = recordingLogger();
    const filter = aggregateRamFilterPlugin.create(
      pluginContext(aggregateRamFilterPlugin, {}, logger),
    );
    expect(filter.name).toBe('AggregateRamFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    filter.hostPasses(makeHost({ aggregates: ratioAggs('x') }), request);
    expect(logger.warnings).toHaveLength(1);
  });
});
