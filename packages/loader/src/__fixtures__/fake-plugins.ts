// Fake plugins with nova's names, for testing the loader machinery without
// the real implementations.
import { className } from '@opie/core';
import type {
  DriverContext,
  DriverPlugin,
  FilterPlugin,
  HostFilter,
  HostSource,
  HostManagerPlugin,
  HostWeigher,
  OptionSpec,
  PluginContext,
  PluginGroup,
  Scheduler,
  SourcedHostManager,
  WeigherPlugin,
} from '@opie/core';
import { z } from 'zod';
import { PluginRegistry } from '../registry.js';

export interface FakeFilter extends HostFilter {
  ctx: PluginContext;
}
export interface FakeWeigher extends HostWeigher {
  ctx: PluginContext;
}
export interface FakeDriver extends Scheduler {
  ctx: DriverContext;
  classPath: string;
}
export interface FakeHostManager extends SourcedHostManager {
  classPath: string;
}

const NO_SOURCE: HostSource = {
  listComputeNodes: () => [],
  listServices: () => [],
  listAggregates: () => [],
  listInstances: () => [],
};

export function fakeFilter(classPath: string, extra: Partial<FilterPlugin> = {}): FilterPlugin {
  return {
    kind: 'filter',
    classPath,
    description: `fake ${className(classPath)}`,
    create: (ctx): FakeFilter => ({
      name: className(classPath),
      runFilterOncePerRequest: false,
      hostPasses: () => true,
      ctx,
    }),
    ...extra,
  };
}

export function fakeWeigher(
  classPath: string,
  multiplier: OptionSpec | undefined,
  extra: Partial<WeigherPlugin> = {},
): WeigherPlugin {
  return {
    kind: 'weigher',
    classPath,
    description: `fake ${className(classPath)}`,
    ...(multiplier === undefined ? {} : { options: [multiplier] }),
    create: (ctx): FakeWeigher => ({
      name: classPath,
      multiplier: multiplier === undefined ? 1 : ctx.conf.float(multiplier.group, multiplier.name),
      weigh: () => 0,
      ctx,
    }),
    ...extra,
  };
}

function multiplierOption(group: string, name: string, dflt: number, old?: string): OptionSpec {
  return {
    group,
    name,
    type: 'float',
    default: dflt,
    help: `multiplier of ${name}`,
    ...(old === undefined ? {} : { deprecatedNames: [{ group: 'DEFAULT', name: old }] }),
  };
}

export const subsetSizeOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'host_subset_size',
  type: 'int',
  default: 1,
  help: 'choose among the N best hosts',
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_host_subset_size' }],
  schema: z.number().int().min(1).nullable(),
};

export function fakeDriver(classPath: string, aliases: string[]): DriverPlugin {
  return {
    kind: 'driver',
    classPath,
    aliases,
    description: `fake ${classPath}`,
    options: [subsetSizeOption],
    create: (ctx): FakeDriver => ({
      ctx,
      classPath,
      preemption: false,
      gracePeriod: 0,
      explain: false,
      selectDestinations: () => Promise.reject(new Error('fake driver')),
      plan: () => {
        throw new Error('fake driver');
      },
      execute: () => Promise.reject(new Error('fake driver')),
    }),
  };
}

const ratioOptions: OptionSpec[] = [
  { group: 'DEFAULT', name: 'ram_allocation_ratio', type: 'float', default: 0, help: 'RAM ratio' },
  { group: 'DEFAULT', name: 'cpu_allocation_ratio', type: 'float', default: 0, help: 'CPU ratio' },
];

export function fakeHostManager(classPath: string, aliases: string[]): HostManagerPlugin {
  return {
    kind: 'host-manager',
    classPath,
    aliases,
    description: `fake ${classPath}`,
    options: ratioOptions,
    create: (): FakeHostManager => ({
      classPath,
      source: NO_SOURCE,
      setSource: () => undefined,
      getHostStates: () => [],
      consumeFromRequest: () => ({ release: () => undefined }),
      hostStateFor: () => undefined,
      releaseInstance: () => undefined,
    }),
  };
}

const F = 'nova.scheduler.filters';
export const fakeFilterPaths = [
  `${F}.retry_filter.RetryFilter`,
  `${F}.availability_zone_filter.AvailabilityZoneFilter`,
  `${F}.ram_filter.RamFilter`,
  `${F}.disk_filter.DiskFilter`,
  `${F}.core_filter.CoreFilter`,
  `${F}.compute_filter.ComputeFilter`,
  `${F}.compute_capabilities_filter.ComputeCapabilitiesFilter`,
  `${F}.image_props_filter.ImagePropertiesFilter`,
  `${F}.affinity_filter.ServerGroupAntiAffinityFilter`,
  `${F}.affinity_filter.ServerGroupAffinityFilter`,
];

export const RAM_WEIGHER = 'nova.scheduler.weights.ram.RAMWeigher';
export const IO_OPS_WEIGHER = 'nova.scheduler.weights.io_ops.IoOpsWeigher';
export const COUNT_WEIGHER = 'opie.scheduler.weights.preemptible.PreemptibleCountWeigher';
export const DURATION_WEIGHER = 'opie.scheduler.weights.preemptible.PreemptibleDurationWeigher';

/** Everything above, as plugin lists shaped like the real packages' exports. */
export function fakePlugins(): (
  DriverPlugin | HostManagerPlugin | FilterPlugin | WeigherPlugin | PluginGroup
)[] {
  const filters = fakeFilterPaths.map((p) => fakeFilter(p));
  const trusted = fakeFilter(`${F}.trusted_filter.TrustedFilter`, {
    unsupported: 'it needs an attestation service',
  });
  return [
    fakeDriver('nova.scheduler.filter_scheduler.FilterScheduler', ['filter_scheduler']),
    fakeDriver('opie.scheduler.filter_scheduler.FilterScheduler', []),
    fakeHostManager('nova.scheduler.host_manager.HostManager', ['host_manager']),
    fakeHostManager('opie.scheduler.host_manager.HostManager', ['opie_host_manager']),
    ...filters,
    trusted,
    {
      kind: 'group',
      of: 'filter',
      classPath: `${F}.all_filters`,
      description: 'every filter',
      members: [...fakeFilterPaths, trusted.classPath],
    },
    fakeWeigher(
      RAM_WEIGHER,
      multiplierOption('filter_scheduler', 'ram_weight_multiplier', 1, 'ram_weight_multiplier'),
    ),
    fakeWeigher(
      IO_OPS_WEIGHER,
      multiplierOption(
        'filter_scheduler',
        'io_ops_weight_multiplier',
        -1,
        'io_ops_weight_multiplier',
      ),
    ),
    {
      kind: 'group',
      of: 'weigher',
      classPath: 'nova.scheduler.weights.all_weighers',
      description: 'every nova weigher',
      members: [IO_OPS_WEIGHER, RAM_WEIGHER],
    },
    fakeWeigher(
      COUNT_WEIGHER,
      multiplierOption('DEFAULT', 'preemptible_count_weight_multiplier', 1000),
    ),
    fakeWeigher(
      DURATION_WEIGHER,
      multiplierOption('DEFAULT', 'preemptible_duration_weight_multiplier', 1000),
    ),
  ];
}

/** A fresh registry of the fake plugins. */
export function fakeRegistry(): PluginRegistry {
  return new PluginRegistry().registerAll(fakePlugins(), 'fakes');
}
