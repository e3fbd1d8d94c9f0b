import type { InputIssue } from '@opie/core';
import { InvalidInputError, isPreemptibleInstance } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { parseCloud } from './parse-cloud.js';

const NOW = '2024-03-05T12:00:00Z';
const NOW_MS = Date.UTC(2024, 2, 5, 12);

const node = (host: string, extra: Record<string, unknown> = {}) => ({
  host,
  memory_mb: 16384,
  local_gb: 200,
  vcpus: 8,
  ...extra,
});

const FLAVORS = [
  { id: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1 },
  { id: 2, name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, swap: 512 },
];

function issuesOf(json: unknown, source?: string): InputIssue[] {
  try {
    parseCloud(json, source === undefined ? {} : { source });
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return [...(e as InvalidInputError).issues];
  }
  throw new Error('expected the cloud to be rejected');
}

describe('parseCloud: nodes', () => {
  it('fills defaults and derives usage from the reservations alone', () => {
    const cloud = parseCloud({ now: NOW, nodes: [node('c1')] });
    expect(cloud.now).toBe(NOW_MS);
    expect(cloud.nodes).toEqual([
      {
        host: 'c1',
        hypervisorHostname: 'c1',
        memoryMb: 16384,
        freeRamMb: 16384 - 512,
        localGb: 200,
        localGbUsed: 0,
        freeDiskGb: 200,
        vcpus: 8,
        vcpusUsed: 0,
        stats: { num_instances: '0', io_workload: '0' },
        metrics: [],
        supportedInstances: [],
      },
    ]);
    expect(cloud).toMatchObject({ flavors: [], images: [], aggregates: [], instances: [] });
    expect(cloud.warnings).toEqual([]);
  });

  it('derives usage from the instances on each node (numbers by hand)', () => {
    const cloud = parseCloud({
      now: NOW,
      defaults: { reserved_host_memory_mb: 1024, reserved_host_disk_mb: 10240 },
      flavors: FLAVORS,
      nodes: [node('c1'), node('c2')],
      instances: [
        { uuid: 'a', host: 'c1', flavor: 'm1.small' },
        { uuid: 'b', host: 'c1', flavor: '1', preemptible: true, created_at: NOW },
        { uuid: 'c', host: 'c1', memory_mb: 4096, vcpus: 2, root_gb: 40, ephemeral_gb: 10 },
        { uuid: 'd', host: 'c2', flavor: 'm1.tiny', vm_state: 'building' },
      ],
    });
    const [c1, c2] = cloud.nodes;
    // memory: 1024 reserved + 2048 + 512 + 4096 = 7680 used; 16384 - 7680 = 8704
    expect(c1!.freeRamMb).toBe(8704);
    // disk: 10240 MB // 1024 = 10 reserved + 20 + 1 + (40 + 10) = 81
    expect(c1!.localGbUsed).toBe(81);
    expect(c1!.freeDiskGb).toBe(119);
    expect(c1!.vcpusUsed).toBe(4);
    expect(c1!.stats).toEqual({
      num_instances: '3',
      io_workload: '0',
      num_vm_active: '3',
      num_task_None: '3',
    });
    expect(c2!.freeRamMb).toBe(16384 - 1024 - 512);
    expect(c2!.stats).toMatchObject({ num_instances: '1', io_workload: '1', num_vm_building: '1' });
  });

  it('lets given usage fields win over derivation, field by field', () => {
    const cloud = parseCloud({
      now: NOW,
      flavors: FLAVORS,
      nodes: [
        node('c1', {
          free_ram_mb: -100,
          local_gb_used: 50,
          vcpus_used: 7,
          stats: { io_workload: 4, x: 'y' },
        }),
        node('c2', { memory_mb_used: 1000, free_disk_gb: 30, running_vms: 9, current_workload: 2 }),
        node('c3', { local_gb_used: 10, free_disk_gb: 5 }),
      ],
      instances: [{ uuid: 'a', host: 'c1', flavor: 'm1.small' }],
    });
    const [c1, c2, c3] = cloud.nodes;
    expect(c1).toMatchObject({ freeRamMb: -100, localGbUsed: 50, freeDiskGb: 150, vcpusUsed: 7 });
    expect(c1!.stats).toEqual({
      num_instances: '1',
      io_workload: '4',
      num_vm_active: '1',
      num_task_None: '1',
      x: 'y',
    });
    expect(c2).toMatchObject({ freeRamMb: 15384, localGbUsed: 170, freeDiskGb: 30 });
    expect(c2!.stats).toMatchObject({ num_instances: '9', io_workload: '2' });
    expect(c3).toMatchObject({ localGbUsed: 10, freeDiskGb: 5 });
  });

  it('converts the descriptive fields', () => {
    const cloud = parseCloud({
      now: NOW,
      nodes: [
        node('c1', {
          hypervisor_hostname: 'c1.example.org',
          disk_available_least: null,
          metrics: [
            {
              name: 'cpu.percent',
              value: 0.25,
              timestamp: '2024-03-05T11:59:00Z',
              source: 'libvirt',
            },
            { name: 'cpu.frequency', value: 2400 },
          ],
          host_ip: '10.0.0.1',
          hypervisor_type: 'QEMU',
          hypervisor_version: 6002000,
          cpu_info: { arch: 'x86_64', features: ['sse4.2'] },
          supported_instances: [['x86_64', 'kvm', 'hvm']],
          cpu_allocation_ratio: 4,
          ram_allocation_ratio: 1.0,
          disk_allocation_ratio: 0,
          updated_at: 1709639940000,
        }),
        node('c2', { cpu_info: '{"arch": "aarch64"}', disk_available_least: -3 }),
      ],
    });
    expect(cloud.nodes[0]).toMatchObject({
      hypervisorHostname: 'c1.example.org',
      diskAvailableLeast: null,
      metrics: [
        { name: 'cpu.percent', value: 0.25, timestamp: NOW_MS - 60_000, source: 'libvirt' },
        { name: 'cpu.frequency', value: 2400 },
      ],
      hostIp: '10.0.0.1',
      hypervisorType: 'QEMU',
      hypervisorVersion: 6002000,
      cpuInfo: '{"arch":"x86_64","features":["sse4.2"]}',
      supportedInstances: [['x86_64', 'kvm', 'hvm']],
      cpuAllocationRatio: 4,
      ramAllocationRatio: 1,
      diskAllocationRatio: 0,
      updatedAt: NOW_MS - 60_000,
    });
    expect(cloud.nodes[1]).toMatchObject({
      cpuInfo: '{"arch": "aarch64"}',
      diskAvailableLeast: -3,
    });
  });

  it('accepts $schema, x- and _comment keys anywhere', () => {
    const cloud = parseCloud({
      $schema: './cloud.schema.json',
      _comment: 'test',
      'x-owner': 'ops',
      nodes: [node('c1', { 'x-rack': 'A1', _comment_2: 'spare' })],
      now: NOW,
    });
    expect(cloud.nodes).toHaveLength(1);
  });
});

describe('parseCloud: instances', () => {
  const base = { now: NOW, flavors: FLAVORS, nodes: [node('c1')] };

  it('takes sizes from a flavor referenced by id or name, and records its id', () => {
    const cloud = parseCloud({
      ...base,
      instances: [
        { uuid: 'a', host: 'c1', flavor: 2, project_id: 'p', priority: 5 },
        { uuid: 'b', host: 'c1', flavor: 'm1.tiny', vm_state: 'stopped', task_state: null },
      ],
    });
    expect(cloud.instances).toEqual([
      {
        uuid: 'a',
        host: 'c1',
        node: 'c1',
        memoryMb: 2048,
        vcpus: 1,
        rootGb: 20,
        ephemeralGb: 0,
        swap: 512,
        instanceTypeId: '2',
        projectId: 'p',
        priority: 5,
        systemMetadata: {},
        createdAt: NOW_MS,
        preemptible: false,
      },
      {
        uuid: 'b',
        host: 'c1',
        node: 'c1',
        memoryMb: 512,
        vcpus: 1,
        rootGb: 1,
        ephemeralGb: 0,
        swap: 0,
        instanceTypeId: '1',
        vmState: 'stopped',
        taskState: null,
        systemMetadata: {},
        createdAt: NOW_MS,
        preemptible: false,
      },
    ]);
  });

  it('takes inline sizes (ephemeral and swap default to 0) and keeps system metadata', () => {
    const cloud = parseCloud({
      ...base,
      instances: [
        { uuid: 'a', host: 'c1', memory_mb: 100, vcpus: 1, root_gb: 0, system_metadata: { k: 1 } },
      ],
    });
    expect(cloud.instances[0]).toMatchObject({
      memoryMb: 100,
      vcpus: 1,
      rootGb: 0,
      ephemeralGb: 0,
      swap: 0,
      systemMetadata: { k: '1' },
    });
    expect(cloud.instances[0]!.instanceTypeId).toBeUndefined();
  });

  it('defaults created_at to now, or to 0 without a now', () => {
    const withNow = parseCloud({
      ...base,
      instances: [{ uuid: 'a', host: 'c1', flavor: 'm1.tiny' }],
    });
    expect(withNow.instances[0]!.createdAt).toBe(NOW_MS);
    const { now: _now, ...noNow } = base;
    const without = parseCloud({
      ...noNow,
      instances: [{ uuid: 'a', host: 'c1', flavor: 'm1.tiny' }],
    });
    expect(without.instances[0]!.createdAt).toBe(0);
  });

  it("places an instance without node on its host's only node", () => {
    const cloud = parseCloud({
      ...base,
      nodes: [
        node('c1', { hypervisor_hostname: 'c1-node' }),
        node('c2', { hypervisor_hostname: 'a' }),
        node('c2', { hypervisor_hostname: 'b' }),
      ],
      instances: [
        { uuid: 'a', host: 'c1', flavor: 'm1.tiny' },
        { uuid: 'b', host: 'c2', node: 'b', flavor: 'm1.tiny' },
      ],
    });
    expect(cloud.instances.map((i) => i.node)).toEqual(['c1-node', 'b']);
    expect(cloud.nodes.map((n) => n.stats?.['num_instances'])).toEqual(['1', '0', '1']);
  });

  it('marks preemptible instances in both places', () => {
    const cloud = parseCloud({
      ...base,
      instances: [
        { uuid: 'a', host: 'c1', flavor: 'm1.tiny', preemptible: true, created_at: NOW },
        { uuid: 'b', host: 'c1', flavor: 'm1.tiny', preemptible: 'yes', created_at: NOW },
        {
          uuid: 'c',
          host: 'c1',
          flavor: 'm1.tiny',
          system_metadata: { preemptible: 'true' },
          created_at: 0,
        },
        {
          uuid: 'd',
          host: 'c1',
          flavor: 'm1.tiny',
          preemptible: 'false',
          system_metadata: { preemptible: 'False', a: 'b' },
        },
        {
          uuid: 'e',
          host: 'c1',
          flavor: 'm1.tiny',
          preemptible: 'True',
          system_metadata: { preemptible: '1' },
          created_at: NOW,
        },
      ],
    });
    const marks = cloud.instances.map((i) => [i.preemptible, i.systemMetadata['preemptible']]);
    expect(marks).toEqual([
      [true, 'True'],
      [true, 'True'],
      [true, 'True'],
      [false, undefined],
      [true, 'True'],
    ]);
    expect(cloud.instances[3]!.systemMetadata).toEqual({ a: 'b' });
    expect(cloud.instances.map(isPreemptibleInstance)).toEqual([true, true, true, false, true]);
  });

  it('rejects preemptible values other than nova booleans ("false" is false, "maybe" is an error)', () => {
    expect(
      issuesOf({
        ...base,
        instances: [
          { uuid: 'a', host: 'c1', flavor: 'm1.tiny', preemptible: 'maybe' },
          { uuid: 'b', host: 'c1', flavor: 'm1.tiny', system_metadata: { preemptible: 'maybe' } },
          {
            uuid: 'c',
            host: 'c1',
            flavor: 'm1.tiny',
            preemptible: false,
            system_metadata: { preemptible: 'True' },
          },
        ],
      }),
    ).toEqual([
      {
        path: '$.instances[0].preemptible',
        message: 'expected a boolean (true/false, 1/0, on/off or yes/no), got the string "maybe"',
      },
      {
        path: '$.instances[1].system_metadata.preemptible',
        message: 'expected a boolean (true/false, 1/0, on/off or yes/no), got the string "maybe"',
      },
      {
        path: '$.instances[2].preemptible',
        message: 'preemptible is false but system_metadata.preemptible is "True"; give one of them',
      },
    ]);
  });

  it('requires created_at on preemptible instances', () => {
    expect(
      issuesOf({
        ...base,
        instances: [{ uuid: 'a', host: 'c1', flavor: 'm1.tiny', preemptible: true }],
      }),
    ).toEqual([
      {
        path: '$.instances[0].created_at',
        message:
          'missing: preemptible instances need created_at (an ISO 8601 time or epoch milliseconds); the duration weigher reads it',
      },
    ]);
  });

  it('reports duplicate uuids, unknown nodes and flavors, and ambiguous sizes', () => {
    const issues = issuesOf({
      ...base,
      nodes: [
        node('c1'),
        node('c2', { hypervisor_hostname: 'n1' }),
        node('c2', { hypervisor_hostname: 'n2' }),
      ],
      instances: [
        { uuid: 'a', host: 'c1', flavor: 'm1.tiny' },
        { uuid: 'a', host: 'c1', flavor: 'm1.tiny' },
        { uuid: 'b', host: 'c9', flavor: 'm1.tiny' },
        { uuid: 'c', host: 'c1', node: 'c1-x', flavor: 'm1.tiny' },
        { uuid: 'd', host: 'c2', flavor: 'm1.tiny' },
        { uuid: 'e', host: 'c1', flavor: 'm1.smal' },
        { uuid: 'f', host: 'c1', flavor: 'm1.small', memory_mb: 2048, vcpus: 1 },
        { uuid: 'g', host: 'c1' },
        { uuid: 'h', host: 'c1', memory_mb: 2048 },
        { uuid: 'i', host: 'c8', node: 'x', flavor: 'm1.tiny' },
      ],
    });
    expect(issues).toEqual([
      {
        path: '$.instances[1].uuid',
        message:
          'duplicate instance uuid "a" (also $.instances[0]); give each instance its own uuid',
      },
      {
        path: '$.instances[2].host',
        message:
          'instance on an unknown node: no node in $.nodes has host "c9". Did you mean "c1" or "c2"?',
      },
      {
        path: '$.instances[3].node',
        message: 'instance on an unknown node: host "c1" has no node "c1-x"; its nodes: "c1".',
      },
      {
        path: '$.instances[4].node',
        message: 'missing: host "c2" has 2 nodes ("n1", "n2"); give the node',
      },
      {
        path: '$.instances[5].flavor',
        message:
          'unknown flavor "m1.smal" (no flavor has this id or name). Did you mean "m1.small"? Known flavors: "m1.tiny", "m1.small"',
      },
      {
        path: '$.instances[6]',
        message:
          'flavor given both by reference ("m1.small") and by inline sizes (memory_mb, vcpus); give one or the other',
      },
      {
        path: '$.instances[7]',
        message:
          'no flavor: give "flavor" (a name or id from $.flavors) or the sizes memory_mb, vcpus and root_gb',
      },
      {
        path: '$.instances[8].vcpus',
        message: 'missing: give a number of vCPUs (or give "flavor" instead of inline sizes)',
      },
      {
        path: '$.instances[8].root_gb',
        message: 'missing: give a number of GB (or give "flavor" instead of inline sizes)',
      },
      {
        path: '$.instances[9].host',
        message:
          'instance on an unknown node: no node in $.nodes has host "c8". Did you mean "c1" or "c2"?',
      },
    ]);
  });

  it('explains an unknown flavor when there are no flavors', () => {
    expect(
      issuesOf({
        now: NOW,
        nodes: [node('c1')],
        instances: [{ uuid: 'a', host: 'c1', flavor: 'x' }],
      }),
    ).toEqual([
      {
        path: '$.instances[0].flavor',
        message:
          'unknown flavor "x" (no flavor has this id or name). "flavors" is empty: list the flavor there or give memory_mb, vcpus and root_gb',
      },
    ]);
  });
});

describe('parseCloud: services', () => {
  it('creates an up nova-compute service per node host, seen at now', () => {
    const cloud = parseCloud({
      now: NOW,
      nodes: [node('c1'), node('c1', { hypervisor_hostname: 'b' }), node('c2')],
    });
    expect(cloud.services).toEqual([
      {
        host: 'c1',
        binary: 'nova-compute',
        disabled: false,
        forcedDown: false,
        lastSeenUp: NOW_MS,
      },
      {
        host: 'c2',
        binary: 'nova-compute',
        disabled: false,
        forcedDown: false,
        lastSeenUp: NOW_MS,
      },
    ]);
  });

  it("without now, uses the latest updated_at of the host's nodes, else warns", () => {
    const cloud = parseCloud({
      nodes: [
        node('c1', { updated_at: '2024-03-05T11:00:00Z' }),
        node('c1', { hypervisor_hostname: 'b', updated_at: '2024-03-05T11:30:00Z' }),
        node('c2'),
      ],
    });
    expect(cloud.now).toBeUndefined();
    expect(cloud.services[0]!.lastSeenUp).toBe(NOW_MS - 30 * 60_000);
    expect(cloud.services[1]!.lastSeenUp).toBeUndefined();
    expect(cloud.warnings).toEqual([
      '$.services: the nova-compute services of "c2" have no heartbeat (no "now" in the file, no last_seen_up/updated_at/created_at): ComputeFilter counts them as down; give "now" or the services\' last_seen_up',
    ]);
  });

  it('keeps listed services and fills a missing heartbeat with now', () => {
    const cloud = parseCloud({
      now: NOW,
      nodes: [node('c1'), node('c2'), node('c3')],
      services: [
        {
          host: 'c1',
          disabled: true,
          disabled_reason: 'maintenance',
          updated_at: '2024-03-05T11:59:00Z',
        },
        { host: 'c2', forced_down: true },
        { host: 'c2', binary: 'nova-conductor', last_seen_up: 0, created_at: 0 },
      ],
    });
    expect(cloud.services).toEqual([
      {
        host: 'c1',
        binary: 'nova-compute',
        disabled: true,
        disabledReason: 'maintenance',
        forcedDown: false,
        updatedAt: NOW_MS - 60_000,
      },
      { host: 'c2', binary: 'nova-compute', disabled: false, forcedDown: true, lastSeenUp: NOW_MS },
      {
        host: 'c2',
        binary: 'nova-conductor',
        disabled: false,
        forcedDown: false,
        lastSeenUp: 0,
        createdAt: 0,
      },
      {
        host: 'c3',
        binary: 'nova-compute',
        disabled: false,
        forcedDown: false,
        lastSeenUp: NOW_MS,
      },
    ]);
  });

  it('warns about a listed service without heartbeat when there is no now', () => {
    const cloud = parseCloud({ nodes: [node('c1')], services: [{ host: 'c1' }] });
    expect(cloud.warnings).toHaveLength(1);
    expect(cloud.warnings[0]).toMatch(
      /^\$\.services: the nova-compute services of "c1" have no heartbeat/,
    );
  });

  it('reports duplicate services and warns about services without a node', () => {
    const cloud = { now: NOW, nodes: [node('c1')], services: [{ host: 'c1' }, { host: 'c1' }] };
    expect(issuesOf(cloud)).toEqual([
      {
        path: '$.services[1]',
        message:
          'duplicate service (host "c1", binary "nova-compute"), also $.services[0]; list each service once',
      },
    ]);
    const ok = parseCloud({ now: NOW, nodes: [node('c1')], services: [{ host: 'c2' }] });
    expect(ok.warnings).toEqual([
      '$.services[0].host: no compute node has host "c2"; this service matches nothing. Did you mean "c1"?',
    ]);
  });
});

describe('parseCloud: aggregates', () => {
  it('converts metadata, the availability_zone shorthand and default ids', () => {
    const cloud = parseCloud({
      now: NOW,
      nodes: [node('c1'), node('c2')],
      aggregates: [
        {
          id: 7,
          name: 'rack-a',
          hosts: ['c1'],
          availability_zone: 'az1',
          metadata: { cpu_allocation_ratio: 2.0, ssd: true },
        },
        {
          name: 'gpu',
          hosts: ['c2'],
          metadata: { availability_zone: 'az2' },
          availability_zone: 'az2',
        },
      ],
    });
    expect(cloud.aggregates).toEqual([
      {
        id: 7,
        name: 'rack-a',
        hosts: ['c1'],
        metadata: { cpu_allocation_ratio: '2', ssd: 'True', availability_zone: 'az1' },
      },
      { id: 2, name: 'gpu', hosts: ['c2'], metadata: { availability_zone: 'az2' } },
    ]);
  });

  it('warns about hosts without a node and repeated hosts (not errors)', () => {
    const cloud = parseCloud({
      now: NOW,
      nodes: [node('compute1')],
      aggregates: [{ id: 1, name: 'a', hosts: ['compute1', 'compute9', 'compute1'] }],
    });
    expect(cloud.aggregates[0]!.hosts).toEqual(['compute1', 'compute9']);
    expect(cloud.warnings).toEqual([
      '$.aggregates[0].hosts[1]: no compute node has host "compute9"; the entry matches nothing. Did you mean "compute1"?',
      '$.aggregates[0].hosts[2]: host "compute1" is listed twice; the repeat is ignored',
    ]);
  });

  it('reports duplicate ids and conflicting zones', () => {
    expect(
      issuesOf({
        now: NOW,
        nodes: [node('c1')],
        aggregates: [
          { id: 1, name: 'a' },
          { id: '1', name: 'b', availability_zone: 'az1', metadata: { availability_zone: 'az2' } },
        ],
      }),
    ).toEqual([
      {
        path: '$.aggregates[1].id',
        message:
          'duplicate aggregate id "1" (also $.aggregates[0]); give each aggregate its own id',
      },
      {
        path: '$.aggregates[1].availability_zone',
        message: '"az1" conflicts with metadata.availability_zone "az2"; give the zone once',
      },
    ]);
  });
});

describe('parseCloud: flavors and images', () => {
  it('converts flavors (ids become strings, extra specs strings) and images', () => {
    const cloud = parseCloud({
      now: NOW,
      nodes: [],
      flavors: [
        {
          id: 5,
          name: 'gpu',
          memory_mb: 1024,
          vcpus: 2,
          root_gb: 10,
          ephemeral_gb: 5,
          extra_specs: { 'pci_passthrough:alias': 'a:1', n: 2 },
        },
      ],
      images: [
        {
          id: 'img',
          name: 'cirros',
          properties: { architecture: 'x86_64', hw_rng: true },
          min_ram: 64,
          size: 1000,
        },
        { id: 'noname' },
      ],
    });
    expect(cloud.flavors).toEqual([
      {
        id: '5',
        flavorid: '5',
        name: 'gpu',
        memoryMb: 1024,
        vcpus: 2,
        rootGb: 10,
        ephemeralGb: 5,
        swap: 0,
        extraSpecs: { 'pci_passthrough:alias': 'a:1', n: '2' },
      },
    ]);
    expect(cloud.images).toEqual([
      {
        id: 'img',
        name: 'cirros',
        properties: { architecture: 'x86_64', hw_rng: 'True' },
        minRam: 64,
        minDisk: 0,
      },
      { id: 'noname', properties: {}, minRam: 0, minDisk: 0 },
    ]);
  });

  it('reports duplicate flavor ids and names and duplicate image ids', () => {
    expect(
      issuesOf({
        now: NOW,
        nodes: [],
        flavors: [
          { id: 1, name: 'a', memory_mb: 1, vcpus: 1, root_gb: 0 },
          { id: '1', name: 'b', memory_mb: 1, vcpus: 1, root_gb: 0 },
          { id: 2, name: 'a', memory_mb: 1, vcpus: 1, root_gb: 0 },
        ],
        images: [{ id: 'i' }, { id: 'i' }],
      }),
    ).toEqual([
      {
        path: '$.flavors[1].id',
        message: 'duplicate flavor id "1" (also $.flavors[0]); give each flavor its own id',
      },
      {
        path: '$.flavors[2].name',
        message: 'duplicate flavor name "a" (also $.flavors[0]); give each flavor its own name',
      },
      {
        path: '$.images[1].id',
        message: 'duplicate image id "i" (also $.images[0]); give each image its own id',
      },
    ]);
  });
});

describe('parseCloud: validation errors', () => {
  it('reports a wrong type with what would fix it', () => {
    expect(issuesOf({ nodes: [node('c1', { memory_mb: '4G' })] })).toEqual([
      {
        path: '$.nodes[0].memory_mb',
        message: 'expected a number of MB, got the string "4G" (write 4096)',
      },
    ]);
  });

  it('reports missing fields', () => {
    expect(issuesOf({})).toEqual([
      { path: '$.nodes', message: 'missing: give a list of compute nodes' },
    ]);
    expect(issuesOf({ nodes: [{ memory_mb: 1, local_gb: 1 }] })).toEqual([
      { path: '$.nodes[0].host', message: 'missing: give a host name' },
      { path: '$.nodes[0].vcpus', message: 'missing: give a number of vCPUs' },
    ]);
  });

  it('reports unknown keys with a suggestion', () => {
    expect(issuesOf({ nodes: [node('c1', { memoryMb: 1, free_ram: 1 })], flavours: [] })).toEqual([
      {
        path: '$.nodes[0].free_ram',
        message: 'unknown key "free_ram". Did you mean "free_ram_mb"?',
      },
      { path: '$.nodes[0].memoryMb', message: 'unknown key "memoryMb". Did you mean "memory_mb"?' },
      { path: '$.flavours', message: 'unknown key "flavours". Did you mean "flavors"?' },
    ]);
  });

  it('reports bad times', () => {
    expect(
      issuesOf({ now: 'noon', nodes: [node('c1', { updated_at: '2024-02-30T00:00:00Z' })] }).map(
        (i) => i.path,
      ),
    ).toEqual(['$.now', '$.nodes[0].updated_at']);
    expect(issuesOf({ now: 'noon', nodes: [] })[0]!.message).toBe(
      'expected an ISO 8601 time (e.g. "2024-03-05T12:00:00Z") or epoch milliseconds, got the string "noon"',
    );
  });

  it('reports a document that is not an object', () => {
    expect(issuesOf([])).toEqual([
      { path: '$', message: 'expected a cloud document (a JSON object), got an array' },
    ]);
  });

  it('reports duplicate nodes', () => {
    expect(issuesOf({ nodes: [node('c1'), node('c1', { hypervisor_hostname: 'c1' })] })).toEqual([
      {
        path: '$.nodes[1]',
        message:
          'duplicate node (host "c1", hypervisor_hostname "c1"), also $.nodes[0]; give each node its own hypervisor_hostname',
      },
    ]);
  });

  it('collects every problem into one error named after its source', () => {
    let error: unknown;
    try {
      parseCloud(
        {
          now: NOW,
          flavors: FLAVORS,
          nodes: [node('c1', { vcpus: -1 }), node('c2')],
          instances: [
            { uuid: 'a', host: 'c2', flavor: 'm1.tiny' },
            { uuid: 'a', host: 'c2', flavor: 'm1.tiny' },
            { uuid: 'b', host: 'c2', flavor: 'm1.tiny', created_at: 'x' },
          ],
        },
        { source: 'cloud file examples/cloud.json' },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const err = error as InvalidInputError;
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.source).toBe('cloud file examples/cloud.json');
    expect(err.issues.map((i) => i.path)).toEqual([
      '$.nodes[0].vcpus',
      '$.instances[1].uuid',
      '$.instances[2].created_at',
    ]);
    expect(err.message).toBe(
      [
        'Invalid cloud file examples/cloud.json:',
        '  - $.nodes[0].vcpus: expected at least 0 vCPUs, got the number -1',
        '  - $.instances[1].uuid: duplicate instance uuid "a" (also $.instances[0]); give each instance its own uuid',
        '  - $.instances[2].created_at: expected an ISO 8601 time (e.g. "2024-03-05T12:00:00Z") or epoch milliseconds, got the string "x"',
      ].join('\n'),
    );
  });

  it('skips reference checks against a list that has invalid entries', () => {
    // nodes[0] is invalid, so "c1" may exist: no "unknown node" noise.
    expect(
      issuesOf({
        now: NOW,
        flavors: FLAVORS,
        nodes: [node('c1', { vcpus: 'x' })],
        instances: [{ uuid: 'a', host: 'c1', flavor: 'm1.tiny' }],
      }).map((i) => i.path),
    ).toEqual(['$.nodes[0].vcpus']);
    expect(
      issuesOf({
        now: NOW,
        flavors: 3,
        nodes: [node('c1')],
        instances: [{ uuid: 'a', host: 'c1', flavor: 'm1.tiny' }],
      }).map((i) => i.path),
    ).toEqual(['$.flavors']);
  });

  it('uses the document defaults even when another section is invalid', () => {
    expect(issuesOf({ defaults: { reserved_host_memory_mb: -1 }, nodes: [] })).toEqual([
      {
        path: '$.defaults.reserved_host_memory_mb',
        message: 'expected at least 0 MB, got the number -1',
      },
    ]);
  });
});

describe('parseCloud: warnings', () => {
  it('warns when an epoch-ms time looks like epoch seconds', () => {
    const cloud = parseCloud({ now: 1709640000, nodes: [] });
    expect(cloud.warnings).toEqual([
      '$.now: 1709640000 is read as epoch milliseconds (1970-01-20T18:54:00.000Z); if it is epoch seconds, multiply by 1000',
    ]);
  });
});
