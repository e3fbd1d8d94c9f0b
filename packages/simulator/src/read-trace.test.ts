import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from './__fixtures__/collect.js';
import { TraceError } from './bad-row.js';
import { DEFAULT_REORDER_WINDOW, openTrace, traceFromLines } from './read-trace.js';
import { formatForPath } from './trace-formats.js';

const HEADER = 'arrival,lifetime,vcpus,memory_mb,preemptible';
const good = (arrival: number) => `${arrival},10,1,512,false`;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opie-trace-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readTrace', () => {
  it('streams a file: BOM, CRLF, blank and # comment lines; lines numbered from 1', async () => {
    const path = join(dir, 'a.csv');
    await writeFile(path, `\ufeff# a comment\r\n${HEADER}\r\n\r\n${good(0)}\r\n${good(5)}\r\n`);
    const reader = await openTrace(path, { name: 'a.csv' });
    expect(reader.format).toBe('csv');
    expect((await collect(reader)).map((r) => [r.line, r.arrival])).toEqual([
      [4, 0],
      [5, 5],
    ]);
    expect(reader.lines).toBe(5);
    expect(reader.rows).toBe(2);
    expect(reader.bytesRead).toBe(reader.size);
  });

  it('skips and counts bad rows, keeping the first 10 (default)', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 25; i++) lines.push(i % 2 === 0 ? good(i) : `${i},10,1,lots,false`);
    const reader = traceFromLines(lines, { format: 'csv', name: 'b.csv' });
    expect((await collect(reader)).length).toBe(13);
    expect(reader.badRows.count).toBe(12);
    expect(reader.badRows.first).toHaveLength(10);
    expect(reader.badRows.first[0]).toEqual({
      file: 'b.csv',
      line: 3,
      reason: 'memory_mb: expected a number, got "lots"',
    });
  });

  it('fails on the first bad row when strict, naming file and line', async () => {
    const reader = traceFromLines([HEADER, good(0), '1,10,1,512,perhaps', 'also bad'], {
      format: 'csv',
      name: 'c.csv',
      strict: true,
    });
    const error = await collect(reader).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceError);
    expect((error as TraceError).badRow).toEqual({
      file: 'c.csv',
      line: 3,
      reason: 'preemptible: expected true or false, got "perhaps"',
    });
    expect((error as Error).message).toBe(
      'Invalid trace file c.csv:\n  - c.csv:3: preemptible: expected true or false, got "perhaps"',
    );
  });

  it('sorts a slightly unsorted trace and reports rows beyond the reorder window', async () => {
    const lines = [HEADER, good(10), good(5), good(20), good(30), good(1), good(40)];
    const reader = traceFromLines(lines, { format: 'csv', name: 'd.csv', reorderWindow: 2 });
    expect((await collect(reader)).map((r) => r.arrival)).toEqual([5, 10, 20, 30, 40]);
    expect(reader.badRows.first).toEqual([
      {
        file: 'd.csv',
        line: 6,
        reason:
          'arrives at 1 s, before a row already replayed (10 s): the trace is more than 2 rows out of order (raise --reorder-window or sort it)',
      },
    ]);
    expect(DEFAULT_REORDER_WINDOW).toBe(1024);
  });

  it('stops after limit good rows', async () => {
    const reader = traceFromLines([HEADER, good(0), 'bad', good(1), good(2)], {
      format: 'csv',
      limit: 2,
    });
    expect((await collect(reader)).map((r) => r.arrival)).toEqual([0, 1]);
    expect(reader.badRows.count).toBe(1);
  });

  it('can be read only once', async () => {
    const reader = traceFromLines([HEADER], { format: 'csv' });
    await collect(reader);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('reports a missing file or a directory as a TraceError', async () => {
    await expect(openTrace(join(dir, 'nope.csv'), { name: 'nope.csv' })).rejects.toThrow(
      'Invalid trace file nope.csv:\n  - nope.csv: cannot read the file: it does not exist',
    );
    await expect(openTrace(dir, { name: 'dir' })).rejects.toThrow(/it is not a file/);
  });

  it('guesses the generic format from the extension', () => {
    expect(formatForPath('x/y.jsonl')).toBe('jsonl');
    expect(formatForPath('y.NDJSON')).toBe('jsonl');
    expect(formatForPath('y.csv')).toBe('csv');
    expect(formatForPath('y.txt')).toBe('csv');
  });
});

describe('openTrace keeps the lines read before iteration begins', () => {
  it('a reader iterated only after the file was read whole still sees every row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opie-trace-late-'));
    const path = join(dir, 'late.csv');
    // One header and two rows: the whole file fits in readline's first chunk.
    await writeFile(path, `${HEADER}\n${good(0)}\n${good(1)}\n`);
    const reader = await openTrace(path, { format: 'csv' });
    // Let the stream deliver (and readline emit) everything before iterating.
    await new Promise((r) => setTimeout(r, 50));
    const arrivals: number[] = [];
    for await (const row of reader) arrivals.push(row.arrival);
    expect(arrivals).toEqual([0, 1]);
    await rm(dir, { recursive: true, force: true });
  });
});
