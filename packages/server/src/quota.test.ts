import { describe, expect, it } from 'vitest';
import { instancesAllowed, parseQuotaValue, quotaExceeded, readQuotaDefaults } from './quota.js';
import type { QuotaLimits } from './quota.js';

const unlimited: QuotaLimits = {
  instances: -1,
  cores: -1,
  ram: -1,
  preemptible_instances: -1,
  preemptible_cores: -1,
  preemptible_ram: -1,
};

describe('readQuotaDefaults', () => {
  it('is unlimited (-1) for every resource no option sets', () => {
    const d = readQuotaDefaults([{ path: 'nova.conf', text: '[DEFAULT]\ndebug = true\n' }]);
    expect(d.limits).toEqual(unlimited);
    expect(d.sources).toEqual({});
    expect(d.problems).toEqual([]);
  });
  it("reads [quota] and Liberty's deprecated [DEFAULT] quota_*, the current name winning, later files winning", () => {
    const d = readQuotaDefaults([
      {
        path: 'a.conf',
        text: '[DEFAULT]\nquota_instances = 7\nquota_cores = 9\n[quota]\ninstances = 5\npreemptible_ram = 4096\n',
      },
      { path: 'b.conf', text: '[quota]\npreemptible_ram = 8192\n' },
    ]);
    expect(d.limits).toMatchObject({ instances: 5, cores: 9, ram: -1, preemptible_ram: 8192 });
    expect(d.sources.instances).toBe('a.conf:5 [quota] instances');
    expect(d.sources.preemptible_ram).toBe('b.conf:2 [quota] preemptible_ram');
    expect(d.warnings).toEqual([
      'a.conf:3: [DEFAULT] quota_cores is deprecated; use [quota] cores',
    ]);
  });
  it('names the file and line of a value that is not an integer >= -1', () => {
    const d = readQuotaDefaults([{ path: 'n.conf', text: '[quota]\ncores = many\nram = -2\n' }]);
    expect(d.problems).toEqual([
      'n.conf:2: [quota] cores = many: expected an integer >= -1 (-1: unlimited)',
      'n.conf:3: [quota] ram = -2: expected an integer >= -1 (-1: unlimited)',
    ]);
  });
  it('parseQuotaValue takes integers >= -1 as numbers or digit strings', () => {
    expect([-1, 0, '12', ' 3 '].map(parseQuotaValue)).toEqual([-1, 0, 12, 3]);
    expect([-2, 1.5, 'x', '', null, true].map(parseQuotaValue)).toEqual(Array(6).fill(undefined));
  });
});

describe('instancesAllowed and quotaExceeded (nova TooManyInstances)', () => {
  const normal = { preemptible: false, instances: 4, vcpus: 2, memoryMb: 1024 };
  it("allows as many as every resource of the request's kind leaves room for", () => {
    const used = { instances: 1, cores: 2, ram: 1024 };
    // cores: (7 - 2) / 2 = 2.5 -> 2; instances: 10 - 1 = 9; ram unlimited -> 2.
    expect(instancesAllowed(normal, used, { ...unlimited, instances: 10, cores: 7 })).toBe(2);
    // Preemptible limits do not apply to a normal request.
    expect(instancesAllowed(normal, used, { ...unlimited, preemptible_instances: 0 })).toBe(4);
    expect(
      instancesAllowed({ ...normal, preemptible: true }, used, {
        ...unlimited,
        preemptible_cores: 4,
      }),
    ).toBe(1);
    expect(
      instancesAllowed(normal, { instances: 9, cores: 0, ram: 0 }, { ...unlimited, instances: 3 }),
    ).toBe(0);
  });
  it("names every resource exceeded, with nova's message", () => {
    const used = { instances: 2, cores: 4, ram: 2048 };
    const error = quotaExceeded(normal, used, { ...unlimited, instances: 3, cores: 5 }, 2);
    expect(error?.status).toBe(403);
    // instances: 2 + 2 > 3; cores: 4 + 2*2 > 5; ram unlimited.
    expect(error?.message).toBe(
      'Quota exceeded for instances, cores: Requested 2, 4, but already used 2, 4 of 3, 5 instances, cores',
    );
    expect(quotaExceeded(normal, used, unlimited, 100)).toBeUndefined();
    expect(
      quotaExceeded(
        { ...normal, preemptible: true },
        used,
        { ...unlimited, preemptible_instances: 2 },
        1,
      )?.message,
    ).toBe(
      'Quota exceeded for preemptible_instances: Requested 1, but already used 2 of 2 preemptible_instances',
    );
  });
});
