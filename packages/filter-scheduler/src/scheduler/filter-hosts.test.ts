import type { FilterRequest, HostFilter, HostState } from '@opie/core';
import { makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { filterHosts } from './filter-hosts.js';

/** A filter failing the named hosts, recording every host it was asked about. */
function failing(
  name: string,
  fail: string[],
  extra: Partial<Pick<HostFilter, 'runFilterOncePerRequest' | 'passesAll'>> = {},
): HostFilter & { calls: string[] } {
  const calls: string[] = [];
  return {
    name,
    runFilterOncePerRequest: false,
    ...extra,
    calls,
    hostPasses(host: HostState) {
      calls.push(host.host);
      return !fail.includes(host.host);
    },
  };
}

const hosts = (): HostState[] =>
  ['a', 'b', 'c'].map((h) => makeHost({ host: h, nodename: `${h}-node` }));
const names = (list: readonly HostState[]) => list.map((h) => h.host);

describe('filterHosts', () => {
  it('runs the filters in order on the survivors; input order kept, input untouched', () => {
    const input = hosts();
    const f1 = failing('F1', ['b']);
    const f2 = failing('F2', ['c']);
    const out = filterHosts([f1, f2], input, makeRequest());
    expect(names(out.passed)).toEqual(['a']);
    expect(f2.calls).toEqual(['a', 'c']);
    expect(names(input)).toEqual(['a', 'b', 'c']);
    expect(out.emptiedBy).toBeUndefined();
    expect(out.forced).toBe(false);
  });

  it('stops at the first filter that leaves no host and names it', () => {
    const f1 = failing('F1', ['a', 'b', 'c']);
    const f2 = failing('F2', []);
    const out = filterHosts([f1, f2], hosts(), makeRequest());
    expect(out.passed).toEqual([]);
    expect(out.emptiedBy).toBe('F1');
    expect(f2.calls).toEqual([]);
  });

  it('skips run-once filters after the first instance', () => {
    const once = failing('Once', ['a'], { runFilterOncePerRequest: true });
    const request = makeRequest();
    request.index = 1;
    expect(names(filterHosts([once], hosts(), request).passed)).toEqual(['a', 'b', 'c']);
    expect(once.calls).toEqual([]);
  });

  it('records why each host was rejected only when explaining', () => {
    const input = hosts();
    const filters = [failing('F1', ['b']), failing('F2', ['c'])];
    const quiet = filterHosts(filters, input, makeRequest());
    expect(quiet.rejectedBy.size).toBe(0);
    const explained = filterHosts(filters, input, makeRequest(), true);
    expect([...explained.rejectedBy].map(([h, f]) => [h.host, f])).toEqual([
      ['b', 'F1'],
      ['c', 'F2'],
    ]);
  });

  it('ignore_hosts, then force_hosts / force_nodes without running any filter', () => {
    const f = failing('F', ['a', 'b', 'c']);
    const ignored = filterHosts([f], hosts(), makeRequest({ ignoreHosts: ['a'] }));
    expect(ignored.emptiedBy).toBe('F');
    const allIgnored = filterHosts([f], hosts(), makeRequest({ ignoreHosts: ['a', 'b', 'c'] }));
    expect(allIgnored.emptiedBy).toBe('ignore_hosts');
    f.calls.length = 0;
    const forced = filterHosts([f], hosts(), makeRequest({ forceHosts: ['b'] }));
    expect([names(forced.passed), forced.forced, f.calls]).toEqual([['b'], true, []]);
    const nodes = filterHosts([f], hosts(), makeRequest({ forceNodes: ['c-node'] }));
    expect([names(nodes.passed), nodes.forced]).toEqual([['c'], true]);
  });

  it('does not call hostPasses of a filter whose passesAll(request) is true', () => {
    let asked: FilterRequest | undefined;
    const skip = failing('Skip', ['a'], {
      passesAll: (r) => {
        asked = r;
        return true;
      },
    });
    const keep = failing('Keep', ['b'], { passesAll: () => false });
    const request = makeRequest();
    const out = filterHosts([skip, keep], hosts(), request);
    expect(asked).toBe(request);
    expect(skip.calls).toEqual([]);
    expect(keep.calls).toEqual(['a', 'b', 'c']);
    expect(names(out.passed)).toEqual(['a', 'c']);
  });

  it('still names the first filter as emptying an empty host list, passesAll or not', () => {
    const skip = failing('Skip', [], { passesAll: () => true });
    const out = filterHosts([skip, failing('Other', [])], [], makeRequest());
    expect(out.emptiedBy).toBe('Skip');
  });

  it('uses filterAll when not explaining, hostPasses per host when explaining', () => {
    const batchCalls: number[] = [];
    const batched: HostFilter = {
      ...failing('Batched', ['b']),
      filterAll(list, count, request) {
        batchCalls.push(count);
        let kept = 0;
        for (let i = 0; i < count; i++) {
          const h = list[i] as HostState;
          if (this.hostPasses(h, request)) list[kept++] = h;
        }
        return kept;
      },
    };
    const input = hosts();
    const fast = filterHosts([batched], input, makeRequest());
    expect(names(fast.passed)).toEqual(['a', 'c']);
    expect(batchCalls).toEqual([3]);
    expect(names(input)).toEqual(['a', 'b', 'c']);
    const explained = filterHosts([batched], input, makeRequest(), true);
    expect(names(explained.passed)).toEqual(['a', 'c']);
    expect(explained.rejectedBy.get(input[1] as HostState)).toBe('Batched');
    expect(batchCalls).toEqual([3]);
  });

  it('stops at a filterAll that keeps no host and names it', () => {
    const none: HostFilter = {
      name: 'None',
      runFilterOncePerRequest: false,
      hostPasses: () => false,
      filterAll: () => 0,
    };
    const after = failing('After', []);
    const out = filterHosts([none, after], hosts(), makeRequest());
    expect(out.passed).toEqual([]);
    expect(out.emptiedBy).toBe('None');
    expect(after.calls).toEqual([]);
  });
});
