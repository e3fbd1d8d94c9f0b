import { RowProblem, TraceError } from './bad-row.js';
import { splitCsvLine } from './csv-fields.js';
import { CsvColumns, positiveField } from './row-fields.js';

/** One machine of a generated cloud. */
export interface MachineSpec {
  /** Host name; default `compute-<n>`. */
  host?: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

/** What `generateCloud` builds: machines, zones, ratios and reservations. */
export interface GenerateCloudOptions {
  /** The machines, in order (`identicalMachines` makes N alike). */
  machines: readonly MachineSpec[];
  /** Availability zones az1..azZ, hosts dealt round-robin (default 1: no zone aggregates). */
  zones?: number;
  /** Written on every node; defaults are nova Liberty's: 16.0, 1.5, 1.0. */
  cpuAllocationRatio?: number;
  ramAllocationRatio?: number;
  diskAllocationRatio?: number;
  /** Written as `defaults` and as every node's usage at the start; default 512 (nova's). */
  reservedHostMemoryMb?: number;
  /** Default 0 (nova's). */
  reservedHostDiskMb?: number;
  /** The cloud's clock (default 2024-01-01T00:00:00Z); services are up then. */
  now?: string;
  /** The `_comment` of the file: how it was made. */
  comment?: string;
}

/** A `GenerateCloudOptions` value that cannot make a cloud; `option` names the setting. */
export class CloudGenerationError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'CloudGenerationError';
  }
}

/** `count` machines of one size. */
export function identicalMachines(count: number, size: Omit<MachineSpec, 'host'>): MachineSpec[] {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new CloudGenerationError('hosts', `expected an integer >= 1, got ${count}`);
  return Array.from({ length: count }, () => ({ ...size }));
}

const positiveNumber = (v: number, option: string, allowZero = false): number => {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0))
    throw new CloudGenerationError(
      option,
      `expected a number ${allowZero ? '>= 0' : '> 0'}, got ${v}`,
    );
  return v;
};

/**
 * A cloud.json document (the `@opie/cloud` format): one compute node per
 * machine with its allocation ratios and its reserved memory and disk as
 * usage written explicitly, no instances, every compute service up at `now`.
 */
export function generateCloud(options: GenerateCloudOptions): Record<string, unknown> {
  const machines = options.machines;
  if (machines.length === 0) throw new CloudGenerationError('hosts', 'no machines to generate');
  const zones = options.zones ?? 1;
  if (!Number.isSafeInteger(zones) || zones < 1 || zones > machines.length)
    throw new CloudGenerationError(
      'zones',
      `expected an integer from 1 to the number of hosts (${machines.length}), got ${zones}`,
    );
  const cpu = positiveNumber(options.cpuAllocationRatio ?? 16.0, 'cpu-allocation-ratio');
  const ram = positiveNumber(options.ramAllocationRatio ?? 1.5, 'ram-allocation-ratio');
  const disk = positiveNumber(options.diskAllocationRatio ?? 1.0, 'disk-allocation-ratio');
  const reservedMb = positiveNumber(
    options.reservedHostMemoryMb ?? 512,
    'reserved-host-memory-mb',
    true,
  );
  const reservedDiskMb = positiveNumber(
    options.reservedHostDiskMb ?? 0,
    'reserved-host-disk-mb',
    true,
  );
  if (!Number.isInteger(reservedMb) || !Number.isInteger(reservedDiskMb))
    throw new CloudGenerationError('reserved-host-memory-mb', 'expected whole MB');
  const now = options.now ?? '2024-01-01T00:00:00Z';
  if (Number.isNaN(Date.parse(now)))
    throw new CloudGenerationError('now', `expected an ISO 8601 time, got "${now}"`);
  const width = String(machines.length).length;
  const names = new Set<string>();
  const nodes = machines.map((m, i) => {
    const host = m.host ?? `compute-${String(i + 1).padStart(width, '0')}`;
    if (names.has(host)) throw new CloudGenerationError('hosts', `host ${host} appears twice`);
    names.add(host);
    const at = `machine ${i + 1} (${host})`;
    for (const [key, value] of [
      ['vcpus', m.vcpus],
      ['memory-mb', m.memoryMb],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1)
        throw new CloudGenerationError(key, `${at}: expected an integer >= 1, got ${value}`);
    }
    if (!Number.isSafeInteger(m.diskGb) || m.diskGb < 0)
      throw new CloudGenerationError('disk-gb', `${at}: expected an integer >= 0, got ${m.diskGb}`);
    if (reservedMb >= m.memoryMb)
      throw new CloudGenerationError(
        'reserved-host-memory-mb',
        `${reservedMb} MB leaves nothing of ${at}'s ${m.memoryMb} MB`,
      );
    return {
      host,
      memory_mb: m.memoryMb,
      local_gb: m.diskGb,
      vcpus: m.vcpus,
      memory_mb_used: reservedMb,
      local_gb_used: Math.floor(reservedDiskMb / 1024),
      vcpus_used: 0,
      hypervisor_type: 'QEMU',
      supported_instances: [['x86_64', 'kvm', 'hvm']],
      cpu_allocation_ratio: cpu,
      ram_allocation_ratio: ram,
      disk_allocation_ratio: disk,
      updated_at: now,
    };
  });
  const aggregates =
    zones === 1
      ? []
      : Array.from({ length: zones }, (_, z) => ({
          id: z + 1,
          name: `zone-${z + 1}`,
          availability_zone: `az${z + 1}`,
          hosts: nodes.filter((_, i) => i % zones === z).map((n) => n.host),
        }));
  return {
    _comment:
      options.comment ??
      `${machines.length} generated hosts; reserved memory ${reservedMb} MB and disk ${reservedDiskMb} MB are each node's usage at the start`,
    now,
    defaults: { reserved_host_memory_mb: reservedMb, reserved_host_disk_mb: reservedDiskMb },
    nodes,
    services: nodes.map((n) => ({ host: n.host, binary: 'nova-compute', last_seen_up: now })),
    aggregates,
    instances: [],
  };
}

/**
 * The machines of Alibaba's GPU-cluster node list (`openb_node_list_all_node.csv`:
 * `sn`, `cpu_milli`, `memory_mib`, ...): `cpu_milli / 1000` vCPUs (rounded
 * down), `memory_mib` MB, the host name `sn`; the list has no disk, so
 * every machine gets `diskGb`. With `hosts`, every (total / hosts)-th machine
 * is kept, so a smaller cloud keeps the list's mix of machine types.
 */
export function alibabaMachines(
  lines: Iterable<string>,
  options: { file: string; diskGb: number; hosts?: number },
): MachineSpec[] {
  const all: MachineSpec[] = [];
  let columns: CsvColumns | undefined;
  let col = { sn: -1, cpu: -1, mem: -1 };
  let lineNo = 0;
  for (const text of lines) {
    lineNo += 1;
    if (text.trim() === '') continue;
    const fields = splitCsvLine(text);
    if (columns === undefined) {
      columns = new CsvColumns(fields);
      const missing = columns.missing(['sn', 'cpu_milli', 'memory_mib']);
      if (missing.length > 0)
        throw new TraceError(
          options.file,
          `not an Alibaba node list: the header lacks ${missing.join(', ')} (it has: ${fields.join(', ')})`,
          lineNo,
        );
      col = {
        sn: columns.indexOf('sn'),
        cpu: columns.indexOf('cpu_milli'),
        mem: columns.indexOf('memory_mib'),
      };
      continue;
    }
    try {
      const vcpus = Math.floor(positiveField(fields[col.cpu], 'cpu_milli') / 1000);
      if (vcpus < 1) throw new RowProblem('cpu_milli: less than one vCPU');
      const memoryMb = Math.floor(positiveField(fields[col.mem], 'memory_mib'));
      const sn = fields[col.sn]?.trim();
      all.push({ ...(sn ? { host: sn } : {}), vcpus, memoryMb, diskGb: options.diskGb });
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      throw new TraceError(options.file, error.message, lineNo);
    }
  }
  if (all.length === 0) throw new TraceError(options.file, 'the node list has no machines');
  const hosts = options.hosts;
  if (hosts === undefined) return all;
  if (!Number.isSafeInteger(hosts) || hosts < 1 || hosts > all.length)
    throw new CloudGenerationError(
      'hosts',
      `expected an integer from 1 to the ${all.length} machines of ${options.file}, got ${hosts}`,
    );
  return Array.from(
    { length: hosts },
    (_, i) => all[Math.floor((i * all.length) / hosts)] as MachineSpec,
  );
}
