import { readFileSync } from 'node:fs';
import { parseCloud } from '@opie/cloud';
import { describe, expect, it } from 'vitest';
import { TRACES } from './__fixtures__/collect.js';
import { TraceError } from './bad-row.js';
import {
  alibabaMachines,
  CloudGenerationError,
  generateCloud,
  identicalMachines,
} from './generate-cloud.js';

const SIZE = { vcpus: 32, memoryMb: 131072, diskGb: 1000 };

describe('generateCloud', () => {
  it('writes a valid cloud of N identical hosts with every ratio and reservation explicit', () => {
    const doc = generateCloud({
      machines: identicalMachines(12, SIZE),
      zones: 3,
      cpuAllocationRatio: 1,
      ramAllocationRatio: 1,
      diskAllocationRatio: 1,
      reservedHostMemoryMb: 2048,
      reservedHostDiskMb: 10240,
    });
    const cloud = parseCloud(JSON.parse(JSON.stringify(doc)));
    expect(cloud.warnings).toEqual([]);
    expect(cloud.nodes).toHaveLength(12);
    expect(cloud.nodes[0]).toMatchObject({
      host: 'compute-01',
      memoryMb: 131072,
      freeRamMb: 131072 - 2048, // the reserved memory is used from the start
      localGb: 1000,
      localGbUsed: 10, // 10240 MB reserved disk = 10 GB
      vcpus: 32,
      vcpusUsed: 0,
      cpuAllocationRatio: 1,
      ramAllocationRatio: 1,
      diskAllocationRatio: 1,
    });
    const nodes = doc['nodes'] as Record<string, unknown>[];
    for (const n of nodes) {
      expect(n).toMatchObject({
        cpu_allocation_ratio: 1,
        ram_allocation_ratio: 1,
        disk_allocation_ratio: 1,
        memory_mb_used: 2048,
        local_gb_used: 10,
      });
    }
    expect(doc['defaults']).toEqual({
      reserved_host_memory_mb: 2048,
      reserved_host_disk_mb: 10240,
    });
    // 12 hosts dealt round-robin into 3 zones: 4 each.
    expect(cloud.aggregates.map((a) => [a.metadata['availability_zone'], a.hosts.length])).toEqual([
      ['az1', 4],
      ['az2', 4],
      ['az3', 4],
    ]);
    expect(cloud.services.every((s) => !s.disabled)).toBe(true);
  });

  it("uses nova's defaults and one zone when not told otherwise", () => {
    const doc = generateCloud({ machines: identicalMachines(1, SIZE) });
    expect(doc['aggregates']).toEqual([]);
    expect((doc['nodes'] as unknown[])[0]).toMatchObject({
      host: 'compute-1',
      cpu_allocation_ratio: 16,
      ram_allocation_ratio: 1.5,
      disk_allocation_ratio: 1,
      memory_mb_used: 512,
      local_gb_used: 0,
    });
  });

  it('rejects bad settings naming the option', () => {
    const bad = (f: () => unknown, message: string) => {
      expect(f).toThrow(CloudGenerationError);
      expect(f).toThrow(message);
    };
    bad(() => identicalMachines(0, SIZE), 'hosts: expected an integer >= 1, got 0');
    bad(
      () => generateCloud({ machines: identicalMachines(2, SIZE), zones: 3 }),
      'zones: expected an integer from 1 to the number of hosts (2), got 3',
    );
    bad(
      () => generateCloud({ machines: identicalMachines(2, { ...SIZE, vcpus: 1.5 }) }),
      'vcpus: machine 1 (compute-1): expected an integer >= 1, got 1.5',
    );
    bad(
      () => generateCloud({ machines: identicalMachines(2, { ...SIZE, diskGb: -1 }) }),
      'disk-gb: machine 1 (compute-1): expected an integer >= 0, got -1',
    );
    bad(
      () => generateCloud({ machines: identicalMachines(2, SIZE), cpuAllocationRatio: 0 }),
      'cpu-allocation-ratio: expected a number > 0, got 0',
    );
    bad(
      () => generateCloud({ machines: identicalMachines(1, SIZE), reservedHostMemoryMb: 131072 }),
      "reserved-host-memory-mb: 131072 MB leaves nothing of machine 1 (compute-1)'s 131072 MB",
    );
    bad(
      () => generateCloud({ machines: identicalMachines(1, SIZE), now: 'soon' }),
      'now: expected an ISO 8601 time, got "soon"',
    );
    bad(() => generateCloud({ machines: [] }), 'hosts: no machines to generate');
    bad(
      () =>
        generateCloud({
          machines: [
            { host: 'a', ...SIZE },
            { host: 'a', ...SIZE },
          ],
        }),
      'hosts: host a appears twice',
    );
  });
});

describe('alibabaMachines', () => {
  const file = `${TRACES}/alibaba-gpu-2023/openb_node_list_all_node.csv`;
  const lines = () => readFileSync(file, 'utf8').split('\n');

  it('reads the node list: cpu_milli / 1000 vCPUs, memory_mib MB, sn as host', () => {
    const all = alibabaMachines(lines(), { file, diskGb: 0 });
    // The file's first data line: openb-node-0000,32000,262144,0,
    expect(all).toHaveLength(1523);
    expect(all[0]).toEqual({ host: 'openb-node-0000', vcpus: 32, memoryMb: 262144, diskGb: 0 });
    const cloud = parseCloud(JSON.parse(JSON.stringify(generateCloud({ machines: all }))));
    expect(cloud.nodes).toHaveLength(1523);
  });

  it('thins the list evenly to N machines', () => {
    const some = alibabaMachines(lines(), { file, diskGb: 100, hosts: 4 });
    // Every 1523/4-th machine: indices 0, 380, 761, 1142.
    const all = alibabaMachines(lines(), { file, diskGb: 100 });
    expect(some).toEqual([all[0], all[380], all[761], all[1142]]);
    expect(() => alibabaMachines(lines(), { file, diskGb: 0, hosts: 2000 })).toThrow(
      `hosts: expected an integer from 1 to the 1523 machines of ${file}, got 2000`,
    );
  });

  it('names the file and line of a bad node list', () => {
    expect(() => alibabaMachines(['a,b', '1,2'], { file: 'n.csv', diskGb: 0 })).toThrow(TraceError);
    expect(() => alibabaMachines(['a,b'], { file: 'n.csv', diskGb: 0 })).toThrow(
      'not an Alibaba node list: the header lacks sn, cpu_milli, memory_mib (it has: a, b)',
    );
    try {
      alibabaMachines(['sn,cpu_milli,memory_mib', 'x,500,1024'], { file: 'n.csv', diskGb: 0 });
      expect.unreachable();
    } catch (error) {
      expect((error as TraceError).message).toContain('n.csv:2');
      expect((error as TraceError).message).toContain('cpu_milli: less than one vCPU');
    }
    expect(() =>
      alibabaMachines(['sn,cpu_milli,memory_mib'], { file: 'n.csv', diskGb: 0 }),
    ).toThrow('the node list has no machines');
  });
});
