import { ConfigError } from '@opie/core';
import type { ConfigIssue } from '@opie/core';
import { FilterScheduler } from '@opie/filter-scheduler';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from './builtin-registry.js';
import { loadScheduler } from './load.js';
import { resolveSchedulerConfig } from './resolve-scheduler-config.js';
import type { SchedulerConfig } from './scheduler-config.js';

const OPIE = `[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager
`;
const GROUP = 'nova.scheduler.weights.all_preemptible_weighers';
const V = 'opie.scheduler.weights.victims.';

function resolve(text: string): SchedulerConfig {
  return resolveSchedulerConfig({
    files: [{ path: 'nova.conf', text }],
    registry: createBuiltinRegistry(),
  });
}

function issuesOf(text: string): ConfigIssue[] {
  try {
    resolve(text);
  } catch (error) {
    if (ConfigError.isInstance(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('[preemptible_instances_scheduler] weight_classes', () => {
  it('defaults to all_preemptible_weighers: five victim weighers with their multipliers', () => {
    const config = resolve(OPIE);
    expect(config.victimWeighers.map((w) => [w.classPath, w.listedAs])).toEqual([
      [`${V}BillingRemainderVictimWeigher`, GROUP],
      [`${V}VictimCountWeigher`, GROUP],
      [`${V}WasteVictimWeigher`, GROUP],
      [`${V}AgeVictimWeigher`, GROUP],
      [`${V}PriorityVictimWeigher`, GROUP],
    ]);
    expect(config.victimWeighers.map((w) => w.multiplier?.value)).toEqual([
      1, 300, 3600, 60, 36000,
    ]);
    const names = config.options.map((o) => `${o.group}.${o.name}`);
    expect(names).toContain('preemptible_instances_scheduler.victim_count_weight_multiplier');
    expect(names).toContain('preemptible_instances_scheduler.victim_policy');
  });

  it('reads a list of class paths and the multipliers set in the file', () => {
    const config = resolve(`${OPIE}
[preemptible_instances_scheduler]
weight_classes = ${V}VictimCountWeigher, ${V}AgeVictimWeigher
victim_count_weight_multiplier = 10
`);
    expect(config.victimWeighers.map((w) => [w.classPath, w.multiplier?.value])).toEqual([
      [`${V}VictimCountWeigher`, 10],
      [`${V}AgeVictimWeigher`, 60],
    ]);
    expect(config.victimWeighers[0]?.multiplier?.source).toMatchObject({ kind: 'file', line: 7 });
  });

  it('reports an unknown victim weigher with suggestions, at the option line', () => {
    const issues = issuesOf(`${OPIE}
[preemptible_instances_scheduler]
weight_classes = ${V}VictimCountWeighr
`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'nova.conf',
      line: 6,
      section: 'preemptible_instances_scheduler',
      key: 'weight_classes',
    });
    expect(issues[0]?.message).toContain('no victim weigher is registered under this name');
    expect(issues[0]?.message).toContain(`Did you mean: ${V}VictimCountWeigher`);
  });

  it("reports a host weigher listed as a victim weigher, and the docs' (...)", () => {
    const issues = issuesOf(`${OPIE}
[preemptible_instances_scheduler]
weight_classes = nova.scheduler.weights.ram.RAMWeigher, (...)
`);
    expect(issues.map((i) => i.message)).toEqual([
      '(...) is not a class path',
      expect.stringContaining('it is a host weigher, not a victim weigher'),
    ]);
    expect(issues[0]?.hint).toContain(GROUP);
  });

  it("is not read for nova's driver, which never preempts", () => {
    const config = resolve(`[preemptible_instances_scheduler]
weight_classes = no.such.Weigher
`);
    expect(config.victimWeighers).toEqual([]);
  });

  it('reports a bad victim_policy value', () => {
    const issues = issuesOf(`${OPIE}
[preemptible_instances_scheduler]
victim_policy = random
`);
    expect(issues[0]).toMatchObject({ line: 6, key: 'victim_policy' });
    expect(issues[0]?.message).toContain('Valid values are [cost, opie]');
  });

  it('reports a negative or non-numeric victim_search_budget_ms at its line', () => {
    for (const value of ['-1', 'fast']) {
      const issues = issuesOf(`${OPIE}
[preemptible_instances_scheduler]
victim_search_budget_ms = ${value}
`);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        file: 'nova.conf',
        line: 6,
        section: 'preemptible_instances_scheduler',
        key: 'victim_search_budget_ms',
      });
    }
  });
});

describe('loadScheduler with victim weighers', () => {
  it('creates them and hands them to the driver with the preemption options', async () => {
    const loaded = await loadScheduler({
      files: [
        {
          path: 'nova.conf',
          text: `${OPIE}
[preemptible_instances_scheduler]
weight_classes = ${V}VictimCountWeigher, ${GROUP}
priority_weight_multiplier = 5
host_selection = weighted
grace_period = 15
victim_search_budget_ms = 7.5
joint_planning = false
`,
        },
      ],
    });
    expect(loaded.victimWeighers.map((w) => w.multiplier)).toEqual([300, 1, 300, 3600, 60, 5]);
    const driver = loaded.driver as FilterScheduler;
    expect(driver).toBeInstanceOf(FilterScheduler);
    expect(driver.victimWeighers).toEqual(loaded.victimWeighers);
    expect(driver.hostSelection).toBe('weighted');
    expect(driver.gracePeriod).toBe(15);
    expect(driver.victimSearchBudgetMs).toBe(7.5);
    expect(driver.jointPlanning).toBe(false);
  });

  it('builds none for a driver that does not price victims', async () => {
    const loaded = await loadScheduler({ files: [{ path: 'nova.conf', text: '' }] });
    expect(loaded.victimWeighers).toEqual([]);
  });

  it('reports a victim weigher factory that rejects its multiplier as a config problem', async () => {
    await expect(
      loadScheduler({
        files: [
          {
            path: 'nova.conf',
            text: `${OPIE}
[preemptible_instances_scheduler]
age_weight_multiplier = -1
`,
          },
        ],
      }),
    ).rejects.toThrow(/age_weight_multiplier/);
  });
});
