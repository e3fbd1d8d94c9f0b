import type { FilterPlugin, OptionSpec } from '@opie/core';
import { UnsupportedFilterError } from './unsupported-filter-error.js';

const REMOVE =
  'remove it from [filter_scheduler] enabled_filters (Liberty: [DEFAULT] scheduler_default_filters)';

function unsupportedFilter(
  classPath: string,
  description: string,
  unsupported: string,
  options?: readonly OptionSpec[],
): FilterPlugin {
  return {
    kind: 'filter',
    classPath,
    description,
    unsupported,
    ...(options !== undefined ? { options } : {}),
    create: () => {
      throw new UnsupportedFilterError(classPath, unsupported);
    },
  };
}

/** `[trusted_computing]` options TrustedFilter owns in nova (declared so configs that set them load). */
export const trustedComputingOptions: readonly OptionSpec[] = [
  {
    group: 'trusted_computing',
    name: 'attestation_server',
    type: 'str',
    default: null,
    help: 'Attestation server host (TrustedFilter; unsupported here).',
  },
  {
    group: 'trusted_computing',
    name: 'attestation_server_ca_file',
    type: 'str',
    default: null,
    help: 'Attestation server certificate file (TrustedFilter; unsupported here).',
  },
  {
    group: 'trusted_computing',
    name: 'attestation_port',
    type: 'str',
    default: '8443',
    help: 'Attestation server port (TrustedFilter; unsupported here).',
  },
  {
    group: 'trusted_computing',
    name: 'attestation_api_url',
    type: 'str',
    default: '/OpenAttestationWebServices/V1.0',
    help: 'Attestation web API URL (TrustedFilter; unsupported here).',
  },
  {
    group: 'trusted_computing',
    name: 'attestation_auth_blob',
    type: 'str',
    default: null,
    help: 'Attestation authorization blob (TrustedFilter; unsupported here).',
  },
  {
    group: 'trusted_computing',
    name: 'attestation_auth_timeout',
    type: 'int',
    default: 60,
    help: 'Attestation status cache validity in seconds (TrustedFilter; unsupported here).',
  },
  {
    group: 'trusted_computing',
    name: 'attestation_insecure_ssl',
    type: 'bool',
    default: false,
    help: 'Disable SSL certificate verification (TrustedFilter; unsupported here).',
  },
];

/** @see nova/scheduler/filters/trusted_filter.py TrustedFilter */
export const trustedFilterPlugin: FilterPlugin = unsupportedFilter(
  'nova.scheduler.filters.trusted_filter.TrustedFilter',
  'Passes hosts whose attestation level matches the trust:trusted_host extra spec (not supported).',
  'TrustedFilter is not supported: it needs an OpenAttestation attestation service to ' +
    `attest hosts, which opie does not have; ${REMOVE}.`,
  trustedComputingOptions,
);

/** @see nova/scheduler/filters/ram_filter.py BaseRamFilter */
export const baseRamFilterPlugin: FilterPlugin = unsupportedFilter(
  'nova.scheduler.filters.ram_filter.BaseRamFilter',
  'Abstract base of the RAM filters (nova fails every request when it is enabled).',
  'BaseRamFilter is an abstract base class (enabled, nova fails every request with ' +
    'NotImplementedError); use RamFilter or AggregateRamFilter instead.',
);

/** @see nova/scheduler/filters/core_filter.py BaseCoreFilter */
export const baseCoreFilterPlugin: FilterPlugin = unsupportedFilter(
  'nova.scheduler.filters.core_filter.BaseCoreFilter',
  'Abstract base of the vCPU filters (nova fails every request when it is enabled).',
  'BaseCoreFilter is an abstract base class (enabled, nova fails every request with ' +
    'NotImplementedError); use CoreFilter or AggregateCoreFilter instead.',
);
