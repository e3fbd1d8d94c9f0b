// A consumer of the published packages, compiled under the strictest common
// settings (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess,
// skipLibCheck: false). Run after compiling: prints the hosts best first.
import type { ComputeNode, RequestSpec } from '@opie/core';
import { makeFilterRequest } from '@opie/core';
import { createRamFilter, filterHosts } from '@opie/filter-scheduler';
import { hostStateFromNode } from '@opie/host-manager';
import { createRamWeigher, weighHosts } from '@opie/weighers';

const nodes: ComputeNode[] = ['c1', 'c2', 'c3'].map((host, i) => ({
  host,
  hypervisorHostname: host,
  updatedAt: 0,
  memoryMb: 8192,
  freeRamMb: 1024 * (i + 1),
  localGb: 100,
  localGbUsed: 0,
  freeDiskGb: 100,
  vcpus: 4,
  vcpusUsed: 0,
  ramAllocationRatio: 1,
}));
const spec: RequestSpec = {
  flavor: {
    id: '1',
    name: 'm1.small',
    memoryMb: 1536,
    vcpus: 1,
    rootGb: 10,
    ephemeralGb: 0,
    swap: 0,
    extraSpecs: {},
  },
  image: { properties: {} },
  schedulerHints: {},
  numInstances: 1,
};
const request = makeFilterRequest(spec, 0);
// The pattern a consumer writes first: host states straight from node records.
const { passed } = filterHosts(
  [createRamFilter()],
  nodes.map((n) => hostStateFromNode(n)),
  request,
);
const weighed = weighHosts([createRamWeigher({ multiplier: 1 })], passed, request);
// c1 has 1 GB free (< 1.5 GB asked), c2 2 GB and c3 3 GB: c3 weighs most.
console.log(weighed.map((w) => w.host.host).join(' '));
