import { describe, expect, it } from 'vitest';
import { collect } from './__fixtures__/collect.js';
import { traceFromLines } from './read-trace.js';

const jsonl = (...lines: string[]) => traceFromLines(lines, { format: 'jsonl', name: 't.jsonl' });

describe('generic JSON Lines format', () => {
  it('reads objects with the csv keys; null lifetime never leaves', async () => {
    const reader = jsonl(
      '{"id":"a","arrival":0,"lifetime":60,"vcpus":2,"memory_mb":1024,"disk_gb":10,"preemptible":true,"priority":3}',
      '',
      '{"id":7,"arrival":5,"lifetime":null,"vcpus":1,"memory_mb":512,"preemptible":"False"}',
      '{"arrival":6,"end":16,"vcpus":1,"memory_mb":512,"preemptible":false,"priority":null}',
    );
    expect(await collect(reader)).toEqual([
      {
        line: 1,
        id: 'a',
        arrival: 0,
        lifetime: 60,
        vcpus: 2,
        memoryMb: 1024,
        diskGb: 10,
        preemptible: true,
        priority: 3,
      },
      {
        line: 3,
        id: '7',
        arrival: 5,
        lifetime: Infinity,
        vcpus: 1,
        memoryMb: 512,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
      {
        line: 4,
        id: undefined,
        arrival: 6,
        lifetime: 10,
        vcpus: 1,
        memoryMb: 512,
        diskGb: 0,
        preemptible: false,
        priority: undefined,
      },
    ]);
  });

  it('reports bad lines with their reason', async () => {
    const reader = jsonl(
      '{"arrival":0,"lifetime":1,"vcpus":1,"memory_mb":1,"preemptible":false}',
      'not json',
      '[1,2]',
      '{"arrival":"0","lifetime":1,"vcpus":1,"memory_mb":1,"preemptible":false}',
      '{"arrival":0,"vcpus":1,"memory_mb":1,"preemptible":false}',
      '{"arrival":0,"lifetime":1,"end":2,"vcpus":1,"memory_mb":1,"preemptible":false}',
      '{"arrival":0,"lifetime":"1","vcpus":1,"memory_mb":1,"preemptible":false}',
      '{"arrival":0,"lifetime":1,"vcpus":1,"memory_mb":1,"preemptible":1.5}',
      '{"arrival":0,"lifetime":1,"vcpus":1,"memory_mb":1,"preemptible":false,"id":{}}',
    );
    expect((await collect(reader)).length).toBe(1);
    expect(reader.badRows.first.map((b) => `${b.line}: ${b.reason}`)).toEqual([
      expect.stringMatching(/^2: not valid JSON: /),
      '3: expected one JSON object per line',
      '4: arrival: expected a number, got "0"',
      '5: lifetime (or end): missing',
      '6: give lifetime or end, not both',
      '7: lifetime: expected a number or null, got "1"',
      '8: preemptible: expected true or false, got 1.5',
      '9: id: expected a string or a number, got {}',
    ]);
  });
});
