import { describe, expect, it } from 'vitest';
import type { InstanceExplanation, Preemption } from '@opie/core';
import {
  formatCostTerms,
  formatInstancePreemption,
  formatOptimality,
  formatNeed,
  preemptionCostLines,
} from './preemption-text.js';

const NEED = { memoryMb: 4608, diskGb: 0, vcpus: 2, instances: 0, ioOps: 0 };
const TERMS = [
  {
    weigher: 'opie.scheduler.weights.victims.BillingRemainderVictimWeigher',
    raw: 120,
    multiplier: 1,
    weighted: 120,
  },
  {
    weigher: 'opie.scheduler.weights.victims.VictimCountWeigher',
    raw: 1,
    multiplier: 300,
    weighted: 300,
  },
];

const explanation: InstanceExplanation = {
  index: 0,
  view: 'free',
  chosen: { host: 'c3', nodename: 'c3' },
  preemption: { policy: 'cost', hostSelection: 'prefer-no-preemption', plannedHosts: 3 },
  hosts: [
    {
      host: 'c3',
      nodename: 'c3',
      filteredBy: null,
      preemption: {
        needed: true,
        need: NEED,
        cost: 420,
        exact: true,
        optimal: true,
        victims: [{ uuid: 'v1', cost: 420, terms: TERMS }],
      },
    },
    {
      host: 'c2',
      nodename: 'c2',
      filteredBy: null,
      preemption: {
        needed: true,
        need: NEED,
        cost: 900,
        victims: [],
        exact: false,
        optimal: false,
        lowerBound: 850.5,
      },
    },
    {
      host: 'c1',
      nodename: 'c1',
      filteredBy: null,
      preemption: { needed: true, need: NEED, rejected: 'cannot free enough: vcpu short by 2' },
    },
  ],
};

describe('preemption text', () => {
  it('spells a need and cost terms', () => {
    expect(formatNeed(NEED)).toBe('memory_mb 4608, vcpu 2');
    expect(formatNeed({ ...NEED, memoryMb: 0, vcpus: 0 })).toBe('nothing');
    expect(formatCostTerms(TERMS)).toBe(
      'BillingRemainderVictimWeigher 120 x 1 = 120; VictimCountWeigher 1 x 300 = 300',
    );
  });

  it('adds cost and waste lines to a preemption', () => {
    const p: Preemption = {
      victim: {
        uuid: 'v1',
        memoryMb: 1,
        vcpus: 1,
        rootGb: 1,
        ephemeralGb: 0,
        systemMetadata: {},
        createdAt: 0,
      },
      host: 'c3',
      nodename: 'c3',
      forIndex: 0,
      reason: 'r',
      cost: 420,
      terms: TERMS,
      wasted: true,
    };
    expect(preemptionCostLines(p)).toEqual([
      '    cost 420: BillingRemainderVictimWeigher 120 x 1 = 120; VictimCountWeigher 1 x 300 = 300',
      '    wasted: terminated without making room (opie-compat victim policy)',
    ]);
    const { cost: _cost, wasted: _wasted, ...bare } = p;
    expect(preemptionCostLines(bare)).toEqual([]);
  });

  it('shows the chosen host victims with each cost term, other planned hosts and rejected hosts with why', () => {
    const lines = formatInstancePreemption(explanation, { allHosts: false });
    expect(lines[0]).toBe(
      '  preemption: victim policy cost, host selection prefer-no-preemption; 3 hosts planned',
    );
    expect(lines[1]).toBe('  victims on c3: 1 (need memory_mb 4608, vcpu 2; cost 420, optimal)');
    expect(lines[2]).toMatch(/^ {4}VICTIM +COST +WEIGHER +RAW +MULTIPLIER +WEIGHTED\n/);
    expect(lines[2]).toMatch(/\n {4}v1 +420 +BillingRemainderVictimWeigher +120 +1 +120\n/);
    expect(lines[2]).toMatch(/\n {4} +VictimCountWeigher +1 +300 +300$/);
    expect(lines[3]).toBe(
      '  other hosts planned: c2 cost 900 (0 victims, not proven optimal, lower bound 850.5)',
    );
    expect(lines.slice(4)).toEqual([
      '  rejected for preemption:',
      '    c1: cannot free enough: vcpu short by 2',
    ]);
  });

  it('says when the copies of a request were planned jointly', () => {
    const joint: InstanceExplanation = {
      ...explanation,
      preemption: {
        policy: 'cost',
        hostSelection: 'prefer-no-preemption',
        plannedHosts: 4,
        joint: { instances: 4, cost: 300, optimal: true },
      },
    };
    const lines = formatInstancePreemption(joint, { allHosts: false });
    expect(lines[1]).toBe(
      '  planned jointly: 4 instances of the request, total victim cost 300, optimal',
    );
  });

  it('says whether a victim set is proven optimal, else its lower bound', () => {
    expect(formatOptimality({ needed: true, optimal: true, exact: false })).toBe('optimal');
    expect(formatOptimality({ needed: true, optimal: false, lowerBound: 12 })).toBe(
      'not proven optimal, lower bound 12',
    );
    // A verdict without `optimal` (a driver before it existed): `exact` decides.
    expect(formatOptimality({ needed: true, exact: true })).toBe('optimal');
    expect(formatOptimality({ needed: true, exact: false })).toBe('not proven optimal');
  });

  it('lists opie-compat attempts, and nothing for an instance without preemption', () => {
    const attempts: InstanceExplanation = {
      ...explanation,
      hosts: [],
      preemption: {
        policy: 'opie',
        hostSelection: 'weight-only',
        plannedHosts: 0,
        attempts: [{ attempt: 1, host: 'a', nodename: 'n', victim: 'v', failure: 'still over' }],
      },
    };
    expect(formatInstancePreemption(attempts, { allHosts: false })).toEqual([
      '  preemption: victim policy opie, host selection weight-only; 0 hosts planned',
      '  attempt 1 on a (n) failed: still over',
    ]);
    const { preemption: _ignored, ...plain } = explanation;
    expect(formatInstancePreemption({ ...plain, hosts: [] }, { allHosts: false })).toEqual([]);
  });
});
