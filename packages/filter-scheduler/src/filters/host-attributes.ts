import type { HostState, Limits, Service } from '@opie/core';

/**
 * nova's HostState attribute names (what `getattr(host_state, name)` finds),
 * mapped to our camelCase HostState. JsonFilter (`$free_ram_mb`) and
 * ComputeCapabilitiesFilter (`capabilities:free_ram_mb`) look attributes up
 * through it.
 *
 * Values are Python-like: numbers, strings, lists (arrays), dicts (plain
 * objects) and `undefined` for None. Dict-valued attributes use nova's
 * snake_case keys (`$service.disabled`, `$limits.memory_mb`); `updated` is
 * epoch milliseconds (nova: a datetime); `metrics` and `aggregates` are
 * lists of records (nova: lists of objects, which have no `.get`).
 * @see nova/scheduler/host_manager.py HostState
 */

type Getter = (host: HostState) => unknown;

const serviceDicts = new WeakMap<Service, Readonly<Record<string, unknown>>>();

/** The service record as nova's snake_case dict (cached per record). */
function serviceDict(service: Service | undefined): unknown {
  if (service === undefined) return undefined;
  let dict = serviceDicts.get(service);
  if (dict === undefined) {
    const d: Record<string, unknown> = { host: service.host, disabled: service.disabled };
    if (service.binary !== undefined) d.binary = service.binary;
    if (service.disabledReason !== undefined) d.disabled_reason = service.disabledReason;
    if (service.forcedDown !== undefined) d.forced_down = service.forcedDown;
    if (service.lastSeenUp !== undefined) d.last_seen_up = service.lastSeenUp;
    if (service.updatedAt !== undefined) d.updated_at = service.updatedAt;
    if (service.createdAt !== undefined) d.created_at = service.createdAt;
    dict = Object.freeze(d);
    serviceDicts.set(service, dict);
  }
  return dict;
}

/** The limits as nova's dict (`memory_mb`, `disk_gb`, `vcpu`, `numa_topology`). */
function limitsDict(limits: Limits): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (limits.memoryMb !== undefined) d.memory_mb = limits.memoryMb;
  if (limits.diskGb !== undefined) d.disk_gb = limits.diskGb;
  if (limits.vcpu !== undefined) d.vcpu = limits.vcpu;
  if (limits.numaTopology !== undefined) d.numa_topology = limits.numaTopology;
  return d;
}

const GETTERS = new Map<string, Getter>([
  ['host', (h) => h.host],
  ['nodename', (h) => h.nodename],
  ['free_ram_mb', (h) => h.freeRamMb],
  ['free_disk_mb', (h) => h.freeDiskMb],
  ['total_usable_ram_mb', (h) => h.totalUsableRamMb],
  ['total_usable_disk_gb', (h) => h.totalUsableDiskGb],
  ['disk_mb_used', (h) => h.diskMbUsed],
  ['vcpus_total', (h) => h.vcpusTotal],
  ['vcpus_used', (h) => h.vcpusUsed],
  ['num_instances', (h) => h.numInstances],
  ['num_io_ops', (h) => h.numIoOps],
  ['host_ip', (h) => h.hostIp],
  ['hypervisor_type', (h) => h.hypervisorType],
  ['hypervisor_version', (h) => h.hypervisorVersion],
  ['hypervisor_hostname', (h) => h.hypervisorHostname],
  ['cpu_info', (h) => h.cpuInfo],
  ['supported_instances', (h) => h.supportedInstances],
  ['stats', (h) => h.stats],
  ['metrics', (h) => h.metrics],
  ['aggregates', (h) => h.aggregates],
  ['service', (h) => serviceDict(h.service)],
  ['ram_allocation_ratio', (h) => h.ramAllocationRatio],
  ['cpu_allocation_ratio', (h) => h.cpuAllocationRatio],
  ['limits', (h) => limitsDict(h.limits)],
  ['updated', (h) => h.updated],
  ['instances', (h) => Object.fromEntries(h.instances)],
]);

/** Every attribute name `novaHostAttribute` knows, in nova's spelling. */
export const novaHostAttributeNames: readonly string[] = [...GETTERS.keys()];

/** Attributes that are Python floats in nova (`str()` prints `16.0`, not `16`). */
const FLOAT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'ram_allocation_ratio',
  'cpu_allocation_ratio',
]);

/** Whether nova holds this attribute as a float. */
export function isNovaFloatAttribute(name: string): boolean {
  return FLOAT_ATTRIBUTES.has(name);
}

/**
 * `getattr(host_state, name, None)`: the value of a nova HostState attribute
 * by its nova (snake_case) name; `undefined` for an unknown name or a None
 * value. Liberty HostState has no `disk_allocation_ratio`, so neither does this.
 */
export function novaHostAttribute(host: HostState, name: string): unknown {
  const get = GETTERS.get(name);
  if (get === undefined) return undefined;
  const value = get(host);
  return value === null ? undefined : value;
}
