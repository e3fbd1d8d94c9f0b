/**
 * The reference implementation for the scheduler-core property test: the
 * FilterScheduler as it was before the pipeline rewrite (per-host objects,
 * `filterHosts` and `weighHosts` on every host, limits written by every
 * filter on every host), kept verbatim in behaviour so that the new core can
 * be demanded to decide exactly as it did. Test-only; not exported.
 */
import type {
  Claim,
  ComputePort,
  Destination,
  FilterRequest,
  HostFilter,
  HostManagerLike,
  HostState,
  HostVerdict,
  HostView,
  HostWeigher,
  Instance,
  InstanceExplanation,
  Limits,
  Need,
  NotificationPort,
  Preemption,
  PreemptionSummary,
  PreemptionVerdict,
  RequestSpec,
  Runtime,
  SchedulerDriver,
  SchedulingResult,
  TerminationAction,
  VictimWeigher,
} from '@opie/core';
import {
  createRuntime,
  hostKey,
  isPreemptibleInstance,
  isPreemptibleRequest,
  makeFilterRequest,
  MemoryNotifier,
  preemptibleInstancesOf,
  RecordingComputePort,
} from '@opie/core';
import { defaultVictimWeighers, weighHosts } from '@opie/weighers';
import { SchedulingFailure } from '../filter-scheduler.js';
import type { SchedulingPlan } from '../filter-scheduler.js';
import type { WeighedHost } from '@opie/weighers';
import { selectHosts } from '../../preemption/host-selection.js';
import type { HostOption, HostSelection } from '../../preemption/host-selection.js';
import { ioOpsOf } from '../../preemption/io-ops-of.js';
import { excess, maxInstancesOf, maxIoOpsOf, needOf, NO_NEED } from '../../preemption/need.js';
import {
  needsSomething,
  placementNeed,
  placementNeedsPreemption,
} from '../../preemption/placement-need.js';
import { describeShortfall } from '../../preemption/shortfall.js';
import { planVictims } from '../../preemption/victim-planner.js';
import type { VictimPlan } from '../../preemption/victim-planner.js';
import { actOnPreemptions } from '../act-on-preemptions.js';
import type { TerminationOutcome } from '../act-on-preemptions.js';
import { filterHosts } from '../filter-hosts.js';
import type { FilterOutcome } from '../filter-hosts.js';
import { describeOvercommit, detectOvercommit } from '../overcommit.js';
import type { VictimPolicy } from '../preemption-options.js';
import { lastFirstVictimSelector } from '../victims.js';
import type { VictimSelector } from '../victims.js';

export interface ReferenceSchedulerOptions {
  hostManager: HostManagerLike;
  filters: readonly HostFilter[];
  weighers: readonly HostWeigher[];
  runtime?: Runtime;
  compute?: ComputePort;
  notifier?: NotificationPort;
  /** `scheduler_host_subset_size`: choose at random among the N best hosts (< 1 means 1). */
  hostSubsetSize?: number;
  /**
   * opie's behaviour: filter normal requests on the preemptible-as-free view
   * and preempt where needed. `false` is nova's own FilterScheduler.
   */
  preemption?: boolean;
  /** Fill `SchedulingResult.explanation` with every host's verdict. */
  explain?: boolean;
  /**
   * A custom victim choice: when given, the host is chosen by weight alone and
   * this selector picks the victims on it (`victimPolicy` and `hostSelection`
   * are then not used).
   */
  victimSelector?: VictimSelector;
  /** What termination does (default `delete`). */
  terminationAction?: TerminationAction;
  /** Notification publisher id (nova: `scheduler.<host>`). */
  publisherId?: string;
  /** `cost` (default): least-cost victims on a cost-aware host; `opie`: opie's choice and retries. */
  victimPolicy?: VictimPolicy;
  /** How host choice weighs preemption cost (default `prefer-no-preemption`). */
  hostSelection?: HostSelection;
  /** Victim weighers pricing victims (default: `defaultVictimWeighers()`). */
  victimWeighers?: readonly VictimWeigher[];
  /** `weighted` host selection: weight units per unit of normalised cost (default 1). */
  preemptionCostMultiplier?: number;
  /** Successful victim plans, at most, per instance (default 100). */
  maxPlannedHosts?: number;
  /** Exact victim search up to this many useful candidates per host (default 20). */
  maxExactCandidates?: number;
  /** Node budget of the exact victim search per host (default 200,000). */
  maxExactNodes?: number;
  /** Seconds between a victim's notice and its termination (default 0). */
  gracePeriod?: number;
  /** Retries of a failed compute call (default 3). */
  terminationRetries?: number;
  /** Seconds before the first retry, doubled each time (default 0.5). */
  terminationRetryBackoff?: number;
  /** A preemptible request may preempt preemptibles of strictly lower priority (default false). */
  allowPriorityPreemption?: boolean;
  /** `[scheduler] max_attempts`: build attempts per instance under `victimPolicy: 'opie'` (default 3). */
  maxAttempts?: number;
}

const NOT_ENOUGH_HOSTS = 'There are not enough hosts available.';

/** Everything one `plan()` call tracks. */
interface PlanState {
  spec: RequestSpec;
  now: number;
  request: FilterRequest;
  view: HostView;
  preemptible: boolean;
  usePreemption: boolean;
  /** Victims must have a priority below this (priority preemption), else any preemptible. */
  priorityBelow: number | undefined;
  claims: Claim[];
  destinations: Destination[];
  preemptions: Preemption[];
  explanation: InstanceExplanation[];
  /** Victims planned so far: never chosen again. */
  chosen: Set<string>;
  /** What those victims free, per host key. */
  freedByHost: Map<string, Need>;
}

/** The filtered and weighed hosts of one attempt. */
interface Candidates {
  input: readonly HostState[];
  outcome: FilterOutcome;
  /** States to weigh and plan on (the full view when preempting). */
  fulls: HostState[];
}

function addFreed(freed: Need | undefined, victim: Instance): Need {
  const f = freed ?? NO_NEED;
  return {
    memoryMb: f.memoryMb + victim.memoryMb,
    diskGb: f.diskGb + victim.rootGb + victim.ephemeralGb,
    vcpus: f.vcpus + victim.vcpus,
    instances: f.instances + 1,
    ioOps: f.ioOps + ioOpsOf(victim),
  };
}

/**
 * nova's FilterScheduler with opie's preemption, planned
 * before acting and priced.
 *
 * A normal request is filtered on the `free` view (preemptible usage counts
 * as free) and weighed on the `full` view; a preemptible request uses the
 * `full` view only and never preempts (unless priority preemption is on and
 * it has a priority). With the default `cost` victim policy, host choice
 * knows what preemption costs (`selectHosts`) and the victims are the
 * least-cost sufficient set (`planVictims`). The whole request is planned
 * first (each placed instance consumed before the next, planned victims
 * counted as freed); if any instance cannot be placed, every claim is released
 * and nothing is terminated. Only then are the victims released in the views
 * and noticed, and terminated through the compute port after the grace period.
 * @see nova/scheduler/filter_scheduler.py
 * @see opie/scheduler/filter_scheduler.py
 */
export class ReferenceFilterScheduler implements SchedulerDriver {
  readonly hostManager: HostManagerLike;
  readonly filters: readonly HostFilter[];
  readonly weighers: readonly HostWeigher[];
  readonly runtime: Runtime;
  readonly compute: ComputePort;
  readonly notifier: NotificationPort;
  readonly hostSubsetSize: number;
  readonly preemption: boolean;
  readonly explain: boolean;
  /** The custom selector if one was given, else opie's last-first order (not used by default). */
  readonly victimSelector: VictimSelector;
  readonly terminationAction: TerminationAction;
  readonly publisherId: string;
  readonly victimPolicy: VictimPolicy;
  readonly hostSelection: HostSelection;
  readonly victimWeighers: readonly VictimWeigher[];
  readonly preemptionCostMultiplier: number;
  readonly maxPlannedHosts: number;
  readonly gracePeriod: number;
  readonly terminationRetries: number;
  readonly terminationRetryBackoff: number;
  readonly allowPriorityPreemption: boolean;
  readonly maxAttempts: number;
  readonly #customSelector: boolean;
  readonly #filteredByFull = new WeakMap<HostState, HostState>();
  readonly #maxExactCandidates: number | undefined;
  readonly #maxExactNodes: number | undefined;

  constructor(options: ReferenceSchedulerOptions) {
    this.hostManager = options.hostManager;
    this.filters = options.filters;
    this.weighers = options.weighers;
    this.runtime = options.runtime ?? createRuntime();
    this.compute = options.compute ?? new RecordingComputePort();
    this.notifier = options.notifier ?? new MemoryNotifier();
    this.hostSubsetSize = Math.max(1, Math.floor(options.hostSubsetSize ?? 1));
    this.preemption = options.preemption ?? true;
    this.explain = options.explain ?? false;
    this.#customSelector = options.victimSelector !== undefined;
    this.victimSelector = options.victimSelector ?? lastFirstVictimSelector;
    this.terminationAction = options.terminationAction ?? 'delete';
    this.publisherId = options.publisherId ?? 'scheduler.opie';
    this.victimPolicy = options.victimPolicy ?? 'cost';
    this.hostSelection = options.hostSelection ?? 'prefer-no-preemption';
    this.victimWeighers = options.victimWeighers ?? defaultVictimWeighers();
    this.preemptionCostMultiplier = options.preemptionCostMultiplier ?? 1;
    this.maxPlannedHosts = Math.max(1, Math.floor(options.maxPlannedHosts ?? 100));
    this.#maxExactCandidates = options.maxExactCandidates;
    this.#maxExactNodes = options.maxExactNodes;
    this.gracePeriod = Math.max(0, options.gracePeriod ?? 0);
    this.terminationRetries = Math.max(0, Math.floor(options.terminationRetries ?? 3));
    this.terminationRetryBackoff = Math.max(0, options.terminationRetryBackoff ?? 0.5);
    this.allowPriorityPreemption = options.allowPriorityPreemption ?? false;
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
  }

  /**
   * Plan, then act: terminate the victims, then return the destinations.
   * Under the opie-compat policy a failed request still terminates the
   * victims opie had already deleted (`SchedulingFailure.wasted`).
   */
  async selectDestinations(spec: RequestSpec): Promise<SchedulingResult> {
    let plan: SchedulingPlan;
    try {
      plan = this.plan(spec);
    } catch (error) {
      if (SchedulingFailure.isInstance(error) && error.wasted.length > 0) {
        const now = this.runtime.now();
        for (const p of error.wasted) this.hostManager.releaseInstance(p.victim.uuid, now);
        await actOnPreemptions(error.wasted, spec.requestId, this.#actingOptions());
      }
      throw error;
    }
    await this.execute(plan);
    return plan.result;
  }

  /**
   * Plans every instance of the request: destinations, claims and victims.
   * Throws a `SchedulingFailure` (a `NoValidHostError` carrying the
   * explanation so far; every claim released) when an instance cannot be
   * placed. Nothing is terminated here.
   */
  plan(spec: RequestSpec): SchedulingPlan {
    const now = this.runtime.now();
    this.notify('scheduler.select_destinations.start', now, { request_spec: spec });
    const preemptible = isPreemptibleRequest(spec);
    const priority = spec.priority;
    const byPriority =
      preemptible &&
      this.allowPriorityPreemption &&
      typeof priority === 'number' &&
      Number.isFinite(priority);
    const usePreemption = this.preemption && (!preemptible || byPriority);
    const st: PlanState = {
      spec,
      now,
      request: makeFilterRequest(spec, now),
      view: usePreemption ? 'free' : 'full',
      preemptible,
      usePreemption,
      priorityBelow: byPriority ? priority : undefined,
      claims: [],
      destinations: [],
      preemptions: [],
      explanation: [],
      chosen: new Set(),
      freedByHost: new Map(),
    };

    let hosts: readonly HostState[] = this.hostManager.getHostStates(st.view, now);
    try {
      for (let index = 0; index < spec.numInstances; index++) {
        st.request.index = index;
        hosts =
          usePreemption && !this.#customSelector && this.victimPolicy === 'opie'
            ? this.#placeOpie(st, index, hosts)
            : this.#placeOnce(st, index, hosts);
      }
    } catch (err) {
      for (const claim of st.claims) claim.release();
      throw err;
    }
    return {
      spec,
      now,
      claims: st.claims,
      result: {
        destinations: st.destinations,
        preemptions: st.preemptions,
        preemptible,
        explanation: st.explanation,
      },
    };
  }

  /** Terminates the plan's victims (views updated at once), then notifies the end. */
  async execute(plan: SchedulingPlan): Promise<void> {
    await this.act(plan);
  }

  /**
   * `execute`, returning what became of each victim. Every victim is
   * released in the host manager first (synchronously, so no other request
   * can choose it or count it), then noticed, then terminated after the grace
   * period, with retries; failures are reported, never thrown.
   */
  async act(plan: SchedulingPlan): Promise<TerminationOutcome[]> {
    const { result, spec, now } = plan;
    for (const p of result.preemptions) this.hostManager.releaseInstance(p.victim.uuid, now);
    const outcomes = await actOnPreemptions(
      result.preemptions,
      spec.requestId,
      this.#actingOptions(),
    );
    this.notify('scheduler.select_destinations.end', now, { request_spec: spec });
    return outcomes;
  }

  #actingOptions() {
    return {
      compute: this.compute,
      notifier: this.notifier,
      runtime: this.runtime,
      publisherId: this.publisherId,
      action: this.terminationAction,
      gracePeriod: this.gracePeriod,
      retries: this.terminationRetries,
      retryBackoff: this.terminationRetryBackoff,
    };
  }

  /** Filters `input` (less the `excluded` host keys) for the current instance. */
  #candidates(st: PlanState, input: readonly HostState[], excluded?: ReadonlySet<string>) {
    const hosts =
      excluded === undefined || excluded.size === 0
        ? input
        : input.filter((h) => !excluded.has(hostKey(h.host, h.nodename)));
    const outcome = filterHosts(this.filters, hosts, st.request, this.explain);
    // Weigh and plan on the full view, so weighers see preemptible instances.
    const fulls = st.usePreemption ? this.#fullStates(outcome.passed) : outcome.passed;
    return { input: hosts, outcome, fulls };
  }

  /** The failure of an instance no host passed the filters for. */
  #noHost(st: PlanState, index: number, c: Candidates, extra?: PreemptionSummary): never {
    const why =
      c.outcome.emptiedBy !== undefined
        ? `no host passed ${c.outcome.emptiedBy}`
        : 'no host to choose from';
    if (this.explain) {
      st.explanation.push(this.#explainInstance(st, index, c, [], null, why, undefined, extra));
    }
    throw new SchedulingFailure(
      `${NOT_ENOUGH_HOSTS} Instance ${index + 1} of ${st.spec.numInstances}: ${why}.`,
      st.explanation,
      st.preemptible,
    );
  }

  /** Random choice among the best `subset` (nova's `host_subset_size`). */
  #pick(n: number): number {
    const subset = Math.min(this.hostSubsetSize, n);
    return subset > 1 ? Math.floor(this.runtime.random() * subset) : 0;
  }

  /** The filtered-view state of a full state (itself without preemption). */
  #filteredOf(st: PlanState, full: HostState): HostState {
    if (!st.usePreemption) return full;
    return this.hostManager.hostStateFor(full.host, full.nodename, st.view) ?? full;
  }

  /** Consumes one instance on `full`'s node and records the destination. */
  #claim(st: PlanState, full: HostState, filtered: HostState): Limits {
    const { host, nodename } = full;
    // Limits come from the state the filters ran on (opie bug 7 fixed).
    const limits = { ...filtered.limits };
    st.claims.push(this.hostManager.consumeFromRequest(host, nodename, st.spec, st.now));
    st.destinations.push({ host, nodename, limits });
    if (st.request.groupPolicies.length > 0) st.request.groupHosts.add(host);
    return limits;
  }

  /** Whether `instance` may be a victim of this request. */
  #eligible(st: PlanState, instance: Instance): boolean {
    if (st.chosen.has(instance.uuid) || !isPreemptibleInstance(instance)) return false;
    return st.priorityBelow === undefined || (instance.priority ?? 0) < st.priorityBelow;
  }

  /** The victims `full` may give (in host order): its preemptibles not chosen yet. */
  #victimCandidates(st: PlanState, full: HostState): readonly Instance[] {
    const all = preemptibleInstancesOf(full);
    if (st.chosen.size === 0 && st.priorityBelow === undefined) return all;
    return all.filter((i) => this.#eligible(st, i));
  }

  #candidatesWhat(st: PlanState): string {
    return st.priorityBelow === undefined
      ? 'preemptible instance'
      : `preemptible instance of priority below ${st.priorityBelow}`;
  }

  /** Records a planned victim. */
  #takeVictim(
    st: PlanState,
    full: HostState,
    victim: Instance,
    index: number,
    reason: string,
    extra: Partial<Preemption> = {},
  ): Preemption {
    const key = hostKey(full.host, full.nodename);
    st.chosen.add(victim.uuid);
    st.freedByHost.set(key, addFreed(st.freedByHost.get(key), victim));
    const p: Preemption = {
      victim,
      host: full.host,
      nodename: full.nodename,
      forIndex: index,
      reason,
      ...extra,
    };
    st.preemptions.push(p);
    return p;
  }

  #freedOn(st: PlanState, host: HostState): Need | undefined {
    return st.freedByHost.size === 0
      ? undefined
      : st.freedByHost.get(hostKey(host.host, host.nodename));
  }

  /**
   * Places one instance: nova's choice, or, when preempting, the legacy
   * selector or the cost-aware choice. Returns the hosts that passed (the
   * next instance filters those).
   */
  #placeOnce(st: PlanState, index: number, input: readonly HostState[]): HostState[] {
    const c = this.#candidates(st, input);
    if (c.outcome.passed.length === 0) this.#noHost(st, index, c);
    if (st.usePreemption && !this.#customSelector) {
      this.#placeByCost(st, index, c);
      return c.outcome.passed;
    }
    // Unless explaining, only the best host_subset_size hosts are needed (no full sort).
    const weighed = weighHosts(this.weighers, c.fulls, st.request, {
      explain: this.explain,
      limit: this.hostSubsetSize,
    });
    const chosen = weighed[this.#pick(weighed.length)];
    if (chosen === undefined) {
      throw new SchedulingFailure(NOT_ENOUGH_HOSTS, st.explanation, st.preemptible);
    }
    const full = chosen.host;
    const filtered = this.#filteredOf(st, full);
    const limits = this.#claim(st, full, filtered);
    let failure: string | undefined;
    if (st.usePreemption) failure = this.#legacyVictims(st, index, full, limits, c.outcome.forced);
    if (this.explain) {
      st.explanation.push(this.#explainInstance(st, index, c, weighed, full, failure));
    }
    if (failure !== undefined) {
      throw new SchedulingFailure(failure, st.explanation, st.preemptible);
    }
    return c.outcome.passed;
  }

  /** A custom `victimSelector` on the weight-chosen host (after consumption). */
  #legacyVictims(
    st: PlanState,
    index: number,
    full: HostState,
    limits: Limits,
    forced: boolean,
  ): string | undefined {
    const state = this.hostManager.hostStateFor(full.host, full.nodename, 'full');
    if (state === undefined) return undefined;
    const alreadyFreed = this.#freedOn(st, state) ?? NO_NEED;
    const choice = this.victimSelector({
      host: state,
      limits,
      alreadyChosen: st.chosen,
      alreadyFreed,
    });
    if (choice === null) {
      // A forced host skipped the filters: the operator asked for it, so it
      // is used as it is (nova sets no limits on forced hosts).
      return forced
        ? undefined
        : `Cannot terminate enough preemptible instances on ${full.host} (${full.nodename}).`;
    }
    const reason = `over limits after placing instance ${index + 1}: ${describeOvercommit(choice.overcommit)}`;
    for (const victim of choice.victims) this.#takeVictim(st, state, victim, index, reason);
    return undefined;
  }

  /** The cost-aware choice: `selectHosts`, then the chosen option's victims. */
  #placeByCost(st: PlanState, index: number, c: Candidates): void {
    const flavor = st.spec.flavor;
    // Full state -> the state the filters ran on (its limits), remembered
    // across requests: the host manager's states are stable objects.
    const cache = this.#filteredByFull;
    const passed = c.outcome.passed;
    if (passed.length === c.fulls.length) {
      for (let i = 0; i < passed.length; i++) {
        const full = c.fulls[i] as HostState;
        const filtered = passed[i] as HostState;
        if (cache.get(full) !== filtered) cache.set(full, filtered);
      }
    }
    const filteredOf = (full: HostState): HostState =>
      cache.get(full) ?? this.#filteredOf(st, full);
    const needOfHost = (full: HostState): Need =>
      placementNeed(full, filteredOf(full).limits, flavor, this.#freedOn(st, full));
    const planOf = (full: HostState, need: Need): VictimPlan | null =>
      planVictims({
        host: full,
        limits: filteredOf(full).limits,
        candidates: this.#victimCandidates(st, full),
        weighers: this.victimWeighers,
        now: st.now,
        need,
        ...(this.#maxExactCandidates !== undefined
          ? { maxExactCandidates: this.#maxExactCandidates }
          : {}),
        ...(this.#maxExactNodes !== undefined ? { maxExactNodes: this.#maxExactNodes } : {}),
      });
    const rejectionOf = (full: HostState, need: Need): string =>
      describeShortfall(need, this.#victimCandidates(st, full), this.#candidatesWhat(st));

    // Fast path: no host needs preemption (an allocation-free pre-scan), so
    // nova's choice stands under every host selection mode and only the best
    // host_subset_size hosts are weighed. Otherwise every host is weighed once
    // and `selectHosts` walks them in weighed order.
    let fast = !this.explain;
    if (fast) {
      for (let i = 0; i < c.fulls.length; i++) {
        const full = c.fulls[i] as HostState;
        const filtered = filteredOf(full);
        if (placementNeedsPreemption(full, filtered.limits, flavor, this.#freedOn(st, full))) {
          fast = false;
          break;
        }
      }
    }
    const weighed = weighHosts(this.weighers, c.fulls, st.request, {
      explain: this.explain,
      ...(fast ? { limit: this.hostSubsetSize } : {}),
    });
    let options: HostOption[];
    let selection: ReturnType<typeof selectHosts> | undefined;
    if (fast) {
      options = weighed.slice(0, this.hostSubsetSize).map((w, rank) => ({
        host: w.host,
        weight: w.weight,
        rank,
        need: NO_NEED,
        plan: { victims: [], cost: 0, terms: [], need: NO_NEED, exact: true },
        score: w.weight,
      }));
    } else {
      selection = selectHosts({
        ordered: weighed,
        mode: this.hostSelection,
        subset: this.hostSubsetSize,
        maxPlannedHosts: this.maxPlannedHosts,
        costMultiplier: this.preemptionCostMultiplier,
        needOf: needOfHost,
        planOf,
        rejectionOf,
        explain: this.explain,
      });
      options = selection.options;
    }
    const summary: PreemptionSummary = {
      policy: 'cost',
      hostSelection: this.hostSelection,
      plannedHosts: selection?.planned ?? 0,
    };

    let option = options[this.#pick(options.length)];
    if (option === undefined && c.outcome.forced) {
      // Forced hosts skipped the filters: the operator asked for them, so the
      // best is used as it is, without victims (nova sets no limits there).
      const best = weighed[0];
      if (best !== undefined) {
        option = {
          host: best.host,
          weight: best.weight,
          rank: 0,
          need: NO_NEED,
          plan: { victims: [], cost: 0, terms: [], need: NO_NEED, exact: true },
          score: best.weight,
        };
      }
    }
    if (option === undefined) {
      const n = c.outcome.passed.length;
      const first = selection?.firstRejection;
      const detail = first !== undefined ? ` (${first.host}: ${first.reason})` : '';
      const why = `${n} host${n === 1 ? '' : 's'} passed the filters but none can free enough by preemption${detail}`;
      if (this.explain) {
        st.explanation.push(
          this.#explainInstance(st, index, c, weighed, null, why, selection?.verdicts, summary),
        );
      }
      throw new SchedulingFailure(
        `${NOT_ENOUGH_HOSTS} Instance ${index + 1} of ${st.spec.numInstances}: ${why}.`,
        st.explanation,
        st.preemptible,
      );
    }

    const full = option.host;
    const filtered = filteredOf(full);
    const freed = this.#freedOn(st, full);
    const limits = this.#claim(st, full, filtered);
    if (option.plan.victims.length > 0) {
      const after = this.hostManager.hostStateFor(full.host, full.nodename, 'full') ?? full;
      const reason = `over limits after placing instance ${index + 1}: ${overLimits(after, limits, freed)}`;
      option.plan.terms.forEach((t) => {
        this.#takeVictim(st, full, t.victim, index, reason, { cost: t.cost, terms: t.terms });
      });
    }
    if (this.explain) {
      st.explanation.push(
        this.#explainInstance(st, index, c, weighed, full, undefined, selection?.verdicts, summary),
      );
    }
  }

  /**
   * opie's victim choice, for comparison: the
   * host is chosen by weight; if the placement leaves it over a limit, one
   * victim is taken, the host's last-listed preemptible instance. If that does
   * not free enough, the victim is lost anyway, the build fails on that host
   * (its claim is released) and the instance is retried on the next host, like
   * nova's conductor retry (RetryFilter excluding the hosts tried), up to
   * `maxAttempts`; then NoValidHost. A host with no preemptible instance left
   * fails the request at once, as opie's NoValidHost does.
   * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
   * @see nova/conductor/manager.py build_instances
   */
  #placeOpie(st: PlanState, index: number, input: readonly HostState[]): HostState[] {
    const tried = new Set<string>();
    const attempts: NonNullable<PreemptionSummary['attempts']> = [];
    let firstPassed: HostState[] | undefined;
    const summary = (): PreemptionSummary => ({
      policy: 'opie',
      hostSelection: 'weight-only',
      plannedHosts: 0,
      ...(attempts.length > 0 ? { attempts: [...attempts] } : {}),
    });
    const fail = (reason: string): never => {
      throw new SchedulingFailure(reason, st.explanation, st.preemptible, [...st.preemptions]);
    };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const c = this.#candidates(st, input, tried);
      if (c.outcome.passed.length === 0) {
        try {
          this.#noHost(st, index, c, summary());
        } catch (error) {
          // Victims taken so far are lost with the request, as in opie.
          fail((error as SchedulingFailure).reason);
        }
      }
      firstPassed ??= c.outcome.passed;
      const weighed = weighHosts(this.weighers, c.fulls, st.request, {
        explain: this.explain,
        limit: this.hostSubsetSize,
      });
      const chosen = weighed[this.#pick(weighed.length)];
      if (chosen === undefined) fail(NOT_ENOUGH_HOSTS);
      const full = (chosen as WeighedHost).host;
      const filtered = this.#filteredOf(st, full);
      const before = this.#freedOn(st, full);
      // opie's detect_overcommit: RAM, disk and vCPU only (never the instance count or I/O ops).
      const { numInstances: _count, ioOps: _io, ...limits } = this.#claim(st, full, filtered);
      const after = this.hostManager.hostStateFor(full.host, full.nodename, 'full') ?? full;
      if (!needsSomething(needOf(after, limits, OPIE_EXTRA, before ?? {}))) {
        if (this.explain) {
          st.explanation.push(
            this.#explainInstance(st, index, c, weighed, full, undefined, undefined, summary()),
          );
        }
        return firstPassed;
      }
      const candidates = this.#victimCandidates(st, after);
      const victim = candidates[candidates.length - 1];
      const over = overLimits(after, limits, before);
      if (victim === undefined) {
        // opie: NoValidHost("Cannot terminate enough preemptible instances."), no retry.
        const failure = `Cannot terminate enough preemptible instances on ${full.host} (${full.nodename}).`;
        if (this.explain) {
          st.explanation.push(
            this.#explainInstance(st, index, c, weighed, full, failure, undefined, summary()),
          );
        }
        this.#dropLastClaim(st);
        fail(failure);
      }
      const taken = victim as Instance;
      const p = this.#takeVictim(
        st,
        after,
        taken,
        index,
        `over limits after placing instance ${index + 1}: ${over}`,
      );
      const still = needOf(after, limits, OPIE_EXTRA, this.#freedOn(st, after) ?? {});
      if (!needsSomething(still)) {
        if (this.explain) {
          st.explanation.push(
            this.#explainInstance(st, index, c, weighed, full, undefined, undefined, summary()),
          );
        }
        return firstPassed;
      }
      // The compute's claim fails: the build is rescheduled, the victim is lost.
      const left = overLimits(after, limits, this.#freedOn(st, after));
      p.wasted = true;
      p.reason = `${p.reason}; attempt ${attempt} wasted it (still ${left})`;
      attempts.push({
        attempt,
        host: full.host,
        nodename: full.nodename,
        victim: taken.uuid,
        failure: `still over limits after terminating ${taken.uuid}: ${left}`,
      });
      this.#dropLastClaim(st);
      tried.add(hostKey(full.host, full.nodename));
      if (attempt === this.maxAttempts) {
        const reason =
          `Exceeded maximum number of retries. Exceeded max scheduling attempts ${this.maxAttempts} ` +
          `for instance ${index + 1} of ${st.spec.numInstances}. Last exception: ` +
          `${full.host} (${full.nodename}) still over limits: ${left}.`;
        if (this.explain) {
          st.explanation.push(
            this.#explainInstance(st, index, c, weighed, full, reason, undefined, summary()),
          );
        }
        fail(reason);
      }
    }
    return firstPassed ?? [];
  }

  /** Undoes the last claim and destination (a build that failed on its host). */
  #dropLastClaim(st: PlanState): void {
    st.claims.pop()?.release();
    st.destinations.pop();
  }

  #fullStates(hosts: readonly HostState[]): HostState[] {
    if (this.hostManager.statesInView !== undefined) {
      return this.hostManager.statesInView(hosts, 'full');
    }
    const out: HostState[] = [];
    for (const h of hosts) {
      const full = this.hostManager.hostStateFor(h.host, h.nodename, 'full');
      if (full !== undefined) out.push(full);
    }
    return out;
  }

  #explainInstance(
    st: PlanState,
    index: number,
    c: Candidates,
    weighed: readonly WeighedHost[],
    chosen: HostState | null,
    failure?: string,
    verdicts?: ReadonlyMap<HostState, PreemptionVerdict>,
    preemption?: PreemptionSummary,
  ): InstanceExplanation {
    const byKey = new Map<string, { w: WeighedHost; rank: number }>();
    weighed.forEach((w, rank) => byKey.set(hostKey(w.host.host, w.host.nodename), { w, rank }));
    const byHostKey = new Map<string, PreemptionVerdict>();
    for (const [h, v] of verdicts ?? []) byHostKey.set(hostKey(h.host, h.nodename), v);
    const hosts: HostVerdict[] = c.input.map((h) => {
      const key = hostKey(h.host, h.nodename);
      const found = byKey.get(key);
      const verdict: HostVerdict = {
        host: h.host,
        nodename: h.nodename,
        filteredBy: c.outcome.rejectedBy.get(h) ?? null,
      };
      if (found !== undefined) {
        verdict.weight = found.w.weight;
        verdict.terms = found.w.terms;
        verdict.rank = found.rank;
      }
      const p = byHostKey.get(key);
      if (p !== undefined) verdict.preemption = p;
      return verdict;
    });
    return {
      index,
      view: st.view,
      hosts,
      chosen: chosen === null ? null : { host: chosen.host, nodename: chosen.nodename },
      ...(failure !== undefined ? { failure } : {}),
      ...(preemption !== undefined ? { preemption } : {}),
    };
  }

  private notify(eventType: string, now: number, payload: Record<string, unknown>): void {
    this.notifier.notify({
      eventType,
      priority: 'INFO',
      publisherId: this.publisherId,
      timestamp: now,
      payload,
    });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * `memory_mb 2048 > 1536, instances 51 > 50`: what `full` (after the
 * placement) uses over its limits, victims planned earlier subtracted.
 */
/** opie's overcommit check ignores NumInstancesFilter's and IoOpsFilter's maxima. */
const OPIE_EXTRA = { maxInstances: null, maxIoOps: null };

function overLimits(full: HostState, limits: Limits, freed: Need | undefined): string {
  const f = freed ?? NO_NEED;
  const parts: string[] = [];
  const over = describeOvercommit(detectOvercommit(full, limits, f));
  if (over !== '') parts.push(over);
  const maxI = maxInstancesOf(limits);
  const count = full.numInstances - f.instances;
  if (excess(count, maxI) > 0) parts.push(`instances ${count} > ${round(maxI as number)}`);
  const maxIo = maxIoOpsOf(limits);
  const io = full.numIoOps - f.ioOps;
  if (excess(io, maxIo) > 0) parts.push(`io_ops ${io} > ${round(maxIo as number)}`);
  return parts.join(', ');
}
