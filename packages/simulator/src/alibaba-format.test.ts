import { describe, expect, it } from 'vitest';
import { collect, TRACES } from './__fixtures__/collect.js';
import { openTrace, traceFromLines } from './read-trace.js';

const HEADER =
  'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';

describe('alibaba adapter', () => {
  it('maps pods: cpu_milli/1000 vCPUs (rounded up), MiB, BE preemptible, unscheduled pods arrive', async () => {
    const reader = traceFromLines(
      [
        HEADER,
        'p0,12000,16384,1,1000,,LS,Running,0,12537496,0',
        'p1,3152,5600,1,100,,BE,Pending,100,400,',
        'p2,500,1024,0,0,,Burstable,Failed,100,100,100',
      ],
      { format: 'alibaba', name: 'pods.csv' },
    );
    expect(await collect(reader)).toEqual([
      {
        line: 2,
        id: 'p0',
        arrival: 0,
        lifetime: 12537496,
        vcpus: 12,
        memoryMb: 16384,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
      {
        line: 3,
        id: 'p1',
        arrival: 100,
        lifetime: 300,
        vcpus: 4,
        memoryMb: 5600,
        diskGb: 0,
        preemptible: true,
        priority: undefined,
      },
      {
        line: 4,
        id: 'p2',
        arrival: 100,
        lifetime: 0,
        vcpus: 1,
        memoryMb: 1024,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
    ]);
  });

  it('keeps fractional vCPUs with cpuRounding none', async () => {
    const reader = traceFromLines([HEADER, 'p1,3152,5600,1,100,,BE,Pending,100,400,'], {
      format: 'alibaba',
      cpuRounding: 'none',
    });
    expect((await collect(reader))[0]?.vcpus).toBe(3.152);
  });

  it('reports an unknown qos and a pod without memory', async () => {
    const reader = traceFromLines(
      [HEADER, 'p1,1000,0,0,0,,LS,Running,1,2,1', 'p2,1000,10,0,0,,Spot,Running,1,2,1'],
      { format: 'alibaba', name: 'pods.csv' },
    );
    expect(await collect(reader)).toEqual([]);
    expect(reader.badRows.first.map((b) => `${b.line}: ${b.reason}`)).toEqual([
      '2: memory_mib: expected a number > 0, got "0"',
      '3: qos: expected BE, LS, Burstable or Guaranteed, got "Spot"',
    ]);
  });

  it('reads the first rows of the real openb pod list (sorted by creation_time)', async () => {
    const reader = await openTrace(`${TRACES}/alibaba-gpu-2023/openb_pod_list_default.csv`, {
      format: 'alibaba',
      limit: 200,
    });
    const rows = await collect(reader);
    expect(rows).toHaveLength(200);
    expect(rows[0]).toEqual({
      line: 2,
      id: 'openb-pod-0000',
      arrival: 0,
      lifetime: 12537496,
      vcpus: 12,
      memoryMb: 16384,
      diskGb: 0,
      preemptible: false,
      priority: undefined,
    });
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.arrival).toBeGreaterThanOrEqual(rows[i - 1]!.arrival);
    }
    expect(rows.some((r) => r.preemptible)).toBe(true);
    expect(reader.size).toBe(575468);
  });
});
