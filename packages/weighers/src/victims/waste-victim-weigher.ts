import type { OptionSpec, VictimCostContext, VictimWeigher, VictimWeigherPlugin } from '@opie/core';
import { checkedMultiplier, victimMultiplierOption } from './victim-multiplier.js';

export const WASTE_VICTIM_WEIGHER = 'opie.scheduler.weights.victims.WasteVictimWeigher';

/** `[preemptible_instances_scheduler] waste_weight_multiplier`. */
export const wasteWeightMultiplierOption: OptionSpec = victimMultiplierOption(
  'waste_weight_multiplier',
  3600.0,
  'WasteVictimWeigher multiplier, per whole host of one resource freed beyond the need.',
);

/**
 * Per resource (RAM, disk, vCPU), the cost of one unit a victim frees:
 * `excess / (total * freed)`, so the set's victims share the excess in
 * proportion to what each frees of it.
 */
function unitCosts(ctx: VictimCostContext): readonly [number, number, number] {
  let ram = 0;
  let disk = 0;
  let cpu = 0;
  for (const v of ctx.set) {
    ram += v.memoryMb;
    disk += v.rootGb + v.ephemeralGb;
    cpu += v.vcpus;
  }
  const { host, need } = ctx;
  return [
    unitCost(ram, need.memoryMb, host.totalUsableRamMb),
    unitCost(disk, need.diskGb, host.totalUsableDiskGb),
    unitCost(cpu, need.vcpus, host.vcpusTotal),
  ];
}

function unitCost(freed: number, need: number, total: number): number {
  const excess = freed - need;
  return excess > 0 && total > 0 ? excess / (total * freed) : 0;
}

/**
 * Costs the resources a set of victims frees beyond the need, normalised by
 * the host's totals: the set's waste is `Σ over RAM, disk, vCPU of
 * max(0, freed - need) / total` (a resource that is not short counts entirely
 * as waste), shared among the victims in proportion to what each frees of
 * each resource, so the costs of a set sum to its waste. It reads `ctx.set`
 * (`setDependent`); the waste of a set never decreases when a victim is added.
 * Instance and I/O-op counts are not counted (a host has no total for them).
 * Not in opie (docs/nova-and-opie-notes.md, opie problem 2: it took the last preemptible, whatever its size).
 * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
 */
export function createWasteVictimWeigher(options: { multiplier?: number } = {}): VictimWeigher {
  // Per context: the unit costs of its set, computed once for all its victims.
  const cache = new WeakMap<VictimCostContext, readonly [number, number, number]>();
  return {
    name: WASTE_VICTIM_WEIGHER,
    multiplier: checkedMultiplier('waste_weight_multiplier', options.multiplier, 3600.0),
    setDependent: true,
    cost(victim, ctx) {
      let unit = cache.get(ctx);
      if (unit === undefined) {
        unit = unitCosts(ctx);
        cache.set(ctx, unit);
      }
      return (
        victim.memoryMb * unit[0] +
        (victim.rootGb + victim.ephemeralGb) * unit[1] +
        victim.vcpus * unit[2]
      );
    },
  };
}

export const wasteVictimWeigherPlugin: VictimWeigherPlugin = {
  kind: 'victim-weigher',
  classPath: WASTE_VICTIM_WEIGHER,
  description: 'Prefers victim sets that free little beyond what the host needs.',
  options: [wasteWeightMultiplierOption],
  create: (ctx) =>
    createWasteVictimWeigher({
      multiplier: ctx.conf.float('preemptible_instances_scheduler', 'waste_weight_multiplier'),
    }),
};
