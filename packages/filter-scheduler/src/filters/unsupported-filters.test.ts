import { describe, expect, it } from 'vitest';
import { pluginContext } from '@opie/testing';
import { FilterNotFoundError, OpieError } from '@opie/core';
import { UnsupportedFilterError } from './unsupported-filter-error.js';
import {
  baseCoreFilterPlugin,
  baseRamFilterPlugin,
  trustedComputingOptions,
  trustedFilterPlugin,
} from './unsupported-filters.js';

const cases = [
  ['nova.scheduler.filters.trusted_filter.TrustedFilter', trustedFilterPlugin, /attestation/],
  ['nova.scheduler.filters.ram_filter.BaseRamFilter', baseRamFilterPlugin, /use RamFilter/],
  ['nova.scheduler.filters.core_filter.BaseCoreFilter', baseCoreFilterPlugin, /use CoreFilter/],
] as const;

describe('unsupported filters', () => {
  it.each(cases)('%s is unsupported and create throws the same message', (path, plugin, re) => {
    expect(plugin.classPath).toBe(path);
    expect(plugin.kind).toBe('filter');
    expect(plugin.unsupported).toMatch(re);
    let thrown: unknown;
    try {
      plugin.create(pluginContext(plugin));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedFilterError);
    expect(thrown).toBeInstanceOf(FilterNotFoundError);
    expect(OpieError.isInstance(thrown)).toBe(true);
    const error = thrown as UnsupportedFilterError;
    expect(error.message).toBe(plugin.unsupported);
    expect(error.code).toBe('FILTER_NOT_FOUND');
    expect(error.classPath).toBe(path);
    expect(error.names).toEqual([path.slice(path.lastIndexOf('.') + 1)]);
  });

  it('the real filters say to remove them from the enabled filters', () => {
    expect(trustedFilterPlugin.unsupported).toMatch(
      /remove it from \[filter_scheduler\] enabled_filters/,
    );
  });

  it('the abstract base classes say so', () => {
    expect(baseRamFilterPlugin.unsupported).toMatch(/abstract base class/);
    expect(baseCoreFilterPlugin.unsupported).toMatch(/abstract base class/);
  });

  it('TrustedFilter declares the [trusted_computing] options', () => {
    expect(trustedFilterPlugin.options).toBe(trustedComputingOptions);
    expect(trustedComputingOptions.map((o) => `${o.group}.${o.name}=${String(o.default)}`)).toEqual(
      [
        'trusted_computing.attestation_server=null',
        'trusted_computing.attestation_server_ca_file=null',
        'trusted_computing.attestation_port=8443',
        'trusted_computing.attestation_api_url=/OpenAttestationWebServices/V1.0',
        'trusted_computing.attestation_auth_blob=null',
        'trusted_computing.attestation_auth_timeout=60',
        'trusted_computing.attestation_insecure_ssl=false',
      ],
    );
  });
});
