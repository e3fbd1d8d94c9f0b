import { describe, expect, it } from 'vitest';
import { describeNeed, describeShortfall, shortfallOf } from './shortfall.js';
import { normal, preemptible } from './__fixtures__/victim-host.js';

const need = { memoryMb: 1536, diskGb: 0, vcpus: 2, instances: 0, ioOps: 0 };

describe('shortfall', () => {
  it('RAM freed but vCPU still short: says which resource and by how much', () => {
    const victims = [preemptible('big', { memoryMb: 2048, vcpus: 1 })];
    expect(shortfallOf(need, victims)).toEqual({ ...need, memoryMb: 0, vcpus: 1 });
    expect(describeShortfall(need, victims)).toBe('cannot free enough: vcpu short by 1');
  });

  it('ignores normal instances and says when there is no candidate at all', () => {
    expect(
      describeShortfall(need, [normal('n1')], 'preemptible instance of priority below 3'),
    ).toBe(
      'cannot free enough: no preemptible instance of priority below 3 to terminate (memory_mb 1536, vcpu 2 over)',
    );
  });

  it('names every resource over, rounded', () => {
    expect(describeNeed({ memoryMb: 1, diskGb: 0.123456, vcpus: 0, instances: 2, ioOps: 1 })).toBe(
      'memory_mb 1, disk_gb 0.12, instances 2, io_ops 1',
    );
  });
});
