import { describe, expect, it } from 'vitest';
import { createProgressReporter } from './progress.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, sink: { isTTY, write: (s: string) => out.push(s) } };
}

describe('progress', () => {
  it('redraws a bar on a terminal, at most every 100 ms', () => {
    let now = 0;
    const { out, sink: s } = sink(true);
    let fraction = 0.5;
    const p = createProgressReporter({
      sink: s,
      clock: () => now,
      label: 'sim',
      fraction: () => fraction,
    });
    now = 1000;
    p.update({ rows: 10, events: 2000 });
    now = 1050;
    p.update({ rows: 11, events: 2100 }); // too soon
    expect(out).toEqual([
      `\r\x1b[2Ksim: [${'#'.repeat(14)}${'.'.repeat(14)}]  50 % 2,000 events, 2,000 events/s, 10 requests`,
    ]);
    fraction = 1;
    now = 2000;
    p.done({ rows: 20, events: 4000 });
    expect(out[1]).toBe('\r\x1b[2Ksim: done, 4,000 events, 2,000 events/s, 20 requests in 2.0 s\n');
  });

  it('writes plain lines when not a terminal: every few seconds or each 10 %', () => {
    let now = 0;
    let fraction: number | undefined = 0.05;
    const { out, sink: s } = sink(false);
    const p = createProgressReporter({
      sink: s,
      clock: () => now,
      fraction: () => fraction,
      plainEveryMs: 5000,
    });
    p.update({ rows: 1, events: 1 }); // first line
    now = 1000;
    p.update({ rows: 2, events: 2 }); // same decile, too soon
    fraction = 0.12;
    p.update({ rows: 3, events: 3 }); // next decile
    now = 7000;
    p.update({ rows: 4, events: 4 }); // 5 s later
    fraction = undefined;
    now = 8000;
    p.update({ rows: 5, events: 5 }); // unknown fraction, too soon
    expect(out).toHaveLength(3);
    expect(out[0]).toBe('progress:   5 % 1 events, 1,000 events/s, 1 requests\n');
    expect(out[1]).toMatch(/^progress: {2}12 % 3 events/);
    expect(out[2]).toMatch(/^progress: {2}12 % 4 events/);
    p.done({ rows: 5, events: 5 });
    expect(out[3]).toMatch(/^progress: done, 5 events, 1 events\/s, 5 requests in 8\.0 s\n$/);
  });
});
