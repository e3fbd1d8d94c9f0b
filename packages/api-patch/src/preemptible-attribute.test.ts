import { describe, expect, it } from 'vitest';
import {
  markSystemMetadata,
  preemptibleInstancesResource,
  readPreemptibleField,
  withPreemptibleAttribute,
} from './preemptible-attribute.js';

const body = (preemptible?: unknown): unknown => ({
  server: {
    name: 'vm',
    flavorRef: '1',
    ...(preemptible === undefined ? {} : { preemptible }),
  },
});

describe('readPreemptibleField', () => {
  it('is false when absent', () => {
    expect(readPreemptibleField(body())).toEqual({ ok: true, preemptible: false });
  });
  it.each([true, 'True', 'yes', '1', 'ON'])('reads %j as true', (v) => {
    expect(readPreemptibleField(body(v))).toEqual({ ok: true, preemptible: true });
  });
  it.each([false, 'false', 'False', '0', 'off', 'no'])(
    'reads %j as false (opie made the strings preemptible)',
    (v) => {
      expect(readPreemptibleField(body(v))).toEqual({ ok: true, preemptible: false });
    },
  );
  it.each(['maybe', 1, null, [], {}])('rejects %j with a 400 naming the field', (v) => {
    const r = readPreemptibleField(body(v));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.status).toBe(400);
      expect(r.error.body['badRequest']?.message).toContain('field/attribute preemptible');
    }
  });
  it('rejects a body without a server object', () => {
    const r = readPreemptibleField({ servers: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.body['badRequest']?.code).toBe(400);
  });
});

describe('markSystemMetadata', () => {
  it('stores "True" for a preemptible server, as opie\'s patch did', () => {
    expect(markSystemMetadata({ a: 'b' }, true)).toEqual({ a: 'b', preemptible: 'True' });
  });
  it('carries no mark for a normal server', () => {
    expect(markSystemMetadata({ preemptible: 'True' }, false)).toEqual({});
  });
});

describe('withPreemptibleAttribute', () => {
  it('adds the boolean from the instance mark', () => {
    expect(
      withPreemptibleAttribute({ id: 'x' }, { systemMetadata: { preemptible: 'True' } }),
    ).toEqual({
      id: 'x',
      preemptible: true,
    });
    expect(
      withPreemptibleAttribute({ id: 'y' }, { systemMetadata: { preemptible: 'false' } }),
    ).toEqual({
      id: 'y',
      preemptible: false,
    });
  });
});

describe('preemptibleInstancesResource', () => {
  it('answers 501 like opie', () => {
    expect(preemptibleInstancesResource().status).toBe(501);
  });
});
