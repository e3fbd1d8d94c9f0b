import { describe, expect, it } from 'vitest';
import {
  canonicalizeArch,
  canonicalizeHvType,
  canonicalizeVmMode,
  InvalidImagePropertyError,
  NOVA_ARCHITECTURES,
  NOVA_HV_TYPES,
  NOVA_VM_MODES,
} from './image-canonical-names.js';

describe('image property canonicalisation', () => {
  it('knows nova lists', () => {
    expect(NOVA_ARCHITECTURES.size).toBe(34);
    expect(NOVA_HV_TYPES.size).toBe(22);
    expect([...NOVA_VM_MODES]).toEqual(['hvm', 'xen', 'uml', 'exe']);
  });

  it('canonicalizeArch lower-cases and maps legacy names', () => {
    expect(canonicalizeArch(undefined)).toBeNull();
    expect(canonicalizeArch(null)).toBeNull();
    expect(canonicalizeArch('X86_64')).toBe('x86_64');
    for (const a of ['i386', 'i486', 'i586', 'x86_32', 'x86_32p', 'I686']) {
      expect(canonicalizeArch(a)).toBe('i686');
    }
    expect(canonicalizeArch('amd64')).toBe('x86_64');
    expect(canonicalizeArch('aarch64')).toBe('aarch64');
  });

  it('canonicalizeHvType maps xapi to xen', () => {
    expect(canonicalizeHvType('XAPI')).toBe('xen');
    expect(canonicalizeHvType('KVM')).toBe('kvm');
    expect(canonicalizeHvType(undefined)).toBeNull();
  });

  it('canonicalizeVmMode maps pv, hv and baremetal', () => {
    expect(canonicalizeVmMode('pv')).toBe('xen');
    expect(canonicalizeVmMode('HV')).toBe('hvm');
    expect(canonicalizeVmMode('baremetal')).toBe('hvm');
    expect(canonicalizeVmMode('exe')).toBe('exe');
    expect(canonicalizeVmMode(undefined)).toBeNull();
  });

  it('rejects unknown, empty and non-string values', () => {
    expect(() => canonicalizeArch('pdp11')).toThrow(InvalidImagePropertyError);
    expect(() => canonicalizeArch('')).toThrow(/not recognised/);
    expect(() => canonicalizeArch(64)).toThrow(/not a string/);
    expect(() => canonicalizeHvType('hyperkit')).toThrow(InvalidImagePropertyError);
    expect(() => canonicalizeVmMode('pvh')).toThrow(InvalidImagePropertyError);
  });
});
