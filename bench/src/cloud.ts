/**
 * A seeded generator of realistic cloud files: the JSON a user writes for
 * `@opie/cloud`'s `parseCloud` (see packages/cloud/README.md and
 * examples/cloud.json), written to disk so the bench reads it back as real
 * input, with every host's arrays and objects its own.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@opie/core';

/**
 * Bumped whenever the generated content changes, so a cached file of an
 * older generator is never read.
 */
export const GENERATOR_VERSION = 1;

export interface FlavorSpec {
  id: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  extraSpecs?: Record<string, string>;
}

export const M1_TINY: FlavorSpec = { id: '1', name: 'm1.tiny', memoryMb: 512, vcpus: 1, rootGb: 1 };
export const M1_SMALL: FlavorSpec = {
  id: '2',
  name: 'm1.small',
  memoryMb: 2048,
  vcpus: 1,
  rootGb: 20,
};
export const M1_MEDIUM: FlavorSpec = {
  id: '3',
  name: 'm1.medium',
  memoryMb: 4096,
  vcpus: 2,
  rootGb: 40,
};
export const M1_LARGE: FlavorSpec = {
  id: '4',
  name: 'm1.large',
  memoryMb: 8192,
  vcpus: 4,
  rootGb: 80,
};
export const M1_XLARGE: FlavorSpec = {
  id: '5',
  name: 'm1.xlarge',
  memoryMb: 16384,
  vcpus: 8,
  rootGb: 160,
};
/** m1.medium restricted to hosts of an aggregate with `ssd=true` (AggregateInstanceExtraSpecsFilter). */
export const M1_MEDIUM_SSD: FlavorSpec = {
  id: '13',
  name: 'm1.medium.ssd',
  memoryMb: 4096,
  vcpus: 2,
  rootGb: 40,
  extraSpecs: { 'aggregate_instance_extra_specs:ssd': 'true' },
};

export const FLAVORS: readonly FlavorSpec[] = [
  M1_TINY,
  M1_SMALL,
  M1_MEDIUM,
  M1_LARGE,
  M1_XLARGE,
  M1_MEDIUM_SSD,
];

/** The flavor mix of existing instances with cumulative shares (mean about 3.5 GB). */
const MIX: readonly { flavor: FlavorSpec; upTo: number }[] = [
  { flavor: M1_TINY, upTo: 0.2 },
  { flavor: M1_SMALL, upTo: 0.55 },
  { flavor: M1_MEDIUM, upTo: 0.85 },
  { flavor: M1_LARGE, upTo: 0.97 },
  { flavor: M1_XLARGE, upTo: 1.0 },
];
/** Largest first, for topping a host up in the `full` fill. */
const BY_SIZE_DESC: readonly FlavorSpec[] = [M1_XLARGE, M1_LARGE, M1_MEDIUM, M1_SMALL, M1_TINY];

/** `[DEFAULT] reserved_host_memory_mb` (the cloud file's `defaults`). */
export const RESERVED_RAM_MB = 512;
export const PREEMPTIBLE_SHARE = 0.3;
export const AARCH64_SHARE = 0.05;
export const DOWN_SHARE = 0.01;
export const DISABLED_SHARE = 0.02;
export const SSD_SHARE = 0.3;
export const HIGHMEM_SHARE = 0.1;
/** Share of hosts whose record carries its own cpu_allocation_ratio (8.0). */
export const NODE_CPU_RATIO_SHARE = 0.2;
export const ZONES = ['az1', 'az2', 'az3'] as const;
export const PROJECTS = 50;
/** Projects 0..TENANT_AGGREGATES-1 each have an aggregate of their own (`filter_tenant_id`). */
export const TENANT_AGGREGATES = 10;
export const TENANT_SHARE = 0.01;
/** Preemptible instances were created over the last 6 hours, the others over 30 days. */
const PREEMPTIBLE_SPREAD_MS = 6 * 3600 * 1000;
const NORMAL_SPREAD_MS = 30 * 86400 * 1000;
/** A down service's last heartbeat: an hour before the clock (service_down_time is 60 s). */
const DOWN_AGE_MS = 3600 * 1000;

const CPU_MODELS = [
  { arch: 'x86_64', model: 'Skylake-Server-IBRS', vendor: 'Intel', cores: 10 },
  { arch: 'x86_64', model: 'Cascadelake-Server', vendor: 'Intel', cores: 12 },
  { arch: 'x86_64', model: 'Icelake-Server', vendor: 'Intel', cores: 16 },
  { arch: 'x86_64', model: 'EPYC-Rome', vendor: 'AMD', cores: 16 },
  { arch: 'x86_64', model: 'EPYC-Milan', vendor: 'AMD', cores: 24 },
] as const;
const HYPERVISOR_VERSIONS = [2011000, 4002000, 6002000, 8002000] as const;

/**
 * How hosts are filled: `normal` gives each host 14 to 24 instances (about
 * 19) drawn from the flavor mix; `full` then tops every host up with the
 * largest flavors that fit until an m1.medium no longer fits (RAM or disk),
 * so a normal m1.medium only fits where preemptible instances are freed.
 */
export type Fill = 'normal' | 'full';

export interface CloudFileOptions {
  hosts: number;
  seed: number;
  /** Epoch ms: the file's `now`. */
  now: number;
  fill: Fill;
}

/** What the generator put in the file, counted as it went (for the tables and tests). */
export interface CloudFileStats {
  hosts: number;
  instances: number;
  preemptible: number;
  aarch64: number;
  down: number;
  disabled: number;
  ssd: number;
  highmem: number;
  bytes: number;
}

/** Host `i` as a zero-padded name. */
export function hostName(i: number): string {
  return `compute-${String(i).padStart(6, '0')}`;
}

/** The zone of host `i` (racks in turn). */
export function zoneOf(i: number): string {
  return ZONES[i % ZONES.length] as string;
}

interface HostPlan {
  aarch64: boolean;
  highmem: boolean;
  ssd: boolean;
  down: boolean;
  disabled: boolean;
  tenant: number;
  memoryMb: number;
  vcpus: number;
  localGb: number;
}

/** A uuid-shaped id (8-4-4-4-12 hex) from the seeded source. */
function uuidFrom(random: () => number): string {
  let hex = '';
  for (let k = 0; k < 4; k++)
    hex += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Buffered writes of a long JSON document to a file descriptor. */
class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.bytes += writeSync(this.fd, chunk);
    this.parts = [];
    this.size = 0;
  }
}

/**
 * Writes a seeded cloud file at `path` (through a temporary file, renamed at
 * the end). The cloud: `hosts` compute nodes, one per host, in three zones
 * (`az1`..`az3`, hosts in turn); 10% `highmem` hosts (512 GiB, 64 vCPUs) in a
 * `highmem=true` aggregate, the others 128 GiB and 40 vCPUs; 30% `ssd` hosts
 * (960 GB disk, in an `ssd=true` aggregate), the others 1,600 GB; 10 tenant
 * aggregates (`filter_tenant_id`) of about 1% of the hosts each; 5% aarch64
 * hosts (their only supported instance `aarch64/qemu/hvm`), the others
 * x86_64 with varied CPU models and hypervisor versions; 20% of the records
 * carry their own `cpu_allocation_ratio` (8.0); `current_workload` (io ops)
 * 0 to 9; 1% of services down (last heartbeat an hour old), 2% disabled.
 * Instances: see `Fill`; 30% preemptible (`"preemptible": true`, which
 * parseCloud turns into opie's `system_metadata.preemptible = "True"`),
 * created over the last 6 hours (preemptible) or 30 days; node usage and
 * stats are left to parseCloud to derive, as users leave them.
 */
export function writeCloudFile(path: string, options: CloudFileOptions): CloudFileStats {
  const random = seededRandom(options.seed);
  const { now, hosts } = options;
  const stats: CloudFileStats = {
    hosts,
    instances: 0,
    preemptible: 0,
    aarch64: 0,
    down: 0,
    disabled: 0,
    ssd: 0,
    highmem: 0,
    bytes: 0,
  };
  const plans: HostPlan[] = [];
  for (let i = 0; i < hosts; i++) {
    const aarch64 = random() < AARCH64_SHARE;
    const highmem = !aarch64 && random() < HIGHMEM_SHARE;
    const ssd = random() < SSD_SHARE;
    const r = random();
    const down = r < DOWN_SHARE;
    const disabled = !down && r < DOWN_SHARE + DISABLED_SHARE;
    const tenant =
      random() < TENANT_SHARE * TENANT_AGGREGATES ? Math.floor(random() * TENANT_AGGREGATES) : -1;
    plans.push({
      aarch64,
      highmem,
      ssd,
      down,
      disabled,
      tenant,
      memoryMb: highmem ? 512 * 1024 : 128 * 1024,
      vcpus: highmem ? 64 : aarch64 ? 80 : 40,
      localGb: ssd ? 960 : 1600,
    });
    if (aarch64) stats.aarch64 += 1;
    if (highmem) stats.highmem += 1;
    if (ssd) stats.ssd += 1;
    if (down) stats.down += 1;
    if (disabled) stats.disabled += 1;
  }

  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  const out = new ChunkWriter(fd);
  try {
    out.write(
      `{"_comment":"opie bench cloud: ${hosts} hosts, fill ${options.fill}, seed ${options.seed}, generator v${GENERATOR_VERSION}",\n`,
    );
    out.write(`"now":"${iso(now)}",\n"defaults":{"reserved_host_memory_mb":${RESERVED_RAM_MB}},\n`);
    out.write('"flavors":[\n');
    out.write(
      FLAVORS.map((f) =>
        JSON.stringify({
          id: f.id,
          name: f.name,
          memory_mb: f.memoryMb,
          vcpus: f.vcpus,
          root_gb: f.rootGb,
          ...(f.extraSpecs === undefined ? {} : { extra_specs: f.extraSpecs }),
        }),
      ).join(',\n'),
    );
    out.write('],\n"images":[');
    out.write(
      JSON.stringify({
        id: 'cirros',
        name: 'cirros-0.6.2',
        properties: { architecture: 'x86_64', hypervisor_type: 'qemu', vm_mode: 'hvm' },
      }),
    );
    out.write('],\n"nodes":[\n');
    for (let i = 0; i < hosts; i++) {
      const p = plans[i] as HostPlan;
      const cpu = CPU_MODELS[Math.floor(random() * CPU_MODELS.length)] ?? CPU_MODELS[0];
      const cpuInfo = p.aarch64
        ? {
            arch: 'aarch64',
            model: 'Neoverse-N1',
            vendor: 'ARM',
            topology: { cells: 1, sockets: 1, cores: 80, threads: 1 },
            features: ['fp', 'asimd', 'aes', 'sha2', 'crc32', 'atomics'],
          }
        : {
            arch: cpu.arch,
            model: cpu.model,
            vendor: cpu.vendor,
            topology: { cells: 2, sockets: 2, cores: cpu.cores, threads: 2 },
            features: [
              'aes',
              'avx',
              'avx2',
              'sse4.2',
              'vmx',
              ...(cpu.vendor === 'AMD' ? ['svm'] : []),
            ],
          };
      const supported = p.aarch64
        ? [['aarch64', 'qemu', 'hvm']]
        : random() < 0.5
          ? [
              ['x86_64', 'qemu', 'hvm'],
              ['i686', 'qemu', 'hvm'],
            ]
          : [
              ['i686', 'qemu', 'hvm'],
              ['x86_64', 'kvm', 'hvm'],
              ['x86_64', 'qemu', 'hvm'],
            ];
      const node: Record<string, unknown> = {
        host: hostName(i),
        memory_mb: p.memoryMb,
        local_gb: p.localGb,
        vcpus: p.vcpus,
        current_workload: Math.floor(random() * 10),
        host_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        hypervisor_type: 'QEMU',
        hypervisor_version:
          HYPERVISOR_VERSIONS[Math.floor(random() * HYPERVISOR_VERSIONS.length)] ?? 6002000,
        cpu_info: cpuInfo,
        supported_instances: supported,
        updated_at: iso(now - Math.floor(random() * 30_000)),
      };
      if (random() < NODE_CPU_RATIO_SHARE) node['cpu_allocation_ratio'] = 8.0;
      out.write(`${i === 0 ? '' : ',\n'}${JSON.stringify(node)}`);
    }
    out.write('\n],\n"services":[\n');
    for (let i = 0; i < hosts; i++) {
      const p = plans[i] as HostPlan;
      const service: Record<string, unknown> = {
        host: hostName(i),
        binary: 'nova-compute',
        disabled: p.disabled,
        updated_at: iso(p.down ? now - DOWN_AGE_MS : now - Math.floor(random() * 20_000)),
      };
      if (p.disabled) service['disabled_reason'] = 'maintenance';
      out.write(`${i === 0 ? '' : ',\n'}${JSON.stringify(service)}`);
    }
    out.write('\n],\n"aggregates":[\n');
    const members = (wanted: (p: HostPlan, i: number) => boolean): string[] => {
      const names: string[] = [];
      for (let i = 0; i < hosts; i++) if (wanted(plans[i] as HostPlan, i)) names.push(hostName(i));
      return names;
    };
    const aggregates: Record<string, unknown>[] = [];
    ZONES.forEach((zone, z) => {
      aggregates.push({
        name: `${zone}-hosts`,
        availability_zone: zone,
        hosts: members((_p, i) => i % ZONES.length === z),
      });
    });
    aggregates.push({ name: 'ssd', metadata: { ssd: 'true' }, hosts: members((p) => p.ssd) });
    aggregates.push({
      name: 'highmem',
      metadata: { highmem: 'true', ram_allocation_ratio: '1.0' },
      hosts: members((p) => p.highmem),
    });
    for (let t = 0; t < TENANT_AGGREGATES; t++) {
      aggregates.push({
        name: `tenant-${t}`,
        metadata: { filter_tenant_id: `project-${t}` },
        hosts: members((p) => p.tenant === t),
      });
    }
    out.write(aggregates.map((a) => JSON.stringify(a)).join(',\n'));
    out.write('\n],\n"instances":[\n');
    let first = true;
    for (let i = 0; i < hosts; i++) {
      const p = plans[i] as HostPlan;
      const host = hostName(i);
      let usedRam = RESERVED_RAM_MB;
      let usedDisk = 0;
      const fits = (f: FlavorSpec): boolean =>
        usedRam + f.memoryMb <= p.memoryMb && usedDisk + f.rootGb <= p.localGb;
      const place = (f: FlavorSpec): void => {
        const preemptible = random() < PREEMPTIBLE_SHARE;
        const age = Math.floor(random() * (preemptible ? PREEMPTIBLE_SPREAD_MS : NORMAL_SPREAD_MS));
        const project =
          p.tenant >= 0 && random() < 0.8 ? p.tenant : Math.floor(random() * PROJECTS);
        const instance: Record<string, unknown> = {
          uuid: uuidFrom(random),
          host,
          flavor: f.name,
          project_id: `project-${project}`,
          created_at: iso(now - 1000 - age),
        };
        if (preemptible) instance['preemptible'] = true;
        out.write(`${first ? '' : ',\n'}${JSON.stringify(instance)}`);
        first = false;
        usedRam += f.memoryMb;
        usedDisk += f.rootGb;
        stats.instances += 1;
        if (preemptible) stats.preemptible += 1;
      };
      const want = 14 + Math.floor(random() * 11);
      for (let k = 0; k < want; k++) {
        const r = random();
        const f = (MIX.find((m) => r < m.upTo) ?? MIX[MIX.length - 1])?.flavor ?? M1_SMALL;
        if (fits(f)) place(f);
      }
      if (options.fill === 'full') {
        while (fits(M1_MEDIUM)) {
          const f = BY_SIZE_DESC.find(fits) ?? M1_MEDIUM;
          place(f);
        }
      }
    }
    out.write('\n]}\n');
    out.flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  stats.bytes = out.bytes;
  return stats;
}

/** Where cloud files are kept: `OPIE_BENCH_CLOUD_DIR`, else `<tmpdir>/opie-bench`. */
export function cloudDir(): string {
  const dir = process.env['OPIE_BENCH_CLOUD_DIR'] ?? join(tmpdir(), 'opie-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The file of a cloud (named by its options and the generator version). */
export function cloudFilePath(options: CloudFileOptions, dir = cloudDir()): string {
  return join(
    dir,
    `cloud-${options.hosts}-${options.fill}-${options.seed}-${options.now}-v${GENERATOR_VERSION}.json`,
  );
}

/** The path of the cloud file, written first unless an identical one is already there. */
export function ensureCloudFile(options: CloudFileOptions, dir?: string): string {
  const path = cloudFilePath(options, dir);
  if (!existsSync(path)) writeCloudFile(path, options);
  return path;
}
