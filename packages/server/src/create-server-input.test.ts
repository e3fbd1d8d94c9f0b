import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { parseCreateServer } from './create-server-input.js';

const parse = (body: unknown) => parseCreateServer(body, { maxCount: 100 });
const server = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  server: { name: 'vm', flavorRef: '1', imageRef: 'img', ...fields },
  ...extra,
});

function rejection(body: unknown): ApiError {
  try {
    parse(body);
  } catch (error) {
    if (ApiError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('parseCreateServer', () => {
  it('reads a minimal body with nova defaults', () => {
    expect(parse(server({}))).toEqual({
      name: 'vm',
      flavorRef: '1',
      imageRef: 'img',
      minCount: 1,
      maxCount: 1,
      availabilityZone: undefined,
      forceHost: undefined,
      forceNode: undefined,
      preemptible: false,
      schedulerHints: {},
      metadata: {},
      keyName: undefined,
      returnReservationId: false,
    });
  });
  it('takes the id at the end of URL references', () => {
    const input = parse(
      server({ flavorRef: 'http://x/v2.1/flavors/42', imageRef: 'http://x/images/abc/' }),
    );
    expect([input.flavorRef, input.imageRef]).toEqual(['42', 'abc']);
  });
  it('accepts an integer flavorRef and no image', () => {
    const input = parse({ server: { name: 'vm', flavorRef: 3 } });
    expect([input.flavorRef, input.imageRef]).toEqual(['3', undefined]);
  });
  it.each([
    [{ name: undefined }, "'name' is a required property"],
    [{ name: '' }, 'Expected 1 to 255'],
    [{ name: ' padded' }, 'whitespace'],
    [{ name: 5 }, 'Expected a string'],
    [{ flavorRef: undefined }, "'flavorRef' is a required property"],
    [{ flavorRef: {} }, 'Expected a string or an integer'],
    [{ min_count: 0 }, 'Expected an integer >= 1'],
    [{ max_count: 101 }, 'Expected an integer <= 100'],
    [{ max_count: 'two' }, 'Expected an integer >= 1'],
    [{ metadata: { a: 1 } }, 'string values'],
    [{ key_name: 3 }, 'Expected a string'],
    [{ return_reservation_id: 'maybe' }, 'Expected a boolean'],
    [{ availability_zone: 'a:b:c:d' }, 'Invalid availability zone format'],
    [{ bogus: 1 }, "('bogus' was unexpected)"],
  ])('rejects %j with a 400', (fields, message) => {
    const error = rejection(server(fields));
    expect(error.status).toBe(400);
    expect(Object.keys(error.body)).toEqual(['badRequest']);
    expect(error.body['badRequest']?.code).toBe(400);
    expect(error.body['badRequest']?.message).toContain(message);
  });
  it('rejects a body that is not an object or has no server', () => {
    expect(rejection([]).status).toBe(400);
    expect(rejection({ server: 'x' }).message).toContain("'server' is a required property");
    expect(rejection({ server: {}, other: 1 }).message).toContain("('other' was unexpected)");
  });
  it('rejects min_count above max_count', () => {
    expect(rejection(server({ min_count: 3, max_count: 2 })).message).toBe(
      'min_count must be <= max_count',
    );
  });
  it('asks for max_count servers, min_count defaulting max_count', () => {
    expect(parse(server({ min_count: 2, max_count: '5' }))).toMatchObject({
      minCount: 2,
      maxCount: 5,
    });
    expect(parse(server({ min_count: 3 }))).toMatchObject({ minCount: 3, maxCount: 3 });
  });
  it('ignores the v2.1 fields this service does not serve', () => {
    expect(
      parse(server({ networks: 'auto', security_groups: [{ name: 'default' }], user_data: 'eA==' }))
        .name,
    ).toBe('vm');
  });
  it('reads zone, zone:host and zone:host:node', () => {
    expect(parse(server({ availability_zone: 'az1' }))).toMatchObject({
      availabilityZone: 'az1',
      forceHost: undefined,
    });
    expect(parse(server({ availability_zone: 'az1:node2' }))).toMatchObject({
      availabilityZone: 'az1',
      forceHost: 'node2',
    });
    expect(parse(server({ availability_zone: ':node2:n2' }))).toMatchObject({
      availabilityZone: undefined,
      forceHost: 'node2',
      forceNode: 'n2',
    });
  });

  describe('preemptible (opie api-patch)', () => {
    it.each([
      [true, true],
      ['True', true],
      ['false', false],
      ['0', false],
    ])('reads the field %j as %j', (value, expected) => {
      expect(parse(server({ preemptible: value })).preemptible).toBe(expected);
    });
    it('rejects a bad value naming the field', () => {
      expect(rejection(server({ preemptible: 'perhaps' })).message).toContain(
        'field/attribute preemptible',
      );
    });
    it('reads the scheduler hint when the field is absent (both spellings of the hints key)', () => {
      expect(parse(server({}, { 'os:scheduler_hints': { preemptible: 'True' } })).preemptible).toBe(
        true,
      );
      expect(
        parse(server({}, { 'OS-SCH-HNT:scheduler_hints': { preemptible: ['true'] } })).preemptible,
      ).toBe(true);
      expect(parse(server({}, { 'os:scheduler_hints': { preemptible: 'no' } })).preemptible).toBe(
        false,
      );
    });
    it('rejects an empty or bad hint (opie bug 12: an empty list was preemptible)', () => {
      expect(
        rejection(server({}, { 'os:scheduler_hints': { preemptible: [] } })).message,
      ).toContain('os:scheduler_hints.preemptible');
      expect(
        rejection(server({}, { 'os:scheduler_hints': { preemptible: 'yes please' } })).status,
      ).toBe(400);
    });
    it('rejects a field and a hint that disagree', () => {
      expect(
        rejection(server({ preemptible: false }, { 'os:scheduler_hints': { preemptible: 'True' } }))
          .message,
      ).toContain('disagree');
      expect(
        parse(server({ preemptible: true }, { 'os:scheduler_hints': { preemptible: 'True' } }))
          .preemptible,
      ).toBe(true);
    });
  });

  describe('scheduler hints', () => {
    it('keeps strings and lists, stringifying scalars', () => {
      expect(
        parse(server({}, { 'os:scheduler_hints': { a: 'x', b: 2, c: [true, 'y'] } }))
          .schedulerHints,
      ).toEqual({ a: 'x', b: '2', c: ['true', 'y'] });
    });
    it('rejects objects, and a group hint that is not one id', () => {
      expect(rejection(server({}, { 'os:scheduler_hints': { a: { b: 1 } } })).status).toBe(400);
      expect(rejection(server({}, { 'os:scheduler_hints': [] })).status).toBe(400);
      expect(
        rejection(server({}, { 'os:scheduler_hints': { group: ['g1', 'g2'] } })).message,
      ).toContain('os:scheduler_hints.group');
      expect(rejection(server({}, { 'os:scheduler_hints': { group: 'a b' } })).status).toBe(400);
    });
    it('reads the group hint', () => {
      expect(parse(server({}, { 'os:scheduler_hints': { group: 'g-1' } })).group).toBe('g-1');
      expect(parse(server({})).group).toBeUndefined();
    });
  });
});
