import type {
  Claim,
  ComputePort,
  FilterRequest,
  HostColumns,
  HostFilter,
  HostManagerLike,
  HostState,
  HostView,
  HostWeigher,
  Instance,
  InstanceExplanation,
  Limits,
  Need,
  NotificationPort,
  Preemption,
  PreemptionSummary,
  RequestSpec,
  Runtime,
  Scheduler,
  SchedulingPlan as CoreSchedulingPlan,
  SchedulingResult,
  TerminationAction,
  VictimWeigher,
} from '@opie/core';
import {
  columnsOf,
  createRuntime,
  hostKey,
  InvalidArgumentError,
  isPreemptibleInstance,
  isPreemptibleRequest,
  makeFilterRequest,
  MemoryNotifier,
  NoValidHostError,
  preemptibleInstancesOf,
  RecordingComputePort,
} from '@opie/core';
import { defaultVictimWeighers, weighRows } from '@opie/weighers';
import type { WeighedHost } from '@opie/weighers';
import type { Candidates, Cycle, Rows } from '../pipeline/cycle.js';
import { NOT_ENOUGH_HOSTS } from '../pipeline/cycle.js';
import { runFilterStage } from '../pipeline/filter-stage.js';
import { limitsOf } from '../pipeline/limits.js';
import { ExplanationCollector } from '../pipeline/observer.js';
import type { SchedulingObserver } from '../pipeline/observer.js';
import type { PlacementContext, PreemptionPolicy } from '../pipeline/placement-context.js';
import { validateRequestSpec } from '../pipeline/prepare.js';
import { costPolicy } from '../preemption/cost-policy.js';
import { HOST_SELECTIONS } from '../preemption/host-selection.js';
import type { HostSelection } from '../preemption/host-selection.js';
import { ioOpsOf } from '../preemption/io-ops-of.js';
import { NO_NEED } from '../preemption/need.js';
import { opiePolicy } from '../preemption/opie-policy.js';
import { selectorPolicy } from '../preemption/selector-policy.js';
import { actOnPreemptions } from './act-on-preemptions.js';
import type { TerminationOutcome } from './act-on-preemptions.js';
import { VICTIM_POLICIES } from './preemption-options.js';
import type { VictimPolicy } from './preemption-options.js';
import { lastFirstVictimSelector } from './victims.js';
import type { VictimSelector } from './victims.js';

export interface FilterSchedulerOptions {
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
  /**
   * Fill `SchedulingResult.explanation` with every host's verdict (an
   * `ExplanationCollector` observes each request).
   */
  explain?: boolean;
  /** Observers of every decision (besides the explanation), e.g. for metrics. */
  observers?: readonly SchedulingObserver[];
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
  /**
   * Time budget of the exact victim search per host planned, ms (default 50;
   * `victim_search_budget_ms`). Past it the best set found is used
   * (`optimal: false` with a lower bound); 0: the heuristic beyond
   * `maxExactCandidates`.
   */
  victimSearchBudgetMs?: number;
  /** The clock of that budget, ms (default `performance.now`; tests inject one). */
  victimSearchClock?: () => number;
  /**
   * Plan the copies of a multi-instance request that need preemption
   * together, at the least total victim cost (default true;
   * `joint_planning`). Only under `prefer-no-preemption` with
   * `hostSubsetSize` 1, without forced hosts; server groups: `affinity` and
   * `anti-affinity` only.
   */
  jointPlanning?: boolean;
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

/** A fully planned request (core's `SchedulingPlan`): claims are held, nothing terminated yet. */
export type SchedulingPlan = CoreSchedulingPlan;

/**
 * The `NoValidHostError` that `plan()` throws: nova's NoValidHost, plus the
 * explanation gathered up to the failure (every instance planned so far and
 * the one that failed, with each host's verdict; empty unless the scheduler
 * explains). nova logs this only at debug level; we hand it to the caller.
 * @see nova/exception.py NoValidHost
 */
export class SchedulingFailure extends NoValidHostError {
  readonly explanation: InstanceExplanation[];
  readonly preemptible: boolean;
  /**
   * Victims lost although the request failed: only under the opie-compat
   * victim policy, where opie had already deleted them. `selectDestinations`
   * terminates them; a caller of `plan()` must act on them itself.
   */
  readonly wasted: Preemption[];

  constructor(
    reason: string,
    explanation: InstanceExplanation[],
    preemptible: boolean,
    wasted: Preemption[] = [],
  ) {
    super(reason);
    this.name = 'SchedulingFailure';
    this.explanation = explanation;
    this.preemptible = preemptible;
    this.wasted = wasted;
  }

  /** A NoValidHost error that carries an explanation (works across package copies). */
  static override isInstance(value: unknown): value is SchedulingFailure {
    return (
      NoValidHostError.isInstance(value) &&
      Array.isArray((value as { explanation?: unknown }).explanation)
    );
  }
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

function checkNumber(name: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw new InvalidArgumentError(name, value, `a number >= ${min}`);
  }
}

/** Every option with a range, checked at construction (a NaN or negative one is refused). */
function checkOptions(o: FilterSchedulerOptions): void {
  checkNumber('hostSubsetSize', o.hostSubsetSize, -Infinity);
  checkNumber('maxPlannedHosts', o.maxPlannedHosts, -Infinity);
  checkNumber('maxExactCandidates', o.maxExactCandidates, 0);
  checkNumber('maxExactNodes', o.maxExactNodes, 0);
  checkNumber('victimSearchBudgetMs', o.victimSearchBudgetMs, 0);
  checkNumber('gracePeriod', o.gracePeriod, -Infinity);
  checkNumber('terminationRetries', o.terminationRetries, -Infinity);
  checkNumber('terminationRetryBackoff', o.terminationRetryBackoff, -Infinity);
  checkNumber('maxAttempts', o.maxAttempts, -Infinity);
  if (o.preemptionCostMultiplier !== undefined && !Number.isFinite(o.preemptionCostMultiplier)) {
    throw new InvalidArgumentError(
      'preemptionCostMultiplier',
      o.preemptionCostMultiplier,
      'a finite number',
    );
  }
  if (o.victimPolicy !== undefined && !VICTIM_POLICIES.includes(o.victimPolicy)) {
    throw new InvalidArgumentError(
      'victimPolicy',
      o.victimPolicy,
      `one of ${VICTIM_POLICIES.join(', ')}`,
    );
  }
  if (o.hostSelection !== undefined && !HOST_SELECTIONS.includes(o.hostSelection)) {
    throw new InvalidArgumentError(
      'hostSelection',
      o.hostSelection,
      `one of ${HOST_SELECTIONS.join(', ')}`,
    );
  }
  o.filters.forEach((f, i) => {
    if (typeof f?.hostPasses !== 'function') {
      throw new InvalidArgumentError(
        `filters[${i}]`,
        f?.name ?? f,
        'a HostFilter with hostPasses()',
      );
    }
  });
  o.weighers.forEach((w, i) => {
    if (typeof w?.weigh !== 'function') {
      throw new InvalidArgumentError(`weighers[${i}]`, w?.name ?? w, 'a HostWeigher with weigh()');
    }
    if (!Number.isFinite(w.multiplier)) {
      throw new InvalidArgumentError(
        `weighers[${i}].multiplier (${w.name})`,
        w.multiplier,
        'a finite number',
      );
    }
  });
}

/**
 * nova's FilterScheduler with opie's preemption, planned before acting and
 * priced, as a pipeline of stages (after the Kubernetes scheduler framework):
 *
 * 1. **prepare** (PreFilter): the request is checked at the door and a
 *    `Cycle` holds its per-request state; the host manager's columns of the
 *    filter view (`free` when the request may preempt) and the full view;
 * 2. **filter**: the filters over the columns, each in its fastest form
 *    (`runFilterStage`);
 * 3. **score** + **select**: the weighers over the full view's columns and
 *    the best `host_subset_size` (`weighRows`), a random pick among them;
 * 4. **preempt** (a `PreemptionPolicy`, for requests that may preempt): the
 *    cost-aware policy, opie's, or a custom selector choose host and victims;
 * 5. **reserve**: the instance is consumed on its host (a claim that a
 *    failing request releases); limits are computed for that host only;
 * 6. **act** (`execute`): victims are released, noticed and terminated.
 *
 * A normal request is filtered on the `free` view (preemptible usage counts
 * as free) and weighed on the `full` view; a preemptible request uses the
 * `full` view only and never preempts (unless priority preemption is on and
 * it has a priority). Explanations come from an observer the stages report
 * to (`explain: true` attaches an `ExplanationCollector`).
 * @see nova/scheduler/filter_scheduler.py
 * @see opie/scheduler/filter_scheduler.py
 */
export class FilterScheduler implements Scheduler, PlacementContext {
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
  readonly maxExactCandidates: number | undefined;
  readonly maxExactNodes: number | undefined;
  readonly victimSearchBudgetMs: number | undefined;
  readonly victimSearchClock: (() => number) | undefined;
  readonly jointPlanning: boolean;
  /** The Preempt stage's policy for requests that may preempt. */
  readonly preemptionPolicy: PreemptionPolicy;
  readonly #observers: readonly SchedulingObserver[];

  constructor(options: FilterSchedulerOptions) {
    checkOptions(options);
    this.hostManager = options.hostManager;
    this.filters = options.filters;
    this.weighers = options.weighers;
    this.runtime = options.runtime ?? createRuntime();
    this.compute = options.compute ?? new RecordingComputePort();
    this.notifier = options.notifier ?? new MemoryNotifier();
    this.hostSubsetSize = Math.max(1, Math.floor(options.hostSubsetSize ?? 1));
    this.preemption = options.preemption ?? true;
    this.explain = options.explain ?? false;
    this.victimSelector = options.victimSelector ?? lastFirstVictimSelector;
    this.terminationAction = options.terminationAction ?? 'delete';
    this.publisherId = options.publisherId ?? 'scheduler.opie';
    this.victimPolicy = options.victimPolicy ?? 'cost';
    this.hostSelection = options.hostSelection ?? 'prefer-no-preemption';
    this.victimWeighers = options.victimWeighers ?? defaultVictimWeighers();
    this.preemptionCostMultiplier = options.preemptionCostMultiplier ?? 1;
    this.maxPlannedHosts = Math.max(1, Math.floor(options.maxPlannedHosts ?? 100));
    this.maxExactCandidates = options.maxExactCandidates;
    this.maxExactNodes = options.maxExactNodes;
    this.victimSearchBudgetMs = options.victimSearchBudgetMs;
    this.victimSearchClock = options.victimSearchClock;
    this.jointPlanning = options.jointPlanning ?? true;
    this.gracePeriod = Math.max(0, options.gracePeriod ?? 0);
    this.terminationRetries = Math.max(0, Math.floor(options.terminationRetries ?? 3));
    this.terminationRetryBackoff = Math.max(0, options.terminationRetryBackoff ?? 0.5);
    this.allowPriorityPreemption = options.allowPriorityPreemption ?? false;
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
    this.preemptionPolicy =
      options.victimSelector !== undefined
        ? selectorPolicy(options.victimSelector)
        : this.victimPolicy === 'opie'
          ? opiePolicy
          : costPolicy;
    this.#observers = options.observers ?? [];
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
   * placed, and an `InvalidArgumentError` naming the field for a request
   * spec that cannot be placed at all. Nothing is terminated here.
   */
  plan(spec: RequestSpec): SchedulingPlan {
    validateRequestSpec(spec);
    const cycle = this.#prepare(spec);
    const policy = cycle.usePreemption ? this.preemptionPolicy : undefined;
    let input: Rows = { rows: allRows(cycle.cols.size), count: cycle.cols.size };
    try {
      for (let index = 0; index < spec.numInstances; index++) {
        cycle.request.index = index;
        input =
          policy !== undefined
            ? policy.placeInstance(this, cycle, index, input)
            : this.#placeWithoutPreemption(cycle, index, input);
      }
    } catch (err) {
      for (const claim of cycle.claims) claim.release();
      throw err;
    }
    return {
      spec,
      now: cycle.now,
      claims: cycle.claims,
      result: {
        destinations: cycle.destinations,
        preemptions: cycle.preemptions,
        preemptible: cycle.preemptible,
        explanation: cycle.explanation,
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

  // -- prepare ---------------------------------------------------------------

  #prepare(spec: RequestSpec): Cycle {
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
    const view: HostView = usePreemption ? 'free' : 'full';
    const request = makeFilterRequest(spec, now);
    const { cols, full } = this.#columns(view, now);
    const observer = this.#observerFor(request);
    return {
      spec,
      now,
      request,
      view,
      preemptible,
      usePreemption,
      priorityBelow: byPriority ? priority : undefined,
      cols,
      full,
      claims: [],
      destinations: [],
      preemptions: [],
      explanation: observer?.collector?.explanation ?? [],
      observer: observer?.observer,
      chosen: new Set(),
      freedByHost: new Map(),
    };
  }

  /** The host manager's columns of `view` and of the full view, rows aligned. */
  #columns(view: HostView, now: number): { cols: HostColumns; full: HostColumns } {
    const hm = this.hostManager;
    const states = hm.getHostStates(view, now);
    if (hm.columns !== undefined) {
      const cols = hm.columns(view);
      if (cols.size === states.length && (states.length === 0 || cols.states[0] === states[0])) {
        return { cols, full: view === 'full' ? cols : hm.columns('full') };
      }
    }
    // A host manager without columns: built for this request from its states.
    const cols = columnsOf(states, view);
    if (view === 'full') return { cols, full: cols };
    const fulls = states.map((s) => hm.hostStateFor(s.host, s.nodename, 'full') ?? s);
    return { cols, full: columnsOf(fulls, 'full') };
  }

  #observerFor(
    request: FilterRequest,
  ): { observer: SchedulingObserver; collector: ExplanationCollector | undefined } | undefined {
    const collector = this.explain
      ? new ExplanationCollector(this.filters, () => request)
      : undefined;
    const all: SchedulingObserver[] =
      collector !== undefined ? [collector, ...this.#observers] : [...this.#observers];
    if (all.length === 0) return undefined;
    return { observer: all.length === 1 ? (all[0] as SchedulingObserver) : fanOut(all), collector };
  }

  // -- filter, score, select (PlacementContext) --------------------------------

  filter(cycle: Cycle, input: Rows, excluded?: ReadonlySet<string>): Candidates {
    let rows = input.rows.slice(0, input.count);
    let count = input.count;
    if (excluded !== undefined && excluded.size > 0) {
      const states = cycle.cols.states;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        const s = states[i] as HostState;
        if (!excluded.has(hostKey(s.host, s.nodename))) rows[kept++] = i;
      }
      rows = rows.slice(0, kept);
      count = kept;
    }
    cycle.observer?.instanceStarted(cycle.request.index, cycle.view, cycle.cols, rows, count);
    const result = runFilterStage(
      this.filters,
      cycle.cols,
      rows,
      count,
      cycle.request,
      cycle.observer,
    );
    return {
      passed: { rows, count: result.count },
      emptiedBy: result.emptiedBy,
      forced: result.forced,
      columnLimits: result.columnLimits,
    };
  }

  weigh(cycle: Cycle, c: Candidates, limit?: number, rowsOut?: number[]): WeighedHost[] {
    const explain = cycle.observer !== undefined;
    const weighed = weighRows(
      this.weighers,
      cycle.full,
      c.passed.rows,
      c.passed.count,
      cycle.request,
      {
        explain,
        ...(limit !== undefined && !explain ? { limit } : {}),
        ...(rowsOut !== undefined ? { rowsOut } : {}),
      },
    );
    if (explain) cycle.observer?.weighed(cycle.request.index, weighed);
    return weighed;
  }

  /** Random choice among the best `subset` (nova's `host_subset_size`). */
  pick(n: number): number {
    const subset = Math.min(this.hostSubsetSize, n);
    return subset > 1 ? Math.floor(this.runtime.random() * subset) : 0;
  }

  // -- reserve -----------------------------------------------------------------

  currentFull(full: HostState): HostState {
    return this.hostManager.hostStateFor(full.host, full.nodename, 'full') ?? full;
  }

  filteredOf(cycle: Cycle, full: HostState): HostState {
    if (!cycle.usePreemption) return full;
    return this.hostManager.hostStateFor(full.host, full.nodename, cycle.view) ?? full;
  }

  limitsOf(cycle: Cycle, filtered: HostState): Limits {
    return limitsOf(this.filters, filtered, cycle.request);
  }

  claim(cycle: Cycle, full: HostState, filtered: HostState): Limits {
    const { host, nodename } = full;
    // Limits come from the state the filters ran on (opie bug 7 fixed), and
    // only for the chosen host. Forced hosts skipped the filters: as they are.
    const forced =
      (cycle.spec.forceHosts?.length ?? 0) > 0 || (cycle.spec.forceNodes?.length ?? 0) > 0;
    const limits = { ...(forced ? filtered.limits : this.limitsOf(cycle, filtered)) };
    cycle.claims.push(this.hostManager.consumeFromRequest(host, nodename, cycle.spec, cycle.now));
    cycle.destinations.push({ host, nodename, limits });
    if (cycle.request.groupPolicies.length > 0) cycle.request.groupHosts.add(host);
    // nova Zed adds the chosen instance to the host's instances for the next one's filters.
    cycle.request.placements?.push({
      host,
      nodename,
      uuid: cycle.spec.instanceUuids?.[cycle.request.index],
    });
    return limits;
  }

  dropLastClaim(cycle: Cycle): void {
    cycle.claims.pop()?.release();
    cycle.destinations.pop();
    cycle.request.placements?.pop();
  }

  // -- preempt helpers ---------------------------------------------------------

  takeVictim(
    cycle: Cycle,
    full: HostState,
    victim: Instance,
    index: number,
    reason: string,
    extra: Partial<Preemption> = {},
  ): Preemption {
    const key = hostKey(full.host, full.nodename);
    cycle.chosen.add(victim.uuid);
    cycle.freedByHost.set(key, addFreed(cycle.freedByHost.get(key), victim));
    const p: Preemption = {
      victim,
      host: full.host,
      nodename: full.nodename,
      forIndex: index,
      reason,
      ...extra,
    };
    cycle.preemptions.push(p);
    return p;
  }

  freedOn(cycle: Cycle, host: HostState): Need | undefined {
    return cycle.freedByHost.size === 0
      ? undefined
      : cycle.freedByHost.get(hostKey(host.host, host.nodename));
  }

  victimCandidates(cycle: Cycle, full: HostState): readonly Instance[] {
    const all = preemptibleInstancesOf(full);
    if (cycle.chosen.size === 0 && cycle.priorityBelow === undefined) return all;
    return all.filter((i) => this.#eligible(cycle, i));
  }

  candidatesWhat(cycle: Cycle): string {
    return cycle.priorityBelow === undefined
      ? 'preemptible instance'
      : `preemptible instance of priority below ${cycle.priorityBelow}`;
  }

  noHost(cycle: Cycle, index: number, c: Candidates, summary?: PreemptionSummary): never {
    const why =
      c.emptiedBy !== undefined ? `no host passed ${c.emptiedBy}` : 'no host to choose from';
    this.finish(cycle, index, null, why, summary);
    this.fail(
      cycle,
      `${NOT_ENOUGH_HOSTS} Instance ${index + 1} of ${cycle.spec.numInstances}: ${why}.`,
    );
  }

  fail(cycle: Cycle, reason: string, wasted: readonly Preemption[] = []): never {
    throw new SchedulingFailure(reason, cycle.explanation, cycle.preemptible, [...wasted]);
  }

  finish(
    cycle: Cycle,
    index: number,
    chosen: HostState | null,
    failure?: string,
    summary?: PreemptionSummary,
  ): void {
    cycle.observer?.instanceFinished(index, chosen, failure, summary);
  }

  #eligible(cycle: Cycle, instance: Instance): boolean {
    if (cycle.chosen.has(instance.uuid) || !isPreemptibleInstance(instance)) return false;
    return cycle.priorityBelow === undefined || (instance.priority ?? 0) < cycle.priorityBelow;
  }

  /** nova's own choice (no preemption): filter, weigh, pick, reserve. */
  #placeWithoutPreemption(cycle: Cycle, index: number, input: Rows): Rows {
    const c = this.filter(cycle, input);
    if (c.passed.count === 0) this.noHost(cycle, index, c);
    // Unless observed, only the best host_subset_size hosts are needed (no full sort).
    const weighed = this.weigh(cycle, c, this.hostSubsetSize);
    const chosen = weighed[this.pick(weighed.length)];
    if (chosen === undefined) this.fail(cycle, NOT_ENOUGH_HOSTS);
    this.claim(cycle, chosen.host, chosen.host);
    this.finish(cycle, index, chosen.host);
    return c.passed;
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

let identity = new Int32Array(0);

/**
 * `[0, 1, ..., n - 1]`: a view of a cached identity, read only (the filter
 * stage works on its own copy of the rows it is given).
 */
function allRows(n: number): Int32Array {
  if (identity.length < n) {
    identity = new Int32Array(Math.max(n, identity.length * 2));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity.subarray(0, n);
}

/** One observer that tells each of `observers` in turn. */
function fanOut(observers: readonly SchedulingObserver[]): SchedulingObserver {
  return {
    instanceStarted: (...a) => observers.forEach((o) => o.instanceStarted(...a)),
    rejected: (...a) => observers.forEach((o) => o.rejected(...a)),
    weighed: (...a) => observers.forEach((o) => o.weighed(...a)),
    preemptionPlanned: (...a) => observers.forEach((o) => o.preemptionPlanned(...a)),
    instanceFinished: (...a) => observers.forEach((o) => o.instanceFinished(...a)),
  };
}

export type { Claim };
