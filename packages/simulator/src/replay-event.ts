/** What happened to one request or instance in a replay (one line of `--events`). */
export type ReplayEventType = 'arrive' | 'place' | 'reject' | 'preempt' | 'depart';

/**
 * One event of one policy's replay, in virtual time. On a `preempt`, `id`,
 * `preemptible` and `host` describe the victim and `by` the request that
 * caused it; `failedRequest` is true exactly when that request is then
 * rejected (opie-compat's victims of failed requests).
 */
export interface ReplayEvent {
  /** Virtual time, epoch ms. */
  timeMs: number;
  type: ReplayEventType;
  /** The trace row's id (`row-<line>` without one); a starting instance's uuid. */
  id: string;
  preemptible: boolean;
  /** place, preempt, depart. */
  host?: string;
  /** preempt: the id of the request that caused it. */
  by?: string;
  /** preempt: whether that request was rejected. */
  failedRequest?: boolean;
  /** reject: the scheduler's NoValidHost reason. */
  reason?: string;
  /** arrive, place, reject: a victim re-submitted by `resubmitVictimsS`. */
  resubmission?: boolean;
}

/** Receives a policy's events in order. */
export type ReplayEventSink = (event: ReplayEvent) => void;

/**
 * An event as one JSON line of the `--events` log:
 * `{"policy", "time" (ISO 8601 with ms), "type", "id", "preemptible", ...}`.
 */
export function formatEventLine(policy: string, e: ReplayEvent): string {
  const out: Record<string, unknown> = {
    policy,
    time: new Date(e.timeMs).toISOString(),
    type: e.type,
    id: e.id,
    preemptible: e.preemptible,
  };
  if (e.host !== undefined) out['host'] = e.host;
  if (e.by !== undefined) out['by'] = e.by;
  if (e.failedRequest !== undefined) out['failed_request'] = e.failedRequest;
  if (e.reason !== undefined) out['reason'] = e.reason;
  if (e.resubmission === true) out['resubmission'] = true;
  return `${JSON.stringify(out)}\n`;
}
