import type { OptionSpec } from '@opie/core';
import { ConfigError } from '@opie/core';
import { zod } from '../lazy-zod.js';

/** The section every victim weigher multiplier lives in (opie's own group). */
export const VICTIM_WEIGHERS_GROUP = 'preemptible_instances_scheduler';

/** A `[preemptible_instances_scheduler] <name>` float option, `>= 0`. */
export function victimMultiplierOption(name: string, value: number, help: string): OptionSpec {
  return {
    group: VICTIM_WEIGHERS_GROUP,
    name,
    type: 'float',
    default: value,
    help: `${help} Must be >= 0; 0 turns the weigher off.`,
    get schema() {
      return zod().number().min(0);
    },
  };
}

/**
 * The multiplier, checked: finite and `>= 0` (a negative one would make taking
 * more victims cheaper, which the planner's bounds do not allow).
 */
export function checkedMultiplier(option: string, value: number | undefined, fallback: number) {
  const m = value ?? fallback;
  if (!Number.isFinite(m) || m < 0) {
    throw new ConfigError([
      {
        section: VICTIM_WEIGHERS_GROUP,
        key: option,
        message: `must be a finite number >= 0, got ${String(m)}`,
        hint: `the default is ${fallback}; 0 turns the weigher off`,
      },
    ]);
  }
  return m;
}
