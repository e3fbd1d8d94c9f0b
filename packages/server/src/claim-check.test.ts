import { describe, expect, it } from 'vitest';
import { claimProblems } from './claim-check.js';

const unused = { memoryMbUsed: 0, localGbUsed: 0, vcpusUsed: 0 };
const ask = (r: Partial<{ memoryMb: number; diskGb: number; vcpus: number }>) => ({
  memoryMb: 1,
  diskGb: 3,
  vcpus: 1,
  ...r,
});

describe('claimProblems (nova compute claims)', () => {
  it('test_cpu_unlimited (nova)', () => {
    expect(claimProblems(unused, ask({ vcpus: 100000 }), {})).toEqual([]);
  });
  it('test_memory_unlimited (nova)', () => {
    expect(claimProblems(unused, ask({ memoryMb: 99999999 }), {})).toEqual([]);
  });
  it('test_disk_unlimited_root (nova)', () => {
    expect(claimProblems(unused, ask({ diskGb: 999999 }), {})).toEqual([]);
  });
  it('test_cpu_oversubscription (nova)', () => {
    expect(claimProblems(unused, ask({ vcpus: 8 }), { vcpu: 16 })).toEqual([]);
  });
  it('test_cpu_insufficient (nova)', () => {
    const problems = claimProblems(unused, ask({ vcpus: 17 }), { vcpu: 16 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^vcpus: free 16 VCPU < requested 17 VCPU/);
  });
  it('test_memory_oversubscription (nova)', () => {
    expect(claimProblems(unused, ask({ memoryMb: 4096 }), { memoryMb: 8192 })).toEqual([]);
  });
  it('test_memory_insufficient (nova)', () => {
    expect(claimProblems(unused, ask({ memoryMb: 16384 }), { memoryMb: 8192 })).toEqual([
      'memory: free 8192 MB < requested 16384 MB (limit 8192 MB, used 0 MB)',
    ]);
  });
  it('test_disk_oversubscription (nova)', () => {
    expect(claimProblems(unused, ask({ diskGb: 50 }), { diskGb: 60 })).toEqual([]);
  });
  it('test_disk_insufficient (nova)', () => {
    expect(claimProblems(unused, ask({ diskGb: 50 }), { diskGb: 45 })[0]).toMatch(/^disk/);
  });
  it('test_disk_and_memory_insufficient (nova)', () => {
    const problems = claimProblems(unused, ask({ diskGb: 50, memoryMb: 16384 }), {
      diskGb: 45,
      memoryMb: 8192,
    });
    expect(problems.join(' ')).toMatch(/memory.*disk/);
  });
  it('test_disk_and_cpu_and_memory_insufficient (nova)', () => {
    const problems = claimProblems(unused, ask({ diskGb: 50, vcpus: 17, memoryMb: 16384 }), {
      diskGb: 45,
      vcpu: 16,
      memoryMb: 8192,
    });
    expect(problems.join(' ')).toMatch(/memory.*disk.*vcpus/);
  });
  it('counts what the node already uses', () => {
    const used = { memoryMbUsed: 7000, localGbUsed: 90, vcpusUsed: 3 };
    expect(
      claimProblems(used, ask({ memoryMb: 1192, diskGb: 10, vcpus: 1 }), {
        memoryMb: 8192,
        diskGb: 100,
        vcpu: 4,
      }),
    ).toEqual([]);
    expect(claimProblems(used, ask({ memoryMb: 1193 }), { memoryMb: 8192 })).toHaveLength(1);
  });
  it('fails a node already over its limit even for nothing, as nova does', () => {
    const over = { memoryMbUsed: 9000, localGbUsed: 0, vcpusUsed: 0 };
    expect(claimProblems(over, ask({ memoryMb: 0 }), { memoryMb: 8192 })).toHaveLength(1);
  });
});
