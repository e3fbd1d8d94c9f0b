import { describe, expect, it } from 'vitest';
import type { HostState, HostWeigher } from '@opie/core';
import { makeHost, makeInstance, makeRequest } from '@opie/testing';
import { createCpuWeigher } from './cpu-weigher.js';
import { createDiskWeigher } from './disk-weigher.js';
import { createIoOpsWeigher } from './io-ops-weigher.js';
import { createPreemptibleCountWeigher } from './preemptible-count-weigher.js';
import { createPreemptibleDurationWeigher } from './preemptible-duration-weigher.js';
import { createRamWeigher } from './ram-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const now = Date.UTC(2015, 10, 5, 11, 0);
const request = makeRequest({}, { now });

function hosts(): HostState[] {
  return Array.from({ length: 12 }, (_, i) => {
    const preemptibles = Array.from({ length: i % 4 }, (_, j) =>
      makeInstance({
        uuid: `p-${i}-${j}`,
        systemMetadata: { preemptible: 'True' },
        createdAt: now - (i * 997 + j * 1_234_567),
      }),
    );
    return makeHost({
      host: `host${i}`,
      freeRamMb: (i * 311) % 1024,
      freeDiskMb: (i * 7919) % 102400,
      vcpusTotal: 8 + (i % 3),
      vcpusUsed: i % 9,
      cpuAllocationRatio: i % 2 === 0 ? 16 : 1.5,
      numIoOps: i % 5,
      instances: [makeInstance({ uuid: `n-${i}`, systemMetadata: {} }), ...preemptibles],
    });
  });
}

const weighers: HostWeigher[] = [
  createRamWeigher(),
  createCpuWeigher(),
  createDiskWeigher(),
  createIoOpsWeigher(),
  createPreemptibleCountWeigher(),
  createPreemptibleDurationWeigher(),
];

describe('weighAll (batch weighing)', () => {
  for (const weigher of weighers) {
    it(`${weigher.name}: weighAll gives exactly weigh's numbers`, () => {
      const list = hosts();
      const out = new Float64Array(list.length);
      expect(weigher.weighAll).toBeTypeOf('function');
      weigher.weighAll?.(list, request, out);
      const expected = list.map((h) => weigher.weigh(h, request));
      expect([...out].every((w, i) => Object.is(w, expected[i]))).toBe(true);
    });
  }

  it('weighHosts gives the same result with and without the batch forms', () => {
    const perHost: HostWeigher[] = weighers.map((w) => ({
      name: w.name,
      multiplier: w.multiplier,
      ...(w.minval !== undefined ? { minval: w.minval } : {}),
      ...(w.maxval !== undefined ? { maxval: w.maxval } : {}),
      weigh: (host, req) => w.weigh(host, req),
    }));
    const list = hosts();
    const summary = (ws: HostWeigher[]) =>
      weighHosts(ws, list, request, { explain: false }).map((w) => [w.host.host, w.weight]);
    expect(summary(weighers)).toEqual(summary(perHost));
    expect(summary(weighers)).toHaveLength(12);
  });
});
