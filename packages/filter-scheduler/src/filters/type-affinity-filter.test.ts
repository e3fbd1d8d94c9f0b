import { configValuesFrom, createRuntime } from '@opie/core';
import { makeFlavor, makeHost, makeInstance, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { createTypeAffinityFilter, typeAffinityFilterPlugin } from './type-affinity-filter.js';

const filter = createTypeAffinityFilter();
const request = makeRequest({ flavor: makeFlavor({ id: 'fake1' }) });

describe('TypeAffinityFilter', () => {
  it('is nova TypeAffinityFilter, run for every instance', () => {
    expect(filter.name).toBe('TypeAffinityFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    expect(typeAffinityFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.type_filter.TypeAffinityFilter',
    );
    const f = typeAffinityFilterPlugin.create({
      conf: configValuesFrom([]),
      runtime: createRuntime(),
    });
    expect(f.name).toBe('TypeAffinityFilter');
  });

  it('test_type_filter (nova): an empty host passes, one with another flavor fails', () => {
    expect(filter.hostPasses(makeHost(), request)).toBe(true);
    const other = makeHost({ instances: [makeInstance({ instanceTypeId: 'fake2' })] });
    expect(filter.hostPasses(other, request)).toBe(false);
  });

  it('passes a host running only the same flavor', () => {
    const host = makeHost({
      instances: [
        makeInstance({ instanceTypeId: 'fake1' }),
        makeInstance({ instanceTypeId: 'fake1' }),
      ],
    });
    expect(filter.hostPasses(host, request)).toBe(true);
  });

  it('fails a host mixing flavors', () => {
    const host = makeHost({
      instances: [
        makeInstance({ instanceTypeId: 'fake1' }),
        makeInstance({ instanceTypeId: 'fake2' }),
      ],
    });
    expect(filter.hostPasses(host, request)).toBe(false);
  });

  it('ignores instances without a flavor id (SQL NULL never differs)', () => {
    const host = makeHost({ instances: [makeInstance()] });
    expect(filter.hostPasses(host, request)).toBe(true);
  });
});
