import type {
  Claim,
  ComputePort,
  Destination,
  HostFilter,
  HostManagerLike,
  HostState,
  HostVerdict,
  HostView,
  HostWeigher,
  InstanceExplanation,
  NotificationPort,
  Preemption,
  RequestSpec,
  Runtime,
  SchedulerDriver,
  SchedulingResult,
  TerminationAction,
} from '@opie/core';
import {
  createRuntime,
  hostKey,
  isPreemptibleRequest,
  makeFilterRequest,
  MemoryNotifier,
  NoValidHostError,
  RecordingComputePort,
} from '@opie/core';
import { weighHosts } from '@opie/weighers';
import { filterHosts } from './filter-hosts.js';
import { describeOvercommit, NOTHING_FREED, usageOf } from './overcommit.js';
import type { Freed } from './overcommit.js';
import { addFreed, lastFirstVictimSelector } from './victims.js';
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
  /** Fill `SchedulingResult.explanation` with every host's verdict. */
  explain?: boolean;
  /** How victims are chosen. */
  victimSelector?: VictimSelector;
  /** What termination does. */
  terminationAction?: TerminationAction;
  /** Notification publisher id (nova: `scheduler.<host>`). */
  publisherId?: string;
}

/** A fully planned request: claims are held, nothing has been terminated yet. */
export interface SchedulingPlan {
  spec: RequestSpec;
  now: number;
  result: SchedulingResult;
  claims: Claim[];
}

const NOT_ENOUGH_HOSTS = 'There are not enough hosts available.';

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

  constructor(reason: string, explanation: InstanceExplanation[], preemptible: boolean) {
    super(reason);
    this.name = 'SchedulingFailure';
    this.explanation = explanation;
    this.preemptible = preemptible;
  }

  /** A NoValidHost error that carries an explanation (works across package copies). */
  static override isInstance(value: unknown): value is SchedulingFailure {
    return (
      NoValidHostError.isInstance(value) &&
      Array.isArray((value as { explanation?: unknown }).explanation)
    );
  }
}

/**
 * nova's FilterScheduler (spec §8) with opie's preemption (§11.6).
 *
 * A normal request is filtered on the `free` view (preemptible usage counts
 * as free) and weighed on the `full` view; a preemptible request uses the
 * `full` view only and never preempts. The whole request is planned first
 * (each placed instance consumed before the next); if any instance cannot be
 * placed, every claim is released and nothing is terminated. Only then are
 * the victims terminated through the compute port.
 * @see nova/scheduler/filter_scheduler.py
 * @see opie/scheduler/filter_scheduler.py
 */
export class FilterScheduler implements SchedulerDriver {
  readonly hostManager: HostManagerLike;
  readonly filters: readonly HostFilter[];
  readonly weighers: readonly HostWeigher[];
  readonly runtime: Runtime;
  readonly compute: ComputePort;
  readonly notifier: NotificationPort;
  readonly hostSubsetSize: number;
  readonly preemption: boolean;
  readonly explain: boolean;
  readonly victimSelector: VictimSelector;
  readonly terminationAction: TerminationAction;
  readonly publisherId: string;

  constructor(options: FilterSchedulerOptions) {
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
  }

  /** Plan, then act: terminate the victims, then return the destinations. */
  async selectDestinations(spec: RequestSpec): Promise<SchedulingResult> {
    const plan = this.plan(spec);
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
    const usePreemption = this.preemption && !preemptible;
    const view: HostView = usePreemption ? 'free' : 'full';
    const request = makeFilterRequest(spec, now);
    const claims: Claim[] = [];
    const destinations: Destination[] = [];
    const preemptions: Preemption[] = [];
    const explanation: InstanceExplanation[] = [];
    const chosenVictims = new Set<string>();
    const freedByHost = new Map<string, Freed>();

    let hosts: readonly HostState[] = this.hostManager.getHostStates(view, now);
    try {
      for (let index = 0; index < spec.numInstances; index++) {
        request.index = index;
        const input = hosts;
        const outcome = filterHosts(this.filters, input, request, this.explain);
        hosts = outcome.passed;
        if (hosts.length === 0) {
          const why =
            outcome.emptiedBy !== undefined
              ? `no host passed ${outcome.emptiedBy}`
              : 'no host to choose from';
          if (this.explain)
            explanation.push(
              this.explainInstance(index, view, input, outcome.rejectedBy, [], null, why),
            );
          throw new SchedulingFailure(
            `${NOT_ENOUGH_HOSTS} Instance ${index + 1} of ${spec.numInstances}: ${why}.`,
            explanation,
            preemptible,
          );
        }

        // Weigh on the full view, so weighers see preemptible instances.
        const candidates = usePreemption ? this.fullStates(hosts) : hosts;
        // Unless explaining, only the best host_subset_size hosts are needed (no full sort).
        const weighed = weighHosts(this.weighers, candidates, request, {
          explain: this.explain,
          limit: this.hostSubsetSize,
        });
        const subset = Math.min(this.hostSubsetSize, weighed.length);
        const pick = subset > 1 ? Math.floor(this.runtime.random() * subset) : 0;
        const chosen = weighed[pick];
        if (chosen === undefined)
          throw new SchedulingFailure(NOT_ENOUGH_HOSTS, explanation, preemptible);
        const { host, nodename } = chosen.host;
        // Limits come from the state the filters ran on (opie bug 7 fixed).
        const filtered = usePreemption
          ? (this.hostManager.hostStateFor(host, nodename, view) ?? chosen.host)
          : chosen.host;
        const limits = { ...filtered.limits };
        claims.push(this.hostManager.consumeFromRequest(host, nodename, spec, now));
        destinations.push({ host, nodename, limits });
        if (request.groupPolicies.length > 0) request.groupHosts.add(host);

        let failure: string | undefined;
        if (usePreemption) {
          const full = this.hostManager.hostStateFor(host, nodename, 'full');
          const key = hostKey(host, nodename);
          if (full !== undefined) {
            const alreadyFreed = freedByHost.get(key) ?? NOTHING_FREED;
            const choice = this.victimSelector({
              host: full,
              limits,
              alreadyChosen: chosenVictims,
              alreadyFreed,
            });
            if (choice === null) {
              // A forced host skipped the filters: the operator asked for it,
              // so it is used as it is (nova sets no limits on forced hosts).
              if (!outcome.forced) {
                failure = `Cannot terminate enough preemptible instances on ${host} (${nodename}).`;
              }
            } else {
              let freed = alreadyFreed;
              for (const victim of choice.victims) {
                chosenVictims.add(victim.uuid);
                freed = addFreed(freed, usageOf(victim));
                preemptions.push({
                  victim,
                  host,
                  nodename,
                  forIndex: index,
                  reason: `over limits after placing instance ${index + 1}: ${describeOvercommit(choice.overcommit)}`,
                });
              }
              freedByHost.set(key, freed);
            }
          }
        }
        if (this.explain) {
          explanation.push(
            this.explainInstance(
              index,
              view,
              input,
              outcome.rejectedBy,
              weighed,
              { host, nodename },
              failure,
            ),
          );
        }
        if (failure !== undefined) throw new SchedulingFailure(failure, explanation, preemptible);
      }
    } catch (err) {
      for (const claim of claims) claim.release();
      throw err;
    }
    return {
      spec,
      now,
      claims,
      result: { destinations, preemptions, preemptible, explanation },
    };
  }

  /** Terminates the plan's victims (views updated at once), then notifies the end. */
  async execute(plan: SchedulingPlan): Promise<void> {
    const { result, spec, now } = plan;
    for (const p of result.preemptions) this.hostManager.releaseInstance(p.victim.uuid, now);
    for (const p of result.preemptions) {
      this.notify('scheduler.preemption', now, {
        victim: p.victim.uuid,
        host: p.host,
        nodename: p.nodename,
        request_id: spec.requestId ?? null,
        reason: p.reason,
      });
      await this.compute.terminateInstance({
        uuid: p.victim.uuid,
        host: p.host,
        nodename: p.nodename,
        action: this.terminationAction,
        ...(spec.requestId !== undefined ? { requestId: spec.requestId } : {}),
        reason: p.reason,
      });
    }
    this.notify('scheduler.select_destinations.end', now, { request_spec: spec });
  }

  private fullStates(hosts: readonly HostState[]): HostState[] {
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

  private explainInstance(
    index: number,
    view: HostView,
    input: readonly HostState[],
    rejectedBy: ReadonlyMap<HostState, string>,
    weighed: ReturnType<typeof weighHosts>,
    chosen: { host: string; nodename: string } | null,
    failure?: string,
  ): InstanceExplanation {
    const byKey = new Map<string, { weight: number; terms: HostVerdict['terms']; rank: number }>();
    weighed.forEach((w, rank) => {
      byKey.set(hostKey(w.host.host, w.host.nodename), { weight: w.weight, terms: w.terms, rank });
    });
    const hosts: HostVerdict[] = input.map((h) => {
      const w = byKey.get(hostKey(h.host, h.nodename));
      const verdict: HostVerdict = {
        host: h.host,
        nodename: h.nodename,
        filteredBy: rejectedBy.get(h) ?? null,
      };
      if (w !== undefined) {
        verdict.weight = w.weight;
        if (w.terms !== undefined) verdict.terms = w.terms;
        verdict.rank = w.rank;
      }
      return verdict;
    });
    return { index, view, hosts, chosen, ...(failure !== undefined ? { failure } : {}) };
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
