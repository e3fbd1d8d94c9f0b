import { describe, expect, it } from 'vitest';
import { holdsResources, isIoWorkload } from './instance-state.js';

describe('holdsResources', () => {
  it.each([
    [undefined, true],
    ['active', true],
    ['stopped', true],
    ['deleted', false],
    ['shelved_offloaded', false],
  ])('vm_state %j holds resources: %j', (vmState, expected) => {
    expect(holdsResources(vmState === undefined ? {} : { vmState })).toBe(expected);
  });
});

describe('isIoWorkload (nova Stats.io_workload)', () => {
  it('counts building instances', () => expect(isIoWorkload({ vmState: 'building' })).toBe(true));
  it.each(['resize_migrating', 'rebuilding', 'image_snapshot', 'unshelving'])(
    'counts task_state %s',
    (taskState) => expect(isIoWorkload({ vmState: 'active', taskState })).toBe(true),
  );
  it('does not count an idle active instance', () => {
    expect(isIoWorkload({ vmState: 'active', taskState: null })).toBe(false);
    expect(isIoWorkload({})).toBe(false);
  });
});
