import type { PolicyResult } from './simulation-result.js';

/** One option two policies set differently, as the scheduler uses it. */
export interface OptionChange {
  /** `group.name`, e.g. `preemptible_instances_scheduler.victim_policy`. */
  option: string;
  from: string;
  to: string;
}

/** What changing from one policy to another did, figure by figure (to − from). */
export interface PolicyDifference {
  from: string;
  to: string;
  /** Every option that differs (empty: identical configurations). */
  changes: OptionChange[];
  effects: {
    rejectedNormal: number;
    rejectedPreemptible: number;
    victims: number;
    victimsOfFailedRequests: number;
    lostInstanceSeconds: number;
    ramUtilisation: number;
  };
}

const VICTIM_POLICY = 'preemptible_instances_scheduler.victim_policy';
const HOST_SELECTION = 'preemptible_instances_scheduler.host_selection';

/**
 * The options as the scheduler applies them: under `victim_policy = opie`
 * the host is chosen by weight alone, whatever `host_selection` says
 * (@see packages/filter-scheduler/src/scheduler/filter-scheduler.ts #placeOpie),
 * so comparing configurations by their text would hide that difference:
 * the effective value is `weight-only`.
 */
export function effectiveOptions(
  options: Readonly<Record<string, string>>,
): Record<string, string> {
  const out = { ...options };
  if (out[VICTIM_POLICY] === 'opie' && out[HOST_SELECTION] !== undefined) {
    out[HOST_SELECTION] = 'weight-only';
  }
  return out;
}

/**
 * Each policy's effective options that not every policy of the run shares
 * (what sets the policies apart), by policy.
 */
export function distinctOptions(
  all: readonly (Readonly<Record<string, string>> | undefined)[],
): Record<string, string>[] {
  const effective = all.map((o) => effectiveOptions(o ?? {}));
  const keys = new Set<string>();
  for (const o of effective) for (const k of Object.keys(o)) keys.add(k);
  const differing = [...keys]
    .sort()
    .filter((k) => new Set(effective.map((o) => o[k] ?? '(unset)')).size > 1);
  return effective.map((o) => {
    const out: Record<string, string> = {};
    for (const k of differing) out[k] = o[k] ?? '(unset)';
    return out;
  });
}

function changesBetween(a: PolicyResult, b: PolicyResult): OptionChange[] {
  const from = a.distinctOptions ?? {};
  const to = b.distinctOptions ?? {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const out: OptionChange[] = [];
  for (const option of keys) {
    const x = from[option] ?? '(unset)';
    const y = to[option] ?? '(unset)';
    if (x !== y) out.push({ option, from: x, to: y });
  }
  return out;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function difference(a: PolicyResult, b: PolicyResult): PolicyDifference {
  return {
    from: a.name,
    to: b.name,
    changes: changesBetween(a, b),
    effects: {
      rejectedNormal: b.rejected.normal - a.rejected.normal,
      rejectedPreemptible: b.rejected.preemptible - a.rejected.preemptible,
      victims: b.preemptions.victims - a.preemptions.victims,
      victimsOfFailedRequests:
        b.preemptions.victimsOfFailedRequests - a.preemptions.victimsOfFailedRequests,
      lostInstanceSeconds: round6(b.lostWork.instanceSeconds - a.lostWork.instanceSeconds),
      ramUtilisation: round6(b.utilisation.ram.average - a.utilisation.ram.average),
    },
  };
}

/**
 * The comparisons a reader needs to attribute effects: each policy against
 * the previous one (a ladder where each step changes one thing) and, where
 * that is another pair, against the first (the baseline). Policies without
 * options (built in code) are compared too, with no changes listed.
 */
export function policyDifferences(policies: readonly PolicyResult[]): PolicyDifference[] {
  const out: PolicyDifference[] = [];
  const first = policies[0];
  for (let j = 1; j < policies.length; j++) {
    const prev = policies[j - 1];
    const cur = policies[j];
    if (prev === undefined || cur === undefined) continue;
    out.push(difference(prev, cur));
    if (first !== undefined && j > 1) out.push(difference(first, cur));
  }
  return out;
}
