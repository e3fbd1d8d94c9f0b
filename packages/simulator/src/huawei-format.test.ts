import { describe, expect, it } from 'vitest';
import { collect, TRACES } from './__fixtures__/collect.js';
import { openTrace, traceFromLines } from './read-trace.js';
import { inSeededFraction } from './seeded-fraction.js';

const SAMPLE = ['vmid,cpu,mem,at,lt', '0,4,16,0.0,194.0', '1,1,2,2.0,498.0', '2,1,1,55.0,554.0'];

describe('huawei adapter', () => {
  it('maps VMs: cpu vCPUs, mem GB to MB, at and lt in seconds, none preemptible by default', async () => {
    const rows = await collect(traceFromLines(SAMPLE, { format: 'huawei' }));
    expect(rows).toEqual([
      {
        line: 2,
        id: '0',
        arrival: 0,
        lifetime: 194,
        vcpus: 4,
        memoryMb: 16384,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
      {
        line: 3,
        id: '1',
        arrival: 2,
        lifetime: 498,
        vcpus: 1,
        memoryMb: 2048,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
      {
        line: 4,
        id: '2',
        arrival: 55,
        lifetime: 554,
        vcpus: 1,
        memoryMb: 1024,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
    ]);
  });

  it('marks a seeded fraction preemptible, by vmid, the same on every read', async () => {
    const read = async (seed: number) =>
      (
        await collect(traceFromLines(SAMPLE, { format: 'huawei', preemptibleFraction: 0.5, seed }))
      ).map((r) => r.preemptible);
    const expected = ['0', '1', '2'].map((id) => inSeededFraction(3, id, 0.5));
    expect(await read(3)).toEqual(expected);
    expect(await read(3)).toEqual(await read(3));
    expect(
      (await collect(traceFromLines(SAMPLE, { format: 'huawei', preemptibleFraction: 1 }))).every(
        (r) => r.preemptible,
      ),
    ).toBe(true);
  });

  it('rejects a fraction outside [0, 1]', () => {
    expect(() => traceFromLines(SAMPLE, { format: 'huawei', preemptibleFraction: 1.5 })).toThrow(
      RangeError,
    );
  });

  it('reports a row without vmid or with a negative lifetime', async () => {
    const reader = traceFromLines(['vmid,cpu,mem,at,lt', ',1,1,0,1', '5,1,1,0,-2'], {
      format: 'huawei',
    });
    expect(await collect(reader)).toEqual([]);
    expect(reader.badRows.first.map((b) => b.reason)).toEqual([
      'vmid: missing',
      'lt: expected a number >= 0, got "-2"',
    ]);
  });

  it('reads the first rows of the real East-1 trace, with about the given preemptible share', async () => {
    const reader = await openTrace(`${TRACES}/huawei-east-1/Huawei-East-1-lt.csv`, {
      format: 'huawei',
      preemptibleFraction: 0.3,
      seed: 1,
      limit: 5000,
    });
    const rows = await collect(reader);
    expect(rows).toHaveLength(5000);
    expect(rows[0]).toMatchObject({
      id: '0',
      arrival: 0,
      lifetime: 194,
      vcpus: 4,
      memoryMb: 16384,
    });
    const share = rows.filter((r) => r.preemptible).length / rows.length;
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
    expect(reader.badRows.count).toBe(0);
  });
});
