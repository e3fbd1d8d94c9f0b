import { describe, expect, it } from 'vitest';
import { collect } from './__fixtures__/collect.js';
import { TraceError } from './bad-row.js';
import { traceFromLines } from './read-trace.js';

const csv = (text: string, options: Parameters<typeof traceFromLines>[1] = { format: 'csv' }) =>
  traceFromLines(text.split('\n'), { name: 't.csv', ...options });

describe('generic CSV format', () => {
  it('reads every column, in any order, ignoring unknown ones', async () => {
    const reader = csv(
      [
        'id,preemptible,memory_mb,vcpus,arrival,lifetime,disk_gb,priority,note',
        'a,true,2048,2,0,3600,20,5,x',
        'b,no,512,1,1.5,,,,y',
      ].join('\n'),
    );
    expect(await collect(reader)).toEqual([
      {
        line: 2,
        id: 'a',
        arrival: 0,
        lifetime: 3600,
        vcpus: 2,
        memoryMb: 2048,
        diskGb: 20,
        preemptible: true,
        priority: 5,
      },
      {
        line: 3,
        id: 'b',
        arrival: 1.5,
        lifetime: Infinity,
        vcpus: 1,
        memoryMb: 512,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
    ]);
  });

  it('takes end instead of lifetime, and applies the unit options', async () => {
    const reader = csv('arrival,end,vcpus,memory_mb,preemptible\n2,5,1.5,1.5,TRUE', {
      format: 'csv',
      timeUnit: 'min',
      memoryUnit: 'gb',
      cpuRounding: 'none',
    });
    const [row] = await collect(reader);
    expect(row).toMatchObject({
      arrival: 120,
      lifetime: 180,
      vcpus: 1.5,
      memoryMb: 1536,
      preemptible: true,
    });
  });

  it('fails on a header without the required columns, or with both lifetime and end', async () => {
    await expect(collect(csv('arrival,vcpus\n1,1'))).rejects.toThrow(
      /t\.csv:1: the header lacks the column\(s\): memory_mb, preemptible, lifetime \(or end\)/,
    );
    await expect(
      collect(csv('arrival,lifetime,end,vcpus,memory_mb,preemptible\n')),
    ).rejects.toThrow(/both lifetime and end/);
    await expect(collect(csv(''))).rejects.toThrow(TraceError);
  });

  it('reports each bad row with its line and reason (test_bad_rows)', async () => {
    const reader = csv(
      [
        'arrival,lifetime,vcpus,memory_mb,preemptible',
        '0,10,1,512,false',
        '1,10,x,512,false', // 3
        '2,10,1,512,maybe', // 4
        '3,10,0,512,false', // 5
        '4,-1,1,512,false', // 6
        '-5,10,1,512,false', // 7
        '6,10,1,512', // 8
        '7,10,1,,true', // 9
        '"8,10,1,512,true', // 10
        '9,10,1,512,true',
      ].join('\n'),
    );
    const rows = await collect(reader);
    expect(rows.map((r) => r.line)).toEqual([2, 11]);
    expect(reader.badRows.count).toBe(8);
    expect(reader.badRows.first.map((b) => `${b.line}: ${b.reason}`)).toEqual([
      '3: vcpus: expected a number, got "x"',
      '4: preemptible: expected true or false, got "maybe"',
      '5: vcpus: expected a number > 0, got "0"',
      '6: lifetime: expected a duration >= 0, got -1',
      '7: arrival: expected a time >= 0, got -5',
      '8: expected 5 fields like the header, got 4',
      '9: memory_mb: missing',
      '10: unterminated quoted field',
    ]);
    expect(reader.badRows.first[0]?.file).toBe('t.csv');
  });

  it('rejects an end before the arrival', async () => {
    const reader = csv('arrival,end,vcpus,memory_mb,preemptible\n10,5,1,512,false');
    expect(await collect(reader)).toEqual([]);
    expect(reader.badRows.first[0]?.reason).toBe('end: 5 is before the arrival (10)');
  });
});
