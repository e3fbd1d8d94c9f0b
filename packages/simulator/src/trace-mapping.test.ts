import { describe, expect, it } from 'vitest';
import { collect } from './__fixtures__/collect.js';
import { traceFromLines } from './read-trace.js';
import type { ReadTraceOptions } from './read-trace.js';
import {
  parseColumnsOption,
  parsePreemptibleWhen,
  parseScaleOption,
  TraceMappingError,
} from './trace-mapping.js';
import type { TraceFormatName } from './trace-format.js';

const read = (format: TraceFormatName, lines: string[], options: ReadTraceOptions = {}) =>
  collect(traceFromLines(lines, { name: `t.${format}`, format, ...options }));

/**
 * An Azure-like trace: sizes as fractions of a 64-vCPU, 256 GiB machine,
 * times in seconds, `priority` 1 = evictable (a different meaning from ours).
 */
const AZURE = [
  'vmid,starttime,endtime,corecount,memory,priority',
  'v1,0,3600,0.25,0.0625,1',
  'v2,60,,0.3,0.5,0',
];
const AZURE_OPTIONS: ReadTraceOptions = {
  columns: parseColumnsOption(
    'id=vmid,arrival=starttime,end=endtime,vcpus=corecount,memory_mb=memory',
  ),
  scale: parseScaleOption('vcpus=64,memory_mb=262144'),
  preemptibleWhen: parsePreemptibleWhen('priority=1'),
};

describe('--columns, --scale, --preemptible-when', () => {
  it('reads a trace with other column names, scaled, with its own spot flag', async () => {
    const rows = await read('csv', AZURE, AZURE_OPTIONS);
    expect(rows).toEqual([
      {
        line: 2,
        id: 'v1',
        arrival: 0,
        lifetime: 3600, // end 3600 - arrival 0
        vcpus: 16, // 0.25 x 64
        memoryMb: 16384, // 0.0625 x 262144 MB
        diskGb: 0,
        preemptible: true, // priority = 1
        // Our priority field is not mapped: the trace's priority column is never read as it.
        priority: undefined,
      },
      {
        line: 3,
        id: 'v2',
        arrival: 60,
        lifetime: Infinity, // empty end: never leaves
        vcpus: 20, // 0.3 x 64 = 19.2, rounded up after scaling
        memoryMb: 131072, // 0.5 x 262144
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
    ]);
  });

  it('scales the raw value before the unit conversion', async () => {
    // 1.5 "units" x 2 = 3 GB = 3072 MB (scaled first, then converted from gb).
    const rows = await read(
      'csv',
      ['arrival,lifetime,vcpus,memory_mb,preemptible', '10,5,1,1.5,false'],
      { scale: { memory_mb: 2, arrival: 60, lifetime: 60 }, memoryUnit: 'gb' },
    );
    expect(rows[0]).toMatchObject({ memoryMb: 3072, arrival: 600, lifetime: 300 });
  });

  it('maps JSON Lines keys the same way', async () => {
    const rows = await read(
      'jsonl',
      [
        '{"vmid":"v1","starttime":0,"endtime":3600,"corecount":0.25,"memory":0.0625,"priority":1}',
        '{"vmid":"v2","starttime":60,"endtime":null,"corecount":0.3,"memory":0.5,"priority":0}',
      ],
      AZURE_OPTIONS,
    );
    expect(rows.map((r) => [r.id, r.vcpus, r.memoryMb, r.lifetime, r.preemptible])).toEqual([
      ['v1', 16, 16384, 3600, true],
      ['v2', 20, 131072, Infinity, false],
    ]);
  });

  it('names the mapped column of a bad value', async () => {
    const reader = traceFromLines([...AZURE.slice(0, 2), 'v3,5,60,x,0.5,0'], {
      name: 't.csv',
      format: 'csv',
      ...AZURE_OPTIONS,
    });
    await collect(reader);
    expect(reader.badRows.first).toEqual([
      { file: 't.csv', line: 3, reason: 'vcpus (column "corecount"): expected a number, got "x"' },
    ]);
  });

  it('fails on a mapping to a column the header lacks, naming the option and the header', async () => {
    const lines = ['a,b,c', '1,2,3'];
    await expect(
      read('csv', lines, {
        columns: { arrival: 'start', vcpus: 'b', memory_mb: 'c', lifetime: 'a' },
      }),
    ).rejects.toThrow(
      't.csv:1: --columns maps arrival=start, but the header has no such column (it has: a, b, c)',
    );
    // A required field left unmapped.
    await expect(read('csv', lines, { columns: { arrival: 'a', vcpus: 'b' } })).rejects.toThrow(
      'the header lacks the column(s) (--columns): memory_mb (map it: memory_mb=COLUMN), preemptible (map it: preemptible=COLUMN), lifetime or end (map one) (it has: a, b, c); or mark preemptible rows with --preemptible-when column=value',
    );
    await expect(
      read('csv', lines, {
        columns: { arrival: 'a', vcpus: 'b', memory_mb: 'c', lifetime: 'a' },
        preemptibleWhen: { column: 'qos', values: ['BE'] },
      }),
    ).rejects.toThrow(
      '--preemptible-when reads the column "qos", which the header lacks (it has: a, b, c)',
    );
    await expect(read('jsonl', ['{"a":1}'], { columns: { arrival: 'start' } })).rejects.toThrow(
      't.jsonl:1: --columns maps arrival=start, but the first object has no such column (it has: a)',
    );
  });

  it('applies to the generic formats only', () => {
    expect(() => traceFromLines([], { format: 'huawei', columns: { arrival: 'at' } })).toThrow(
      'columns, scale and preemptibleWhen apply to the csv and jsonl formats only, not huawei',
    );
  });
});

describe('parsing the options', () => {
  it('reads field=column lists', () => {
    expect(parseColumnsOption(' ID = vmid , arrival=start ')).toEqual({
      id: 'vmid',
      arrival: 'start',
    });
    expect(parseScaleOption('vcpus=64,memory_mb=1.5')).toEqual({ vcpus: 64, memory_mb: 1.5 });
    expect(parsePreemptibleWhen('qos=BE|spot')).toEqual({ column: 'qos', values: ['BE', 'spot'] });
  });

  it('rejects bad values with the option named', () => {
    const bad = (f: () => unknown, message: string) => {
      expect(f).toThrow(TraceMappingError);
      expect(f).toThrow(message);
    };
    bad(
      () => parseColumnsOption('cpu=x'),
      '--columns: unknown field "cpu" (the fields: id, arrival, end, lifetime, vcpus, memory_mb, disk_gb, preemptible, priority)',
    );
    bad(() => parseColumnsOption('arrival'), '--columns: expected field=value, got "arrival"');
    bad(() => parseColumnsOption(''), '--columns: expected field=value[,field=value...]');
    bad(() => parseColumnsOption('id=a,id=b'), '--columns: id is mapped twice ("a", "b")');
    bad(() => parseColumnsOption('end=a,lifetime=b'), '--columns: map end or lifetime, not both');
    bad(() => parseScaleOption('id=2'), '--scale: "id" is not a numeric field');
    bad(() => parseScaleOption('vcpus=0'), '--scale: vcpus: expected a factor > 0, got "0"');
    bad(() => parseScaleOption('vcpus=2,vcpus=3'), '--scale: vcpus is scaled twice');
    bad(
      () => parsePreemptibleWhen('priority'),
      '--preemptible-when: expected column=value[|value...], got "priority"',
    );
    bad(() => parsePreemptibleWhen('priority=|'), '--preemptible-when: expected column=value');
  });
});
