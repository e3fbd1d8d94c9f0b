import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FilterRequest, HostFilter, HostState, SupportedInstance } from '@opie/core';
import { makeAggregate, makeFlavor, makeHost, makeInstance, makeRequest } from '@opie/testing';
import { createDifferentHostFilter, createSameHostFilter } from '../affinity-filter.js';
import { createAggregateImagePropertiesIsolationFilter } from '../aggregate-image-properties-isolation-filter.js';
import { createComputeCapabilitiesFilter } from '../compute-capabilities-filter.js';
import { createImagePropertiesFilter } from '../image-properties-filter.js';
import { createJsonFilter } from '../json-filter.js';
import {
  createServerGroupAffinityFilter,
  createServerGroupAntiAffinityFilter,
} from '../server-group-filter.js';

/*
 * Differential test: opie's filters under nova_version = zed against nova
 * Zed's own filters (Debian's python3-nova, 26.2.x, on /usr/bin/python3),
 * run by nova_filters.py on the same random hosts and requests. Expected
 * values are nova's answers: pass, fail, or an error (nova raises, the
 * request fails; opie must throw too). Not a dependency of the project:
 * where python3-nova is missing this test fails, naming the package.
 *
 * A case, as both sides read it:
 *   host: { host, node, instances: uuid[], stats, free_ram_mb, free_disk_mb,
 *           vcpus_used, hypervisor_type, hypervisor_version, cpu_info,
 *           supported_instances, cpu/ram/disk_allocation_ratio, aggregates: metadata[] }
 *   spec: { image_properties, hints: name -> string[], extra_specs,
 *           group: { policy, hosts, members, rules } | null, instance_uuid,
 *           placed: { host, node, uuid }[] }
 * `placed` are the request's instances placed before this one: nova gets them
 * as group members on their nodes (what its API and _consume_selected_host
 * do), opie as `FilterRequest.placements`.
 */

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./nova_filters.py', import.meta.url));

interface HostCase {
  host: string;
  node: string;
  instances?: string[];
  stats?: Record<string, string>;
  free_ram_mb?: number;
  free_disk_mb?: number;
  vcpus_used?: number;
  hypervisor_type?: string | null;
  hypervisor_version?: number | null;
  cpu_info?: string | null;
  supported_instances?: SupportedInstance[];
  cpu_allocation_ratio?: number;
  ram_allocation_ratio?: number;
  disk_allocation_ratio?: number;
  aggregates?: Record<string, string>[];
}

interface SpecCase {
  image_properties?: Record<string, string>;
  hints?: Record<string, string[]>;
  extra_specs?: Record<string, string>;
  group?: {
    policy: string;
    hosts: string[];
    members: string[];
    rules: { max_server_per_host?: number };
  } | null;
  instance_uuid?: string | null;
  /** Instances of the same request placed before this one (a multi-create). */
  placed?: { host: string; node: string; uuid: string }[];
}

interface Case {
  filter: string;
  host: HostCase;
  spec: SpecCase;
}

interface Conf {
  image_properties_default_architecture?: string | null;
  aggregate_image_properties_isolation_namespace?: string | null;
  aggregate_image_properties_isolation_separator?: string;
}

/** nova's answers, or why nova could not be asked. */
function askNova(conf: Conf, cases: readonly Case[]): string[] {
  const run = spawnSync(PYTHON, [SCRIPT], {
    input: JSON.stringify({ conf, cases }),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(
      `could not run nova Zed's filters (${PYTHON} ${SCRIPT}): ${run.error?.message ?? run.stderr}\n` +
        "This test needs Debian's python3-nova (nova Zed): sudo apt-get install -y python3-nova",
    );
  }
  return JSON.parse(run.stdout) as string[];
}

function hostOf(h: HostCase): HostState {
  return makeHost({
    host: h.host,
    nodename: h.node,
    instances: (h.instances ?? []).map((uuid) => makeInstance({ uuid })),
    stats: h.stats ?? {},
    freeRamMb: h.free_ram_mb ?? 0,
    freeDiskMb: h.free_disk_mb ?? 0,
    vcpusUsed: h.vcpus_used ?? 0,
    ...(h.hypervisor_type != null ? { hypervisorType: h.hypervisor_type } : {}),
    ...(h.hypervisor_version != null ? { hypervisorVersion: h.hypervisor_version } : {}),
    ...(h.cpu_info != null ? { cpuInfo: h.cpu_info } : {}),
    supportedInstances: h.supported_instances ?? [],
    ...(h.cpu_allocation_ratio !== undefined ? { cpuAllocationRatio: h.cpu_allocation_ratio } : {}),
    ...(h.ram_allocation_ratio !== undefined ? { ramAllocationRatio: h.ram_allocation_ratio } : {}),
    ...(h.disk_allocation_ratio !== undefined
      ? { diskAllocationRatio: h.disk_allocation_ratio }
      : {}),
    aggregates: (h.aggregates ?? []).map((metadata, i) =>
      makeAggregate({ id: i + 1, name: `agg${i}`, hosts: [h.host], metadata }),
    ),
  });
}

function requestOf(s: SpecCase): FilterRequest {
  const g = s.group;
  const request = makeRequest({
    flavor: makeFlavor({ memoryMb: 512, vcpus: 1, rootGb: 1, extraSpecs: s.extra_specs ?? {} }),
    image: { properties: s.image_properties ?? {} },
    schedulerHints: s.hints ?? {},
    ...(g != null
      ? {
          instanceGroup: {
            policies: [g.policy],
            hosts: g.hosts,
            members: g.members,
            rules: g.rules,
          },
        }
      : {}),
    ...(s.instance_uuid != null ? { instanceUuids: [s.instance_uuid] } : {}),
  });
  // What the scheduler records as it places a multi-create's instances.
  for (const p of s.placed ?? []) {
    request.placements?.push({ host: p.host, nodename: p.node, uuid: p.uuid });
  }
  return request;
}

/** opie's answer in nova's terms; an error of any kind is `error`. */
function askOpie(filter: HostFilter, c: Case): string {
  try {
    return filter.hostPasses(hostOf(c.host), requestOf(c.spec)) ? 'pass' : 'fail';
  } catch {
    return 'error';
  }
}

const novaTerms = (answer: string) => (answer.startsWith('error:') ? 'error' : answer);

const CPU_INFO = '{"vendor": "Intel", "model": "core2duo", "features": ["lahf_lm", "rdtscp"]}';

const baseHost = fc.record({
  host: fc.constantFrom('h1', 'h2'),
  node: fc.constantFrom('n1', 'n2'),
  instances: fc.subarray(['a', 'b', 'c', 'me']),
});

const groupArb = fc.option(
  fc.record({
    policy: fc.constantFrom('anti-affinity', 'affinity'),
    hosts: fc.subarray(['h1', 'h2']),
    members: fc.subarray(['a', 'b', 'c', 'me', 'z']),
    rules: fc.constantFrom(
      {},
      { max_server_per_host: 1 },
      { max_server_per_host: 2 },
      {
        max_server_per_host: 3,
      },
    ),
  }),
  { nil: null },
);

function entriesOf<T>(pool: readonly (readonly [string, T])[]) {
  return fc.subarray([...pool]).map((entries) => Object.fromEntries(entries) as Record<string, T>);
}

const CAPABILITY_SPECS = [
  ['free_ram_mb', '>= 300'],
  ['vcpus_used', '<= 2'],
  ['XXYY', '1'],
  ['gpu', 'a100'],
  ['capabilities:gpu', 'a100'],
  ['capabilities:cpu_info:vendor', 'Intel'],
  ['capabilities:cpu_info:features', '<in> rdtscp'],
  ['cpu_info:vendor', 'AMD'],
  ['hypervisor_type', 'QEMU'],
  ['disk_allocation_ratio', '1.0'],
  ['cpu_allocation_ratio', '16.0'],
  ['failed_builds', '0'],
  ['capabilities:stats:gpu', 'a100'],
  ['trust:trusted_host', 'true'],
  ['capabilities:stats', "{'gpu': 'a100'}"],
  ['num_instances', '<= 0'],
] as const;

const capabilityCase: fc.Arbitrary<Case> = fc.record({
  filter: fc.constant('ComputeCapabilitiesFilter'),
  host: fc.record({
    host: fc.constant('h1'),
    node: fc.constant('n1'),
    stats: entriesOf([
      ['gpu', 'a100'],
      ['hypervisor_type', 'QEMU'],
      ['failed_builds', '2'],
    ] as const),
    free_ram_mb: fc.constantFrom(0, 512, 1024),
    vcpus_used: fc.constantFrom(0, 4),
    hypervisor_type: fc.constantFrom(null, 'QEMU', 'xen'),
    cpu_info: fc.constantFrom(null, CPU_INFO, 'not json'),
    cpu_allocation_ratio: fc.constant(16),
    disk_allocation_ratio: fc.constantFrom(1, 1.5),
  }),
  spec: fc.record({ extra_specs: entriesOf(CAPABILITY_SPECS) }),
});

/** Valid values (nova Zed accepts them, canonicalising some). */
const IMAGE_PROPS = [
  ['hw_architecture', fc.constantFrom('x86_64', 'aarch64', 'AMD64', 'i386')],
  ['architecture', fc.constantFrom('x86_64', 'aarch64', 'x86_32')],
  ['img_hv_type', fc.constantFrom('kvm', 'QEMU', 'xapi')],
  ['hypervisor_type', fc.constantFrom('qemu', 'xen', 'vz')],
  ['hw_vm_mode', fc.constantFrom('hvm', 'pv', 'HV')],
  ['vm_mode', fc.constantFrom('xen', 'baremetal')],
  ['img_hv_requested_version', fc.constantFrom('>=6.0', '>=6.0,<6.2', '>=7')],
  ['hypervisor_version_requires', fc.constantFrom('<6.0.1', '>=5.0')],
  ['hw_disk_bus', fc.constantFrom('virtio', 'scsi')],
] as const;

/** Values nova Zed refuses while building the ImageMeta (the request fails). */
const BAD_IMAGE_PROPS = [
  ['hw_architecture', 'bogus'],
  ['architecture', 'sparc9'],
  ['img_hv_type', 'hyperkit'],
  ['hypervisor_type', 'virtuozzo'],
  ['hw_vm_mode', 'paravirt'],
  ['img_hv_requested_version', '6.0'],
  ['hw_disk_bus', 'nvme'],
] as const;

const imageProps: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.tuple(
      ...IMAGE_PROPS.map(([name, value]) =>
        fc.option(
          value.map((v): [string, string] => [name, v]),
          { nil: undefined, freq: 2 },
        ),
      ),
    ),
    // One bad value in about one case of eight.
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 7 },
      { arbitrary: fc.constantFrom(...BAD_IMAGE_PROPS), weight: 1 },
    ),
  )
  .map(([entries, bad]) => {
    const out: Record<string, string> = {};
    for (const e of entries) if (e !== undefined) out[e[0]] = e[1];
    if (bad !== undefined) out[bad[0]] = bad[1];
    return out;
  });

const imageCase: fc.Arbitrary<Case> = fc.record({
  filter: fc.constant('ImagePropertiesFilter'),
  host: fc.record({
    host: fc.constant('h1'),
    node: fc.constant('n1'),
    supported_instances: fc.subarray<SupportedInstance>([
      ['x86_64', 'kvm', 'hvm'],
      ['aarch64', 'qemu', 'hvm'],
      ['i686', 'xen', 'xen'],
    ]),
    hypervisor_version: fc.constantFrom(null, 6_000_000, 5000, 6_002_001),
  }),
  spec: fc.record({ image_properties: imageProps }),
});

const aipiCase: fc.Arbitrary<Case> = fc.record({
  filter: fc.constant('AggregateImagePropertiesIsolation'),
  host: fc.record({
    host: fc.constant('h1'),
    node: fc.constant('n1'),
    aggregates: fc.array(
      entriesOf([
        ['hw_vm_mode', 'hvm,xen'],
        ['os_distro', 'linux'],
        ['hw_cpu_cores', '2'],
        ['ssd', 'true'],
        ['architecture', 'x86_64'],
        ['hw_architecture', 'x86_64'],
        ['hw_qemu_guest_agent', 'True'],
        ['img_owner_id', 'p1'],
        ['img_use_agent', 'False'],
        ['hw_video_ram', '64'],
      ] as const),
      { maxLength: 2 },
    ),
  }),
  spec: fc.record({
    image_properties: fc
      .tuple(
        fc.option(
          fc.constantFrom(['hw_vm_mode', 'hvm'], ['hw_vm_mode', 'uml'], ['vm_mode', 'xen']),
        ),
        fc.option(fc.constantFrom(['os_distro', 'linux'], ['os_distro', 'windows'])),
        fc.option(fc.constantFrom(['hw_cpu_cores', '02'], ['hw_cpu_cores', '1'])),
        fc.option(fc.constantFrom(['ssd', 'false'], ['ssd', 'true'])),
        fc.option(fc.constantFrom(['architecture', 'AMD64'], ['architecture', 'aarch64'])),
        fc.option(fc.constantFrom(['hw_qemu_guest_agent', 'yes'], ['hw_qemu_guest_agent', 'no'])),
        fc.option(fc.constantFrom(['owner_id', 'p1'], ['img_owner_id', 'p2'])),
        fc.option(fc.constantFrom(['img_use_agent', 'no'], ['xenapi_use_agent', 'true'])),
        fc.option(fc.constantFrom(['hw_video_ram', '064'], ['hw_video_ram', '128'])),
      )
      .map((entries) => {
        const out: Record<string, string> = {};
        for (const e of entries) if (e !== null) out[e[0]] = e[1];
        return out;
      }),
  }),
});

const JSON_QUERIES = [
  ['>=', '$free_ram_mb', 512],
  ['<', '$stats.x', 5],
  ['=', '$stats.x', '5'],
  ['and', ['>', '$free_ram_mb', 100], ['not', '$stats.y']],
  ['in', '$stats.x', '5', '6'],
  ['=', '$cpu_info.vendor', 'Intel'],
  ['!=', 1, 2],
  ['>', '$free_ram_mb', '100'],
  ['or', ['<', '$free_ram_mb', 10], ['=', '$host', 'h1']],
  ['<=', '$stats', '$stats'],
  ['=', 1, true],
  ['<', '$stats', 1],
  ['in', '$free_ram_mb', '256', 256],
  ['<', '$free_ram_mb', 2.5],
  ['>', '$cpu_info', 'a'],
  ['<', '$host', 5],
  ['not'],
  [],
];

const jsonCase: fc.Arbitrary<Case> = fc.record({
  filter: fc.constant('JsonFilter'),
  host: fc.record({
    host: fc.constantFrom('h1', 'h2'),
    node: fc.constant('n1'),
    free_ram_mb: fc.constantFrom(0, 256, 1024),
    stats: entriesOf([
      ['x', '5'],
      ['y', 'yes'],
    ] as const),
    cpu_info: fc.constantFrom(null, CPU_INFO),
  }),
  spec: fc.constantFrom(...JSON_QUERIES).map((q) => ({ hints: { query: [JSON.stringify(q)] } })),
});

const affinityCase: fc.Arbitrary<Case> = fc.record({
  filter: fc.constantFrom('SameHostFilter', 'DifferentHostFilter'),
  host: baseHost,
  spec: fc.record({
    hints: fc.constantFrom(
      {},
      { same_host: ['a'] },
      { same_host: ['a', 'x'] },
      { same_host: ['x'] },
      { different_host: ['a'] },
      { different_host: ['x', 'b'] },
    ),
  }),
});

const groupCase: fc.Arbitrary<Case> = fc.record({
  filter: fc.constantFrom('ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter'),
  host: baseHost,
  // nova always schedules with the RequestSpec's instance_uuid set (it raises otherwise).
  spec: fc.record({
    group: groupArb,
    instance_uuid: fc.constantFrom('me', 'new'),
    placed: fc.subarray([
      { host: 'h1', node: 'n1', uuid: 'p0' },
      { host: 'h1', node: 'n2', uuid: 'p1' },
      { host: 'h2', node: 'n1', uuid: 'p2' },
      { host: 'h1', node: 'n1', uuid: 'p3' },
    ]),
  }),
});

function zedFilter(name: string, conf: Conf): HostFilter {
  const zed = { novaVersion: 'zed' } as const;
  switch (name) {
    case 'SameHostFilter':
      return createSameHostFilter(zed);
    case 'DifferentHostFilter':
      return createDifferentHostFilter();
    case 'ServerGroupAntiAffinityFilter':
      return createServerGroupAntiAffinityFilter(zed);
    case 'ServerGroupAffinityFilter':
      return createServerGroupAffinityFilter();
    case 'ComputeCapabilitiesFilter':
      return createComputeCapabilitiesFilter(zed);
    case 'ImagePropertiesFilter':
      return createImagePropertiesFilter({
        ...zed,
        defaultArchitecture: conf.image_properties_default_architecture ?? null,
      });
    case 'AggregateImagePropertiesIsolation':
      return createAggregateImagePropertiesIsolationFilter({
        ...zed,
        namespace: conf.aggregate_image_properties_isolation_namespace ?? null,
        separator: conf.aggregate_image_properties_isolation_separator ?? '.',
      });
    case 'JsonFilter':
      return createJsonFilter(zed);
    default:
      throw new Error(`no such filter ${name}`);
  }
}

const RUNS: { name: string; conf: Conf; cases: fc.Arbitrary<Case> }[] = [
  { name: 'SameHostFilter and DifferentHostFilter', conf: {}, cases: affinityCase },
  { name: 'server-group filters', conf: {}, cases: groupCase },
  { name: 'ComputeCapabilitiesFilter', conf: {}, cases: capabilityCase },
  { name: 'ImagePropertiesFilter', conf: {}, cases: imageCase },
  {
    name: 'ImagePropertiesFilter with image_properties_default_architecture = x86_64',
    conf: { image_properties_default_architecture: 'x86_64' },
    cases: imageCase,
  },
  { name: 'AggregateImagePropertiesIsolation', conf: {}, cases: aipiCase },
  {
    name: 'AggregateImagePropertiesIsolation in the hw namespace (separator _)',
    conf: {
      aggregate_image_properties_isolation_namespace: 'hw',
      aggregate_image_properties_isolation_separator: '_',
    },
    cases: aipiCase,
  },
  { name: 'JsonFilter', conf: {}, cases: jsonCase },
];

describe("opie filters under nova_version = zed give nova Zed's answers (python3-nova)", () => {
  for (const run of RUNS) {
    it(
      run.name,
      () => {
        const cases = fc.sample(run.cases, { numRuns: 400, seed: 26 });
        const nova = askNova(run.conf, cases).map(novaTerms);
        const opie = cases.map((c) => askOpie(zedFilter(c.filter, run.conf), c));
        const differing = cases
          .map((c, i) => ({ case: c, nova: nova[i], opie: opie[i] }))
          .filter((d) => d.nova !== d.opie);
        expect(differing).toEqual([]);
        // Both answers occur, so the cases exercise the rule.
        expect(new Set(nova).size).toBeGreaterThan(1);
      },
      180_000,
    );
  }
});
