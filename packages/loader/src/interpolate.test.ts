import { describe, expect, it } from 'vitest';
import { interpolate } from './interpolate.js';
import type { ReferenceLookup } from './interpolate.js';

const values: Record<string, string> = {
  state_path: '/var/lib/nova',
  'metrics.weight_multiplier': '2.0',
};

const lookup: ReferenceLookup = (group, name) => {
  const key = group === undefined ? name : `${group}.${name}`;
  const text = values[key];
  return text === undefined ? { ok: false, message: `no such option ${key}` } : { ok: true, text };
};

describe('interpolate (oslo $ substitution)', () => {
  it('leaves values without $ alone', () => {
    expect(interpolate('plain', lookup)).toEqual({ ok: true, value: 'plain' });
  });

  it('replaces $name and ${name}', () => {
    expect(interpolate('$state_path/x', lookup)).toEqual({ ok: true, value: '/var/lib/nova/x' });
    expect(interpolate('${state_path}x', lookup)).toEqual({ ok: true, value: '/var/lib/novax' });
  });

  it('replaces $group.name', () => {
    expect(interpolate('m=$metrics.weight_multiplier', lookup)).toEqual({
      ok: true,
      value: 'm=2.0',
    });
  });

  it('does not take a sentence-ending dot into the name', () => {
    expect(interpolate('in $state_path.', lookup)).toEqual({
      ok: true,
      value: 'in /var/lib/nova.',
    });
  });

  it('gives a literal $ for $$ and \\$', () => {
    expect(interpolate('cost $$5 and \\$6', lookup)).toEqual({ ok: true, value: 'cost $5 and $6' });
  });

  it('keeps a $ that starts no name', () => {
    expect(interpolate('5$ or $1', lookup)).toEqual({ ok: true, value: '5$ or $1' });
  });

  it('reports a reference to an unknown option', () => {
    expect(interpolate('$nope', lookup)).toEqual({ ok: false, message: 'no such option nope' });
  });
});
