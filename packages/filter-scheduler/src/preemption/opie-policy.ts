import type { Instance, Limits, PreemptionSummary } from '@opie/core';
import { hostKey } from '@opie/core';
import type { Cycle, Rows } from '../pipeline/cycle.js';
import { NOT_ENOUGH_HOSTS } from '../pipeline/cycle.js';
import { overLimits } from '../pipeline/over-limits.js';
import type { PlacementContext, PreemptionPolicy } from '../pipeline/placement-context.js';
import { needOf } from './need.js';
import type { LimitsExtra } from './need.js';
import { needsSomething } from './placement-need.js';

/**
 * opie's `detect_overcommit` looks at RAM, disk and vCPUs only: the instance
 * count (NumInstancesFilter) and I/O ops (IoOpsFilter) are never freed.
 */
const RAM_DISK_VCPU: LimitsExtra = { maxInstances: null, maxIoOps: null };

/** `limits` without the instance-count and I/O-op maxima (for the over-limit messages). */
function ramDiskVcpu(limits: Limits): Limits {
  const { numInstances: _count, ioOps: _io, ...rest } = limits;
  return rest;
}

/**
 * opie's own victim choice, for comparison (`victim_policy = opie`): the
 * host is chosen by weight; if the placement leaves it over a limit, one
 * victim is taken, the host's last-listed preemptible instance. If that does
 * not free enough, the victim is lost anyway, the build fails on that host
 * (its claim is released) and the instance is retried on the next host, like
 * nova's conductor retry (RetryFilter excluding the hosts tried), up to
 * `max_attempts`; then NoValidHost. A host with no preemptible instance left
 * fails the request at once, as opie's NoValidHost does. Victims taken by a
 * request that then fails are lost with it (`SchedulingFailure.wasted`).
 * Like opie's `detect_overcommit`, only RAM, disk and vCPUs are checked: a
 * host over the instance-count or I/O-op maximum after the placement (which
 * the free view let through) gets no victim for it.
 * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
 * @see nova/conductor/manager.py build_instances
 */
export const opiePolicy: PreemptionPolicy = {
  name: 'opie',
  placeInstance(ctx: PlacementContext, cycle: Cycle, index: number, input: Rows): Rows {
    const tried = new Set<string>();
    const attempts: NonNullable<PreemptionSummary['attempts']> = [];
    let firstPassed: Rows | undefined;
    const summary = (): PreemptionSummary => ({
      policy: 'opie',
      hostSelection: 'weight-only',
      plannedHosts: 0,
      ...(attempts.length > 0 ? { attempts: [...attempts] } : {}),
    });
    const fail = (reason: string): never => ctx.fail(cycle, reason, [...cycle.preemptions]);
    for (let attempt = 1; attempt <= ctx.maxAttempts; attempt++) {
      const c = ctx.filter(cycle, input, tried);
      if (c.passed.count === 0) {
        try {
          ctx.noHost(cycle, index, c, summary());
        } catch (error) {
          // Victims taken so far are lost with the request, as in opie.
          fail((error as { reason: string }).reason);
        }
      }
      firstPassed ??= c.passed;
      const weighed = ctx.weigh(cycle, c, ctx.hostSubsetSize);
      const chosen = weighed[ctx.pick(weighed.length)];
      if (chosen === undefined) return fail(NOT_ENOUGH_HOSTS);
      const full = chosen.host;
      const filtered = ctx.filteredOf(cycle, full);
      const before = ctx.freedOn(cycle, full);
      // Destinations keep every limit; over-limit checks use RAM, disk and vCPU only.
      const limits = ramDiskVcpu(ctx.claim(cycle, full, filtered));
      const after = ctx.currentFull(full);
      if (!needsSomething(needOf(after, limits, RAM_DISK_VCPU, before ?? {}))) {
        ctx.finish(cycle, index, full, undefined, summary());
        return firstPassed;
      }
      const candidates = ctx.victimCandidates(cycle, after);
      const victim = candidates[candidates.length - 1];
      const over = overLimits(after, limits, before);
      if (victim === undefined) {
        // opie: NoValidHost("Cannot terminate enough preemptible instances."), no retry.
        const failure = `Cannot terminate enough preemptible instances on ${full.host} (${full.nodename}).`;
        ctx.finish(cycle, index, full, failure, summary());
        ctx.dropLastClaim(cycle);
        fail(failure);
      }
      const taken = victim as Instance;
      const p = ctx.takeVictim(
        cycle,
        after,
        taken,
        index,
        `over limits after placing instance ${index + 1}: ${over}`,
      );
      const still = needOf(after, limits, RAM_DISK_VCPU, ctx.freedOn(cycle, after) ?? {});
      if (!needsSomething(still)) {
        ctx.finish(cycle, index, full, undefined, summary());
        return firstPassed;
      }
      // The compute's claim fails: the build is rescheduled, the victim is lost.
      const left = overLimits(after, limits, ctx.freedOn(cycle, after));
      p.wasted = true;
      p.reason = `${p.reason}; attempt ${attempt} wasted it (still ${left})`;
      attempts.push({
        attempt,
        host: full.host,
        nodename: full.nodename,
        victim: taken.uuid,
        failure: `still over limits after terminating ${taken.uuid}: ${left}`,
      });
      ctx.dropLastClaim(cycle);
      tried.add(hostKey(full.host, full.nodename));
      if (attempt === ctx.maxAttempts) {
        const reason =
          `Exceeded maximum number of retries. Exceeded max scheduling attempts ${ctx.maxAttempts} ` +
          `for instance ${index + 1} of ${cycle.spec.numInstances}. Last exception: ` +
          `${full.host} (${full.nodename}) still over limits: ${left}.`;
        ctx.finish(cycle, index, full, reason, summary());
        fail(reason);
      }
    }
    return firstPassed ?? { rows: new Int32Array(0), count: 0 };
  },
};
