import { describe, expect, it } from 'vitest';
import { makeInstance } from '@opie/testing';
import { ioOpsOf } from './io-ops-of.js';

describe('ioOpsOf', () => {
  it('counts building instances and I/O task states (nova io_workload)', () => {
    expect(ioOpsOf(makeInstance({ vmState: 'building' }))).toBe(1);
    for (const taskState of [
      'resize_migrating',
      'rebuilding',
      'resize_prep',
      'image_snapshot',
      'image_backup',
      'rescuing',
      'unshelving',
    ]) {
      expect(ioOpsOf(makeInstance({ vmState: 'active', taskState }))).toBe(1);
    }
  });

  it('does not count an idle instance', () => {
    expect(ioOpsOf(makeInstance({}))).toBe(0);
    expect(ioOpsOf(makeInstance({ vmState: 'active', taskState: null }))).toBe(0);
    expect(ioOpsOf(makeInstance({ vmState: 'active', taskState: 'powering-off' }))).toBe(0);
  });
});
