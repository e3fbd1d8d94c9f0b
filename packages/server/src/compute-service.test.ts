import type { LoadedScheduler } from '@opie/loader';
import { OpieError } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { ComputeService } from './compute-service.js';
import { StoreComputePort } from './store-compute-port.js';
import type { ServerStore } from './store/server-store.js';
import { isPostgresUrl } from './store/open-store.js';
import { isRetryableSqlError } from './store/sql-client.js';

function fakeScheduler(driver: object, hostManager: object): LoadedScheduler {
  return {
    driver,
    hostManager,
    config: {
      driver: { classPath: 'third.party.Driver' },
      hostManager: { classPath: 'third.party.HostManager' },
      values: { str: () => null },
    },
    runtime: { now: () => 0, random: () => 0, logger: console },
  } as unknown as LoadedScheduler;
}

const store = {} as ServerStore;

describe('ComputeService', () => {
  it("takes nova's default zone when the configuration has none", () => {
    const driver = {
      selectDestinations: () => undefined,
      plan: () => undefined,
      execute: () => undefined,
    };
    const service = new ComputeService({
      store,
      scheduler: fakeScheduler(driver, { setSource: () => undefined }),
      compute: new StoreComputePort(),
    });
    expect(service.defaultAvailabilityZone).toBe('nova');
    expect(service.zoneOf('anywhere')).toBe('nova');
    expect(service.zoneOf(null)).toBeNull();
  });
});

describe('StoreComputePort', () => {
  const order = {
    uuid: 'v',
    host: 'h',
    nodename: 'n',
    action: 'delete' as const,
    requestId: 'req-1',
    reason: 'over limits',
  };
  it('refuses a termination outside a claim', async () => {
    const port = new StoreComputePort();
    await expect(port.terminateInstance(order)).rejects.toSatisfy(
      (e: unknown) => OpieError.isInstance(e) && e.code === 'COMPUTE_ACTION_FAILED',
    );
  });
  it('fails when the victim no longer runs there', async () => {
    const gone = { terminate: () => Promise.resolve(false) } as unknown as ServerStore;
    const port = new StoreComputePort();
    port.bind('req-1', {
      store: gone,
      tx: { query: () => Promise.resolve([]) },
      now: 0,
      preemptedFor: new Map(),
    });
    await expect(port.terminateInstance(order)).rejects.toThrow('it no longer runs on h (n)');
    port.unbind('req-1');
    await expect(port.terminateInstance(order)).rejects.toThrow('has no open claim');
  });
  it('writes the terminal state, the fault and the record in the claim', async () => {
    const calls: unknown[] = [];
    const recording = {
      terminate: (_tx: unknown, t: unknown) => {
        calls.push(t);
        return Promise.resolve(true);
      },
    } as unknown as ServerStore;
    const port = new StoreComputePort();
    port.bind('req-1', {
      store: recording,
      tx: { query: () => Promise.resolve([]) },
      now: 5,
      preemptedFor: new Map([['v', 'new']]),
    });
    await port.terminateInstance({ ...order, action: 'stop' });
    expect(calls).toEqual([
      expect.objectContaining({
        uuid: 'v',
        vmState: 'stopped',
        powerState: 4,
        fault: {
          code: 409,
          message: 'preempted by request req-1 (server new)',
          details: 'Stopped on h (n): over limits',
          created: 5,
        },
        preemption: expect.objectContaining({ byServerUuid: 'new', action: 'stop' }) as unknown,
      }),
    ]);
  });
});

describe('small helpers', () => {
  it('tells PostgreSQL URLs from directories', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('./opie-data')).toBe(false);
  });
  it('retries serialization failures and deadlocks only', () => {
    expect(isRetryableSqlError({ code: '40001' })).toBe(true);
    expect(isRetryableSqlError({ code: '40P01' })).toBe(true);
    expect(isRetryableSqlError({ code: '23505' })).toBe(false);
    expect(isRetryableSqlError(null)).toBe(false);
  });
  it('names faults like nova', () => {
    expect(ApiError.conflict('busy').body).toEqual({
      conflictingRequest: { code: 409, message: 'busy' },
    });
    expect(new ApiError(406, 'no').faultName).toBe('computeFault');
    expect(ApiError.notFound().message).toBe('The resource could not be found.');
  });
});
