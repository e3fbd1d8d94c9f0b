import { describe, expect, it } from 'vitest';
import type { SupportedInstance } from '@opie/core';
import { InvalidArgumentError, InvalidInputError } from '@opie/core';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  createImagePropertiesFilter,
  imagePropertiesFilterPlugin,
} from './image-properties-filter.js';

/*
 * nova Zed's ImagePropertiesFilter, ported by behaviour from
 * nova/tests/unit/scheduler/filters/test_image_props_filters.py (stable/zed).
 * Expected values follow from Zed's rule: the ImageMeta fields
 * hw_architecture (else the default architecture), img_hv_type and
 * hw_vm_mode, canonicalised, must all be in one supported-instance triple of
 * the host, and img_hv_requested_version must hold for the host's
 * hypervisor version (1000-based: 6000000 is 6.0.0) when both are set.
 */

const zed = createImagePropertiesFilter({ novaVersion: 'zed' });
const V6 = 6_000_000;
const image = (properties: Record<string, string>) => makeRequest({ image: { properties } });
const host = (supportedInstances: SupportedInstance[], hypervisorVersion?: number) =>
  makeHost({
    supportedInstances,
    ...(hypervisorVersion !== undefined ? { hypervisorVersion } : {}),
  });
const X86_KVM_HVM: SupportedInstance = ['x86_64', 'kvm', 'hvm'];
const FULL = {
  hw_architecture: 'x86_64',
  img_hv_type: 'kvm',
  hw_vm_mode: 'hvm',
};

describe('ImagePropertiesFilter (nova Zed)', () => {
  it('test_image_properties_filter_passes_same_inst_props_and_version', () => {
    const r = image({ ...FULL, img_hv_requested_version: '>=6.0,<6.2' });
    expect(zed.hostPasses(host([X86_KVM_HVM], V6), r)).toBe(true);
  });

  it('test_image_properties_filter_uses_default_conf_value: no architecture asks for the default', () => {
    const withDefault = createImagePropertiesFilter({
      novaVersion: 'zed',
      defaultArchitecture: 'x86_64',
    });
    expect(withDefault.hostPasses(host([['aarch64', 'kvm', 'hvm']], V6), image({}))).toBe(false);
    expect(withDefault.hostPasses(host([X86_KVM_HVM], V6), image({}))).toBe(true);
    expect(withDefault.passesAll?.(image({}))).toBe(false);
    // Without a default, such an image passes every host.
    expect(zed.passesAll?.(image({}))).toBe(true);
    // The image's own architecture wins over the default.
    expect(
      withDefault.hostPasses(
        host([['aarch64', 'kvm', 'hvm']]),
        image({ hw_architecture: 'aarch64' }),
      ),
    ).toBe(true);
  });

  it('test_image_properties_filter_fails_different_inst_props', () => {
    const r = image({ hw_architecture: 'armv7l', img_hv_type: 'qemu', hw_vm_mode: 'hvm' });
    expect(zed.hostPasses(host([X86_KVM_HVM], V6), r)).toBe(false);
  });

  it('test_image_properties_filter_fails_different_hyper_version', () => {
    const r = image({ ...FULL, img_hv_requested_version: '>=6.2' });
    expect(zed.hostPasses(host([X86_KVM_HVM], V6), r)).toBe(false);
  });

  it('test_image_properties_filter_passes_partial_inst_props / fails_partial_inst_props', () => {
    const r = image({ hw_architecture: 'x86_64', hw_vm_mode: 'hvm' });
    expect(zed.hostPasses(host([X86_KVM_HVM], V6), r)).toBe(true);
    expect(zed.hostPasses(host([['x86_64', 'xen', 'xen']], V6), r)).toBe(false);
  });

  it('test_image_properties_filter_passes_without_inst_props / fails_without_host_props', () => {
    expect(zed.hostPasses(host([X86_KVM_HVM], V6), image({}))).toBe(true);
    expect(zed.hostPasses(host([], V6), image(FULL))).toBe(false);
  });

  it('test_image_properties_filter_passes_without_hyper_version / fails_with_unsupported_hyper_ver', () => {
    const r = image({ ...FULL, img_hv_requested_version: '>=6.0' });
    expect(zed.hostPasses(host([X86_KVM_HVM]), r)).toBe(true);
    // 5000 is version 5.0.
    expect(zed.hostPasses(host([X86_KVM_HVM], 5000), r)).toBe(false);
  });

  it('the _compat cases: pv, hv, baremetal, x86_32 and xapi are canonicalised', () => {
    expect(zed.hostPasses(host([['x86_64', 'xen', 'xen']], V6), image({ hw_vm_mode: 'pv' }))).toBe(
      true,
    );
    expect(zed.hostPasses(host([X86_KVM_HVM], V6), image({ hw_vm_mode: 'hv' }))).toBe(true);
    expect(
      zed.hostPasses(host([['i686', 'kvm', 'hvm']], V6), image({ hw_architecture: 'x86_32' })),
    ).toBe(true);
    expect(zed.hostPasses(host([['i686', 'xen', 'hvm']], V6), image({ img_hv_type: 'xapi' }))).toBe(
      true,
    );
    expect(
      zed.hostPasses(host([['i686', 'baremetal', 'hvm']], V6), image({ hw_vm_mode: 'baremetal' })),
    ).toBe(true);
  });

  it("reads Liberty's Glance names as nova Zed maps them (the issue's x86_64 image with hw_architecture)", () => {
    const aarch64 = host([['aarch64', 'kvm', 'hvm']], V6);
    const liberty = createImagePropertiesFilter();
    // Liberty reads only `architecture`: hw_architecture is ignored, so the aarch64 host passes.
    expect(liberty.hostPasses(aarch64, image({ hw_architecture: 'x86_64' }))).toBe(true);
    expect(zed.hostPasses(aarch64, image({ hw_architecture: 'x86_64' }))).toBe(false);
    // The legacy names still work under zed.
    expect(zed.hostPasses(aarch64, image({ architecture: 'x86_64' }))).toBe(false);
    expect(
      zed.hostPasses(
        host([X86_KVM_HVM], V6),
        image({
          architecture: 'amd64',
          hypervisor_type: 'KVM',
          vm_mode: 'HVM',
          hypervisor_version_requires: '>=6.0',
        }),
      ),
    ).toBe(true);
    // When both names are set, the current one wins.
    expect(
      zed.hostPasses(aarch64, image({ architecture: 'x86_64', hw_architecture: 'aarch64' })),
    ).toBe(true);
  });

  it('an invalid property value rejects the request, naming each property and the valid values', () => {
    const r = image({
      hw_architecture: 'bogus-arch',
      hypervisor_type: 'hyperkit',
      hw_disk_bus: 'nvme',
    });
    let error: unknown;
    try {
      zed.hostPasses(host([X86_KVM_HVM], V6), r);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const issues = (error as InvalidInputError).issues;
    expect(issues.map((i) => i.path)).toEqual([
      '$.image.properties.hypervisor_type',
      '$.image.properties.hw_architecture',
      '$.image.properties.hw_disk_bus',
    ]);
    expect(issues[0]?.message).toMatch(
      /Hypervisor virt type "hyperkit" is not valid; use one of baremetal, .*vz.* \(nova Zed reads it as img_hv_type\)/,
    );
    expect(issues[1]?.message).toMatch(
      /Architecture name "bogus-arch" is not valid; use one of alpha, .*x86_64/,
    );
    expect(issues[2]?.message).toMatch(
      /"nvme" is invalid \(nova's DiskBus\); use one of fdc, ide, sata, scsi, usb, virtio, xen, lxc, uml/,
    );
    // passesAll (the first call the scheduler makes) raises the same way.
    expect(() => zed.passesAll?.(r)).toThrow(InvalidInputError);
  });

  it('a malformed img_hv_requested_version rejects the request (Liberty fails every host)', () => {
    const r = image({ architecture: 'x86_64', hypervisor_version_requires: '6.0' });
    expect(() => zed.hostPasses(host([X86_KVM_HVM], V6), r)).toThrow(
      /hypervisor_version_requires.*not a valid predicate/,
    );
    expect(createImagePropertiesFilter().hostPasses(host([X86_KVM_HVM], V6), r)).toBe(false);
  });

  it('rejects an unknown default architecture, naming the parameter', () => {
    expect(() =>
      createImagePropertiesFilter({ novaVersion: 'zed', defaultArchitecture: 'risc' }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      createImagePropertiesFilter({ novaVersion: 'zed', defaultArchitecture: 'risc' }),
    ).toThrow(/defaultArchitecture: "risc"; expected one of nova's architectures/);
    // amd64 is canonicalised, as nova canonicalises the default too.
    const amd = createImagePropertiesFilter({ novaVersion: 'zed', defaultArchitecture: 'amd64' });
    expect(amd.hostPasses(host([X86_KVM_HVM]), image({}))).toBe(true);
  });

  it('the plugin follows [opie] nova_version and reads image_properties_default_architecture only under zed', () => {
    expect(imagePropertiesFilterPlugin.options?.map((o) => `${o.group}.${o.name}`)).toEqual([
      'opie.nova_version',
      'filter_scheduler.image_properties_default_architecture',
    ]);
    const aarch64 = host([['aarch64', 'kvm', 'hvm']]);
    const make = (values: Record<string, string>) =>
      imagePropertiesFilterPlugin.create(pluginContext(imagePropertiesFilterPlugin, values));
    const arch = 'filter_scheduler.image_properties_default_architecture';
    expect(
      make({ 'opie.nova_version': 'zed', [arch]: 'x86_64' }).hostPasses(aarch64, image({})),
    ).toBe(false);
    expect(make({ [arch]: 'x86_64' }).hostPasses(aarch64, image({}))).toBe(true);
  });
});
