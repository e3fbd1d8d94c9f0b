import type {
  Aggregate,
  ComputeNode,
  Flavor,
  ImageMeta,
  Instance,
  Metric,
  Service,
  SupportedInstance,
} from '@opie/core';
import { InvalidInputError, parseApiBoolean } from '@opie/core';
import type {
  AggregateDocument,
  CloudDocument,
  FlavorDocument,
  ImageDocument,
  InstanceDocument,
  NodeDocument,
  ServiceDocument,
} from './cloud-schema.js';
import { cloudSchema, defaultsSchema } from './cloud-schema.js';
import { deriveNodeUsage } from './derive-usage.js';
import type { ReservedResources } from './derive-usage.js';
import { describeValue } from './describe-value.js';
import { toStringMap } from './field-types.js';
import { jsonPath } from './json-path.js';
import type { PathSegment } from './json-path.js';
import { toInputIssues } from './path-issue.js';
import type { PathIssue } from './path-issue.js';
import { parseTime } from './parse-time.js';
import { completeSection, readDocument } from './read-document.js';
import type { Section } from './read-document.js';
import { didYouMean } from './suggest.js';
import type { CatalogImage } from './catalog-image.js';
import { toCatalogImage } from './catalog-image.js';

/** A cloud as core records, ready for a HostManager. */
export interface CloudSnapshot {
  /** The clock of the snapshot (epoch ms), when the file gives one. */
  now?: number;
  nodes: ComputeNode[];
  services: Service[];
  aggregates: Aggregate[];
  instances: Instance[];
  flavors: Flavor[];
  images: ImageMeta[];
  /**
   * The image catalogue: every image with its Glance fields (status, formats,
   * size), in file order, for an image API to serve. `images` is the
   * scheduler's view of the same images.
   */
  imageCatalogue: CatalogImage[];
  /** Problems that do not stop the cloud from being used, each as `$.path: message`. */
  warnings: string[];
}

export interface ParseOptions {
  /** Names the input in errors, e.g. `cloud file examples/cloud.json`. */
  source?: string;
}

/** Epoch-ms values in this range are more likely epoch seconds (1973..5138 as seconds). */
const SECONDS_LIKE_MIN = 1e9;
const SECONDS_LIKE_MAX = 1e11;

interface Context {
  issues: PathIssue[];
  warnings: PathIssue[];
  now: number | undefined;
}

interface DocumentSections {
  now: string | number | undefined;
  defaults: CloudDocument['defaults'];
  flavors: Section<FlavorDocument>;
  images: Section<ImageDocument>;
  nodes: Section<NodeDocument>;
  services: Section<ServiceDocument>;
  aggregates: Section<AggregateDocument>;
  instances: Section<InstanceDocument>;
}

function readSections(json: unknown, issues: PathIssue[]): DocumentSections {
  const read = readDocument(cloudSchema, json, issues);
  if ('whole' in read) {
    const d = read.whole;
    return {
      now: d.now,
      defaults: d.defaults,
      flavors: completeSection(d.flavors),
      images: completeSection(d.images),
      nodes: completeSection(d.nodes),
      services: completeSection(d.services),
      aggregates: completeSection(d.aggregates),
      instances: completeSection(d.instances),
    };
  }
  const { parts, lists } = read;
  const none = { items: [], complete: false };
  return {
    now: parts['now'] as string | number | undefined,
    defaults:
      (parts['defaults'] as CloudDocument['defaults'] | undefined) ?? defaultsSchema.parse({}),
    flavors: (lists['flavors'] ?? none) as Section<FlavorDocument>,
    images: (lists['images'] ?? none) as Section<ImageDocument>,
    nodes: (lists['nodes'] ?? none) as Section<NodeDocument>,
    services: (lists['services'] ?? none) as Section<ServiceDocument>,
    aggregates: (lists['aggregates'] ?? none) as Section<AggregateDocument>,
    instances: (lists['instances'] ?? none) as Section<InstanceDocument>,
  };
}

/** Reads a valid time, warning when an epoch-ms number looks like epoch seconds. */
function timeAt(value: string | number, path: PathSegment[], ctx: Context): number {
  const t = parseTime(value)!;
  if (typeof value === 'number' && value >= SECONDS_LIKE_MIN && value < SECONDS_LIKE_MAX) {
    ctx.warnings.push({
      path,
      message: `${value} is read as epoch milliseconds (${new Date(t).toISOString()}); if it is epoch seconds, multiply by 1000`,
    });
  }
  return t;
}

function optionalTime(
  value: string | number | undefined,
  path: PathSegment[],
  ctx: Context,
): number | undefined {
  return value === undefined ? undefined : timeAt(value, path, ctx);
}

function listNames(names: Iterable<string>, max = 10): string {
  const all = [...names];
  const shown = all.slice(0, max).map((n) => JSON.stringify(n));
  return all.length > max ? `${shown.join(', ')}, ...` : shown.join(', ');
}

// ---------------------------------------------------------------- flavors, images

interface FlavorIndex {
  list: Flavor[];
  byId: Map<string, Flavor>;
  byName: Map<string, Flavor>;
  complete: boolean;
}

function convertFlavors(section: Section<FlavorDocument>, ctx: Context): FlavorIndex {
  const index: FlavorIndex = {
    list: [],
    byId: new Map(),
    byName: new Map(),
    complete: section.complete,
  };
  const idAt = new Map<string, number>();
  const nameAt = new Map<string, number>();
  for (const { index: i, value: d } of section.items) {
    const id = String(d.id);
    const flavor: Flavor = {
      id,
      flavorid: id,
      name: d.name,
      memoryMb: d.memory_mb,
      vcpus: d.vcpus,
      rootGb: d.root_gb,
      ephemeralGb: d.ephemeral_gb,
      swap: d.swap,
      extraSpecs: toStringMap(d.extra_specs),
    };
    const firstId = idAt.get(id);
    const firstName = nameAt.get(d.name);
    if (firstId !== undefined) {
      ctx.issues.push({
        path: ['flavors', i, 'id'],
        message: `duplicate flavor id "${id}" (also ${jsonPath(['flavors', firstId])}); give each flavor its own id`,
      });
    } else if (firstName !== undefined) {
      ctx.issues.push({
        path: ['flavors', i, 'name'],
        message: `duplicate flavor name "${d.name}" (also ${jsonPath(['flavors', firstName])}); give each flavor its own name`,
      });
    } else {
      idAt.set(id, i);
      nameAt.set(d.name, i);
      index.byId.set(id, flavor);
      index.byName.set(d.name, flavor);
    }
    index.list.push(flavor);
  }
  return index;
}

function convertImages(
  section: Section<ImageDocument>,
  ctx: Context,
): { images: ImageMeta[]; catalogue: CatalogImage[] } {
  const out: ImageMeta[] = [];
  const catalogue: CatalogImage[] = [];
  const idAt = new Map<string, number>();
  for (const { index: i, value: d } of section.items) {
    const first = idAt.get(d.id);
    if (first !== undefined) {
      ctx.issues.push({
        path: ['images', i, 'id'],
        message: `duplicate image id "${d.id}" (also ${jsonPath(['images', first])}); give each image its own id`,
      });
    } else {
      idAt.set(d.id, i);
      catalogue.push(toCatalogImage(d));
    }
    const image: ImageMeta = {
      id: d.id,
      properties: toStringMap(d.properties),
      minRam: d.min_ram,
      minDisk: d.min_disk,
    };
    if (d.name !== undefined) image.name = d.name;
    out.push(image);
  }
  return { images: out, catalogue };
}

// ---------------------------------------------------------------- nodes

interface NodeEntry {
  index: number;
  doc: NodeDocument;
  host: string;
  node: string;
  instances: Instance[];
}

interface NodeIndex {
  entries: NodeEntry[];
  byHost: Map<string, NodeEntry[]>;
  complete: boolean;
}

function indexNodes(section: Section<NodeDocument>, ctx: Context): NodeIndex {
  const index: NodeIndex = { entries: [], byHost: new Map(), complete: section.complete };
  for (const { index: i, value: d } of section.items) {
    const node = d.hypervisor_hostname ?? d.host;
    const onHost = index.byHost.get(d.host) ?? [];
    const twin = onHost.find((e) => e.node === node);
    if (twin !== undefined) {
      ctx.issues.push({
        path: ['nodes', i],
        message: `duplicate node (host "${d.host}", hypervisor_hostname "${node}"), also ${jsonPath(['nodes', twin.index])}; give each node its own hypervisor_hostname`,
      });
      continue;
    }
    const entry: NodeEntry = { index: i, doc: d, host: d.host, node, instances: [] };
    onHost.push(entry);
    index.byHost.set(d.host, onHost);
    index.entries.push(entry);
  }
  return index;
}

function toComputeNode(entry: NodeEntry, reserved: ReservedResources, ctx: Context): ComputeNode {
  const d = entry.doc;
  const derived = deriveNodeUsage(
    { memoryMb: d.memory_mb, localGb: d.local_gb },
    entry.instances,
    reserved,
  );
  const freeRamMb =
    d.free_ram_mb ??
    (d.memory_mb_used !== undefined ? d.memory_mb - d.memory_mb_used : derived.freeRamMb);
  let localGbUsed = derived.localGbUsed;
  let freeDiskGb = derived.freeDiskGb;
  if (d.local_gb_used !== undefined || d.free_disk_gb !== undefined) {
    localGbUsed = d.local_gb_used ?? d.local_gb - d.free_disk_gb!;
    freeDiskGb = d.free_disk_gb ?? d.local_gb - localGbUsed;
  }
  const stats: Record<string, string> = { ...derived.stats };
  if (d.running_vms !== undefined) stats['num_instances'] = String(d.running_vms);
  if (d.current_workload !== undefined) stats['io_workload'] = String(d.current_workload);
  if (d.stats !== undefined) Object.assign(stats, toStringMap(d.stats));

  const base: PathSegment[] = ['nodes', entry.index];
  const node: ComputeNode = {
    host: entry.host,
    hypervisorHostname: entry.node,
    memoryMb: d.memory_mb,
    freeRamMb,
    localGb: d.local_gb,
    localGbUsed,
    freeDiskGb,
    vcpus: d.vcpus,
    vcpusUsed: d.vcpus_used ?? derived.vcpusUsed,
    stats,
    metrics: (d.metrics ?? []).map((m, j) => {
      const out: Metric = { name: m.name, value: m.value };
      const ts = optionalTime(m.timestamp, [...base, 'metrics', j, 'timestamp'], ctx);
      if (ts !== undefined) out.timestamp = ts;
      if (m.source !== undefined) out.source = m.source;
      return out;
    }),
    supportedInstances: (d.supported_instances ?? []).map(
      ([arch, hvType, vmMode]) => [arch, hvType, vmMode] as SupportedInstance,
    ),
  };
  if (d.disk_available_least !== undefined) node.diskAvailableLeast = d.disk_available_least;
  if (d.host_ip !== undefined) node.hostIp = d.host_ip;
  if (d.hypervisor_type !== undefined) node.hypervisorType = d.hypervisor_type;
  if (d.hypervisor_version !== undefined) node.hypervisorVersion = d.hypervisor_version;
  if (d.cpu_info !== undefined) {
    node.cpuInfo = typeof d.cpu_info === 'string' ? d.cpu_info : JSON.stringify(d.cpu_info);
  }
  if (d.cpu_allocation_ratio !== undefined) node.cpuAllocationRatio = d.cpu_allocation_ratio;
  if (d.ram_allocation_ratio !== undefined) node.ramAllocationRatio = d.ram_allocation_ratio;
  if (d.disk_allocation_ratio !== undefined) node.diskAllocationRatio = d.disk_allocation_ratio;
  const updatedAt = optionalTime(d.updated_at, [...base, 'updated_at'], ctx);
  if (updatedAt !== undefined) node.updatedAt = updatedAt;
  return node;
}

// ---------------------------------------------------------------- instances

const SIZE_KEYS = ['memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'swap'] as const;
const REQUIRED_SIZE_KEYS = [
  ['memory_mb', 'a number of MB'],
  ['vcpus', 'a number of vCPUs'],
  ['root_gb', 'a number of GB'],
] as const;

interface Sizes {
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swap: number;
  instanceTypeId?: string;
}

function instanceSizes(
  d: InstanceDocument,
  base: PathSegment[],
  flavors: FlavorIndex,
  ctx: Context,
): Sizes | undefined {
  const inline = SIZE_KEYS.filter((k) => d[k] !== undefined);
  if (d.flavor !== undefined) {
    const ref = String(d.flavor);
    if (inline.length > 0) {
      ctx.issues.push({
        path: base,
        message: `flavor given both by reference ("${ref}") and by inline sizes (${inline.join(', ')}); give one or the other`,
      });
      return undefined;
    }
    const flavor = flavors.byId.get(ref) ?? flavors.byName.get(ref);
    if (flavor === undefined) {
      if (flavors.complete) {
        const known = [...flavors.byName.keys()];
        const hint =
          known.length === 0
            ? ' "flavors" is empty: list the flavor there or give memory_mb, vcpus and root_gb'
            : `${didYouMean(ref, [...known, ...flavors.byId.keys()])} Known flavors: ${listNames(known)}`;
        ctx.issues.push({
          path: [...base, 'flavor'],
          message: `unknown flavor "${ref}" (no flavor has this id or name).${hint}`,
        });
      }
      return undefined;
    }
    return {
      memoryMb: flavor.memoryMb,
      vcpus: flavor.vcpus,
      rootGb: flavor.rootGb,
      ephemeralGb: flavor.ephemeralGb,
      swap: flavor.swap,
      instanceTypeId: flavor.id,
    };
  }
  if (inline.length === 0) {
    ctx.issues.push({
      path: base,
      message:
        'no flavor: give "flavor" (a name or id from $.flavors) or the sizes memory_mb, vcpus and root_gb',
    });
    return undefined;
  }
  let ok = true;
  for (const [key, what] of REQUIRED_SIZE_KEYS) {
    if (d[key] === undefined) {
      ctx.issues.push({
        path: [...base, key],
        message: `missing: give ${what} (or give "flavor" instead of inline sizes)`,
      });
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    memoryMb: d.memory_mb!,
    vcpus: d.vcpus!,
    rootGb: d.root_gb!,
    ephemeralGb: d.ephemeral_gb ?? 0,
    swap: d.swap ?? 0,
  };
}

/** The preemptible mark from `preemptible` and `system_metadata.preemptible`, kept in sync. */
function preemptibleMark(
  d: InstanceDocument,
  base: PathSegment[],
  systemMetadata: Record<string, string>,
  ctx: Context,
): boolean {
  const explicit = d.preemptible === undefined ? undefined : parseApiBoolean(d.preemptible);
  const raw = systemMetadata['preemptible'];
  let fromMetadata: boolean | undefined;
  if (raw !== undefined) {
    fromMetadata = parseApiBoolean(raw);
    if (fromMetadata === undefined) {
      ctx.issues.push({
        path: [...base, 'system_metadata', 'preemptible'],
        message: `expected a boolean (true/false, 1/0, on/off or yes/no), got ${describeValue(raw)}`,
      });
    }
  }
  if (explicit !== undefined && fromMetadata !== undefined && explicit !== fromMetadata) {
    ctx.issues.push({
      path: [...base, 'preemptible'],
      message: `preemptible is ${explicit} but system_metadata.preemptible is "${raw}"; give one of them`,
    });
  }
  const mark = explicit ?? fromMetadata ?? false;
  if (mark) systemMetadata['preemptible'] = 'True';
  else delete systemMetadata['preemptible'];
  return mark;
}

function resolveNode(
  d: InstanceDocument,
  base: PathSegment[],
  nodes: NodeIndex,
  ctx: Context,
): NodeEntry | undefined {
  const onHost = nodes.byHost.get(d.host) ?? [];
  if (d.node !== undefined) {
    const entry = onHost.find((e) => e.node === d.node);
    if (entry !== undefined || !nodes.complete) return entry;
    if (onHost.length === 0) {
      ctx.issues.push({
        path: [...base, 'host'],
        message: `instance on an unknown node: no node in $.nodes has host "${d.host}".${didYouMean(d.host, nodes.byHost.keys())}`,
      });
    } else {
      const names = onHost.map((e) => e.node);
      ctx.issues.push({
        path: [...base, 'node'],
        message: `instance on an unknown node: host "${d.host}" has no node "${d.node}"; its nodes: ${listNames(names)}.${didYouMean(d.node, names)}`,
      });
    }
    return undefined;
  }
  if (onHost.length === 1) return onHost[0];
  if (!nodes.complete) return undefined;
  if (onHost.length === 0) {
    ctx.issues.push({
      path: [...base, 'host'],
      message: `instance on an unknown node: no node in $.nodes has host "${d.host}".${didYouMean(d.host, nodes.byHost.keys())}`,
    });
  } else {
    ctx.issues.push({
      path: [...base, 'node'],
      message: `missing: host "${d.host}" has ${onHost.length} nodes (${listNames(onHost.map((e) => e.node))}); give the node`,
    });
  }
  return undefined;
}

function convertInstances(
  section: Section<InstanceDocument>,
  nodes: NodeIndex,
  flavors: FlavorIndex,
  ctx: Context,
): Instance[] {
  const out: Instance[] = [];
  const uuidAt = new Map<string, number>();
  for (const { index: i, value: d } of section.items) {
    const base: PathSegment[] = ['instances', i];
    const first = uuidAt.get(d.uuid);
    if (first !== undefined) {
      ctx.issues.push({
        path: [...base, 'uuid'],
        message: `duplicate instance uuid "${d.uuid}" (also ${jsonPath(['instances', first])}); give each instance its own uuid`,
      });
      continue;
    }
    uuidAt.set(d.uuid, i);
    const entry = resolveNode(d, base, nodes, ctx);
    const sizes = instanceSizes(d, base, flavors, ctx);
    const systemMetadata = toStringMap(d.system_metadata ?? {});
    const preemptible = preemptibleMark(d, base, systemMetadata, ctx);
    let createdAt = optionalTime(d.created_at, [...base, 'created_at'], ctx);
    if (createdAt === undefined) {
      if (preemptible) {
        ctx.issues.push({
          path: [...base, 'created_at'],
          message:
            'missing: preemptible instances need created_at (an ISO 8601 time or epoch milliseconds); the duration weigher reads it',
        });
      }
      createdAt = ctx.now ?? 0;
    }
    if (sizes === undefined) continue;
    const inst: Instance = {
      uuid: d.uuid,
      host: d.host,
      node: entry?.node ?? d.node ?? d.host,
      memoryMb: sizes.memoryMb,
      vcpus: sizes.vcpus,
      rootGb: sizes.rootGb,
      ephemeralGb: sizes.ephemeralGb,
      swap: sizes.swap,
      systemMetadata,
      createdAt,
      preemptible,
    };
    if (sizes.instanceTypeId !== undefined) inst.instanceTypeId = sizes.instanceTypeId;
    if (d.project_id !== undefined) inst.projectId = d.project_id;
    if (d.priority !== undefined) inst.priority = d.priority;
    if (d.vm_state !== undefined) inst.vmState = d.vm_state;
    if (d.task_state !== undefined) inst.taskState = d.task_state;
    entry?.instances.push(inst);
    out.push(inst);
  }
  return out;
}

// ---------------------------------------------------------------- services

function convertServices(
  section: Section<ServiceDocument>,
  nodes: ComputeNode[],
  nodesComplete: boolean,
  ctx: Context,
): Service[] {
  const out: Service[] = [];
  const seen = new Map<string, number>();
  const nodeHosts = new Set(nodes.map((n) => n.host));
  const noHeartbeat: string[] = [];
  for (const { index: i, value: d } of section.items) {
    const base: PathSegment[] = ['services', i];
    const key = `${d.host}\u0000${d.binary}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.issues.push({
        path: base,
        message: `duplicate service (host "${d.host}", binary "${d.binary}"), also ${jsonPath(['services', first])}; list each service once`,
      });
      continue;
    }
    seen.set(key, i);
    const service: Service = {
      host: d.host,
      binary: d.binary,
      disabled: d.disabled,
      forcedDown: d.forced_down,
    };
    if (d.disabled_reason !== undefined) service.disabledReason = d.disabled_reason;
    const lastSeenUp = optionalTime(d.last_seen_up, [...base, 'last_seen_up'], ctx);
    const updatedAt = optionalTime(d.updated_at, [...base, 'updated_at'], ctx);
    const createdAt = optionalTime(d.created_at, [...base, 'created_at'], ctx);
    if (lastSeenUp !== undefined) service.lastSeenUp = lastSeenUp;
    if (updatedAt !== undefined) service.updatedAt = updatedAt;
    if (createdAt !== undefined) service.createdAt = createdAt;
    if (lastSeenUp === undefined && updatedAt === undefined && createdAt === undefined) {
      if (ctx.now !== undefined) service.lastSeenUp = ctx.now;
      else if (d.binary === 'nova-compute') noHeartbeat.push(d.host);
    }
    if (d.binary === 'nova-compute' && nodesComplete && !nodeHosts.has(d.host)) {
      ctx.warnings.push({
        path: [...base, 'host'],
        message: `no compute node has host "${d.host}"; this service matches nothing.${didYouMean(d.host, nodeHosts)}`,
      });
    }
    out.push(service);
  }
  // One up nova-compute service for every node host that has none.
  const latestUpdate = new Map<string, number>();
  for (const n of nodes) {
    if (n.updatedAt !== undefined) {
      latestUpdate.set(n.host, Math.max(n.updatedAt, latestUpdate.get(n.host) ?? -Infinity));
    }
  }
  const hasCompute = new Set(out.filter((s) => s.binary === 'nova-compute').map((s) => s.host));
  for (const host of nodeHosts) {
    if (hasCompute.has(host)) continue;
    const service: Service = { host, binary: 'nova-compute', disabled: false, forcedDown: false };
    const heartbeat = ctx.now ?? latestUpdate.get(host);
    if (heartbeat !== undefined) service.lastSeenUp = heartbeat;
    else noHeartbeat.push(host);
    out.push(service);
  }
  if (noHeartbeat.length > 0) {
    ctx.warnings.push({
      path: ['services'],
      message: `the nova-compute services of ${listNames(noHeartbeat)} have no heartbeat (no "now" in the file, no last_seen_up/updated_at/created_at): ComputeFilter counts them as down; give "now" or the services' last_seen_up`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- aggregates

function convertAggregates(
  section: Section<AggregateDocument>,
  nodeHosts: Set<string>,
  nodesComplete: boolean,
  ctx: Context,
): Aggregate[] {
  const out: Aggregate[] = [];
  const idAt = new Map<string, number>();
  for (const { index: i, value: d } of section.items) {
    const base: PathSegment[] = ['aggregates', i];
    const id = d.id ?? i + 1;
    const idKey = String(id);
    const first = idAt.get(idKey);
    if (first !== undefined) {
      ctx.issues.push({
        path: [...base, 'id'],
        message: `duplicate aggregate id ${JSON.stringify(id)} (also ${jsonPath(['aggregates', first])}); give each aggregate its own id`,
      });
    } else {
      idAt.set(idKey, i);
    }
    const metadata = toStringMap(d.metadata);
    if (d.availability_zone !== undefined) {
      const inMetadata = metadata['availability_zone'];
      if (inMetadata !== undefined && inMetadata !== d.availability_zone) {
        ctx.issues.push({
          path: [...base, 'availability_zone'],
          message: `"${d.availability_zone}" conflicts with metadata.availability_zone "${inMetadata}"; give the zone once`,
        });
      }
      metadata['availability_zone'] = d.availability_zone;
    }
    const hosts: string[] = [];
    d.hosts.forEach((host, j) => {
      if (hosts.includes(host)) {
        ctx.warnings.push({
          path: [...base, 'hosts', j],
          message: `host "${host}" is listed twice; the repeat is ignored`,
        });
        return;
      }
      if (nodesComplete && !nodeHosts.has(host)) {
        ctx.warnings.push({
          path: [...base, 'hosts', j],
          message: `no compute node has host "${host}"; the entry matches nothing.${didYouMean(host, nodeHosts)}`,
        });
      }
      hosts.push(host);
    });
    out.push({ id, name: d.name, hosts, metadata });
  }
  return out;
}

// ---------------------------------------------------------------- entry point

/**
 * Converts a cloud document (parsed JSON) into core records. Node usage that
 * the file omits is derived from the node's instances like nova's resource
 * tracker; missing nova-compute services are created up. Every problem is
 * collected first, then thrown as one `InvalidInputError` whose issues carry
 * JSON paths (`$.nodes[3].memory_mb`).
 */
export function parseCloud(json: unknown, options: ParseOptions = {}): CloudSnapshot {
  const source = options.source ?? 'cloud document';
  const issues: PathIssue[] = [];
  const sections = readSections(json, issues);
  const ctx: Context = { issues, warnings: [], now: undefined };
  if (sections.now !== undefined) ctx.now = timeAt(sections.now, ['now'], ctx);
  const reserved: ReservedResources = {
    reservedHostMemoryMb: sections.defaults.reserved_host_memory_mb,
    reservedHostDiskMb: sections.defaults.reserved_host_disk_mb,
  };

  const flavors = convertFlavors(sections.flavors, ctx);
  const images = convertImages(sections.images, ctx);
  const nodeIndex = indexNodes(sections.nodes, ctx);
  const instances = convertInstances(sections.instances, nodeIndex, flavors, ctx);
  const nodes = nodeIndex.entries.map((e) => toComputeNode(e, reserved, ctx));
  const services = convertServices(sections.services, nodes, nodeIndex.complete, ctx);
  const aggregates = convertAggregates(
    sections.aggregates,
    new Set(nodes.map((n) => n.host)),
    nodeIndex.complete,
    ctx,
  );

  if (issues.length > 0) throw new InvalidInputError(source, toInputIssues(issues, cloudSchema));
  const snapshot: CloudSnapshot = {
    nodes,
    services,
    aggregates,
    instances,
    flavors: flavors.list,
    images: images.images,
    imageCatalogue: images.catalogue,
    warnings: toInputIssues(ctx.warnings, cloudSchema).map((w) => `${w.path}: ${w.message}`),
  };
  if (ctx.now !== undefined) snapshot.now = ctx.now;
  return snapshot;
}
