import type { Logger, SupportedInstance } from '@opie/core';
import { configValuesFrom, createRuntime, silentLogger } from '@opie/core';
import { makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  createImagePropertiesFilter,
  imagePropertiesFilterPlugin,
} from './image-properties-filter.js';

const filter = createImagePropertiesFilter();
const V6 = 6000000; // convert_version_to_int('6.0.0')

function passes(
  properties: Record<string, unknown>,
  supportedInstances: SupportedInstance[] | undefined,
  hypervisorVersion: number | undefined = V6,
): boolean {
  const host = makeHost({ supportedInstances: supportedInstances ?? [], hypervisorVersion });
  return filter.hostPasses(host, makeRequest({ image: { properties } }));
}

describe('ImagePropertiesFilter', () => {
  it('is nova ImagePropertiesFilter, run once per request', () => {
    expect(filter.name).toBe('ImagePropertiesFilter');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(imagePropertiesFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.image_props_filter.ImagePropertiesFilter',
    );
    const created = imagePropertiesFilterPlugin.create({
      conf: configValuesFrom([]),
      runtime: createRuntime(),
    });
    expect(created.name).toBe('ImagePropertiesFilter');
  });

  it('test_image_properties_filter_passes_same_inst_props_and_version (nova)', () => {
    const props = {
      _architecture: 'x86_64',
      hypervisor_type: 'kvm',
      vm_mode: 'hvm',
      hypervisor_version_requires: '>=6.0,<6.2',
    };
    expect(passes(props, [['x86_64', 'kvm', 'hvm']])).toBe(true);
  });

  it('test_image_properties_filter_fails_different_inst_props (nova)', () => {
    const props = { architecture: 'armv7l', hypervisor_type: 'qemu', vm_mode: 'hvm' };
    expect(passes(props, [['x86_64', 'kvm', 'hvm']])).toBe(false);
  });

  it('test_image_properties_filter_fails_different_hyper_version (nova)', () => {
    const props = {
      architecture: 'x86_64',
      hypervisor_type: 'kvm',
      vm_mode: 'hvm',
      hypervisor_version_requires: '>=6.2',
    };
    expect(passes(props, [['x86_64', 'kvm', 'hvm']])).toBe(false);
  });

  it('test_image_properties_filter_passes_partial_inst_props (nova)', () => {
    expect(passes({ architecture: 'x86_64', vm_mode: 'hvm' }, [['x86_64', 'kvm', 'hvm']])).toBe(
      true,
    );
  });

  it('test_image_properties_filter_fails_partial_inst_props (nova)', () => {
    expect(passes({ architecture: 'x86_64', vm_mode: 'hvm' }, [['x86_64', 'xen', 'xen']])).toBe(
      false,
    );
  });

  it('test_image_properties_filter_passes_without_inst_props (nova)', () => {
    expect(passes({}, [['x86_64', 'kvm', 'hvm']])).toBe(true);
    expect(passes({}, undefined)).toBe(true);
  });

  it('test_image_properties_filter_fails_without_host_props (nova)', () => {
    const props = { architecture: 'x86_64', hypervisor_type: 'kvm', vm_mode: 'hvm' };
    expect(passes(props, undefined)).toBe(false);
  });

  it('test_image_properties_filter_passes_without_hyper_version (nova)', () => {
    const props = {
      architecture: 'x86_64',
      hypervisor_type: 'kvm',
      vm_mode: 'hvm',
      hypervisor_version_requires: '>=6.0',
    };
    expect(passes(props, [['x86_64', 'kvm', 'hvm']], undefined)).toBe(true);
  });

  it('test_image_properties_filter_fails_with_unsupported_hyper_ver (nova)', () => {
    const props = {
      architecture: 'x86_64',
      hypervisor_type: 'kvm',
      vm_mode: 'hvm',
      hypervisor_version_requires: '>=6.0',
    };
    expect(passes(props, [['x86_64', 'kvm', 'hvm']], 5000)).toBe(false);
  });

  it('test_image_properties_filter_pv_mode_compat (nova)', () => {
    expect(passes({ vm_mode: 'pv' }, [['x86_64', 'xen', 'xen']])).toBe(true);
  });

  it('test_image_properties_filter_hvm_mode_compat (nova)', () => {
    expect(passes({ vm_mode: 'hv' }, [['x86_64', 'kvm', 'hvm']])).toBe(true);
  });

  it('test_image_properties_filter_xen_arch_compat (nova)', () => {
    expect(passes({ architecture: 'x86_32' }, [['i686', 'kvm', 'hvm']])).toBe(true);
  });

  it('test_image_properties_filter_xen_hv_type_compat (nova)', () => {
    expect(passes({ hypervisor_type: 'xapi' }, [['i686', 'xen', 'hvm']])).toBe(true);
  });

  it('test_image_properties_filter_baremetal_vmmode_compat (nova)', () => {
    expect(passes({ vm_mode: 'baremetal' }, [['i686', 'baremetal', 'hvm']])).toBe(true);
  });

  it('canonicalises case and legacy architecture names', () => {
    expect(passes({ architecture: 'AMD64' }, [['x86_64', 'kvm', 'hvm']])).toBe(true);
    expect(passes({ architecture: 'i386' }, [['i686', 'kvm', 'hvm']])).toBe(true);
    expect(passes({ hypervisor_type: 'KVM' }, [['x86_64', 'kvm', 'hvm']])).toBe(true);
  });

  it('matches a value anywhere in the triple, and any of several triples', () => {
    expect(passes({ vm_mode: 'hvm' }, [['hvm', 'x', 'y']])).toBe(true);
    const supported: SupportedInstance[] = [
      ['x86_64', 'xen', 'xen'],
      ['x86_64', 'kvm', 'hvm'],
    ];
    expect(passes({ hypervisor_type: 'kvm', vm_mode: 'hvm' }, supported)).toBe(true);
  });

  it('a version requirement without any of the three properties is not checked', () => {
    expect(passes({ hypervisor_version_requires: '>=99.0' }, undefined)).toBe(true);
    expect(passes({ hypervisor_version_requires: 'nonsense' }, undefined)).toBe(true);
  });

  it('checks every condition of the requirement as version tuples', () => {
    const props = { hypervisor_type: 'kvm', hypervisor_version_requires: '>= 1.2, < 2.0' };
    const kvm: SupportedInstance[] = [['x86_64', 'kvm', 'hvm']];
    expect(passes(props, kvm, 1002003)).toBe(true);
    expect(passes(props, kvm, 1010000)).toBe(true);
    expect(passes(props, kvm, 1001999)).toBe(false);
    expect(passes(props, kvm, 2000000)).toBe(false);
    expect(passes({ ...props, hypervisor_version_requires: '==1.2' }, kvm, 1002000)).toBe(true);
    expect(passes({ ...props, hypervisor_version_requires: '!=1.2' }, kvm, 1002000)).toBe(false);
    expect(passes({ ...props, hypervisor_version_requires: '<=1.2' }, kvm, 1002000)).toBe(true);
    expect(passes({ ...props, hypervisor_version_requires: '>1.2' }, kvm, 1002000)).toBe(false);
  });

  it('fails a host whose version distutils cannot read (nova raises)', () => {
    const props = { hypervisor_type: 'kvm', hypervisor_version_requires: '>=1.0' };
    const kvm: SupportedInstance[] = [['x86_64', 'kvm', 'hvm']];
    expect(passes(props, kvm, 5)).toBe(false);
    expect(passes(props, kvm, 6003009600)).toBe(false);
  });

  it('fails every host for an unknown architecture, hypervisor type or VM mode (nova raises)', () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    const f = createImagePropertiesFilter({ logger });
    const host = makeHost({ supportedInstances: [['x86_64', 'kvm', 'hvm']] });
    for (const properties of [
      { architecture: 'pdp11' },
      { hypervisor_type: 'hyperkit' },
      { vm_mode: 'pvh' },
      { architecture: '' },
      { architecture: 64 },
    ]) {
      const request = makeRequest({ image: { properties } });
      expect(f.hostPasses(host, request)).toBe(false);
      expect(f.hostPasses(host, request)).toBe(false);
    }
    // Warned once per request, not per host.
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toContain('pdp11');
  });

  it('fails every host for a malformed version requirement (nova raises)', () => {
    const kvm: SupportedInstance[] = [['x86_64', 'kvm', 'hvm']];
    for (const req of ['6.0', '>=6', '>=6.0,', '=>6.0', '>= 6.0.0.1', 7]) {
      expect(passes({ hypervisor_type: 'kvm', hypervisor_version_requires: req }, kvm)).toBe(false);
      expect(
        passes({ hypervisor_type: 'kvm', hypervisor_version_requires: req }, kvm, undefined),
      ).toBe(false);
    }
  });

  it('ignores falsy properties and requirements', () => {
    const kvm: SupportedInstance[] = [['x86_64', 'kvm', 'hvm']];
    expect(passes({ architecture: null }, undefined)).toBe(true);
    expect(passes({ hypervisor_type: 'kvm', hypervisor_version_requires: '' }, kvm, 1)).toBe(true);
  });
});
