import { describe, expect, it } from 'vitest';
import type { HostState } from './host-state.js';
import { hostKey, preemptibleInstancesOf } from './host-state.js';
import type { Instance } from './records.js';

function instance(uuid: string, mark: Partial<Instance> = {}): Instance {
  return {
    uuid,
    memoryMb: 512,
    vcpus: 1,
    rootGb: 1,
    ephemeralGb: 0,
    systemMetadata: {},
    createdAt: 0,
    ...mark,
  };
}

/** Only the fields `preemptibleInstancesOf` reads. */
function host(instances: Instance[], preemptibleInstances?: Instance[]): HostState {
  const partial: Pick<HostState, 'instances' | 'preemptibleInstances'> = {
    instances: new Map(instances.map((i) => [i.uuid, i])),
    ...(preemptibleInstances !== undefined ? { preemptibleInstances } : {}),
  };
  return partial as HostState;
}

describe('preemptibleInstancesOf', () => {
  const a = instance('a', { systemMetadata: { preemptible: 'True' } });
  const b = instance('b');
  const c = instance('c', { preemptible: true });
  const d = instance('d', { systemMetadata: { preemptible: 'false' } });

  it('filters instances with isPreemptibleInstance, in order, without a cache', () => {
    expect(preemptibleInstancesOf(host([a, b, c, d]))).toEqual([a, c]);
  });

  it('returns the cache as it is when the host keeps one', () => {
    const cache = [c];
    expect(preemptibleInstancesOf(host([a, b, c], cache))).toBe(cache);
  });

  it('returns an empty list for a host without instances', () => {
    expect(preemptibleInstancesOf(host([]))).toEqual([]);
  });
});

describe('hostKey', () => {
  it('joins host and node with a NUL, so names cannot collide', () => {
    expect(hostKey('a', 'b')).toBe('a\u0000b');
    expect(hostKey('a', 'b')).not.toBe(hostKey('ab', ''));
  });
});
