import { seededRandom } from '@opie/core';
import type { TraceRow } from './trace-row.js';

/** A flavor of the synthetic workload and its share of requests. */
export interface SyntheticFlavor {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  weight: number;
}

export interface SyntheticTraceOptions {
  /** Requests to generate. */
  requests: number;
  seed?: number;
  /** Mean seconds between arrivals (Poisson process); default 1. */
  meanInterarrivalS?: number;
  /** Mean lifetime, seconds (exponential); default 3600. */
  meanLifetimeS?: number;
  /** Share of preemptible requests; default 0.3. */
  preemptibleFraction?: number;
  /** Default: m1.tiny .. m1.xlarge-like sizes, small ones commoner. */
  flavors?: readonly SyntheticFlavor[];
}

export const DEFAULT_SYNTHETIC_FLAVORS: readonly SyntheticFlavor[] = [
  { vcpus: 1, memoryMb: 512, diskGb: 1, weight: 2 },
  { vcpus: 1, memoryMb: 2048, diskGb: 20, weight: 4 },
  { vcpus: 2, memoryMb: 4096, diskGb: 40, weight: 3 },
  { vcpus: 4, memoryMb: 8192, diskGb: 80, weight: 2 },
  { vcpus: 8, memoryMb: 16384, diskGb: 160, weight: 1 },
];

/**
 * A seeded synthetic trace, generated lazily (nothing is held): Poisson
 * arrivals, exponential lifetimes, weighted flavors. Each request is two
 * events when its departure is replayed (arrival and departure).
 */
export function* syntheticTrace(options: SyntheticTraceOptions): Generator<TraceRow> {
  const random = seededRandom(options.seed ?? 0);
  const gap = options.meanInterarrivalS ?? 1;
  const life = options.meanLifetimeS ?? 3600;
  const fraction = options.preemptibleFraction ?? 0.3;
  const flavors = options.flavors ?? DEFAULT_SYNTHETIC_FLAVORS;
  const total = flavors.reduce((s, f) => s + f.weight, 0);
  const exp = (mean: number): number => -mean * Math.log(1 - random());
  let t = 0;
  for (let i = 0; i < options.requests; i++) {
    t += exp(gap);
    let pick = random() * total;
    let flavor = flavors[flavors.length - 1] as SyntheticFlavor;
    for (const f of flavors) {
      pick -= f.weight;
      if (pick < 0) {
        flavor = f;
        break;
      }
    }
    yield {
      line: 0,
      id: `vm-${i}`,
      arrival: Math.round(t * 1000) / 1000,
      lifetime: Math.round(exp(life) * 1000) / 1000,
      vcpus: flavor.vcpus,
      memoryMb: flavor.memoryMb,
      diskGb: flavor.diskGb,
      preemptible: random() < fraction,
      priority: undefined,
    };
  }
}
