import { policyDifferences } from '../policy-differences.js';
import type { PolicyResult, SimulationResult } from '../simulation-result.js';

/** A policy result with round figures, for the output formats' tests. */
export function samplePolicy(name: string, scale = 1): PolicyResult {
  return {
    name,
    configFiles: [`examples/policies/${name}.conf`],
    driver: 'opie.scheduler.filter_scheduler.FilterScheduler',
    filters: ['RamFilter', 'ComputeFilter'],
    weighers: ['nova.scheduler.weights.ram.RAMWeigher'],
    victimPolicy: name === 'cost-aware' ? 'cost' : 'opie',
    requests: { normal: 1200, preemptible: 800 },
    placed: { normal: 1100, preemptible: 700 * scale },
    rejected: { normal: 100, preemptible: 100 },
    departures: 1500,
    preemptions: {
      count: 40,
      victims: 60 * scale,
      victimsOfFailedRequests: name === 'cost-aware' ? 0 : 4,
      victimsPerPreemption: 1.5 * scale,
      maxVictims: 3,
      histogram: { '1': 25, '2': 10, '3': 5 },
    },
    lostWork: { instanceSeconds: 7200 * scale, paidPeriodSeconds: 5400 },
    placementsOverLimits: 0,
    duplicateLiveIds: 0,
    warnings: [],
    utilisation: { ram: { average: 0.8123, peak: 0.97 }, vcpu: { average: 0.25, peak: 0.5 } },
    series: {
      t: [0, 3600, 7200, 10800],
      ram: [0.5, 0.8, 0.9, 0.7],
      vcpu: [0.2, 0.25, 0.3, 0.2],
      preemptions: [0, 10, 20, 10],
      victims: [0, 15 * scale, 30, 15],
    },
    timing: { count: 2000, totalMs: 50, meanUs: 25, p50Us: 20, p90Us: 40, p99Us: 120, maxUs: 900 },
  };
}

export function sampleResult(): SimulationResult {
  const policies = [samplePolicy('opie-compat', 2), samplePolicy('cost-aware')];
  return {
    tool: 'opie simulate (@opie/simulator 0.0.0)',
    cloud: { file: 'cloud.json', hosts: 4, vcpus: 32, memoryMb: 65536, diskGb: 800, instances: 7 },
    inputs: [
      { role: 'cloud', file: 'cloud.json', sha256: 'a'.repeat(64) },
      { role: 'trace', file: 'trace.csv', sha256: 'b'.repeat(64) },
    ],
    seed: 3,
    startMs: Date.UTC(2024, 2, 5, 12),
    sampleIntervalS: 3600,
    billingPeriodS: 3600,
    drain: false,
    trace: {
      file: 'trace.csv',
      format: 'csv',
      rows: 2000,
      badRows: 2,
      firstBadRows: [
        { file: 'trace.csv', line: 7, reason: 'vcpus: missing' },
        { file: 'trace.csv', line: 9, reason: 'preemptible: expected true or false, got "<x>"' },
      ],
      firstArrivalS: 0,
      lastArrivalS: 10800,
      spanS: 10800,
    },
    policies,
    differences: policyDifferences(policies),
    warnings: [],
  };
}
