import type { HostVerdict, InstanceExplanation, WeightTerm } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { formatExplanations } from './explanation-table.js';

const RAM = 'nova.scheduler.weights.ram.RAMWeigher';

function passed(host: string, rank: number, raw: number, nodename = host): HostVerdict {
  const term: WeightTerm = {
    weigher: RAM,
    raw,
    normalized: raw / 100,
    multiplier: 2,
    weighted: raw / 50,
  };
  return { host, nodename, filteredBy: null, weight: raw / 50, terms: [term], rank };
}

const filtered = (host: string, by: string): HostVerdict => ({
  host,
  nodename: host,
  filteredBy: by,
});

const options = {
  numInstances: 1,
  filters: ['RamFilter', 'ComputeFilter'],
  allHosts: false,
  showNodes: false,
};

describe('formatExplanations', () => {
  it('lists passed hosts by rank with their terms, then filtered hosts; counts follow filter order', () => {
    const inst: InstanceExplanation = {
      index: 0,
      view: 'full',
      hosts: [
        filtered('c', 'ComputeFilter'),
        passed('b', 1, 50),
        filtered('d', 'RamFilter'),
        passed('a', 0, 100),
      ],
      chosen: { host: 'a', nodename: 'a' },
    };
    const text = formatExplanations([inst], options);
    expect(text).toBe(
      [
        'Instance 1 of 1: a',
        '  4 hosts considered, 2 passed; filtered by RamFilter 1, ComputeFilter 1',
        '  filtered and weighed on the full view',
        '     RANK  HOST  WEIGHT  WEIGHER     RAW  NORMALISED  MULTIPLIER  WEIGHTED',
        '  *  1     a     2       RAMWeigher  100  1           2           2',
        '     2     b     1       RAMWeigher  50   0.5         2           1',
        '     -     c     filtered by ComputeFilter',
        '     -     d     filtered by RamFilter',
        '',
      ].join('\n'),
    );
  });

  it('says when hosts were not weighed, shows nodes, and names a given-up choice', () => {
    const inst: InstanceExplanation = {
      index: 0,
      view: 'free',
      hosts: [
        { host: 'a', nodename: 'a-1', filteredBy: null, weight: 0, terms: [], rank: 0 },
        { host: 'b', nodename: 'b-1', filteredBy: null, weight: 0, terms: [], rank: 1 },
      ],
      chosen: { host: 'a', nodename: 'a-1' },
      failure: 'Cannot terminate enough preemptible instances on a (a-1).',
    };
    const text = formatExplanations([inst], { ...options, showNodes: true });
    expect(text).toContain(
      'Instance 1 of 1: a (a-1) chosen, then given up: Cannot terminate enough preemptible instances on a (a-1).\n',
    );
    expect(text).toContain(
      '  filtered on the free view (preemptible instances count as free), weighed on the full view\n',
    );
    expect(text).toContain('  *  1     a     a-1   0       (no weighers)\n');
  });

  it('cuts tables of more than 50 hosts to the 20 best, keeping the chosen host', () => {
    const hosts: HostVerdict[] = [];
    for (let i = 0; i < 55; i++) hosts.push(passed(`p${i}`, i, 100 - i));
    hosts.push(filtered('f1', 'RamFilter'), filtered('f2', 'ComputeFilter'));
    const inst: InstanceExplanation = {
      index: 0,
      view: 'full',
      hosts,
      chosen: { host: 'p30', nodename: 'p30' },
    };
    const text = formatExplanations([inst], options);
    const rows = text.split('\n').filter((l) => /^ {2}[ *] +\d+ +p\d+ /.test(l));
    expect(rows).toHaveLength(21);
    expect(rows[20]).toMatch(/^ {2}\* +31 +p30 /);
    expect(text).toContain(
      '  not shown: 34 hosts that passed (lower ranks); 2 filtered (RamFilter 1, ComputeFilter 1); --all-hosts shows every host\n',
    );
    const all = formatExplanations([inst], { ...options, allHosts: true });
    expect(all.split('\n').filter((l) => /^ {2}[ *] +(\d+|-) +[pf]\d+ /.test(l))).toHaveLength(57);
  });

  it('lists hosts an earlier instance removed, with the filter and the instance', () => {
    const first: InstanceExplanation = {
      index: 0,
      view: 'full',
      hosts: [filtered('x', 'RamFilter'), passed('a', 0, 100), passed('b', 1, 50)],
      chosen: { host: 'a', nodename: 'a' },
    };
    const second: InstanceExplanation = {
      index: 1,
      view: 'full',
      // One host left: weighHosts returns it with weight 0 and no terms.
      hosts: [
        filtered('a', 'RamFilter'),
        { host: 'b', nodename: 'b', filteredBy: null, weight: 0, terms: [], rank: 0 },
      ],
      chosen: { host: 'b', nodename: 'b' },
    };
    const text = formatExplanations([first, second], { ...options, numInstances: 2 });
    expect(text).toContain(
      'Instance 2 of 2: b\n  2 hosts considered, 1 passed; filtered by RamFilter 1; 1 host removed for earlier instances\n',
    );
    expect(text).toContain('  *  1     b     0       (only host: not weighed)');
    expect(text).toMatch(/\n {5}- +x +filtered by RamFilter for instance 1\n$/);
  });
});

describe('formatExplanations with rejection data', () => {
  it("prints a filter's own reason after its name", () => {
    const inst: InstanceExplanation = {
      index: 0,
      view: 'full',
      hosts: [
        passed('a', 0, 100),
        {
          ...filtered('d', 'RamFilter'),
          rejection: {
            filter: 'RamFilter',
            resource: 'memory_mb',
            requested: 4096,
            available: 512,
            limit: 8192,
            reason: 'insufficient RAM: 4096 MB requested, 512 MB available',
          },
        },
      ],
      chosen: { host: 'a', nodename: 'a' },
    };
    const text = formatExplanations([inst], options);
    expect(text).toContain(
      '     -     d     filtered by RamFilter: insufficient RAM: 4096 MB requested, 512 MB available\n',
    );
  });
});
