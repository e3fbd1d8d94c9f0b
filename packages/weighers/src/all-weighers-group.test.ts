import { describe, expect, it } from 'vitest';
import { allWeighersGroup } from './all-weighers-group.js';

describe('all_weighers', () => {
  it("test_all_weighers (nova): Liberty's IoOpsWeigher, MetricsWeigher and RAMWeigher", () => {
    expect(allWeighersGroup).toMatchObject({
      kind: 'group',
      of: 'weigher',
      classPath: 'nova.scheduler.weights.all_weighers',
    });
    expect(allWeighersGroup.members).toEqual([
      'nova.scheduler.weights.io_ops.IoOpsWeigher',
      'nova.scheduler.weights.metrics.MetricsWeigher',
      'nova.scheduler.weights.ram.RAMWeigher',
    ]);
  });
});
