import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '@opie/core';
import { NOVA_HV_TYPES } from './image-canonical-names.js';
import { ZED_HV_TYPES, zedImageMetaProps } from './zed-image-meta.js';

/*
 * ImageMetaProps.from_dict as nova Zed builds it (nova/objects/image_meta.py,
 * oslo.versionedobjects fields). Expected values are what each field's
 * coerce() returns in Python: String → str(v), Integer → int(v),
 * FlexibleBoolean → bool_from_string(v), enums unchanged when valid.
 */

const props = (p: Record<string, unknown>) => Object.fromEntries(zedImageMetaProps(p));

function issuesOf(p: Record<string, unknown>) {
  try {
    zedImageMetaProps(p);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as InvalidInputError).issues;
  }
  throw new Error('expected the properties to be rejected');
}

describe('zedImageMetaProps', () => {
  it('maps the legacy Glance names; the current name wins when both are set', () => {
    expect(
      props({
        architecture: 'AMD64',
        hypervisor_type: 'QEMU',
        vm_mode: 'pv',
        hypervisor_version_requires: '>=6.0',
        owner_id: 'p1',
      }),
    ).toEqual({
      hw_architecture: 'x86_64',
      img_hv_type: 'qemu',
      hw_vm_mode: 'xen',
      img_hv_requested_version: '>=6.0',
      img_owner_id: 'p1',
    });
    expect(props({ architecture: 'x86_64', hw_architecture: 'aarch64' })).toEqual({
      hw_architecture: 'aarch64',
    });
  });

  it('coerces values by field: int(), bool_from_string(), str()', () => {
    expect(
      props({
        hw_video_ram: ' 64 ',
        hw_cpu_cores: 2.9,
        hw_qemu_guest_agent: 'YES',
        hw_boot_menu: 'nope',
        img_use_agent: true,
        os_distro: 7,
        hw_machine_type: 1.5,
      }),
    ).toEqual({
      hw_video_ram: 64,
      hw_cpu_cores: 2,
      hw_qemu_guest_agent: true,
      hw_boot_menu: false,
      img_use_agent: true,
      os_distro: '7',
      hw_machine_type: '1.5',
    });
  });

  it('drops custom keys and the unmodelled list fields, and reads vmware_adaptertype', () => {
    expect(
      props({ ssd: 'true', 'hw_numa_cpus.0': '0-3', traits_required: 'x', img_mappings: [] }),
    ).toEqual({});
    expect(props({ vmware_adaptertype: 'ide' })).toEqual({ hw_disk_bus: 'ide' });
    expect(props({ vmware_adaptertype: 'lsiLogic'.toLowerCase() })).toEqual({
      hw_disk_bus: 'scsi',
      hw_scsi_model: 'lsilogic',
    });
  });

  it("uses nova Zed's hypervisor types (vz and prsm, not Liberty's virtuozzo and ps)", () => {
    expect(ZED_HV_TYPES.has('vz')).toBe(true);
    expect(ZED_HV_TYPES.has('virtuozzo')).toBe(false);
    expect(ZED_HV_TYPES.has('prsm')).toBe(true);
    expect(ZED_HV_TYPES.has('ps')).toBe(false);
    // The rest are Liberty's: two renames, nothing added or dropped.
    expect(ZED_HV_TYPES.size).toBe(NOVA_HV_TYPES.size);
    expect(props({ img_hv_type: 'VZ' })).toEqual({ img_hv_type: 'vz' });
    expect(issuesOf({ img_hv_type: 'virtuozzo' })[0]?.path).toBe('$.image.properties.img_hv_type');
  });

  it('lists every invalid value with its JSON path and what would be accepted', () => {
    const issues = issuesOf({
      hw_cpu_cores: 'two',
      hw_cpu_policy: 'Dedicated',
      hw_vm_mode: 'paravirt',
      img_hv_requested_version: '',
      os_distro: null,
      os_type: ['linux'],
    });
    expect(issues).toEqual([
      { path: '$.image.properties.hw_cpu_cores', message: 'expected a whole number, got "two"' },
      {
        path: '$.image.properties.hw_cpu_policy',
        message:
          'Field value "Dedicated" is invalid (nova\'s CPUAllocationPolicy); use one of dedicated, shared, mixed',
      },
      {
        path: '$.image.properties.hw_vm_mode',
        message:
          'Virtual machine mode "paravirt" is not valid; use one of hvm, xen, uml, exe (pv means xen; hv and baremetal mean hvm)',
      },
      {
        path: '$.image.properties.img_hv_requested_version',
        message:
          'Version "" is not a valid predicate; write comparisons of strict versions separated by commas, e.g. ">=6.0,<6.2"',
      },
      { path: '$.image.properties.os_distro', message: 'the value cannot be null' },
      {
        path: '$.image.properties.os_type',
        message: 'Field value ["linux"] is invalid (nova\'s OSType); use one of linux, windows',
      },
    ]);
  });

  it('is worked out once per properties object', () => {
    const p = { hw_architecture: 'x86_64' };
    expect(zedImageMetaProps(p)).toBe(zedImageMetaProps(p));
  });
});
