import type {
  Aggregate,
  ComputeNode,
  Flavor,
  HostState,
  Instance,
  RequestSpec,
  Service,
} from '@opie/core';
import { configValuesFrom, createRuntime, makeFilterRequest } from '@opie/core';
import type {
  FilterRequest,
  Logger,
  OptionValue,
  PluginContext,
  PluginDefinition,
} from '@opie/core';

/**
 * Overrides for a builder: any field, `undefined` meaning "not given" (so a
 * test can pass an optional value through under `exactOptionalPropertyTypes`).
 */
export type Loose<T> = { [K in keyof T]?: T[K] | undefined };

/** `overrides` without its `undefined` entries: what a builder spreads over its defaults. */
function defined<T extends object>(overrides: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** A flavor with nova-like defaults (m1.small-ish). */
export function makeFlavor(overrides: Loose<Flavor> = {}): Flavor {
  return {
    id: '1',
    name: 'm1.small',
    memoryMb: 1024,
    vcpus: 1,
    rootGb: 10,
    ephemeralGb: 0,
    swap: 0,
    extraSpecs: {},
    ...defined(overrides),
  };
}

let instanceCounter = 0;

/** An instance; `uuid` defaults to a fresh `inst-N`. */
export function makeInstance(overrides: Loose<Instance> = {}): Instance {
  instanceCounter += 1;
  return {
    uuid: `inst-${instanceCounter}`,
    memoryMb: 512,
    vcpus: 1,
    rootGb: 1,
    ephemeralGb: 0,
    systemMetadata: {},
    createdAt: 0,
    ...defined(overrides),
  };
}

/** A compute node record with nothing used. */
export function makeComputeNode(overrides: Loose<ComputeNode> = {}): ComputeNode {
  const host = overrides.host ?? 'host1';
  return {
    host,
    hypervisorHostname: overrides.hypervisorHostname ?? `${host}-node`,
    memoryMb: 4096,
    freeRamMb: 4096,
    localGb: 100,
    localGbUsed: 0,
    freeDiskGb: 100,
    vcpus: 8,
    vcpusUsed: 0,
    stats: {},
    metrics: [],
    supportedInstances: [],
    ...defined(overrides),
  };
}

export function makeService(overrides: Loose<Service> = {}): Service {
  return { host: 'host1', disabled: false, ...defined(overrides) };
}

export function makeAggregate(overrides: Loose<Aggregate> = {}): Aggregate {
  return { id: 1, name: 'agg1', hosts: [], metadata: {}, ...defined(overrides) };
}

/** Input to `makeHost`: any HostState field, with `instances` as a list. */
export type HostOverrides = Partial<Omit<HostState, 'instances'>> & {
  instances?: Instance[] | ReadonlyMap<string, Instance>;
};

/**
 * A plain HostState object (nova's HostState after an update from a node with
 * 1024 MB / 100 GB / 8 vCPU free), for filter and weigher tests.
 */
export function makeHost(overrides: HostOverrides = {}): HostState {
  const { instances, ...rest } = overrides;
  const map =
    instances === undefined
      ? new Map<string, Instance>()
      : instances instanceof Map
        ? (instances as ReadonlyMap<string, Instance>)
        : new Map((instances as Instance[]).map((i) => [i.uuid, i] as const));
  const host = rest.host ?? 'host1';
  return {
    host,
    nodename: rest.nodename ?? `${host}-node`,
    view: 'full',
    totalUsableRamMb: 1024,
    freeRamMb: 1024,
    totalUsableDiskGb: 100,
    freeDiskMb: 100 * 1024,
    diskMbUsed: 0,
    vcpusTotal: 8,
    vcpusUsed: 0,
    numInstances: map.size,
    numIoOps: 0,
    hostIp: undefined,
    hypervisorType: undefined,
    hypervisorVersion: undefined,
    hypervisorHostname: rest.nodename ?? `${host}-node`,
    cpuInfo: undefined,
    supportedInstances: [],
    stats: {},
    metrics: [],
    aggregates: [],
    service: { host, disabled: false },
    ramAllocationRatio: 1.5,
    cpuAllocationRatio: 16,
    diskAllocationRatio: 1,
    updated: undefined,
    limits: {},
    ...rest,
    instances: map,
  };
}

/** A request spec for one m1.small instance. */
export function makeSpec(overrides: Loose<RequestSpec> = {}): RequestSpec {
  return {
    flavor: makeFlavor(),
    image: { properties: {} },
    schedulerHints: {},
    numInstances: 1,
    ...defined(overrides),
  };
}

/** The per-instance view filters read, for a spec (index 0, `now` = 0 unless given). */
export function makeRequest(
  overrides: Loose<RequestSpec> = {},
  options: { now?: number; index?: number } = {},
): FilterRequest {
  const req = makeFilterRequest(makeSpec(overrides), options.now ?? 0);
  req.index = options.index ?? 0;
  return req;
}

/** A logger that records `warn` calls. */
export interface RecordingLogger extends Logger {
  warnings: { message: string; fields: Record<string, unknown> | undefined }[];
}

export function recordingLogger(): RecordingLogger {
  const warnings: RecordingLogger['warnings'] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => {
      warnings.push({ message, fields });
    },
    error: () => undefined,
  };
}

/**
 * A plugin factory context whose config holds the plugin's own options
 * (`group.name` keys, defaults otherwise); clock and random source fixed at 0.
 */
export function pluginContext(
  plugin: PluginDefinition,
  values: Record<string, OptionValue> = {},
  logger: Logger = recordingLogger(),
): PluginContext {
  return {
    conf: configValuesFrom(plugin.options ?? [], values),
    runtime: createRuntime({ now: () => 0, random: () => 0, logger }),
  };
}
