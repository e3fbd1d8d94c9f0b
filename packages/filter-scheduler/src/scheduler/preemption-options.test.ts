import { describe, expect, it } from 'vitest';
import { configValuesFrom, createRuntime, RecordingComputePort, MemoryNotifier } from '@opie/core';
import { createVictimCountWeigher } from '@opie/weighers';
import { cloud } from './__fixtures__/scheduler-cloud.js';
import {
  driverOptions,
  novaFilterSchedulerPlugin,
  opieFilterSchedulerPlugin,
} from './driver-plugins.js';
import { FilterScheduler } from './filter-scheduler.js';
import { PREEMPTION_GROUP, preemptionOptions, preemptionSettings } from './preemption-options.js';

const spec = (name: string) => preemptionOptions.find((o) => o.name === name);

describe('[preemptible_instances_scheduler] preemption options', () => {
  it('declares every option with its type, default and a zod schema', () => {
    expect(preemptionOptions.map((o) => [o.group, o.name, o.type, o.default])).toEqual([
      [PREEMPTION_GROUP, 'victim_policy', 'str', 'cost'],
      [PREEMPTION_GROUP, 'host_selection', 'str', 'prefer-no-preemption'],
      [PREEMPTION_GROUP, 'preemption_cost_multiplier', 'float', 1],
      [PREEMPTION_GROUP, 'max_planned_hosts', 'int', 100],
      [PREEMPTION_GROUP, 'victim_search_budget_ms', 'float', 50],
      [PREEMPTION_GROUP, 'joint_planning', 'bool', true],
      [PREEMPTION_GROUP, 'termination_action', 'str', 'delete'],
      [PREEMPTION_GROUP, 'grace_period', 'int', 0],
      [PREEMPTION_GROUP, 'termination_retries', 'int', 3],
      [PREEMPTION_GROUP, 'termination_retry_backoff', 'float', 0.5],
      [PREEMPTION_GROUP, 'allow_priority_preemption', 'bool', false],
    ]);
    expect(spec('victim_policy')?.choices).toEqual(['cost', 'opie']);
    expect(spec('victim_policy')?.schema?.safeParse('random').success).toBe(false);
    expect(spec('host_selection')?.schema?.safeParse('weighted').success).toBe(true);
    expect(spec('grace_period')?.schema?.safeParse(-1).success).toBe(false);
    expect(spec('termination_retry_backoff')?.schema?.safeParse(0.25).success).toBe(true);
    expect(spec('preemption_cost_multiplier')?.schema?.safeParse(-1).success).toBe(false);
    expect(spec('max_planned_hosts')?.schema?.safeParse(0).success).toBe(false);
    expect(spec('termination_action')?.schema?.safeParse('stop').success).toBe(true);
    expect(spec('victim_search_budget_ms')?.schema?.safeParse(-1).success).toBe(false);
    expect(spec('victim_search_budget_ms')?.schema?.safeParse(0).success).toBe(true);
    expect(spec('victim_search_budget_ms')?.schema?.safeParse(2.5).success).toBe(true);
  });

  it('reads the settings, defaults included', () => {
    expect(preemptionSettings(configValuesFrom(preemptionOptions))).toEqual({
      victimPolicy: 'cost',
      hostSelection: 'prefer-no-preemption',
      preemptionCostMultiplier: 1,
      maxPlannedHosts: 100,
      victimSearchBudgetMs: 50,
      jointPlanning: true,
      terminationAction: 'delete',
      gracePeriod: 0,
      terminationRetries: 3,
      terminationRetryBackoff: 0.5,
      allowPriorityPreemption: false,
    });
  });

  it("only opie's driver owns them and prices victims; it builds a FilterScheduler from them", () => {
    expect(novaFilterSchedulerPlugin.options).toEqual(driverOptions);
    expect(novaFilterSchedulerPlugin.usesVictimWeighers).toBeUndefined();
    expect(opieFilterSchedulerPlugin.usesVictimWeighers).toBe(true);
    const g = PREEMPTION_GROUP;
    const conf = configValuesFrom([...driverOptions, ...preemptionOptions], {
      [`${g}.victim_policy`]: 'opie',
      [`${g}.host_selection`]: 'weighted',
      [`${g}.termination_action`]: 'stop',
      [`${g}.grace_period`]: 30,
      [`${g}.allow_priority_preemption`]: true,
      'scheduler.max_attempts': 5,
    });
    const victimWeighers = [createVictimCountWeigher()];
    const driver = opieFilterSchedulerPlugin.create({
      conf,
      runtime: createRuntime(),
      hostManager: cloud([]),
      filters: [],
      weighers: [],
      compute: new RecordingComputePort(),
      notifier: new MemoryNotifier(),
      victimWeighers,
    }) as FilterScheduler;
    expect(driver).toBeInstanceOf(FilterScheduler);
    expect(driver).toMatchObject({
      victimPolicy: 'opie',
      hostSelection: 'weighted',
      terminationAction: 'stop',
      gracePeriod: 30,
      allowPriorityPreemption: true,
      maxAttempts: 5,
      terminationRetries: 3,
    });
    expect(driver.victimWeighers).toBe(victimWeighers);
  });

  it('without victim weighers in the context, the driver prices with the default five', () => {
    const driver = new FilterScheduler({ hostManager: cloud([]), filters: [], weighers: [] });
    expect(driver.victimWeighers.map((w) => w.multiplier)).toEqual([1, 300, 3600, 60, 36000]);
  });
});
