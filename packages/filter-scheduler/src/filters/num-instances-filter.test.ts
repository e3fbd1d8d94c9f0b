import { describe, expect, it } from 'vitest';
import {
  makeAggregate,
  makeHost,
  makeRequest,
  pluginContext,
  recordingLogger,
} from '@opie/testing';
import {
  aggregateNumInstancesFilterPlugin,
  createAggregateNumInstancesFilter,
  createNumInstancesFilter,
  maxInstancesPerHostOption,
  numInstancesFilterPlugin,
} from './num-instances-filter.js';

const request = makeRequest();
const maxAggs = (...values: string[]) =>
  values.map((v, i) => makeAggregate({ id: i + 1, metadata: { max_instances_per_host: v } }));

describe('NumInstancesFilter', () => {
  it('test_filter_num_instances_passes (nova)', () => {
    const filter = createNumInstancesFilter({ maxInstancesPerHost: 5 });
    expect(filter.hostPasses(makeHost({ numInstances: 4 }), request)).toBe(true);
  });

  it('test_filter_num_instances_fails (nova)', () => {
    const filter = createNumInstancesFilter({ maxInstancesPerHost: 5 });
    expect(filter.hostPasses(makeHost({ numInstances: 5 }), request)).toBe(false);
  });

  it('an empty max_instances_per_host (None) fails every host, as Python 2 `n < None`', () => {
    const filter = createNumInstancesFilter({ maxInstancesPerHost: null });
    expect(filter.hostPasses(makeHost({ numInstances: 0 }), request)).toBe(false);
  });
});

describe('AggregateNumInstancesFilter', () => {
  it('test_filter_aggregate_num_instances_value (nova)', () => {
    const filter = createAggregateNumInstancesFilter({ maxInstancesPerHost: 4 });
    expect(filter.hostPasses(makeHost({ numInstances: 5 }), request)).toBe(false);
    const host = makeHost({ numInstances: 5, aggregates: maxAggs('6') });
    expect(filter.hostPasses(host, request)).toBe(true);
  });

  it('test_filter_aggregate_num_instances_value_error (nova)', () => {
    const logger = recordingLogger();
    const filter = createAggregateNumInstancesFilter({ maxInstancesPerHost: 6, logger });
    const host = makeHost({ numInstances: 0, aggregates: maxAggs('XXX') });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(logger.warnings).toHaveLength(1);
  });

  it('conflicting aggregate values: the minimum wins', () => {
    const filter = createAggregateNumInstancesFilter({ maxInstancesPerHost: 50 });
    const host = makeHost({ numInstances: 3, aggregates: maxAggs('10', '3') });
    expect(filter.hostPasses(host, request)).toBe(false);
  });
});

describe('num instances plugins', () => {
  it('declare [filter_scheduler] max_instances_per_host (Int 50, was [DEFAULT])', () => {
    expect(maxInstancesPerHostOption).toMatchObject({
      group: 'filter_scheduler',
      name: 'max_instances_per_host',
      type: 'int',
      default: 50,
      deprecatedNames: [{ group: 'DEFAULT', name: 'max_instances_per_host' }],
    });
    expect(numInstancesFilterPlugin.options).toEqual([maxInstancesPerHostOption]);
    expect(aggregateNumInstancesFilterPlugin.options).toEqual([maxInstancesPerHostOption]);
  });

  it('NumInstancesFilter definition reads the option', () => {
    expect(numInstancesFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.num_instances_filter.NumInstancesFilter',
    );
    const byDefault = numInstancesFilterPlugin.create(pluginContext(numInstancesFilterPlugin));
    expect(byDefault.name).toBe('NumInstancesFilter');
    expect(byDefault.runFilterOncePerRequest).toBe(false);
    expect(byDefault.hostPasses(makeHost({ numInstances: 49 }), request)).toBe(true);
    expect(byDefault.hostPasses(makeHost({ numInstances: 50 }), request)).toBe(false);
    const configured = numInstancesFilterPlugin.create(
      pluginContext(numInstancesFilterPlugin, { 'filter_scheduler.max_instances_per_host': 2 }),
    );
    expect(configured.hostPasses(makeHost({ numInstances: 2 }), request)).toBe(false);
  });

  it('AggregateNumInstancesFilter definition reads the option and logs', () => {
    expect(aggregateNumInstancesFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.num_instances_filter.AggregateNumInstancesFilter',
    );
    const logger = recordingLogger();
    const filter = aggregateNumInstancesFilterPlugin.create(
      pluginContext(
        aggregateNumInstancesFilterPlugin,
        { 'filter_scheduler.max_instances_per_host': 2 },
        logger,
      ),
    );
    expect(filter.name).toBe('AggregateNumInstancesFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    const host = makeHost({ numInstances: 2, aggregates: maxAggs('x') });
    expect(filter.hostPasses(host, request)).toBe(false);
    expect(logger.warnings).toHaveLength(1);
  });
});

describe('NumInstancesFilter records its maximum for the preemption planner', () => {
  it('writes limits.numInstances on a host it passes, not on one it fails', () => {
    const filter = createNumInstancesFilter({ maxInstancesPerHost: 5 });
    const passing = makeHost({ numInstances: 4 });
    const failing = makeHost({ numInstances: 5 });
    filter.hostPasses(passing, request);
    filter.hostPasses(failing, request);
    expect(passing.limits.numInstances).toBe(5);
    expect(failing.limits.numInstances).toBeUndefined();
  });

  it('AggregateNumInstancesFilter writes the aggregate maximum it used', () => {
    const filter = createAggregateNumInstancesFilter({ maxInstancesPerHost: 50 });
    const host = makeHost({ numInstances: 2, aggregates: maxAggs('3') });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.numInstances).toBe(3);
  });
});
