import { configValuesFrom, createRuntime, novaVersionOption } from '@opie/core';
import type { HostFilter } from '@opie/core';
import { makeAggregate, makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  aggregateImagePropertiesIsolationFilterPlugin,
  createAggregateImagePropertiesIsolationFilter,
} from './aggregate-image-properties-isolation-filter.js';

const filter = createAggregateImagePropertiesIsolationFilter();

function passes(
  metadata: Record<string, string>,
  properties: Record<string, unknown>,
  f: HostFilter = filter,
): boolean {
  const host = makeHost({ aggregates: [makeAggregate({ metadata })] });
  return f.hostPasses(host, makeRequest({ image: { properties } }));
}

describe('AggregateImagePropertiesIsolation', () => {
  it('is nova AggregateImagePropertiesIsolation, run once per request', () => {
    expect(filter.name).toBe('AggregateImagePropertiesIsolation');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(aggregateImagePropertiesIsolationFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.aggregate_image_properties_isolation.AggregateImagePropertiesIsolation',
    );
  });

  it('declares its two options with their Liberty [DEFAULT] names (and [opie] nova_version)', () => {
    const all = aggregateImagePropertiesIsolationFilterPlugin.options ?? [];
    // The third is the shared [opie] nova_version (the Zed rule: see the .zed.test.ts file).
    expect(all[2]).toBe(novaVersionOption);
    const options = all.slice(0, 2);
    expect(options.map((o) => [o.group, o.name, o.type, o.default])).toEqual([
      ['filter_scheduler', 'aggregate_image_properties_isolation_namespace', 'str', null],
      ['filter_scheduler', 'aggregate_image_properties_isolation_separator', 'str', '.'],
    ]);
    for (const o of options) {
      expect(o.deprecatedNames).toEqual([{ group: 'DEFAULT', name: o.name }]);
    }
  });

  it('test_aggregate_image_properties_isolation_passes (nova)', () => {
    expect(passes({ hw_vm_mode: 'hvm' }, { hw_vm_mode: 'hvm' })).toBe(true);
  });

  it('test_aggregate_image_properties_isolation_passes_comma (nova)', () => {
    expect(passes({ hw_vm_mode: 'hvm,xen' }, { hw_vm_mode: 'hvm' })).toBe(true);
  });

  it('test_aggregate_image_properties_isolation_multi_props_passes (nova)', () => {
    expect(
      passes({ hw_vm_mode: 'hvm', hw_cpu_cores: '2' }, { hw_vm_mode: 'hvm', hw_cpu_cores: '2' }),
    ).toBe(true);
  });

  it('test_aggregate_image_properties_isolation_props_with_meta_passes (nova)', () => {
    expect(passes({ hw_vm_mode: 'hvm' }, {})).toBe(true);
  });

  it('test_aggregate_image_properties_isolation_props_imgprops_passes (nova)', () => {
    expect(passes({}, { hw_vm_mode: 'hvm' })).toBe(true);
    const host = makeHost({ aggregates: [] });
    expect(filter.hostPasses(host, makeRequest({ image: { properties: { a: 'b' } } }))).toBe(true);
  });

  it('test_aggregate_image_properties_isolation_props_not_match_fails (nova)', () => {
    expect(passes({ hw_vm_mode: 'hvm' }, { hw_vm_mode: 'xen' })).toBe(false);
  });

  it('test_aggregate_image_properties_isolation_props_not_match2_fails (nova)', () => {
    expect(
      passes({ hw_vm_mode: 'hvm', hw_cpu_cores: '1' }, { hw_vm_mode: 'hvm', hw_cpu_cores: '2' }),
    ).toBe(false);
  });

  it('test_aggregate_image_properties_isolation_props_namespace (nova)', () => {
    const f = createAggregateImagePropertiesIsolationFilter({ namespace: 'hw', separator: '_' });
    expect(
      passes(
        { hw_vm_mode: 'hvm', img_owner_id: 'foo' },
        { hw_vm_mode: 'hvm', img_owner_id: 'wrong' },
        f,
      ),
    ).toBe(true);
    expect(passes({ hw_vm_mode: 'hvm' }, { hw_vm_mode: 'xen' }, f)).toBe(false);
  });

  it('test_aggregate_image_properties_iso_props_with_custom_meta (nova)', () => {
    expect(passes({ os: 'linux' }, { os_type: 'linux' })).toBe(true);
  });

  it('test_aggregate_image_properties_iso_props_with_matching_meta_pass (nova)', () => {
    expect(passes({ os_type: 'linux' }, { os_type: 'linux' })).toBe(true);
  });

  it('test_aggregate_image_properties_iso_props_with_matching_meta_fail (nova)', () => {
    expect(passes({ os_type: 'windows' }, { os_type: 'linux' })).toBe(false);
  });

  it('reads the namespace and separator from the configuration (default separator ".")', () => {
    const conf = configValuesFrom(aggregateImagePropertiesIsolationFilterPlugin.options ?? [], {
      'filter_scheduler.aggregate_image_properties_isolation_namespace': 'hw',
    });
    const f = aggregateImagePropertiesIsolationFilterPlugin.create({
      conf,
      runtime: createRuntime(),
    });
    expect(passes({ 'hw.mode': 'a', 'os.type': 'x' }, { 'hw.mode': 'a', 'os.type': 'y' }, f)).toBe(
      true,
    );
    expect(passes({ 'hw.mode': 'a' }, { 'hw.mode': 'b' }, f)).toBe(false);
    expect(passes({ hw_mode: 'a' }, { hw_mode: 'b' }, f)).toBe(true);
  });

  it('an empty namespace restricts nothing', () => {
    const f = createAggregateImagePropertiesIsolationFilter({ namespace: '', separator: '.' });
    expect(passes({ os_type: 'windows' }, { os_type: 'linux' }, f)).toBe(false);
  });

  it('a falsy image property is not checked; a non-string one never matches (Liberty raw comparison)', () => {
    expect(passes({ hw_cpu_cores: '0' }, { hw_cpu_cores: '' })).toBe(true);
    expect(passes({ hw_cpu_cores: '0' }, { hw_cpu_cores: 0 })).toBe(true);
    expect(passes({ hw_cpu_cores: '2' }, { hw_cpu_cores: 2 })).toBe(false);
  });

  it('unions the values of the key across the host aggregates', () => {
    const host = makeHost({
      aggregates: [
        makeAggregate({ id: 1, metadata: { os_type: 'windows' } }),
        makeAggregate({ id: 2, metadata: { os_type: 'linux' } }),
      ],
    });
    expect(
      filter.hostPasses(host, makeRequest({ image: { properties: { os_type: 'linux' } } })),
    ).toBe(true);
    expect(
      filter.hostPasses(host, makeRequest({ image: { properties: { os_type: 'bsd' } } })),
    ).toBe(false);
  });
});
