import { describe, expect, it } from 'vitest';
import { samplePolicy } from './__fixtures__/sample-result.js';
import { distinctOptions, effectiveOptions, policyDifferences } from './policy-differences.js';
import { summariseCloud, undersizedWarnings } from './simulate.js';
import { twoHosts } from './__fixtures__/two-hosts.js';

const VP = 'preemptible_instances_scheduler.victim_policy';
const HS = 'preemptible_instances_scheduler.host_selection';

describe('policy differences', () => {
  it('shows the host selection opie forces, which the config text hides', () => {
    expect(effectiveOptions({ [VP]: 'opie', [HS]: 'prefer-no-preemption' })).toEqual({
      [VP]: 'opie',
      [HS]: 'weight-only',
    });
    expect(effectiveOptions({ [VP]: 'cost', [HS]: 'weighted' })[HS]).toBe('weighted');
  });

  it('keeps only the options that not every policy shares', () => {
    const d = distinctOptions([
      { [VP]: 'opie', [HS]: 'prefer-no-preemption', 'DEFAULT.x': '1' },
      { [VP]: 'cost', [HS]: 'weight-only', 'DEFAULT.x': '1' },
      { [VP]: 'cost', [HS]: 'prefer-no-preemption', 'DEFAULT.x': '1' },
    ]);
    expect(d).toEqual([
      { [VP]: 'opie', [HS]: 'weight-only' },
      { [VP]: 'cost', [HS]: 'weight-only' },
      { [VP]: 'cost', [HS]: 'prefer-no-preemption' },
    ]);
    // opie-compat and cost-victims then differ in victim_policy only.
    const ladder = distinctOptions([
      { [VP]: 'opie', [HS]: 'prefer-no-preemption' },
      { [VP]: 'cost', [HS]: 'weight-only' },
    ]);
    expect(ladder).toEqual([{ [VP]: 'opie' }, { [VP]: 'cost' }]);
    // A policy built in code has no options: every option then differs.
    expect(distinctOptions([{ 'DEFAULT.x': '1' }, undefined])).toEqual([
      { 'DEFAULT.x': '1' },
      { 'DEFAULT.x': '(unset)' },
    ]);
  });

  it('compares each policy with the previous one and with the first', () => {
    const a = { ...samplePolicy('a'), distinctOptions: { [VP]: 'opie', [HS]: 'weight-only' } };
    const b = {
      ...samplePolicy('b'),
      distinctOptions: { [VP]: 'cost', [HS]: 'weight-only' },
      rejected: { normal: 90, preemptible: 100 },
    };
    const c = { ...samplePolicy('c'), distinctOptions: { [VP]: 'cost', [HS]: 'prefer' } };
    const d = policyDifferences([a, b, c]);
    expect(d.map((x) => `${x.from}->${x.to}`)).toEqual(['a->b', 'b->c', 'a->c']);
    expect(d[0]?.changes).toEqual([{ option: VP, from: 'opie', to: 'cost' }]);
    // b rejects 90 normal requests, a 100 (samplePolicy's figure): 90 - 100.
    expect(d[0]?.effects.rejectedNormal).toBe(-10);
    expect(d[1]?.changes).toEqual([{ option: HS, from: 'weight-only', to: 'prefer' }]);
    expect(d[2]?.changes).toHaveLength(2);
    expect(policyDifferences([a])).toEqual([]);
  });
});

describe('undersized clouds', () => {
  it('warns when a policy rejects more than half of the normal requests', () => {
    const cloud = summariseCloud(twoHosts(), 'two.json');
    // twoHosts: 2 nodes of 8 vCPUs, 4096 MB, 100 GB each.
    expect(cloud).toEqual({
      file: 'two.json',
      hosts: 2,
      vcpus: 16,
      memoryMb: 8192,
      diskGb: 200,
      instances: 0,
    });
    const ok = samplePolicy('ok'); // 100 of 1200 normal requests rejected
    const bad = { ...samplePolicy('bad'), rejected: { normal: 601, preemptible: 0 } };
    const warnings = undersizedWarnings(cloud, [ok, bad]);
    expect(warnings).toHaveLength(1);
    // 601 / 1200 = 50.08 %.
    expect(warnings[0]).toMatch(
      /^bad rejected 601 of 1200 normal requests \(50\.1 %\): the cloud \(2 hosts, 16 vCPUs, 8192 MB\) is too small/,
    );
    expect(warnings[0]).toContain('opie cloud generate');
    const half = { ...samplePolicy('half'), rejected: { normal: 600, preemptible: 0 } };
    expect(undersizedWarnings(cloud, [half])).toEqual([]);
  });
});
