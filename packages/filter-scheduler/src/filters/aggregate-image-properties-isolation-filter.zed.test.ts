import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '@opie/core';
import { makeAggregate, makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  aggregateImagePropertiesIsolationFilterPlugin,
  createAggregateImagePropertiesIsolationFilter,
} from './aggregate-image-properties-isolation-filter.js';

/*
 * nova Zed's AggregateImagePropertiesIsolation, ported by behaviour from
 * nova/tests/unit/scheduler/filters/test_aggregate_image_properties_isolation_filters.py
 * (stable/zed). Expected values follow from Zed's rule: for every aggregate
 * metadata key (in the namespace, if one is set), the ImageMeta field of that
 * name, when set and truthy, must have str(value) among the aggregates'
 * comma-separated values for the key.
 */

const zed = createAggregateImagePropertiesIsolationFilter({ novaVersion: 'zed' });

function passes(
  metadata: Record<string, string>,
  properties: Record<string, unknown>,
  filter = zed,
): boolean {
  const host = makeHost({ aggregates: [makeAggregate({ metadata })] });
  return filter.hostPasses(host, makeRequest({ image: { properties } }));
}

describe('AggregateImagePropertiesIsolation (nova Zed)', () => {
  it('test_aggregate_image_properties_isolation_passes / _passes_comma / _props_not_match_fails', () => {
    expect(passes({ hw_vm_mode: 'hvm' }, { hw_vm_mode: 'hvm' })).toBe(true);
    expect(passes({ hw_vm_mode: 'hvm,xen' }, { hw_vm_mode: 'hvm' })).toBe(true);
    expect(passes({ hw_vm_mode: 'hvm' }, { hw_vm_mode: 'xen' })).toBe(false);
  });

  it('test_aggregate_image_properties_isolation_props_bad_comma: the image value is one string', () => {
    expect(passes({ os_distro: 'windows,linux' }, { os_distro: 'windows,' })).toBe(false);
  });

  it('test_aggregate_image_properties_isolation_multi_props_passes / _not_match2_fails: str() of an integer field', () => {
    expect(
      passes({ hw_vm_mode: 'hvm', hw_cpu_cores: '2' }, { hw_vm_mode: 'hvm', hw_cpu_cores: '2' }),
    ).toBe(true);
    expect(
      passes({ hw_vm_mode: 'hvm', hw_cpu_cores: '1' }, { hw_vm_mode: 'hvm', hw_cpu_cores: '2' }),
    ).toBe(false);
    // int('02') is 2, so str() is '2' (Liberty compares the raw '02').
    expect(passes({ hw_cpu_cores: '2' }, { hw_cpu_cores: '02' })).toBe(true);
    expect(
      passes(
        { hw_cpu_cores: '2' },
        { hw_cpu_cores: '02' },
        createAggregateImagePropertiesIsolationFilter(),
      ),
    ).toBe(false);
  });

  it('test_aggregate_image_properties_isolation_props_with_meta_passes / _imgprops_passes', () => {
    expect(passes({ hw_vm_mode: 'hvm' }, {})).toBe(true);
    expect(passes({}, { hw_vm_mode: 'hvm' })).toBe(true);
  });

  it('test_aggregate_image_properties_isolation_props_namespace', () => {
    const ns = createAggregateImagePropertiesIsolationFilter({
      novaVersion: 'zed',
      namespace: 'hw',
      separator: '_',
    });
    expect(
      passes(
        { hw_vm_mode: 'hvm', img_owner_id: 'foo' },
        { hw_vm_mode: 'hvm', img_owner_id: 'wrong' },
        ns,
      ),
    ).toBe(true);
    expect(passes({ hw_vm_mode: 'hvm' }, { hw_vm_mode: 'xen' }, ns)).toBe(false);
  });

  it('test_aggregate_image_properties_iso_props_with_custom_meta / _with_matching_meta_pass / _fail', () => {
    expect(passes({ os: 'linux' }, { os_type: 'linux' })).toBe(true);
    expect(passes({ os_type: 'linux' }, { os_type: 'linux' })).toBe(true);
    expect(passes({ os_type: 'windows' }, { os_type: 'linux' })).toBe(false);
  });

  it('a custom image key is no ImageMeta field and never constrains a host (Liberty compares it)', () => {
    expect(passes({ ssd: 'true' }, { ssd: 'false' })).toBe(true);
    expect(
      passes({ ssd: 'true' }, { ssd: 'false' }, createAggregateImagePropertiesIsolationFilter()),
    ).toBe(false);
  });

  it('a legacy image name is compared under its current name', () => {
    // `architecture` becomes hw_architecture; an aggregate keyed `architecture` no longer matches it.
    expect(passes({ hw_architecture: 'aarch64' }, { architecture: 'x86_64' })).toBe(false);
    expect(passes({ hw_architecture: 'x86_64' }, { architecture: 'AMD64' })).toBe(true);
    expect(passes({ architecture: 'aarch64' }, { architecture: 'x86_64' })).toBe(true);
  });

  it('a boolean field compares as True / False; a False value constrains nothing', () => {
    expect(passes({ hw_qemu_guest_agent: 'True' }, { hw_qemu_guest_agent: 'yes' })).toBe(true);
    expect(passes({ hw_qemu_guest_agent: 'yes' }, { hw_qemu_guest_agent: 'yes' })).toBe(false);
    expect(passes({ hw_qemu_guest_agent: 'True' }, { hw_qemu_guest_agent: 'no' })).toBe(true);
  });

  it('an invalid image property rejects the request', () => {
    expect(() => passes({ hw_vm_mode: 'hvm' }, { hw_vm_mode: 'paravirt' })).toThrow(
      InvalidInputError,
    );
  });

  it('the plugin follows [opie] nova_version', () => {
    const make = (values: Record<string, string>) =>
      aggregateImagePropertiesIsolationFilterPlugin.create(
        pluginContext(aggregateImagePropertiesIsolationFilterPlugin, values),
      );
    expect(passes({ ssd: 'true' }, { ssd: 'false' }, make({ 'opie.nova_version': 'zed' }))).toBe(
      true,
    );
    expect(passes({ ssd: 'true' }, { ssd: 'false' }, make({}))).toBe(false);
  });
});
