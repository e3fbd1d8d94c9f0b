import { describe, expect, it } from 'vitest';
import type { HostState, HostWeigher, WeigherPlugin } from '@opie/core';
import { columnsOf } from '@opie/core';
import { makeAggregate, makeHost, makeRequest, pluginContext } from '@opie/testing';
import { cpuWeigherPlugin, createCpuWeigher } from './cpu-weigher.js';
import { diskWeigherPlugin } from './disk-weigher.js';
import { createIoOpsWeigher, ioOpsWeigherPlugin } from './io-ops-weigher.js';
import { createMetricsWeigher, metricsWeigherPlugin } from './metrics-weigher.js';
import { createRamWeigher, ramWeigherPlugin } from './ram-weigher.js';
import { weighHosts } from './weigh-hosts.js';
import { weighRows } from './weigh-rows.js';

/*
 * nova Zed's weighing (nova/weights.py and nova/scheduler/weights/*.py,
 * stable/zed), ported by behaviour from its weigher unit tests. Expected
 * values are worked out by hand from the formulas: clamp each raw weight into
 * [minval, maxval], normalise with (w - min) / (max - min) where min is the
 * class minval (0 for RAM, CPU, disk, I/O ops), and add multiplier * weight
 * with the host's own multiplier.
 */

const request = makeRequest();
const ZED = { zed: {} };
const ram = (host: string, freeRamMb: number, extra: Partial<HostState> = {}) =>
  makeHost({ host, freeRamMb, ...extra });
const fourHosts = () => [
  ram('host1', 512),
  ram('host2', 1024),
  ram('host3', 3072),
  ram('host4', 8192),
];
const weightOf = (weighed: { host: HostState; weight: number }[], name: string) =>
  weighed.find((w) => w.host.host === name)?.weight;

describe('nova Zed clamping', () => {
  it('RAMWeigher: negative free RAM counts as 0 (nova test_ram_filter_negative)', () => {
    const hosts = [...fourHosts(), ram('negative', -512)];
    const zed = weighHosts([createRamWeigher(ZED)], hosts, request);
    // Bounds [0, 8192]: host4 1.0, negative 0 (clamped), host1 512/8192 = 0.0625.
    expect(zed[0]?.host.host).toBe('host4');
    expect(zed[0]?.weight).toBe(1);
    expect(zed.at(-1)?.host.host).toBe('negative');
    expect(zed.at(-1)?.weight).toBe(0);
    expect(weightOf(zed, 'host1')).toBe(0.0625);
    expect(zed.find((w) => w.host.host === 'negative')?.terms[0]?.raw).toBe(0);
    // liberty (unchanged): -512 widens the range to [-512, 8192]: host1 (512 + 512) / 8704.
    const liberty = weighHosts([createRamWeigher()], hosts, request);
    expect(weightOf(liberty, 'host1')).toBe(1024 / 8704);
    expect(liberty.find((w) => w.host.host === 'negative')?.terms[0]?.raw).toBe(-512);
  });

  it('CPUWeigher: an overcommitted host (negative free vCPUs) counts as 0', () => {
    // Free vCPUs: 8 * 1 - 4 = 4, 8 * 1 - 12 = -4, 8 * 1 - 0 = 8.
    const hosts = [
      makeHost({ host: 'a', vcpusTotal: 8, cpuAllocationRatio: 1, vcpusUsed: 4 }),
      makeHost({ host: 'b', vcpusTotal: 8, cpuAllocationRatio: 1, vcpusUsed: 12 }),
      makeHost({ host: 'c', vcpusTotal: 8, cpuAllocationRatio: 1, vcpusUsed: 0 }),
    ];
    const zed = weighHosts([createCpuWeigher(ZED)], hosts, request);
    // Zed: [0, 8]: a 0.5, b 0, c 1. Liberty here: [-4, 8]: a 8/12.
    expect(zed.map((w) => [w.host.host, w.weight])).toEqual([
      ['c', 1],
      ['a', 0.5],
      ['b', 0],
    ]);
    expect(weightOf(weighHosts([createCpuWeigher()], hosts, request), 'a')).toBe(8 / 12);
  });

  it('a weigher with a maxval: values above it count as maxval', () => {
    const capped: HostWeigher = {
      name: 'capped',
      minval: 0,
      maxval: 10,
      multiplier: 1,
      clampRaw: true,
      weigh: (h) => h.numIoOps,
    };
    const hosts = [makeHost({ host: 'a', numIoOps: 5 }), makeHost({ host: 'b', numIoOps: 40 })];
    // b clamped to 10: bounds [0, 10]: a 0.5, b 1.
    expect(weighHosts([capped], hosts, request).map((w) => w.weight)).toEqual([1, 0.5]);
    // Without clamping b widens the range: a 5 / 40.
    const unclamped = weighHosts([{ ...capped, clampRaw: false }], hosts, request);
    expect(unclamped.map((w) => w.weight)).toEqual([1, 5 / 40]);
  });
});

describe('nova Zed aggregate weight multipliers', () => {
  it('RAMWeigher: aggregate "1.5" overrides the configured -1.0 (nova test_host_with_agg)', () => {
    const aggs = [makeAggregate({ metadata: { ram_weight_multiplier: '1.5' } })];
    const hosts = fourHosts().map((h) => ({ ...h, aggregates: aggs }));
    const [best] = weighHosts([createRamWeigher({ multiplier: -1, ...ZED })], hosts, request);
    // host4 normalises to 1.0, times 1.5.
    expect(best?.host.host).toBe('host4');
    expect(best?.weight).toBe(1.5);
    expect(best?.terms[0]?.multiplier).toBe(1.5);
  });

  it('each host its own multiplier; liberty ignores aggregate metadata', () => {
    const stack = [makeAggregate({ metadata: { io_ops_weight_multiplier: '2' } })];
    const hosts = [
      makeHost({ host: 'busy', numIoOps: 8, aggregates: stack }),
      makeHost({ host: 'idle', numIoOps: 0 }),
      makeHost({ host: 'half', numIoOps: 4 }),
    ];
    const zed = weighHosts([createIoOpsWeigher(ZED)], hosts, request);
    // [0, 8]: busy 2 * 1 = 2, half -1 * 0.5 = -0.5, idle 0 + -1 * 0 = 0.
    expect(zed.map((w) => [w.host.host, w.weight])).toEqual([
      ['busy', 2],
      ['idle', 0],
      ['half', -0.5],
    ]);
    const liberty = weighHosts([createIoOpsWeigher()], hosts, request);
    expect(liberty.map((w) => w.host.host)).toEqual(['idle', 'half', 'busy']);
  });

  it('MetricsWeigher: a host whose aggregate multiplier is 0 skips a missing metric', () => {
    const zero = [makeAggregate({ metadata: { metrics_weight_multiplier: '0' } })];
    const metric = (value: number) => [{ name: 'foo', value, source: 'm', timestamp: 0 }];
    const hosts = [
      makeHost({ host: 'has', metrics: metric(5) }),
      makeHost({ host: 'missing', metrics: [] }),
      makeHost({ host: 'missing-zero', metrics: [], aggregates: zero }),
    ];
    const options = {
      setting: [
        { name: 'foo', ratio: 1 },
        { name: 'bar', ratio: 1 },
      ],
      required: false,
      weightOfUnavailable: -100,
    };
    const weigher = createMetricsWeigher({ ...options, ...ZED });
    // has: foo 5, bar missing with multiplier 1: -100. missing: -100.
    // missing-zero: ratio * 0 == 0, so both metrics are skipped: 0.0.
    expect(hosts.map((h) => weigher.weigh(h, request))).toEqual([-100, -100, 0]);
    // liberty: the configured multiplier (1) for every host.
    const liberty = createMetricsWeigher(options);
    expect(hosts.map((h) => liberty.weigh(h, request))).toEqual([-100, -100, -100]);
  });
});

describe('plugins under [opie] nova_version', () => {
  const plugins: WeigherPlugin[] = [
    ramWeigherPlugin,
    cpuWeigherPlugin,
    diskWeigherPlugin,
    ioOpsWeigherPlugin,
    metricsWeigherPlugin,
  ];
  it.each(plugins.map((p) => [p.classPath, p] as const))('%s', (_name, plugin) => {
    const liberty = plugin.create(pluginContext(plugin));
    expect(liberty.clampRaw).toBeUndefined();
    expect(liberty.multiplierFor).toBeUndefined();
    const zed = plugin.create(pluginContext(plugin, { 'opie.nova_version': 'zed' }));
    expect(zed.clampRaw).toBe(true);
    expect(typeof zed.multiplierFor).toBe('function');
    expect(zed.multiplierFor?.(makeHost())).toBe(zed.multiplier);
  });
});

describe('zed: the column kernels give exactly the scalar weighing', () => {
  it('totals and order, with negative raw weights and aggregate multipliers', () => {
    const a = [
      makeAggregate({
        id: 1,
        metadata: { ram_weight_multiplier: '3', cpu_weight_multiplier: '-1' },
      }),
    ];
    const b = [makeAggregate({ id: 2, metadata: { ram_weight_multiplier: 'oops' } })];
    const hosts: HostState[] = [];
    for (let i = 0; i < 12; i++) {
      hosts.push(
        makeHost({
          host: `h${i}`,
          freeRamMb: ((i * 7919) % 5000) - 1500,
          freeDiskMb: ((i * 104729) % 90000) - 10000,
          vcpusUsed: (i * 5) % 20,
          numIoOps: i % 4,
          aggregates: i % 3 === 0 ? a : i % 3 === 1 ? b : [],
        }),
      );
    }
    const weighers = [
      ramWeigherPlugin,
      cpuWeigherPlugin,
      diskWeigherPlugin,
      ioOpsWeigherPlugin,
    ].map((p) => p.create(pluginContext(p, { 'opie.nova_version': 'zed' })));
    const cols = columnsOf(hosts, 'full');
    const rows = Int32Array.from(hosts.map((_, i) => 11 - i));
    const ordered = [...rows].map((r) => hosts[r] as HostState);
    const scalar = weighHosts(weighers, ordered, request);
    const kernel = weighRows(weighers, cols, rows, rows.length, request, { explain: false });
    expect(kernel.map((w) => [w.host.host, w.weight])).toEqual(
      scalar.map((w) => [w.host.host, w.weight]),
    );
    const top = weighRows(weighers, cols, rows, rows.length, request, { limit: 3 });
    expect(top.map((w) => w.host.host)).toEqual(scalar.slice(0, 3).map((w) => w.host.host));
  });
});
