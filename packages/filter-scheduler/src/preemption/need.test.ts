import { describe, expect, it } from 'vitest';
import { NO_NEED, needOf } from './need.js';
import { hostWith, LIMITS, normal, preemptible } from './__fixtures__/victim-host.js';

describe('needOf', () => {
  it('is zero for a host within its limits', () => {
    expect(needOf(hostWith([normal('n1')]), LIMITS)).toEqual(NO_NEED);
  });

  it('is used minus limit for RAM, disk and vCPU (detect_overcommit, opie)', () => {
    const host = hostWith([normal('n1', { memoryMb: 1000, rootGb: 90, vcpus: 8 })], {
      memoryMb: 300,
      diskGb: 20,
      vcpus: 3,
    });
    expect(needOf(host, LIMITS)).toEqual({
      memoryMb: 276,
      diskGb: 10,
      vcpus: 3,
      instances: 0,
      ioOps: 0,
    });
  });

  it('falls back to the host ratios when the filters set no limit', () => {
    // makeHost: ram ratio 1.5 -> 1536 MB limit
    const host = hostWith([normal('n1', { memoryMb: 1600 })]);
    expect(needOf(host, {}).memoryMb).toBe(64);
  });

  it('subtracts what earlier victims already free', () => {
    const host = hostWith([normal('n1', { memoryMb: 1300 })]);
    expect(needOf(host, LIMITS, {}, { memoryMb: 200 }).memoryMb).toBe(76);
    expect(needOf(host, LIMITS, {}, { memoryMb: 300 }).memoryMb).toBe(0);
  });

  it('counts instances over max_instances_per_host and I/O ops over max_io_ops_per_host', () => {
    const building = preemptible('b', { vmState: 'building', memoryMb: 1 });
    const host = hostWith(
      [normal('n1', { memoryMb: 1 }), preemptible('p1', { memoryMb: 1 }), building],
      {
        ioOps: 2,
      },
    );
    expect(needOf(host, LIMITS, { maxInstances: 2, maxIoOps: 1 })).toMatchObject({
      instances: 1,
      ioOps: 2,
    });
    expect(needOf(host, LIMITS, { maxInstances: 3, maxIoOps: 3 })).toEqual(NO_NEED);
    expect(needOf(host, LIMITS, { maxInstances: null, maxIoOps: null })).toEqual(NO_NEED);
    expect(needOf(host, LIMITS, { maxInstances: 2 }, { instances: 1 }).instances).toBe(0);
  });
});
