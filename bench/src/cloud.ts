import type { Aggregate, ComputeNode, Flavor, Instance, Service } from '@opie/core';
import { seededRandom } from '@opie/core';
import { InMemoryHostSource } from '@opie/host-manager';

/** Every host: 64 GiB RAM (512 MB reserved), 32 vCPUs, 1 TB disk. */
export const HOST_RAM_MB = 64 * 1024;
export const RESERVED_RAM_MB = 512;
export const HOST_VCPUS = 32;
export const HOST_DISK_GB = 1024;

/** Share of instances that are preemptible. */
export const PREEMPTIBLE_SHARE = 0.3;
/** Instances were created over the last three hours. */
export const CREATED_SPREAD_MS = 3 * 3600 * 1000;

function flavor(id: string, name: string, memoryMb: number, vcpus: number, rootGb: number): Flavor {
  return { id, name, memoryMb, vcpus, rootGb, ephemeralGb: 0, swap: 0, extraSpecs: {} };
}

export const M1_SMALL = flavor('2', 'm1.small', 2048, 1, 20);
export const M1_MEDIUM = flavor('3', 'm1.medium', 4096, 2, 40);
export const M1_LARGE = flavor('4', 'm1.large', 8192, 4, 80);
export const M1_XLARGE = flavor('5', 'm1.xlarge', 16384, 8, 160);

/** The flavor mix of existing instances, largest first, with its cumulative weights. */
const MIX: readonly { flavor: Flavor; upTo: number }[] = [
  { flavor: M1_XLARGE, upTo: 0.1 },
  { flavor: M1_LARGE, upTo: 0.4 },
  { flavor: M1_MEDIUM, upTo: 0.7 },
  { flavor: M1_SMALL, upTo: 1.0 },
];

/**
 * How hosts are filled: `normal` gives each host 6 to 10 instances (about
 * 8, roughly 47 GB of RAM); `full` adds instances until not even an
 * m1.small fits, so an m1.medium only fits where preemptible ones are freed.
 */
export type Fill = 'normal' | 'full';

export interface CloudOptions {
  hosts: number;
  seed: number;
  /** Epoch ms of the scheduling clock. */
  now: number;
  fill: Fill;
}

export interface CloudStats {
  instances: number;
  preemptible: number;
}

/** Host `i` as a zero-padded name. */
export function hostName(i: number): string {
  return `compute-${String(i).padStart(6, '0')}`;
}

const CPU_INFO = JSON.stringify({
  arch: 'x86_64',
  model: 'Skylake-Server-IBRS',
  vendor: 'Intel',
  topology: { cells: 2, sockets: 2, cores: 8, threads: 2 },
  features: ['aes', 'avx', 'avx2', 'sse4.2', 'vmx'],
});
const SUPPORTED: ComputeNode['supportedInstances'] = [
  ['x86_64', 'qemu', 'hvm'],
  ['i686', 'qemu', 'hvm'],
];

/**
 * A deterministic cloud in an `InMemoryHostSource`: `hosts` compute nodes (one
 * per host), their `nova-compute` services (1% disabled, the rest up), two
 * availability-zone aggregates (even and odd hosts) and the instances, 30% of
 * them preemptible (marked in system metadata as opie does), created over
 * the last three hours. Compute records count the instances and 512 MB of
 * reserved RAM as used; `io_workload` is 0 to 9 (IoOpsFilter fails 8 and 9).
 */
export function buildCloud(options: CloudOptions): {
  source: InMemoryHostSource;
  stats: CloudStats;
} {
  const random = seededRandom(options.seed);
  const { now } = options;
  const nodes: ComputeNode[] = [];
  const services: Service[] = [];
  const instances: Instance[] = [];
  const zones: [string[], string[]] = [[], []];
  let preemptible = 0;

  const pickFlavor = (): Flavor => {
    const r = random();
    for (const m of MIX) if (r < m.upTo) return m.flavor;
    return M1_SMALL;
  };

  for (let i = 0; i < options.hosts; i++) {
    const host = hostName(i);
    let usedRam = RESERVED_RAM_MB;
    let usedDisk = 0;
    let usedVcpus = 0;
    let count = 0;
    const fits = (f: Flavor): boolean =>
      usedRam + f.memoryMb <= HOST_RAM_MB && usedDisk + f.rootGb <= HOST_DISK_GB;
    const place = (f: Flavor): void => {
      const isPreemptible = random() < PREEMPTIBLE_SHARE;
      if (isPreemptible) preemptible += 1;
      instances.push({
        uuid: `${host}-i${count}`,
        host,
        node: host,
        projectId: `project-${Math.floor(random() * 50)}`,
        memoryMb: f.memoryMb,
        vcpus: f.vcpus,
        rootGb: f.rootGb,
        ephemeralGb: f.ephemeralGb,
        swap: f.swap,
        instanceTypeId: f.id,
        systemMetadata: isPreemptible ? { preemptible: 'True' } : {},
        createdAt: now - Math.floor(random() * CREATED_SPREAD_MS),
        vmState: 'active',
        taskState: null,
      });
      usedRam += f.memoryMb;
      usedDisk += f.rootGb;
      usedVcpus += f.vcpus;
      count += 1;
    };

    if (options.fill === 'normal') {
      const want = 6 + Math.floor(random() * 5);
      for (let k = 0; k < want; k++) {
        const f = pickFlavor();
        if (fits(f)) place(f);
      }
    } else {
      for (;;) {
        let f = pickFlavor();
        if (!fits(f)) {
          const smaller = MIX.find((m) => fits(m.flavor));
          if (smaller === undefined) break;
          f = smaller.flavor;
        }
        place(f);
      }
    }

    nodes.push({
      host,
      hypervisorHostname: host,
      memoryMb: HOST_RAM_MB,
      freeRamMb: HOST_RAM_MB - usedRam,
      localGb: HOST_DISK_GB,
      localGbUsed: usedDisk,
      freeDiskGb: HOST_DISK_GB - usedDisk,
      diskAvailableLeast: HOST_DISK_GB - usedDisk,
      vcpus: HOST_VCPUS,
      vcpusUsed: usedVcpus,
      stats: {
        num_instances: String(count),
        io_workload: String(Math.floor(random() * 10)),
      },
      metrics: [],
      hostIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      hypervisorType: 'QEMU',
      hypervisorVersion: 2011000,
      cpuInfo: CPU_INFO,
      supportedInstances: SUPPORTED,
      updatedAt: now - Math.floor(random() * 30_000),
    });
    services.push({
      host,
      binary: 'nova-compute',
      disabled: random() < 0.01,
      updatedAt: now - Math.floor(random() * 20_000),
    });
    zones[i % 2]?.push(host);
  }

  const aggregates: Aggregate[] = [
    { id: 1, name: 'az1', hosts: zones[0], metadata: { availability_zone: 'az1' } },
    { id: 2, name: 'az2', hosts: zones[1], metadata: { availability_zone: 'az2' } },
  ];
  const source = new InMemoryHostSource({ nodes, services, aggregates, instances });
  return { source, stats: { instances: instances.length, preemptible } };
}
