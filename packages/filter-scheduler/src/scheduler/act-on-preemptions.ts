import type {
  ComputePort,
  NotificationPort,
  NotificationPriority,
  Preemption,
  Runtime,
  TerminationAction,
} from '@opie/core';
import { timerSleep } from '@opie/core';

/** How victims are dealt with (the opie driver's `[preemptible_instances_scheduler]` options). */
export interface ActingOptions {
  compute: ComputePort;
  notifier: NotificationPort;
  runtime: Runtime;
  publisherId: string;
  action: TerminationAction;
  /** Seconds between the notice and the action (0: act at once). */
  gracePeriod: number;
  /** Retries of a failed compute call (0: one try). */
  retries: number;
  /** Seconds before the first retry; doubled for each next one. */
  retryBackoff: number;
}

/** What became of one victim. */
export interface TerminationOutcome {
  uuid: string;
  host: string;
  nodename: string;
  /** The termination order succeeded. */
  ok: boolean;
  /** Calls made for the order (1 + retries used). */
  attempts: number;
  /** The last error, when it failed. */
  error?: string;
  /** The notice call failed (the action was still taken). */
  noticeError?: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls `op` up to `1 + retries` times, sleeping `backoff * 2^k` seconds
 * after the k-th failure. Returns the number of calls and the last error.
 */
async function withRetries(
  op: () => Promise<void>,
  options: ActingOptions,
  onRetry: (attempt: number, error: unknown, delayMs: number) => void,
): Promise<{ attempts: number; error?: unknown }> {
  const sleep = options.runtime.sleep?.bind(options.runtime) ?? timerSleep;
  for (let k = 0; ; k++) {
    try {
      await op();
      return { attempts: k + 1 };
    } catch (error) {
      if (k >= options.retries) return { attempts: k + 1, error };
      const delayMs = options.retryBackoff * 1000 * 2 ** k;
      onRetry(k + 1, error, delayMs);
      await sleep(delayMs);
    }
  }
}

/**
 * Acts on planned preemptions (the victims must already be released in the
 * host manager): for every victim, a `scheduler.preemption` notification
 * (victim, host, request, cost breakdown, grace period), then a notice
 * (`scheduler.preemption.notice` and `ComputePort.noticeInstance`), then,
 * after the grace period (one wait for all victims, through `runtime.sleep`),
 * the termination order. Compute calls that fail are retried with exponential
 * backoff; a call that still fails is logged and reported as
 * `scheduler.preemption.error` (priority ERROR) and never thrown: the victim
 * stays released in the scheduler's view, for an operator to finish.
 * Not in opie, which deleted victims at once, without notice or retry.
 * @see opie/scheduler/filter_scheduler.py select_destinations
 */
export async function actOnPreemptions(
  preemptions: readonly Preemption[],
  requestId: string | undefined,
  options: ActingOptions,
): Promise<TerminationOutcome[]> {
  const { compute, runtime, action, gracePeriod } = options;
  const sleep = runtime.sleep?.bind(runtime) ?? timerSleep;
  const notify = (eventType: string, priority: NotificationPriority, payload: object): void => {
    options.notifier.notify({
      eventType,
      priority,
      publisherId: options.publisherId,
      timestamp: runtime.now(),
      payload: payload as Record<string, unknown>,
    });
  };
  const where = (p: Preemption) => ({
    victim: p.victim.uuid,
    host: p.host,
    nodename: p.nodename,
    request_id: requestId ?? null,
  });
  const outcomes: TerminationOutcome[] = preemptions.map((p) => ({
    uuid: p.victim.uuid,
    host: p.host,
    nodename: p.nodename,
    ok: false,
    attempts: 0,
  }));
  const fail = (p: Preemption, stage: 'notice' | 'action', attempts: number, error: unknown) => {
    const message = describe(error);
    runtime.logger.error('Preemption compute call failed', {
      ...where(p),
      stage,
      attempts,
      error: message,
    });
    notify('scheduler.preemption.error', 'ERROR', {
      ...where(p),
      stage,
      action,
      attempts,
      error: message,
    });
  };
  const retryLog =
    (p: Preemption, stage: 'notice' | 'action') =>
    (attempt: number, error: unknown, delayMs: number): void =>
      runtime.logger.warn('Preemption compute call failed; retrying', {
        ...where(p),
        stage,
        attempt,
        retry_in_ms: delayMs,
        error: describe(error),
      });

  for (const p of preemptions) {
    notify('scheduler.preemption', 'INFO', {
      ...where(p),
      for_index: p.forIndex,
      reason: p.reason,
      cost: p.cost ?? null,
      cost_terms: p.terms ?? [],
      grace_period: gracePeriod,
      action,
      wasted: p.wasted === true,
    });
  }

  const noticeAt = runtime.now();
  for (const [i, p] of preemptions.entries()) {
    const notice = {
      uuid: p.victim.uuid,
      host: p.host,
      nodename: p.nodename,
      action,
      gracePeriod,
      terminateAt: noticeAt + gracePeriod * 1000,
      ...(requestId !== undefined ? { requestId } : {}),
      reason: p.reason,
    };
    notify('scheduler.preemption.notice', 'INFO', {
      ...where(p),
      action,
      grace_period: gracePeriod,
      terminate_at: notice.terminateAt,
    });
    const noticeInstance = compute.noticeInstance?.bind(compute);
    if (noticeInstance === undefined) continue;
    const r = await withRetries(() => noticeInstance(notice), options, retryLog(p, 'notice'));
    if (r.error !== undefined) {
      fail(p, 'notice', r.attempts, r.error);
      (outcomes[i] as TerminationOutcome).noticeError = describe(r.error);
    }
  }

  if (gracePeriod > 0 && preemptions.length > 0) await sleep(gracePeriod * 1000);

  for (const [i, p] of preemptions.entries()) {
    const order = {
      uuid: p.victim.uuid,
      host: p.host,
      nodename: p.nodename,
      action,
      ...(requestId !== undefined ? { requestId } : {}),
      reason: p.reason,
      gracePeriod,
    };
    const r = await withRetries(
      () => compute.terminateInstance(order),
      options,
      retryLog(p, 'action'),
    );
    const outcome = outcomes[i] as TerminationOutcome;
    outcome.attempts = r.attempts;
    if (r.error === undefined) {
      outcome.ok = true;
    } else {
      outcome.error = describe(r.error);
      fail(p, 'action', r.attempts, r.error);
    }
  }
  return outcomes;
}
