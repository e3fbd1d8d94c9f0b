import type { InputIssue } from '@opie/core';
import { InvalidInputError, parsePythonInt } from '@opie/core';
import { parseVersionPredicate } from './hypervisor-version.js';
import {
  canonicalizeArch,
  canonicalizeVmMode,
  NOVA_ARCHITECTURES,
  NOVA_HV_TYPES,
} from './image-canonical-names.js';
import { pyStr, pyTruthy } from './python-values.js';

/**
 * nova Zed's `ImageMetaProps`, as far as the scheduler's filters read it:
 * built from the image's Glance properties the way
 * `ImageMetaProps.from_dict` builds it — legacy names (`architecture`,
 * `hypervisor_type`, `vm_mode`, `hypervisor_version_requires`, ...) mapped
 * to the current ones first, the current names then winning — with each
 * value coerced by its field: strings kept, integers parsed, flexible
 * booleans read, enums checked, architecture / hypervisor type / VM mode
 * canonicalised, a version requirement checked. An invalid value makes
 * nova raise while building the object (the request fails before any
 * filter runs); here an `InvalidInputError` names every bad property by
 * its JSON path and lists the valid values. Properties that are no field
 * (custom keys) are dropped, as nova drops them. The list fields
 * (`hw_numa_cpus.N`, `hw_numa_mem.N`, `img_block_device_mapping`,
 * `img_mappings`, `trait:*`) are not modelled: they are left out.
 * The field table is nova Zed's (26.2.x).
 * @see nova/objects/image_meta.py ImageMetaProps (stable/zed)
 * @see nova/objects/fields.py Architecture, HVType, VMMode (stable/zed)
 */

type FieldKind =
  | { readonly kind: 'str' | 'int' | 'bool' | 'arch' | 'hvType' | 'vmMode' }
  | { readonly kind: 'versionPredicate' | 'list' }
  | { readonly kind: 'enum'; readonly type: string; readonly values: readonly string[] };

/** A coerced ImageMetaProps value: a string, an integer or a boolean. */
export type ImageMetaValue = string | number | boolean;

/** nova Zed's hypervisor types (`fields.HVType.ALL`): Liberty's `virtuozzo` and `ps` became `vz` and `prsm`. */
export const ZED_HV_TYPES: ReadonlySet<string> = new Set(
  [...NOVA_HV_TYPES].map((t) => (t === 'virtuozzo' ? 'vz' : t === 'ps' ? 'prsm' : t)),
);

const DISKBUS_VALUES = [
  'fdc',
  'ide',
  'sata',
  'scsi',
  'usb',
  'virtio',
  'xen',
  'lxc',
  'uml',
] as const;
const CPUALLOCATIONPOLICY_VALUES = ['dedicated', 'shared', 'mixed'] as const;
const CPUTHREADALLOCATIONPOLICY_VALUES = ['prefer', 'isolate', 'require'] as const;
const FIRMWARETYPE_VALUES = ['uefi', 'bios'] as const;
const INPUTBUS_VALUES = ['usb', 'virtio'] as const;
const PCINUMAAFFINITYPOLICY_VALUES = ['required', 'legacy', 'preferred', 'socket'] as const;
const POINTERMODEL_VALUES = ['usbtablet'] as const;
const BLOCKDEVICETYPE_VALUES = ['cdrom', 'disk', 'floppy', 'fs', 'lun'] as const;
const RNGMODEL_VALUES = ['virtio'] as const;
const SCSIMODEL_VALUES = [
  'buslogic',
  'ibmvscsi',
  'lsilogic',
  'lsisas1068',
  'lsisas1078',
  'virtio-scsi',
  'vmpvscsi',
] as const;
const VIDEOMODEL_VALUES = [
  'cirrus',
  'qxl',
  'vga',
  'vmvga',
  'xen',
  'virtio',
  'gop',
  'none',
  'bochs',
] as const;
const VIFMODEL_VALUES = [
  'virtio',
  'ne2k_pci',
  'pcnet',
  'rtl8139',
  'e1000',
  'e1000e',
  'netfront',
  'spapr-vlan',
  'lan9118',
  'sriov',
  'vmxnet',
  'vmxnet3',
] as const;
const VIOMMUMODEL_VALUES = ['intel', 'smmuv3', 'virtio', 'auto'] as const;
const WATCHDOGACTION_VALUES = ['none', 'pause', 'poweroff', 'reset', 'disabled'] as const;
const TPMMODEL_VALUES = ['tpm-tis', 'tpm-crb'] as const;
const TPMVERSION_VALUES = ['1.2', '2.0'] as const;
const BLOCKDEVICEENCRYPTIONFORMATTYPE_VALUES = ['plain', 'luks', 'luksv2'] as const;
const CONFIGDRIVEPOLICY_VALUES = ['optional', 'mandatory'] as const;
const IMAGESIGNATUREHASHTYPE_VALUES = ['SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
const IMAGESIGNATUREKEYTYPE_VALUES = [
  'DSA',
  'ECC_SECP384R1',
  'ECC_SECP521R1',
  'ECC_SECT409K1',
  'ECC_SECT409R1',
  'ECC_SECT571K1',
  'ECC_SECT571R1',
  'RSA-PSS',
] as const;
const SECUREBOOT_VALUES = ['required', 'disabled', 'optional'] as const;
const OSTYPE_VALUES = ['linux', 'windows'] as const;

const FIELDS: ReadonlyMap<string, FieldKind> = new Map<string, FieldKind>([
  ['hw_architecture', { kind: 'arch' }],
  ['hw_emulation_architecture', { kind: 'arch' }],
  ['hw_auto_disk_config', { kind: 'str' }],
  ['hw_boot_menu', { kind: 'bool' }],
  ['hw_cdrom_bus', { kind: 'enum', type: 'DiskBus', values: DISKBUS_VALUES }],
  ['hw_cpu_cores', { kind: 'int' }],
  ['hw_cpu_sockets', { kind: 'int' }],
  ['hw_cpu_max_cores', { kind: 'int' }],
  ['hw_cpu_max_sockets', { kind: 'int' }],
  ['hw_cpu_max_threads', { kind: 'int' }],
  [
    'hw_cpu_policy',
    { kind: 'enum', type: 'CPUAllocationPolicy', values: CPUALLOCATIONPOLICY_VALUES },
  ],
  [
    'hw_cpu_thread_policy',
    { kind: 'enum', type: 'CPUThreadAllocationPolicy', values: CPUTHREADALLOCATIONPOLICY_VALUES },
  ],
  ['hw_cpu_realtime_mask', { kind: 'str' }],
  ['hw_cpu_threads', { kind: 'int' }],
  ['hw_device_id', { kind: 'int' }],
  ['hw_disk_bus', { kind: 'enum', type: 'DiskBus', values: DISKBUS_VALUES }],
  ['hw_disk_type', { kind: 'str' }],
  ['hw_floppy_bus', { kind: 'enum', type: 'DiskBus', values: DISKBUS_VALUES }],
  ['hw_firmware_type', { kind: 'enum', type: 'FirmwareType', values: FIRMWARETYPE_VALUES }],
  ['hw_input_bus', { kind: 'enum', type: 'InputBus', values: INPUTBUS_VALUES }],
  ['hw_ipxe_boot', { kind: 'bool' }],
  ['hw_locked_memory', { kind: 'bool' }],
  ['hw_machine_type', { kind: 'str' }],
  ['hw_mem_encryption', { kind: 'bool' }],
  ['hw_mem_page_size', { kind: 'str' }],
  ['hw_numa_nodes', { kind: 'int' }],
  ['hw_numa_cpus', { kind: 'list' }],
  ['hw_numa_mem', { kind: 'list' }],
  [
    'hw_pci_numa_affinity_policy',
    { kind: 'enum', type: 'PCINUMAAffinityPolicy', values: PCINUMAAFFINITYPOLICY_VALUES },
  ],
  ['hw_pointer_model', { kind: 'enum', type: 'PointerModel', values: POINTERMODEL_VALUES }],
  ['hw_pmu', { kind: 'bool' }],
  ['hw_qemu_guest_agent', { kind: 'bool' }],
  ['hw_rescue_bus', { kind: 'enum', type: 'DiskBus', values: DISKBUS_VALUES }],
  ['hw_rescue_device', { kind: 'enum', type: 'BlockDeviceType', values: BLOCKDEVICETYPE_VALUES }],
  ['hw_rng_model', { kind: 'enum', type: 'RNGModel', values: RNGMODEL_VALUES }],
  ['hw_time_hpet', { kind: 'bool' }],
  ['hw_serial_port_count', { kind: 'int' }],
  ['hw_scsi_model', { kind: 'enum', type: 'SCSIModel', values: SCSIMODEL_VALUES }],
  ['hw_video_model', { kind: 'enum', type: 'VideoModel', values: VIDEOMODEL_VALUES }],
  ['hw_video_ram', { kind: 'int' }],
  ['hw_vif_model', { kind: 'enum', type: 'VIFModel', values: VIFMODEL_VALUES }],
  ['hw_viommu_model', { kind: 'enum', type: 'VIOMMUModel', values: VIOMMUMODEL_VALUES }],
  ['hw_vm_mode', { kind: 'vmMode' }],
  ['hw_watchdog_action', { kind: 'enum', type: 'WatchdogAction', values: WATCHDOGACTION_VALUES }],
  ['hw_vif_multiqueue_enabled', { kind: 'bool' }],
  ['hw_tpm_model', { kind: 'enum', type: 'TPMModel', values: TPMMODEL_VALUES }],
  ['hw_tpm_version', { kind: 'enum', type: 'TPMVersion', values: TPMVERSION_VALUES }],
  ['hw_ephemeral_encryption', { kind: 'bool' }],
  [
    'hw_ephemeral_encryption_format',
    {
      kind: 'enum',
      type: 'BlockDeviceEncryptionFormatType',
      values: BLOCKDEVICEENCRYPTIONFORMATTYPE_VALUES,
    },
  ],
  ['img_bittorrent', { kind: 'bool' }],
  ['img_bdm_v2', { kind: 'bool' }],
  ['img_block_device_mapping', { kind: 'list' }],
  ['img_cache_in_nova', { kind: 'bool' }],
  ['img_compression_level', { kind: 'int' }],
  ['img_hv_requested_version', { kind: 'versionPredicate' }],
  ['img_hv_type', { kind: 'hvType' }],
  [
    'img_config_drive',
    { kind: 'enum', type: 'ConfigDrivePolicy', values: CONFIGDRIVEPOLICY_VALUES },
  ],
  ['img_linked_clone', { kind: 'bool' }],
  ['img_mappings', { kind: 'list' }],
  ['img_owner_id', { kind: 'str' }],
  ['img_root_device_name', { kind: 'str' }],
  ['img_use_agent', { kind: 'bool' }],
  ['img_version', { kind: 'int' }],
  ['img_signature', { kind: 'str' }],
  [
    'img_signature_hash_method',
    { kind: 'enum', type: 'ImageSignatureHashType', values: IMAGESIGNATUREHASHTYPE_VALUES },
  ],
  ['img_signature_certificate_uuid', { kind: 'str' }],
  [
    'img_signature_key_type',
    { kind: 'enum', type: 'ImageSignatureKeyType', values: IMAGESIGNATUREKEYTYPE_VALUES },
  ],
  ['img_hide_hypervisor_id', { kind: 'bool' }],
  ['os_admin_user', { kind: 'str' }],
  ['os_command_line', { kind: 'str' }],
  ['os_distro', { kind: 'str' }],
  ['os_require_quiesce', { kind: 'bool' }],
  ['os_secure_boot', { kind: 'enum', type: 'SecureBoot', values: SECUREBOOT_VALUES }],
  ['os_skip_agent_inject_files_at_boot', { kind: 'bool' }],
  ['os_skip_agent_inject_ssh', { kind: 'bool' }],
  ['os_type', { kind: 'enum', type: 'OSType', values: OSTYPE_VALUES }],
  ['traits_required', { kind: 'list' }],
]);

const LEGACY_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['architecture', 'hw_architecture'],
  ['owner_id', 'img_owner_id'],
  ['vmware_disktype', 'hw_disk_type'],
  ['vmware_image_version', 'img_version'],
  ['vmware_ostype', 'os_distro'],
  ['auto_disk_config', 'hw_auto_disk_config'],
  ['ipxe_boot', 'hw_ipxe_boot'],
  ['xenapi_device_id', 'hw_device_id'],
  ['xenapi_image_compression_level', 'img_compression_level'],
  ['vmware_linked_clone', 'img_linked_clone'],
  ['xenapi_use_agent', 'img_use_agent'],
  ['xenapi_skip_agent_inject_ssh', 'os_skip_agent_inject_ssh'],
  ['xenapi_skip_agent_inject_files_at_boot', 'os_skip_agent_inject_files_at_boot'],
  ['cache_in_nova', 'img_cache_in_nova'],
  ['vm_mode', 'hw_vm_mode'],
  ['bittorrent', 'img_bittorrent'],
  ['mappings', 'img_mappings'],
  ['block_device_mapping', 'img_block_device_mapping'],
  ['bdm_v2', 'img_bdm_v2'],
  ['root_device_name', 'img_root_device_name'],
  ['hypervisor_version_requires', 'img_hv_requested_version'],
  ['hypervisor_type', 'img_hv_type'],
];

const TRUE_STRINGS: ReadonlySet<string> = new Set(['1', 't', 'true', 'on', 'y', 'yes']);

/** A property value nova's field refuses: what to say about it. */
class FieldError extends Error {}

function listOf(values: Iterable<string>): string {
  return [...values].join(', ');
}

/** Python's `str(value)` for what oslo's String field accepts (int, float, str). */
function stringField(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return pyStr(value);
  throw new FieldError(`expected a string, got ${JSON.stringify(value)}`);
}

/** `int(value)`: an integer, a float (truncated), a bool, or a string Python's int() reads. */
function intField(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') {
    const n = parsePythonInt(value);
    if (n !== undefined) return n;
  }
  throw new FieldError(`expected a whole number, got ${JSON.stringify(value)}`);
}

/** `strutils.bool_from_string(value)`: true for 1/t/true/on/y/yes (any case), else false. */
function boolField(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return TRUE_STRINGS.has(pyStr(value).trim().toLowerCase());
}

function coerce(field: FieldKind, value: unknown): ImageMetaValue {
  if (value === null || value === undefined) throw new FieldError('the value cannot be null');
  switch (field.kind) {
    case 'str':
      return stringField(value);
    case 'int':
      return intField(value);
    case 'bool':
      return boolField(value);
    case 'arch': {
      const arch = typeof value === 'string' ? safe(() => canonicalizeArch(value)) : null;
      if (arch === null || arch === undefined) {
        throw new FieldError(
          `Architecture name ${JSON.stringify(value)} is not valid; use one of ${listOf(NOVA_ARCHITECTURES)} ` +
            '(i386, i486, i586, x86_32 and x86_32p mean i686; amd64 means x86_64)',
        );
      }
      return arch;
    }
    case 'hvType': {
      let name = typeof value === 'string' ? value.toLowerCase() : undefined;
      if (name === 'xapi') name = 'xen';
      if (name === undefined || !ZED_HV_TYPES.has(name)) {
        throw new FieldError(
          `Hypervisor virt type ${JSON.stringify(value)} is not valid; use one of ${listOf(ZED_HV_TYPES)} ` +
            '(xapi means xen)',
        );
      }
      return name;
    }
    case 'vmMode': {
      const mode = typeof value === 'string' ? safe(() => canonicalizeVmMode(value)) : null;
      if (mode === null || mode === undefined) {
        throw new FieldError(
          `Virtual machine mode ${JSON.stringify(value)} is not valid; use one of hvm, xen, uml, exe ` +
            '(pv means xen; hv and baremetal mean hvm)',
        );
      }
      return mode;
    }
    case 'versionPredicate': {
      const text = stringField(value);
      if (parseVersionPredicate(text) === undefined) {
        throw new FieldError(
          `Version ${JSON.stringify(value)} is not a valid predicate; write comparisons ` +
            'of strict versions separated by commas, e.g. ">=6.0,<6.2"',
        );
      }
      return text;
    }
    case 'enum': {
      if (typeof value !== 'string' || !field.values.includes(value)) {
        throw new FieldError(
          `Field value ${JSON.stringify(value)} is invalid (nova's ${field.type}); use one of ${listOf(field.values)}`,
        );
      }
      return value;
    }
    case 'list':
      throw new FieldError('list fields are not modelled');
  }
}

/** `undefined` when `f` throws (a canonicaliser refusing a name). */
function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

const built = new WeakMap<object, ReadonlyMap<string, ImageMetaValue>>();

/**
 * The ImageMetaProps nova Zed builds from `properties`: field name →
 * coerced value, for the fields that are set. Throws an `InvalidInputError`
 * listing every property nova would refuse (path
 * `$.image.properties.<name>`). Cached per properties object.
 */
export function zedImageMetaProps(
  properties: Readonly<Record<string, unknown>>,
): ReadonlyMap<string, ImageMetaValue> {
  const hit = built.get(properties);
  if (hit !== undefined) return hit;
  const props = new Map<string, ImageMetaValue>();
  const issues: InputIssue[] = [];
  const has = (key: string) => Object.prototype.hasOwnProperty.call(properties, key);
  const set = (source: string, field: string) => {
    const kind = FIELDS.get(field);
    if (kind === undefined || kind.kind === 'list') return;
    try {
      props.set(field, coerce(kind, properties[source]));
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      issues.push({
        path: `$.image.properties.${source}`,
        message: source === field ? err.message : `${err.message} (nova Zed reads it as ${field})`,
      });
    }
  };
  for (const [legacy, current] of LEGACY_NAMES) if (has(legacy)) set(legacy, current);
  // vmware_adaptertype: `ide` is the disk bus, any other value a SCSI model on the scsi bus.
  const adapter = properties['vmware_adaptertype'];
  if (adapter === 'ide') props.set('hw_disk_bus', 'ide');
  else if (pyTruthy(adapter)) {
    props.set('hw_disk_bus', 'scsi');
    set('vmware_adaptertype', 'hw_scsi_model');
  }
  for (const field of FIELDS.keys()) if (has(field)) set(field, field);
  if (issues.length > 0) {
    throw new InvalidInputError(
      'image properties (nova Zed builds an ImageMeta from them)',
      issues,
    );
  }
  built.set(properties, props);
  return props;
}
