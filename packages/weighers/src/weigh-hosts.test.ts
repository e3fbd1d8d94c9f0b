import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HostState, HostWeigher } from '@opie/core';
import { makeHost, makeRequest } from '@opie/testing';
import { createIoOpsWeigher } from './io-ops-weigher.js';
import { createRamWeigher } from './ram-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const request = makeRequest();

/** A weigher returning `values[host.host]`, recording the hosts it weighed. */
function tableWeigher(
  values: Record<string, number>,
  extra: Partial<Pick<HostWeigher, 'minval' | 'maxval' | 'multiplier'>> = {},
): HostWeigher & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'test.TableWeigher',
    multiplier: 1,
    ...extra,
    calls,
    weigh(host) {
      calls.push(host.host);
      const v = values[host.host];
      if (v === undefined) throw new Error(`no value for ${host.host}`);
      return v;
    },
  };
}

const names = (weighed: { host: HostState }[]) => weighed.map((w) => w.host.host);

describe('weighHosts', () => {
  it('returns nothing for no hosts, without running a weigher', () => {
    const weigher = tableWeigher({});
    expect(weighHosts([weigher], [], request)).toEqual([]);
    expect(weigher.calls).toEqual([]);
  });

  it('returns a single host with weight 0 and no terms, without running a weigher', () => {
    const weigher = tableWeigher({ a: 5 });
    const host = makeHost({ host: 'a' });
    expect(weighHosts([weigher], [host], request)).toEqual([{ host, weight: 0, terms: [] }]);
    expect(weigher.calls).toEqual([]);
  });

  it('weighs every host once per weigher, in host order', () => {
    const w1 = tableWeigher({ a: 1, b: 2, c: 3 });
    const w2 = tableWeigher({ a: 1, b: 2, c: 3 });
    const hosts = ['a', 'b', 'c'].map((h) => makeHost({ host: h }));
    weighHosts([w1, w2], hosts, request);
    expect(w1.calls).toEqual(['a', 'b', 'c']);
    expect(w2.calls).toEqual(['a', 'b', 'c']);
  });

  it('without weighers every host weighs 0 and keeps its place', () => {
    const hosts = ['a', 'b', 'c'].map((h) => makeHost({ host: h }));
    const weighed = weighHosts([], hosts, request);
    expect(names(weighed)).toEqual(['a', 'b', 'c']);
    expect(weighed.map((w) => w.weight)).toEqual([0, 0, 0]);
  });

  describe('worked example (nova/weights.py normalisation, computed by hand)', () => {
    const weighers = [
      createRamWeigher({ multiplier: 1.0 }),
      createIoOpsWeigher({ multiplier: -1.0 }),
    ];

    it('request 1: totals A 0.6, B 0.0, C -0.5; order A, B, C', () => {
      const hosts = [
        makeHost({ host: 'A', freeRamMb: 1024, numIoOps: 0 }),
        makeHost({ host: 'B', freeRamMb: 2048, numIoOps: 2 }),
        makeHost({ host: 'C', freeRamMb: -512, numIoOps: 1 }),
      ];
      const weighed = weighHosts(weighers, hosts, request);
      expect(names(weighed)).toEqual(['A', 'B', 'C']);
      const [a, b, c] = weighed;
      expect(a!.weight).toBeCloseTo(0.6, 12);
      expect(b!.weight).toBeCloseTo(0.0, 12);
      expect(c!.weight).toBeCloseTo(-0.5, 12);
      // RAM: minval 0 is lowered to -512 by C; maxval 2048.
      expect(a!.terms.map((t) => t.normalized)).toEqual([0.6, 0]);
      expect(c!.terms).toEqual([
        {
          weigher: 'nova.scheduler.weights.ram.RAMWeigher',
          raw: -512,
          normalized: 0,
          multiplier: 1,
          weighted: 0,
        },
        {
          weigher: 'nova.scheduler.weights.io_ops.IoOpsWeigher',
          raw: 1,
          normalized: 0.5,
          multiplier: -1,
          weighted: -0.5,
        },
      ]);
    });

    it('request 2 on the same weighers: per-call bounds give A 0.667, B 1.0 (Liberty sticky: 0.6, 0.8)', () => {
      const first = [
        makeHost({ host: 'A', freeRamMb: 1024, numIoOps: 0 }),
        makeHost({ host: 'B', freeRamMb: 2048, numIoOps: 2 }),
        makeHost({ host: 'C', freeRamMb: -512, numIoOps: 1 }),
      ];
      weighHosts(weighers, first, request);
      const hosts = [
        makeHost({ host: 'A', freeRamMb: 1024, numIoOps: 0 }),
        makeHost({ host: 'B', freeRamMb: 1536, numIoOps: 0 }),
      ];
      const weighed = weighHosts(weighers, hosts, request);
      expect(names(weighed)).toEqual(['B', 'A']);
      // RAM bounds are 0..1536 for this call only (Liberty kept -512..2048).
      expect(weighed[0]!.weight).toBe(1.0);
      expect(weighed[1]!.weight).toBeCloseTo(2 / 3, 12);
      // IoOps: class minval 0 and every value 0: normalised 0.
      expect(weighed[0]!.terms[1]!.normalized).toBe(0);
    });
  });

  it('sorts by weight descending, keeping input order on ties (stable)', () => {
    const weigher = tableWeigher({ a: 1, b: 3, c: 1, d: 3, e: 2, f: 1 });
    const hosts = ['a', 'b', 'c', 'd', 'e', 'f'].map((h) => makeHost({ host: h }));
    expect(names(weighHosts([weigher], hosts, request))).toEqual(['b', 'd', 'e', 'a', 'c', 'f']);
  });

  it('keeps the input order when every host weighs the same', () => {
    const hosts = Array.from({ length: 20 }, (_, i) => makeHost({ host: `h${i}`, freeRamMb: 512 }));
    const weighed = weighHosts([createRamWeigher()], hosts, request);
    expect(names(weighed)).toEqual(hosts.map((h) => h.host));
    // minval 0 and maxval 512: every host normalises to 1.
    expect(weighed.every((w) => w.weight === 1)).toBe(true);
  });

  it('bounds start at the class minval and widen to the values (no clamping)', () => {
    const weigher = tableWeigher({ a: 10, b: 20 }, { minval: 0 });
    const weighed = weighHosts(
      [weigher],
      ['a', 'b'].map((h) => makeHost({ host: h })),
      request,
    );
    expect(weighed.map((w) => w.weight)).toEqual([1, 0.5]);
  });

  it('a value above the class maxval raises the maximum for this call', () => {
    const weigher = tableWeigher({ a: -4, b: 4, c: 0 }, { maxval: 0 });
    const weighed = weighHosts(
      [weigher],
      ['a', 'b', 'c'].map((h) => makeHost({ host: h })),
      request,
    );
    expect(names(weighed)).toEqual(['b', 'c', 'a']);
    expect(weighed.map((w) => w.weight)).toEqual([1, 0.5, 0]);
  });

  it('a value below a class minval and above a class maxval stays inside the widened bounds', () => {
    const weigher = tableWeigher({ a: 0, b: 100 }, { minval: 10, maxval: 50 });
    const weighed = weighHosts(
      [weigher],
      ['a', 'b'].map((h) => makeHost({ host: h })),
      request,
    );
    expect(weighed.map((w) => w.terms[0]!.normalized)).toEqual([1, 0]);
  });

  it('bounds do not stick between calls (Victoria fix of bug 1870096)', () => {
    const ram = createRamWeigher();
    const big = [
      makeHost({ host: 'x', freeRamMb: 100_000 }),
      makeHost({ host: 'y', freeRamMb: 0 }),
    ];
    weighHosts([ram], big, request);
    const small = [
      makeHost({ host: 'a', freeRamMb: 100 }),
      makeHost({ host: 'b', freeRamMb: 200 }),
    ];
    expect(weighHosts([ram], small, request).map((w) => w.weight)).toEqual([1, 0.5]);
  });

  it('equal bounds normalise every host to 0', () => {
    const weigher = tableWeigher({ a: 7, b: 7 }, { multiplier: 5 });
    const weighed = weighHosts(
      [weigher],
      ['a', 'b'].map((h) => makeHost({ host: h })),
      request,
    );
    expect(weighed.map((w) => w.weight)).toEqual([0, 0]);
    expect(weighed[0]!.terms[0]).toMatchObject({ raw: 7, normalized: 0, weighted: 0 });
  });

  it('multiplies each normalised weight and sums the weighers', () => {
    const w1 = tableWeigher({ a: 0, b: 10 }, { multiplier: 2 });
    const w2 = tableWeigher({ a: 10, b: 0 }, { multiplier: 3 });
    const weighed = weighHosts(
      [w1, w2],
      ['a', 'b'].map((h) => makeHost({ host: h })),
      request,
    );
    expect(names(weighed)).toEqual(['a', 'b']);
    expect(weighed.map((w) => w.weight)).toEqual([3, 2]);
  });

  it('a zero multiplier still reports its terms', () => {
    const weigher = tableWeigher({ a: 0, b: 10 }, { multiplier: 0 });
    const weighed = weighHosts(
      [weigher],
      ['a', 'b'].map((h) => makeHost({ host: h })),
      request,
    );
    expect(weighed.map((w) => w.weight)).toEqual([0, 0]);
    expect(weighed.map((w) => w.terms[0]!.normalized)).toEqual([0, 1]);
  });

  it('explain: false gives the same order and weights without terms', () => {
    const hosts = [
      makeHost({ host: 'A', freeRamMb: 1024, numIoOps: 0 }),
      makeHost({ host: 'B', freeRamMb: 2048, numIoOps: 2 }),
      makeHost({ host: 'C', freeRamMb: -512, numIoOps: 1 }),
    ];
    const weighers = [createRamWeigher(), createIoOpsWeigher()];
    const explained = weighHosts(weighers, hosts, request);
    const fast = weighHosts(weighers, hosts, request, { explain: false });
    expect(fast.map((w) => [w.host, w.weight])).toEqual(explained.map((w) => [w.host, w.weight]));
    expect(fast.every((w) => w.terms.length === 0)).toBe(true);
    expect(Object.isFrozen(fast[0]!.terms)).toBe(true);
    expect(fast[0]!.terms).toBe(fast[1]!.terms);
  });

  it('passes the request to every weigher', () => {
    const seen: number[] = [];
    const weigher: HostWeigher = {
      name: 'test.NowWeigher',
      multiplier: 1,
      weigh: (_host, req) => {
        seen.push(req.now);
        return 0;
      },
    };
    const req = makeRequest({}, { now: 1234 });
    weighHosts([weigher], [makeHost({ host: 'a' }), makeHost({ host: 'b' })], req);
    expect(seen).toEqual([1234, 1234]);
  });

  it('errors of a weigher propagate', () => {
    const weigher = tableWeigher({ a: 1 });
    const hosts = ['a', 'missing'].map((h) => makeHost({ host: h }));
    expect(() => weighHosts([weigher], hosts, request)).toThrow('no value for missing');
  });

  it('does not reorder or change the input array', () => {
    const hosts = ['a', 'b'].map((h) => makeHost({ host: h }));
    const copy = [...hosts];
    weighHosts([tableWeigher({ a: 0, b: 1 })], hosts, request);
    expect(hosts).toEqual(copy);
  });
});

describe('weighHosts with a limit (the scheduler hot path)', () => {
  const hostsOf = (values: Record<string, number>) =>
    Object.keys(values).map((h) => makeHost({ host: h }));
  const pairs = (weighed: { host: HostState; weight: number }[]) =>
    weighed.map((w) => [w.host.host, w.weight]);

  it('gives the first `limit` hosts of the full result, ties in input order', () => {
    const values = { a: 1, b: 3, c: 3, d: 0, e: 3, f: 2 };
    const weighers = [tableWeigher(values)];
    const full = weighHosts(weighers, hostsOf(values), request, { explain: false });
    expect(names(full)).toEqual(['b', 'c', 'e', 'f', 'a', 'd']);
    for (const limit of [1, 2, 3, 4, 5]) {
      const top = weighHosts(weighers, hostsOf(values), request, { explain: false, limit });
      expect(pairs(top)).toEqual(pairs(full.slice(0, limit)));
      expect(top.every((w) => w.terms.length === 0)).toBe(true);
    }
  });

  it('limit 0 gives nothing; a limit of n or more gives the full result; fractions round down', () => {
    const values = { a: 1, b: 2, c: 0 };
    const weighers = [tableWeigher(values)];
    const run = (limit: number) =>
      names(weighHosts(weighers, hostsOf(values), request, { explain: false, limit }));
    expect(run(0)).toEqual([]);
    expect(run(-1)).toEqual([]);
    expect(run(1.9)).toEqual(['b']);
    expect(run(3)).toEqual(['b', 'a', 'c']);
    expect(run(10)).toEqual(['b', 'a', 'c']);
  });

  it('is ignored when explaining', () => {
    const values = { a: 1, b: 2 };
    const weighed = weighHosts([tableWeigher(values)], hostsOf(values), request, { limit: 1 });
    expect(names(weighed)).toEqual(['b', 'a']);
    expect(weighed[0]!.terms).toHaveLength(1);
  });

  it('runs each weigher once per host, as without a limit', () => {
    const values = { a: 1, b: 2, c: 3 };
    const weigher = tableWeigher(values);
    weighHosts([weigher], hostsOf(values), request, { explain: false, limit: 1 });
    expect(weigher.calls).toEqual(['a', 'b', 'c']);
  });

  it('a NaN weight gives what the full sort gives', () => {
    const values = { a: 1, b: Number.NaN, c: 3, d: 2 };
    const weighers = [tableWeigher(values, { minval: 0, maxval: 4 })];
    const full = weighHosts(weighers, hostsOf(values), request, { explain: false });
    const top = weighHosts(weighers, hostsOf(values), request, { explain: false, limit: 2 });
    expect(pairs(top)).toEqual(pairs(full.slice(0, 2)));
  });

  it('equals the full result cut to the limit, for any weights (property)', () => {
    const hostNames = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
    const column = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(column, fc.constantFrom(-2, -1, 0, 0.5, 1, 1000)), {
          maxLength: 3,
        }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 9 }),
        (columns, n, limit) => {
          const hosts = hostNames.slice(0, n).map((h) => makeHost({ host: h }));
          const weighers = columns.map(([col, multiplier]) =>
            tableWeigher(Object.fromEntries(hostNames.map((h, i) => [h, col[i]!])), {
              multiplier,
            }),
          );
          const full = weighHosts(weighers, hosts, request, { explain: false });
          const top = weighHosts(weighers, hosts, request, { explain: false, limit });
          expect(top.map((w) => [w.host, w.weight])).toEqual(
            full.slice(0, limit).map((w) => [w.host, w.weight]),
          );
          const explained = weighHosts(weighers, hosts, request);
          expect(full.map((w) => [w.host, w.weight])).toEqual(
            explained.map((w) => [w.host, w.weight]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
