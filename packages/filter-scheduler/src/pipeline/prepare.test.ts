import { describe, expect, it } from 'vitest';
import type { HostFilter, RequestSpec } from '@opie/core';
import { InvalidArgumentError, PluginFailedError } from '@opie/core';
import { createRamWeigher } from '@opie/weighers';
import { cloud, request, scheduler } from '../scheduler/__fixtures__/scheduler-cloud.js';
import { FilterScheduler } from '../scheduler/filter-scheduler.js';
import { validateRequestSpec } from './prepare.js';

function caught(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('request preparation checks the spec at the door', () => {
  it.each([
    [{ numInstances: 2.5 }, 'spec.numInstances', 2.5],
    [{ numInstances: -1 }, 'spec.numInstances', -1],
    [{ numInstances: 0 }, 'spec.numInstances', 0],
    [{ numInstances: Number.NaN }, 'spec.numInstances', Number.NaN],
    [{ priority: Number.POSITIVE_INFINITY }, 'spec.priority', Number.POSITIVE_INFINITY],
  ] as const)('%j is refused naming %s', (extra, parameter, value) => {
    const e = caught(() => validateRequestSpec(request(1024, extra)));
    expect(e.parameter).toBe(parameter);
    expect(e.value).toBe(value);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain(parameter);
  });

  it.each(['memoryMb', 'vcpus', 'rootGb', 'ephemeralGb', 'swap'] as const)(
    'a flavor %s of -4096, NaN or Infinity is refused',
    (key) => {
      for (const bad of [-4096, Number.NaN, Number.POSITIVE_INFINITY]) {
        const e = caught(() => validateRequestSpec(request(1024, {}, { [key]: bad })));
        expect(e.parameter).toBe(`spec.flavor.${key}`);
        expect(e.message).toContain('a finite number >= 0');
      }
    },
  );

  it('instance uuids must be strings, and the image an object', () => {
    const uuids = ['a', 7] as unknown as string[];
    expect(
      caught(() => validateRequestSpec(request(1024, { instanceUuids: uuids }))).parameter,
    ).toBe('spec.instanceUuids[1]');
    const noImage = { ...request(1024), image: null } as unknown as RequestSpec;
    expect(caught(() => validateRequestSpec(noImage)).parameter).toBe('spec.image');
  });

  it('plan() refuses a bad spec before claiming anything (the host keeps its RAM)', () => {
    const manager = cloud([{ name: 'a', memoryMb: 4096 }]);
    const { s } = scheduler(manager);
    manager.getHostStates('full', 0);
    // The node reports 4096 MB and no instance: all of it is free.
    expect(manager.hostStateFor('a', 'a', 'full')?.freeRamMb).toBe(4096);
    expect(() => s.plan(request(-4096))).toThrow(InvalidArgumentError);
    expect(() => s.plan(request(1024, { numInstances: 2.5 }))).toThrow(/spec.numInstances: 2.5/);
    manager.getHostStates('full', 0);
    expect(manager.hostStateFor('a', 'a', 'full')?.freeRamMb).toBe(4096);
  });
});

describe('the scheduler checks its options and names failing plugins', () => {
  const hostManager = cloud([{ name: 'a' }]);
  const base = { hostManager, filters: [], weighers: [] };

  it.each([
    [{ victimPolicy: 'cheapest' }, 'victimPolicy'],
    [{ hostSelection: 'random' }, 'hostSelection'],
    [{ preemptionCostMultiplier: Number.NaN }, 'preemptionCostMultiplier'],
    [{ maxExactCandidates: -1 }, 'maxExactCandidates'],
    [{ gracePeriod: Number.NaN }, 'gracePeriod'],
  ])('%j is refused', (extra, parameter) => {
    const e = caught(() => new FilterScheduler({ ...base, ...(extra as object) }));
    expect(e.parameter).toBe(parameter);
  });

  it('a hand-built weigher with a NaN multiplier is refused, naming it', () => {
    const weigher = { name: 'acme.W', multiplier: Number.NaN, weigh: () => 0 };
    const e = caught(() => new FilterScheduler({ ...base, weighers: [weigher] }));
    expect(e.parameter).toBe('weighers[0].multiplier (acme.W)');
    // The built-in factories refuse it themselves.
    expect(() => createRamWeigher({ multiplier: Number.NaN })).toThrow(InvalidArgumentError);
  });

  it('a filter that throws is a PluginFailedError naming it, with the cause kept', () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'x')");
    const bad: HostFilter = {
      name: 'ThirdPartyFilter',
      runFilterOncePerRequest: false,
      hostPasses: () => {
        throw boom;
      },
    };
    const { s } = scheduler(cloud([{ name: 'a' }]), { filters: [bad] });
    let error: unknown;
    try {
      s.plan(request(512));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PluginFailedError);
    expect((error as PluginFailedError).plugin).toBe('ThirdPartyFilter');
    expect((error as PluginFailedError).cause).toBe(boom);
    expect((error as Error).message).toBe(
      "filter (filter) plugin ThirdPartyFilter failed: Cannot read properties of undefined (reading 'x')",
    );
  });

  it('a weigher that throws is a PluginFailedError naming it', () => {
    const { s } = scheduler(cloud([{ name: 'a' }, { name: 'b' }]), {
      explain: false,
      weighers: [
        {
          name: 'acme.BrokenWeigher',
          multiplier: 1,
          weigh: () => {
            throw new RangeError('bad');
          },
        },
      ],
    });
    expect(() => s.plan(request(512))).toThrow(/weigher plugin acme.BrokenWeigher failed: bad/);
  });
});
