import { describe, expect, it } from 'vitest';
import { isNovaVersion, novaVersionOf, novaVersionOption } from './nova-version.js';
import { configValuesFrom } from './options.js';

describe('novaVersionOf', () => {
  it('reads [opie] nova_version when the plugin declared the option', () => {
    expect(
      novaVersionOf(configValuesFrom([novaVersionOption], { 'opie.nova_version': 'zed' })),
    ).toBe('zed');
    // The option's own default is liberty.
    expect(novaVersionOf(configValuesFrom([novaVersionOption]))).toBe('liberty');
  });

  it('is liberty for a plugin that did not declare it, or for a value that names no version', () => {
    expect(novaVersionOf(configValuesFrom([]))).toBe('liberty');
    expect(
      novaVersionOf(configValuesFrom([novaVersionOption], { 'opie.nova_version': 'icehouse' })),
    ).toBe('liberty');
  });
});

describe('isNovaVersion', () => {
  it('accepts exactly the two versions', () => {
    expect(['liberty', 'zed', 'Zed', '', 3, null].map(isNovaVersion)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
