import type { DriverPlugin, OptionSpec } from '@opie/core';
import { zod } from '../lazy-zod.js';
import { FilterScheduler } from './filter-scheduler.js';
import { preemptionOptions, preemptionSettings } from './preemption-options.js';

/** Options both drivers own (nova/scheduler/*.py options in Liberty, nova/conf/scheduler.py). */
export const driverOptions: readonly OptionSpec[] = [
  {
    group: 'filter_scheduler',
    name: 'host_subset_size',
    type: 'int',
    default: 1,
    help: 'Choose the destination at random among the N best-weighed hosts. Must be >= 1.',
    deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_host_subset_size' }],
    get schema() {
      return zod().number().int().min(1).nullable();
    },
  },
  {
    group: 'scheduler',
    name: 'max_attempts',
    type: 'int',
    default: 3,
    help: 'Build attempts per instance (retries after a failed claim). Must be >= 1.',
    deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_max_attempts' }],
    get schema() {
      return zod().number().int().min(1);
    },
  },
];

function subsetSize(value: number | null): number {
  // An empty IntOpt is None, which Liberty's comparisons turn into 1 (oslo_config/types.py).
  return value ?? 1;
}

/** nova's FilterScheduler: one view, never preempts. */
export const novaFilterSchedulerPlugin: DriverPlugin = {
  kind: 'driver',
  classPath: 'nova.scheduler.filter_scheduler.FilterScheduler',
  aliases: ['filter_scheduler'],
  description:
    "nova's FilterScheduler: filter, weigh, choose; preemptible instances count as used.",
  options: driverOptions,
  create: (ctx) =>
    new FilterScheduler({
      hostManager: ctx.hostManager,
      filters: ctx.filters,
      weighers: ctx.weighers,
      runtime: ctx.runtime,
      compute: ctx.compute,
      notifier: ctx.notifier,
      hostSubsetSize: subsetSize(ctx.conf.int('filter_scheduler', 'host_subset_size')),
      preemption: false,
      explain: ctx.explain ?? false,
    }),
};

/**
 * opie's FilterScheduler: normal requests may preempt preemptible instances.
 * It owns the `[preemptible_instances_scheduler]` preemption options and
 * prices victims with the weighers of that section's `weight_classes`.
 */
export const opieFilterSchedulerPlugin: DriverPlugin = {
  kind: 'driver',
  classPath: 'opie.scheduler.filter_scheduler.FilterScheduler',
  aliases: ['opie_filter_scheduler'],
  description:
    "opie's FilterScheduler: normal requests see preemptible usage as free and preempt where needed.",
  options: /* @__PURE__ */ driverOptions.concat(preemptionOptions),
  usesVictimWeighers: true,
  create: (ctx) => {
    const settings = preemptionSettings(ctx.conf);
    return new FilterScheduler({
      hostManager: ctx.hostManager,
      filters: ctx.filters,
      weighers: ctx.weighers,
      runtime: ctx.runtime,
      compute: ctx.compute,
      notifier: ctx.notifier,
      hostSubsetSize: subsetSize(ctx.conf.int('filter_scheduler', 'host_subset_size')),
      preemption: true,
      explain: ctx.explain ?? false,
      ...(ctx.victimWeighers !== undefined ? { victimWeighers: ctx.victimWeighers } : {}),
      maxAttempts: ctx.conf.int('scheduler', 'max_attempts') ?? 3,
      ...settings,
    });
  },
};

export const driverPlugins: DriverPlugin[] = [novaFilterSchedulerPlugin, opieFilterSchedulerPlugin];
