import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCloud } from '@opie/cloud';
import { isPreemptibleInstance } from '@opie/core';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudFilePath, ensureCloudFile, M1_MEDIUM, writeCloudFile } from './cloud.js';

const dir = mkdtempSync(join(tmpdir(), 'opie-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOSTS = 600;

function load(path: string) {
  return parseCloud(JSON.parse(readFileSync(path, 'utf8')) as unknown, { source: path });
}

describe('writeCloudFile', () => {
  const path = join(dir, 'normal.json');
  const stats = writeCloudFile(path, { hosts: HOSTS, seed: 7, now: NOW, fill: 'normal' });
  const cloud = load(path);

  it('writes a file parseCloud reads without a warning', () => {
    expect(cloud.warnings).toEqual([]);
    expect(cloud.nodes).toHaveLength(HOSTS);
    expect(cloud.services).toHaveLength(HOSTS);
  });

  it('counts what parseCloud finds in it', () => {
    expect(cloud.instances).toHaveLength(stats.instances);
    expect(cloud.instances.filter(isPreemptibleInstance)).toHaveLength(stats.preemptible);
    const aarch64 = cloud.nodes.filter((n) => n.supportedInstances?.[0]?.[0] === 'aarch64');
    expect(aarch64).toHaveLength(stats.aarch64);
    expect(cloud.services.filter((s) => s.disabled)).toHaveLength(stats.disabled);
    // A down service's heartbeat is an hour old; up ones are at most 20 s old.
    const down = cloud.services.filter((s) => NOW - (s.updatedAt ?? 0) > 60_000);
    expect(down).toHaveLength(stats.down);
  });

  it('gives each host its own arrays and objects, as parsed input does', () => {
    const [a, b] = cloud.nodes;
    expect(a?.supportedInstances).not.toBe(b?.supportedInstances);
    expect(a?.stats).not.toBe(b?.stats);
  });

  it('has the documented shape: about 19 instances per host, 30% preemptible, 5% aarch64', () => {
    const perHost = stats.instances / HOSTS;
    expect(perHost).toBeGreaterThan(17);
    expect(perHost).toBeLessThan(21);
    expect(stats.preemptible / stats.instances).toBeCloseTo(0.3, 1);
    expect(stats.aarch64 / HOSTS).toBeGreaterThan(0.02);
    expect(stats.aarch64 / HOSTS).toBeLessThan(0.09);
    const zones = cloud.aggregates.filter((a) => a.metadata['availability_zone'] !== undefined);
    expect(zones.map((a) => a.metadata['availability_zone'])).toEqual(['az1', 'az2', 'az3']);
    const ssd = cloud.aggregates.find((a) => a.name === 'ssd');
    expect(ssd?.hosts).toHaveLength(stats.ssd);
    expect(
      cloud.aggregates.filter((a) => a.metadata['filter_tenant_id'] !== undefined),
    ).toHaveLength(10);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = join(dir, 'again.json');
    const other = join(dir, 'other.json');
    writeCloudFile(again, { hosts: HOSTS, seed: 7, now: NOW, fill: 'normal' });
    writeCloudFile(other, { hosts: HOSTS, seed: 8, now: NOW, fill: 'normal' });
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(path, 'utf8'));
    expect(readFileSync(other, 'utf8')).not.toBe(readFileSync(path, 'utf8'));
  });
});

describe('the full fill', () => {
  it('leaves no host with room for an m1.medium (RAM or disk)', () => {
    const path = join(dir, 'full.json');
    writeCloudFile(path, { hosts: 200, seed: 3, now: NOW, fill: 'full' });
    const cloud = load(path);
    for (const node of cloud.nodes) {
      const ramFits = node.freeRamMb >= M1_MEDIUM.memoryMb;
      const diskFits = node.freeDiskGb >= M1_MEDIUM.rootGb;
      expect(ramFits && diskFits, node.host).toBe(false);
    }
  });
});

describe('ensureCloudFile', () => {
  it('writes the file once and reuses it', () => {
    const options = { hosts: 20, seed: 1, now: NOW, fill: 'normal' as const };
    const path = ensureCloudFile(options, dir);
    expect(path).toBe(cloudFilePath(options, dir));
    const first = readFileSync(path, 'utf8');
    expect(ensureCloudFile(options, dir)).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe(first);
  });
});
