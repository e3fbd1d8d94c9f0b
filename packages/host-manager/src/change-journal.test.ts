import { describe, expect, it } from 'vitest';
import { ChangeJournal, DEFAULT_JOURNAL_CAPACITY } from './change-journal.js';

describe('ChangeJournal', () => {
  it('collects the nodes and flags changed after a version', () => {
    const j = new ChangeJournal(8);
    j.node(1, 'a');
    j.inventory(2, 'b');
    j.services(3);
    j.node(4, 'a');
    j.aggregates(5);
    const all = j.changesSince(0, 5);
    expect([...(all?.nodes ?? [])].sort()).toEqual(['a', 'b']);
    expect(all).toMatchObject({ inventory: true, services: true, aggregates: true });
    const late = j.changesSince(3, 5);
    expect([...(late?.nodes ?? [])]).toEqual(['a']);
    expect(late).toMatchObject({ inventory: false, services: false, aggregates: true });
  });

  it('answers nothing changed for the current version, and cannot tell for a future one', () => {
    const j = new ChangeJournal(4);
    j.node(1, 'a');
    const none = j.changesSince(1, 1);
    expect(none?.nodes.size).toBe(0);
    expect(none).toMatchObject({ inventory: false, services: false, aggregates: false });
    expect(j.changesSince(2, 1)).toBeUndefined();
  });

  it('cannot tell for versions before it started or before its oldest kept change', () => {
    const j = new ChangeJournal(2, 10);
    expect(j.changesSince(9, 10)).toBeUndefined();
    j.node(11, 'a');
    j.node(12, 'b');
    expect([...(j.changesSince(10, 12)?.nodes ?? [])]).toEqual(['b', 'a']);
    j.node(13, 'c'); // drops the change at 11
    expect(j.changesSince(10, 13)).toBeUndefined();
    expect([...(j.changesSince(11, 13)?.nodes ?? [])]).toEqual(['c', 'b']);
  });

  it('keeps several changes of one version together: dropping one forgets that version', () => {
    const j = new ChangeJournal(2);
    j.node(1, 'a');
    j.node(1, 'b');
    expect([...(j.changesSince(0, 1)?.nodes ?? [])]).toEqual(['b', 'a']);
    j.node(2, 'c'); // drops (1, a)
    expect(j.changesSince(0, 2)).toBeUndefined();
    expect([...(j.changesSince(1, 2)?.nodes ?? [])]).toEqual(['c']);
  });

  it('reset forgets everything up to a version', () => {
    const j = new ChangeJournal();
    expect(j.capacity).toBe(DEFAULT_JOURNAL_CAPACITY);
    j.node(1, 'a');
    j.reset(1);
    expect(j.changesSince(0, 1)).toBeUndefined();
    expect(j.changesSince(1, 1)?.nodes.size).toBe(0);
    expect(new ChangeJournal(0).capacity).toBe(1);
  });
});
