import { describe, expect, it } from 'vitest';
import { makeAggregate, makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  buildFailureWeigherPlugin,
  buildFailureWeightMultiplierOption,
  createBuildFailureWeigher,
  failedBuilds,
} from './build-failure-weigher.js';
import { weighHosts } from './weigh-hosts.js';

/*
 * Ported by behaviour from nova Zed's test_weights_compute.py. Hosts with 0,
 * 1, 10 and 100 failed builds: bounds [0, 100], normalised 0, 0.01, 0.1, 1;
 * the multiplier is minus the configured one, so with 1000 the weights are
 * 0, -10, -100, -1000 (each total starts at 0, so 0 + -0 is 0).
 */

const request = makeRequest();
const hosts = () =>
  [0, 1, 10, 100].map((n, i) =>
    makeHost({ host: `host${i + 1}`, stats: { failed_builds: String(n) } }),
  );

describe('BuildFailureWeigher', () => {
  it('multiplier 0: every weight is 0', () => {
    const weighed = weighHosts([createBuildFailureWeigher({ multiplier: 0 })], hosts(), request);
    expect(weighed.every((w) => w.weight === 0)).toBe(true);
  });

  it('multiplier 1000: 0, -10, -100, -1000, best first', () => {
    const weighed = weighHosts([createBuildFailureWeigher({ multiplier: 1000 })], hosts(), request);
    expect(weighed.map((w) => w.weight)).toEqual([
      0 + -1000 * (0 / 100),
      0 + -1000 * (1 / 100),
      0 + -1000 * (10 / 100),
      0 + -1000 * (100 / 100),
    ]);
    expect(weighed.map((w) => w.weight)).toEqual([0, -10, -100, -1000]);
  });

  it('the multiplier is minus the aggregate value: "1000" over the configured 0; the smallest wins', () => {
    const w = createBuildFailureWeigher({ multiplier: 0 });
    const host = makeHost();
    expect(w.multiplierFor?.(host)).toBe(-0);
    const one = [makeAggregate({ metadata: { build_failure_weight_multiplier: '1000.0' } })];
    expect(w.multiplierFor?.({ ...host, aggregates: one })).toBe(-1000);
    const two = [
      makeAggregate({ id: 1, metadata: { build_failure_weight_multiplier: '500' } }),
      makeAggregate({ id: 2, metadata: { build_failure_weight_multiplier: '1000' } }),
    ];
    expect(w.multiplierFor?.({ ...host, aggregates: two })).toBe(-500);
    const list = hosts().map((h) => ({ ...h, aggregates: one }));
    expect(weighHosts([w], list, request).map((x) => x.weight)).toEqual([0, -10, -100, -1000]);
  });

  it('failed_builds: the stat read as a Python int, 0 when absent or not an integer', () => {
    expect(failedBuilds(makeHost())).toBe(0);
    expect(failedBuilds(makeHost({ stats: { failed_builds: ' 7 ' } }))).toBe(7);
    expect(failedBuilds(makeHost({ stats: { failed_builds: '1.5' } }))).toBe(0);
  });

  it('plugin: [filter_scheduler] build_failure_weight_multiplier, Zed default 1000000.0', () => {
    expect(buildFailureWeightMultiplierOption).toMatchObject({
      group: 'filter_scheduler',
      name: 'build_failure_weight_multiplier',
      type: 'float',
      default: 1000000.0,
    });
    const weigher = buildFailureWeigherPlugin.create(pluginContext(buildFailureWeigherPlugin));
    expect(weigher.multiplier).toBe(-1000000);
  });
});
