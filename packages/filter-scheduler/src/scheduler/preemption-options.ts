import type { ConfigValues, OptionSpec, TerminationAction } from '@opie/core';
import { zod } from '../lazy-zod.js';
import { HOST_SELECTIONS } from '../preemption/host-selection.js';
import { DEFAULT_VICTIM_SEARCH_BUDGET_MS } from '../preemption/victim-planner.js';
import type { HostSelection } from '../preemption/host-selection.js';

/** opie's own section. */
export const PREEMPTION_GROUP = 'preemptible_instances_scheduler';

/**
 * How victims are chosen: `cost` (the least-cost set that frees enough, on a
 * host chosen knowing the cost) or `opie` (opie's choice, for comparison: one
 * victim per attempt, the host's last-listed preemptible instance; when it
 * does not free enough the build fails there and the instance is retried on
 * the next host, up to `[scheduler] max_attempts`).
 */
export type VictimPolicy = 'cost' | 'opie';

export const VICTIM_POLICIES: readonly VictimPolicy[] = ['cost', 'opie'];
const TERMINATION_ACTIONS: readonly TerminationAction[] = ['delete', 'stop'];

/** The preemption options the opie driver owns, all in `[preemptible_instances_scheduler]`. */
export const preemptionOptions: readonly OptionSpec[] = [
  {
    group: PREEMPTION_GROUP,
    name: 'victim_policy',
    type: 'str',
    default: 'cost',
    choices: VICTIM_POLICIES,
    help:
      'How victims are chosen: cost (the least-cost set of preemptible instances that frees ' +
      'every limited resource, on a host chosen knowing that cost) or opie (opie: one victim per ' +
      'attempt, the last-listed preemptible; if it does not free enough the instance is retried ' +
      'on the next host, up to [scheduler] max_attempts, and the victim is lost).',
    get schema() {
      return zod().enum(['cost', 'opie']);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'host_selection',
    type: 'str',
    default: 'prefer-no-preemption',
    choices: HOST_SELECTIONS,
    help:
      'How host choice combines weights and preemption cost: prefer-no-preemption (hosts that ' +
      'need no preemption by weight; if none, the cheapest preemption, weight breaking ties), ' +
      'weighted (weight - preemption_cost_multiplier * cost / (cost + 3600)) or weight-only ' +
      '(weight alone, as opie).',
    get schema() {
      return zod().enum(['prefer-no-preemption', 'weighted', 'weight-only']);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'preemption_cost_multiplier',
    type: 'float',
    default: 1.0,
    help:
      'host_selection = weighted: weight units taken off a host per unit of normalised ' +
      'preemption cost (cost / (cost + 3600), in [0, 1)). Must be >= 0.',
    get schema() {
      return zod().number().min(0);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'max_planned_hosts',
    type: 'int',
    default: 100,
    help:
      'Successful victim plans, at most, per instance when hosts need preemption (as Kubernetes ' +
      'bounds its preemption candidates). Must be >= 1.',
    get schema() {
      return zod().number().int().min(1);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'victim_search_budget_ms',
    type: 'float',
    default: DEFAULT_VICTIM_SEARCH_BUDGET_MS,
    help:
      'Milliseconds, per host planned, the exact victim search may take on a host with many ' +
      'candidates; past it the cheapest set found is used and the plan says optimal: false, with ' +
      'a proven lower bound on the cost. 0: a heuristic beyond 20 candidates. Must be >= 0.',
    get schema() {
      return zod().number().min(0);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'joint_planning',
    type: 'bool',
    default: true,
    help:
      'Plan the copies of a multi-instance request that need preemption together: hosts and ' +
      'victims at the least total victim cost, one victim set freeing room for several copies ' +
      'on a host (host_selection = prefer-no-preemption, host_subset_size 1). ' +
      'False: one copy at a time.',
  },
  {
    group: PREEMPTION_GROUP,
    name: 'termination_action',
    type: 'str',
    default: 'delete',
    choices: TERMINATION_ACTIONS,
    help: 'What the compute does to a victim: delete (opie) or stop.',
    get schema() {
      return zod().enum(['delete', 'stop']);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'grace_period',
    type: 'int',
    default: 0,
    help:
      'Seconds between the notice a victim receives and its termination (0: at once, as opie). ' +
      'Must be >= 0.',
    get schema() {
      return zod().number().int().min(0);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'termination_retries',
    type: 'int',
    default: 3,
    help: 'Retries of a compute call (notice or termination) that failed. Must be >= 0.',
    get schema() {
      return zod().number().int().min(0);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'termination_retry_backoff',
    type: 'float',
    default: 0.5,
    help: 'Seconds before the first retry, doubled for each next one. Must be >= 0.',
    get schema() {
      return zod().number().min(0);
    },
  },
  {
    group: PREEMPTION_GROUP,
    name: 'allow_priority_preemption',
    type: 'bool',
    default: false,
    help:
      'Let a preemptible request with a priority preempt preemptible instances of strictly lower ' +
      'priority (never normal instances, never equal or higher priority).',
  },
];

/** The preemption settings read from the options (absent values: the defaults). */
export interface PreemptionSettings {
  victimPolicy: VictimPolicy;
  hostSelection: HostSelection;
  preemptionCostMultiplier: number;
  maxPlannedHosts: number;
  victimSearchBudgetMs: number;
  jointPlanning: boolean;
  terminationAction: TerminationAction;
  gracePeriod: number;
  terminationRetries: number;
  terminationRetryBackoff: number;
  allowPriorityPreemption: boolean;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}

/** Reads the `[preemptible_instances_scheduler]` options of `preemptionOptions`. */
export function preemptionSettings(conf: ConfigValues): PreemptionSettings {
  const g = PREEMPTION_GROUP;
  return {
    victimPolicy: oneOf(conf.str(g, 'victim_policy'), VICTIM_POLICIES, 'cost'),
    hostSelection: oneOf(conf.str(g, 'host_selection'), HOST_SELECTIONS, 'prefer-no-preemption'),
    preemptionCostMultiplier: conf.float(g, 'preemption_cost_multiplier'),
    maxPlannedHosts: conf.int(g, 'max_planned_hosts') ?? 100,
    victimSearchBudgetMs: conf.float(g, 'victim_search_budget_ms'),
    jointPlanning: conf.bool(g, 'joint_planning'),
    terminationAction: oneOf(conf.str(g, 'termination_action'), TERMINATION_ACTIONS, 'delete'),
    gracePeriod: conf.int(g, 'grace_period') ?? 0,
    terminationRetries: conf.int(g, 'termination_retries') ?? 3,
    terminationRetryBackoff: conf.float(g, 'termination_retry_backoff'),
    allowPriorityPreemption: conf.bool(g, 'allow_priority_preemption'),
  };
}
