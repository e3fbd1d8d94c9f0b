import type { ComputePort, TerminationOrder } from '@opie/core';
import { OpieError } from '@opie/core';
import type { ServerFault } from './server-record.js';
import { POWER_STATE } from './server-record.js';
import type { ServerStore } from './store/server-store.js';
import type { SqlQueryable } from './store/sql-client.js';

/** The transaction a request's preemptions are written in, and who preempts whom. */
export interface TerminationScope {
  store: ServerStore;
  tx: SqlQueryable;
  now: number;
  /** victim uuid → uuid of the new server it makes room for. */
  preemptedFor: ReadonlyMap<string, string>;
  /** Filled with the uuid of every victim terminated in this scope. */
  terminated?: Set<string>;
}

/** HTTP-like code of a preemption fault: its room was claimed by another request. */
export const PREEMPTED_FAULT_CODE = 409;

/** The fault a preempted server shows. */
export function preemptionFault(
  order: TerminationOrder,
  byServer: string | undefined,
  now: number,
): ServerFault {
  const request = order.requestId ?? 'unknown';
  return {
    code: PREEMPTED_FAULT_CODE,
    message: `preempted by request ${request} (server ${byServer ?? 'unknown'})`,
    details: `${order.action === 'stop' ? 'Stopped' : 'Terminated'} on ${order.host} (${order.nodename}): ${order.reason}`,
    created: now,
  };
}

/**
 * The compute side of preemption for the API service: terminating an
 * instance writes its terminal state, its fault and a preemption record in
 * the transaction of the request that preempts it (so a request that does
 * not commit preempts nothing). `delete` leaves the server in ERROR
 * (vm_state `error`), `stop` in SHUTOFF (vm_state `stopped`); either way it
 * no longer holds resources on its node.
 */
export class StoreComputePort implements ComputePort {
  private readonly scopes = new Map<string, TerminationScope>();

  /** Routes the terminations of `requestId` into `scope` until `unbind`. */
  bind(requestId: string, scope: TerminationScope): void {
    this.scopes.set(requestId, scope);
  }

  unbind(requestId: string): void {
    this.scopes.delete(requestId);
  }

  async terminateInstance(order: TerminationOrder): Promise<void> {
    const scope = order.requestId === undefined ? undefined : this.scopes.get(order.requestId);
    if (scope === undefined) {
      throw new OpieError(
        'COMPUTE_ACTION_FAILED',
        `cannot terminate ${order.uuid}: request ${order.requestId ?? '(none)'} has no open claim`,
      );
    }
    const byServer = scope.preemptedFor.get(order.uuid);
    const stop = order.action === 'stop';
    const done = await scope.store.terminate(scope.tx, {
      uuid: order.uuid,
      host: order.host,
      node: order.nodename,
      vmState: stop ? 'stopped' : 'error',
      powerState: stop ? POWER_STATE.SHUTDOWN : POWER_STATE.NOSTATE,
      fault: preemptionFault(order, byServer, scope.now),
      preemption: {
        requestId: order.requestId ?? null,
        byServerUuid: byServer ?? null,
        action: order.action,
        reason: order.reason,
        createdAt: scope.now,
      },
      now: scope.now,
    });
    if (!done) {
      throw new OpieError(
        'COMPUTE_ACTION_FAILED',
        `cannot terminate ${order.uuid}: it no longer runs on ${order.host} (${order.nodename})`,
      );
    }
    scope.terminated?.add(order.uuid);
  }
}
