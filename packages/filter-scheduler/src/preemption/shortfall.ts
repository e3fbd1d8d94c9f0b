import type { Instance, Need } from '@opie/core';
import { isPreemptibleInstance } from '@opie/core';
import { ioOpsOf } from './io-ops-of.js';

/** nova's resource names, in `Need` order. */
const NAMES = ['memory_mb', 'disk_gb', 'vcpu', 'instances', 'io_ops'] as const;

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * What would still be short after terminating every candidate, per resource
 * (`Need` order), 0 where they free enough. Only preemptible candidates count.
 */
export function shortfallOf(need: Need, candidates: readonly Instance[]): Need {
  let memoryMb = 0;
  let diskGb = 0;
  let vcpus = 0;
  let instances = 0;
  let ioOps = 0;
  for (const c of candidates) {
    if (!isPreemptibleInstance(c)) continue;
    memoryMb += c.memoryMb;
    diskGb += c.rootGb + c.ephemeralGb;
    vcpus += c.vcpus;
    instances += 1;
    ioOps += ioOpsOf(c);
  }
  const left = (n: number, f: number): number => (n > f ? n - f : 0);
  return {
    memoryMb: left(need.memoryMb, memoryMb),
    diskGb: left(need.diskGb, diskGb),
    vcpus: left(need.vcpus, vcpus),
    instances: left(need.instances, instances),
    ioOps: left(need.ioOps, ioOps),
  };
}

/** `memory_mb 512, vcpu 2`: the resources of `need` that are above 0. */
export function describeNeed(need: Need): string {
  const values = [need.memoryMb, need.diskGb, need.vcpus, need.instances, need.ioOps];
  const parts: string[] = [];
  values.forEach((v, i) => {
    if (v > 0) parts.push(`${NAMES[i] ?? '?'} ${round(v)}`);
  });
  return parts.join(', ');
}

/**
 * Why a host cannot take an instance by preemption:
 * `cannot free enough: vcpu short by 2` (what terminating every candidate
 * would still leave over the limit), or, without any candidate,
 * `cannot free enough: no preemptible instance to terminate (memory_mb 512 over)`.
 * `candidatesWhat` names the candidates (e.g. `preemptible instance of priority below 5`).
 */
export function describeShortfall(
  need: Need,
  candidates: readonly Instance[],
  candidatesWhat = 'preemptible instance',
): string {
  const anyCandidate = candidates.some((c) => isPreemptibleInstance(c));
  if (!anyCandidate) {
    return `cannot free enough: no ${candidatesWhat} to terminate (${describeNeed(need)} over)`;
  }
  const short = shortfallOf(need, candidates);
  const values = [short.memoryMb, short.diskGb, short.vcpus, short.instances, short.ioOps];
  const parts: string[] = [];
  values.forEach((v, i) => {
    if (v > 0) parts.push(`${NAMES[i] ?? '?'} short by ${round(v)}`);
  });
  return `cannot free enough: ${parts.join(', ')}`;
}
