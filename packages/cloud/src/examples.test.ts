import { fileURLToPath } from 'node:url';
import { isPreemptibleInstance, isPreemptibleRequest } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { loadJsonFile } from './load-json-file.js';
import { parseCloud } from './parse-cloud.js';
import { parseRequest } from './parse-request.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

async function loadCloud() {
  const path = `${EXAMPLES}cloud.json`;
  return parseCloud(await loadJsonFile(path, 'cloud file'), { source: `cloud file ${path}` });
}

async function loadRequest(name: string) {
  const path = `${EXAMPLES}requests/${name}.json`;
  return parseRequest(await loadJsonFile(path, 'request file'), await loadCloud(), {
    source: `request file ${path}`,
  });
}

describe('examples/cloud.json', () => {
  it('parses without warnings', async () => {
    const cloud = await loadCloud();
    expect(cloud.warnings).toEqual([]);
    expect(cloud.now).toBe(Date.UTC(2024, 2, 5, 12));
    expect(cloud.nodes.map((n) => n.host)).toEqual([
      'compute1',
      'compute2',
      'compute3',
      'compute4',
    ]);
    expect(cloud.flavors.map((f) => f.name)).toEqual([
      'm1.tiny',
      'm1.small',
      'm1.medium',
      'm1.large',
    ]);
    expect(cloud.images.map((i) => i.name)).toEqual(['cirros-0.6.2', 'ubuntu-22.04']);
  });

  it('has the usage the README explains (512 MB reserved per host)', async () => {
    const cloud = await loadCloud();
    const usage = cloud.nodes.map((n) => [n.host, n.freeRamMb, n.localGbUsed, n.vcpusUsed]);
    // compute1: 8192 + 2048 + 2048 (preemptible) + 512 = 12800 used of 16384
    // compute2/3: 4096 + 8192 (preemptible) + 512 = 12800 used
    expect(usage).toEqual([
      ['compute1', 3584, 120, 6],
      ['compute2', 3584, 120, 6],
      ['compute3', 3584, 120, 6],
      ['compute4', 15872, 0, 0],
    ]);
    const preemptibleRam = (host: string) =>
      cloud.instances
        .filter((i) => i.host === host && isPreemptibleInstance(i))
        .reduce((sum, i) => sum + i.memoryMb, 0);
    // Free RAM when preemptible instances count as free (the partial view).
    expect(['compute1', 'compute2', 'compute3'].map((h) => 3584 + preemptibleRam(h))).toEqual([
      5632, 11776, 11776,
    ]);
  });

  it('puts the hosts in two zones, compute4 disabled', async () => {
    const cloud = await loadCloud();
    expect(cloud.aggregates.map((a) => [a.metadata['availability_zone'], a.hosts])).toEqual([
      ['az1', ['compute1', 'compute2']],
      ['az2', ['compute3', 'compute4']],
    ]);
    expect(cloud.services.map((s) => [s.host, s.disabled])).toEqual([
      ['compute4', true],
      ['compute1', false],
      ['compute2', false],
      ['compute3', false],
    ]);
    expect(cloud.services.every((s) => s.lastSeenUp !== undefined)).toBe(true);
  });

  it('spreads the preemptible instances over the billing hour', async () => {
    const cloud = await loadCloud();
    const now = cloud.now!;
    const seconds = cloud.instances
      .filter(isPreemptibleInstance)
      .map((i) => [i.host, ((((now - i.createdAt) / 1000) % 3600) + 3600) % 3600]);
    expect(seconds).toEqual([
      ['compute1', 1800],
      ['compute2', 3300],
      ['compute3', 120],
    ]);
  });
});

describe('examples/requests', () => {
  it('normal.json: an m1.small in az1', async () => {
    const spec = await loadRequest('normal');
    expect(spec).toMatchObject({ availabilityZone: 'az1', numInstances: 1 });
    expect(spec.flavor.memoryMb).toBe(2048);
    expect(isPreemptibleRequest(spec)).toBe(false);
  });

  it('needs-preemption.json: an m1.large larger than any enabled host has free', async () => {
    const spec = await loadRequest('needs-preemption');
    expect(spec.flavor.memoryMb).toBe(8192);
    expect(spec.image.name).toBe('ubuntu-22.04');
    expect(isPreemptibleRequest(spec)).toBe(false);
  });

  it('preemptible.json: a preemptible m1.small', async () => {
    const spec = await loadRequest('preemptible');
    expect(spec).toMatchObject({ preemptible: true, systemMetadata: { preemptible: 'True' } });
    expect(isPreemptibleRequest(spec)).toBe(true);
  });

  it('multi.json: three instances in an anti-affinity group', async () => {
    const spec = await loadRequest('multi');
    expect(spec.numInstances).toBe(3);
    expect(spec.instanceUuids).toHaveLength(3);
    expect(spec.instanceGroup).toMatchObject({ policies: ['anti-affinity'], hosts: [] });
  });
});
