import { describe, expect, it } from 'vitest';
import {
  makeAggregate,
  makeHost,
  makeRequest,
  pluginContext,
  recordingLogger,
} from '@opie/testing';
import {
  aggregateIoOpsFilterPlugin,
  createAggregateIoOpsFilter,
  createIoOpsFilter,
  ioOpsFilterPlugin,
  maxIoOpsPerHostOption,
} from './io-ops-filter.js';

const request = makeRequest();
const maxAggs = (...values: string[]) =>
  values.map((v, i) => makeAggregate({ id: i + 1, metadata: { max_io_ops_per_host: v } }));

describe('IoOpsFilter', () => {
  it('test_filter_num_iops_passes (nova)', () => {
    const filter = createIoOpsFilter({ maxIoOpsPerHost: 8 });
    expect(filter.hostPasses(makeHost({ numIoOps: 7 }), request)).toBe(true);
  });

  it('test_filter_num_iops_fails (nova)', () => {
    const filter = createIoOpsFilter({ maxIoOpsPerHost: 8 });
    expect(filter.hostPasses(makeHost({ numIoOps: 8 }), request)).toBe(false);
  });

  it('an empty max_io_ops_per_host (None) fails every host, as Python 2 `n < None`', () => {
    const filter = createIoOpsFilter({ maxIoOpsPerHost: null });
    expect(filter.hostPasses(makeHost({ numIoOps: 0 }), request)).toBe(false);
  });
});

describe('AggregateIoOpsFilter', () => {
  it('test_aggregate_filter_num_iops_value (nova)', () => {
    const filter = createAggregateIoOpsFilter({ maxIoOpsPerHost: 7 });
    expect(filter.hostPasses(makeHost({ numIoOps: 7 }), request)).toBe(false);
    expect(filter.hostPasses(makeHost({ numIoOps: 7, aggregates: maxAggs('8') }), request)).toBe(
      true,
    );
  });

  it('test_aggregate_filter_num_iops_value_error (nova)', () => {
    const logger = recordingLogger();
    const filter = createAggregateIoOpsFilter({ maxIoOpsPerHost: 8, logger });
    expect(filter.hostPasses(makeHost({ numIoOps: 7, aggregates: maxAggs('XXX') }), request)).toBe(
      true,
    );
    expect(logger.warnings).toHaveLength(1);
  });

  it("int('8.0') is invalid: the configured value is used", () => {
    const filter = createAggregateIoOpsFilter({ maxIoOpsPerHost: 2 });
    expect(filter.hostPasses(makeHost({ numIoOps: 5, aggregates: maxAggs('8.0') }), request)).toBe(
      false,
    );
  });

  it('conflicting aggregate values: the minimum wins', () => {
    const filter = createAggregateIoOpsFilter({ maxIoOpsPerHost: 100 });
    const host = makeHost({ numIoOps: 5, aggregates: maxAggs('10', '5') });
    expect(filter.hostPasses(host, request)).toBe(false);
  });

  it('an aggregate value still applies when the option is empty (None)', () => {
    const filter = createAggregateIoOpsFilter({ maxIoOpsPerHost: null });
    expect(filter.hostPasses(makeHost({ numIoOps: 1 }), request)).toBe(false);
    expect(filter.hostPasses(makeHost({ numIoOps: 1, aggregates: maxAggs('2') }), request)).toBe(
      true,
    );
  });
});

describe('io ops plugins', () => {
  it('declare [filter_scheduler] max_io_ops_per_host (Int 8, was [DEFAULT])', () => {
    expect(maxIoOpsPerHostOption).toMatchObject({
      group: 'filter_scheduler',
      name: 'max_io_ops_per_host',
      type: 'int',
      default: 8,
      deprecatedNames: [{ group: 'DEFAULT', name: 'max_io_ops_per_host' }],
    });
    expect(ioOpsFilterPlugin.options).toEqual([maxIoOpsPerHostOption]);
    expect(aggregateIoOpsFilterPlugin.options).toEqual([maxIoOpsPerHostOption]);
  });

  it('IoOpsFilter definition reads the option', () => {
    expect(ioOpsFilterPlugin.classPath).toBe('nova.scheduler.filters.io_ops_filter.IoOpsFilter');
    const byDefault = ioOpsFilterPlugin.create(pluginContext(ioOpsFilterPlugin));
    expect(byDefault.name).toBe('IoOpsFilter');
    expect(byDefault.runFilterOncePerRequest).toBe(false);
    expect(byDefault.hostPasses(makeHost({ numIoOps: 7 }), request)).toBe(true);
    expect(byDefault.hostPasses(makeHost({ numIoOps: 8 }), request)).toBe(false);
    const configured = ioOpsFilterPlugin.create(
      pluginContext(ioOpsFilterPlugin, { 'filter_scheduler.max_io_ops_per_host': 3 }),
    );
    expect(configured.hostPasses(makeHost({ numIoOps: 3 }), request)).toBe(false);
  });

  it('AggregateIoOpsFilter definition reads the option and logs', () => {
    expect(aggregateIoOpsFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.io_ops_filter.AggregateIoOpsFilter',
    );
    const logger = recordingLogger();
    const filter = aggregateIoOpsFilterPlugin.create(
      pluginContext(
        aggregateIoOpsFilterPlugin,
        { 'filter_scheduler.max_io_ops_per_host': 3 },
        logger,
      ),
    );
    expect(filter.name).toBe('AggregateIoOpsFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    expect(filter.hostPasses(makeHost({ numIoOps: 3, aggregates: maxAggs('x') }), request)).toBe(
      false,
    );
    expect(logger.warnings).toHaveLength(1);
  });
});

describe('IoOpsFilter records its maximum for the preemption planner', () => {
  it('writes limits.ioOps on a host it passes, not on one it fails', () => {
    const filter = createIoOpsFilter({ maxIoOpsPerHost: 8 });
    const passing = makeHost({ numIoOps: 7 });
    const failing = makeHost({ numIoOps: 8 });
    filter.hostPasses(passing, request);
    filter.hostPasses(failing, request);
    expect(passing.limits.ioOps).toBe(8);
    expect(failing.limits.ioOps).toBeUndefined();
  });

  it('AggregateIoOpsFilter writes the aggregate maximum it used', () => {
    const filter = createAggregateIoOpsFilter({ maxIoOpsPerHost: 8 });
    const host = makeHost({
      numIoOps: 1,
      aggregates: [makeAggregate({ metadata: { max_io_ops_per_host: '2' } })],
    });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.ioOps).toBe(2);
  });
});
