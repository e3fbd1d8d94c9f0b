/**
 * nova's canonical architecture, hypervisor type and VM mode names, and the
 * canonicalisation ImagePropertiesFilter applies to image properties
 * (nova/scheduler/filters/): lower-case, map legacy spellings, reject unknown names.
 * @see nova/compute/arch.py
 * @see nova/compute/hv_type.py
 * @see nova/compute/vm_mode.py
 */

/** nova's known architectures. */
export const NOVA_ARCHITECTURES: ReadonlySet<string> = new Set([
  'alpha',
  'armv6',
  'armv7l',
  'armv7b',
  'aarch64',
  'cris',
  'i686',
  'ia64',
  'lm32',
  'm68k',
  'microblaze',
  'microblazeel',
  'mips',
  'mipsel',
  'mips64',
  'mips64el',
  'openrisc',
  'parisc',
  'parisc64',
  'ppc',
  'ppcle',
  'ppc64',
  'ppc64le',
  'ppcemb',
  's390',
  's390x',
  'sh4',
  'sh4eb',
  'sparc',
  'sparc64',
  'unicore32',
  'x86_64',
  'xtensa',
  'xtensaeb',
]);

/** nova's known hypervisor (virtualisation) types. */
export const NOVA_HV_TYPES: ReadonlySet<string> = new Set([
  'baremetal',
  'bhyve',
  'docker',
  'fake',
  'hyperv',
  'ironic',
  'kqemu',
  'kvm',
  'lxc',
  'lxd',
  'openvz',
  'parallels',
  'virtuozzo',
  'phyp',
  'qemu',
  'test',
  'uml',
  'vbox',
  'vmware',
  'xen',
  'zvm',
  'ps',
]);

/** nova's VM modes. */
export const NOVA_VM_MODES: ReadonlySet<string> = new Set(['hvm', 'xen', 'uml', 'exe']);

/** An image property value nova cannot canonicalise (nova raises and aborts the request). */
export class InvalidImagePropertyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidImagePropertyError';
  }
}

function lower(value: unknown, what: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    throw new InvalidImagePropertyError(`${what} ${JSON.stringify(value)} is not a string`);
  }
  return value.toLowerCase();
}

/**
 * Canonical architecture: `i386`/`i486`/`i586`/`x86_32`/`x86_32p` → `i686`,
 * `amd64` → `x86_64`. `null` when unset; throws for an unknown name.
 */
export function canonicalizeArch(value: unknown): string | null {
  let name = lower(value, 'Architecture name');
  if (name === null) return null;
  if (name === 'i386' || name === 'i486' || name === 'i586') name = 'i686';
  else if (name === 'x86_32' || name === 'x86_32p') name = 'i686';
  else if (name === 'amd64') name = 'x86_64';
  if (!NOVA_ARCHITECTURES.has(name)) {
    throw new InvalidImagePropertyError(`Architecture name '${String(value)}' is not recognised`);
  }
  return name;
}

/** Canonical hypervisor type: `xapi` → `xen`. `null` when unset; throws for an unknown name. */
export function canonicalizeHvType(value: unknown): string | null {
  let name = lower(value, 'Hypervisor type');
  if (name === null) return null;
  if (name === 'xapi') name = 'xen';
  if (!NOVA_HV_TYPES.has(name)) {
    throw new InvalidImagePropertyError(
      `Hypervisor virtualization type '${String(value)}' is not recognised`,
    );
  }
  return name;
}

/**
 * Canonical VM mode: `pv` → `xen`, `hv` and `baremetal` → `hvm`. `null` when
 * unset; throws for an unknown mode.
 */
export function canonicalizeVmMode(value: unknown): string | null {
  let mode = lower(value, 'Virtual machine mode');
  if (mode === null) return null;
  if (mode === 'pv') mode = 'xen';
  else if (mode === 'hv' || mode === 'baremetal') mode = 'hvm';
  if (!NOVA_VM_MODES.has(mode)) {
    throw new InvalidImagePropertyError(`Virtual machine mode '${mode}' is not recognised`);
  }
  return mode;
}
