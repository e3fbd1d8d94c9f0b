import { describe, expect, it } from 'vitest';
import { makeFilterRequest } from './request.js';
import type { RequestSpec } from './request.js';

const spec: RequestSpec = {
  flavor: {
    id: 'f',
    name: 'f',
    memoryMb: 512,
    vcpus: 1,
    rootGb: 1,
    ephemeralGb: 0,
    swap: 0,
    extraSpecs: {},
  },
  image: { properties: {} },
  schedulerHints: {},
  numInstances: 2,
  instanceGroup: {
    policies: ['anti-affinity'],
    hosts: ['c1'],
    members: ['m1'],
    rules: { max_server_per_host: 2 },
  },
};

describe('makeFilterRequest', () => {
  it("copies the group's hosts and policies and starts with nothing placed", () => {
    const request = makeFilterRequest(spec, 5);
    expect(request.index).toBe(0);
    expect(request.now).toBe(5);
    expect([...request.groupHosts]).toEqual(['c1']);
    expect(request.groupPolicies).toEqual(['anti-affinity']);
    expect(request.placements).toEqual([]);
    // The group's own host list is not the request's: growing one leaves the other.
    request.groupHosts.add('c2');
    expect(spec.instanceGroup?.hosts).toEqual(['c1']);
  });
});
