import type { InputIssue } from '@opie/core';
import { InvalidInputError, isPreemptibleRequest } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { parseCloud } from './parse-cloud.js';
import { parseRequest } from './parse-request.js';

const cloud = parseCloud({
  now: '2024-03-05T12:00:00Z',
  nodes: [],
  flavors: [
    { id: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1 },
    { id: '2', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, extra_specs: { a: 'b' } },
    { id: '3', name: '2', memory_mb: 4096, vcpus: 2, root_gb: 40 },
  ],
  images: [
    { id: 'img-1', name: 'cirros', properties: { architecture: 'x86_64' }, min_ram: 64 },
    { id: 'img-2', name: 'ubuntu' },
    { id: 'img-3', name: 'ubuntu' },
  ],
});

function issuesOf(json: unknown, withCloud = true): InputIssue[] {
  try {
    parseRequest(json, withCloud ? cloud : undefined, { source: 'request file r.json' });
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    expect((e as InvalidInputError).source).toBe('request file r.json');
    return [...(e as InvalidInputError).issues];
  }
  throw new Error('expected the request to be rejected');
}

describe('parseRequest', () => {
  it('fills nova defaults for a minimal request', () => {
    expect(parseRequest({ flavor: 'm1.small' }, cloud)).toEqual({
      flavor: cloud.flavors[1],
      image: { properties: {} },
      schedulerHints: {},
      numInstances: 1,
    });
  });

  it('looks flavors up by id first, then by name', () => {
    expect(parseRequest({ flavor: 2 }, cloud).flavor.name).toBe('m1.small');
    expect(parseRequest({ flavor: '2' }, cloud).flavor.name).toBe('m1.small');
    expect(parseRequest({ flavor: 'm1.tiny' }, cloud).flavor.id).toBe('1');
  });

  it('takes an inline flavor, with defaults for id, name and optional sizes', () => {
    expect(
      parseRequest({
        flavor: {
          memory_mb: 1024,
          vcpus: 2,
          root_gb: 10,
          extra_specs: { 'hw:cpu_policy': 'dedicated', n: 1 },
        },
      }).flavor,
    ).toEqual({
      id: 'inline',
      flavorid: 'inline',
      name: 'inline',
      memoryMb: 1024,
      vcpus: 2,
      rootGb: 10,
      ephemeralGb: 0,
      swap: 0,
      extraSpecs: { 'hw:cpu_policy': 'dedicated', n: '1' },
    });
    expect(
      parseRequest({ flavor: { id: 42, memory_mb: 1, vcpus: 1, root_gb: 0 } }).flavor,
    ).toMatchObject({ id: '42', name: '42' });
    expect(
      parseRequest({ flavor: { name: 'x', memory_mb: 1, vcpus: 1, root_gb: 0 } }).flavor,
    ).toMatchObject({ id: 'x', name: 'x' });
  });

  it('looks images up by id or name, or takes them inline', () => {
    expect(parseRequest({ flavor: '1', image: 'img-1' }, cloud).image).toBe(cloud.images[0]);
    expect(parseRequest({ flavor: '1', image: 'cirros' }, cloud).image).toBe(cloud.images[0]);
    expect(
      parseRequest({ flavor: '1', image: { properties: { hypervisor_type: 'kvm', v: 2 } } }, cloud)
        .image,
    ).toEqual({
      properties: { hypervisor_type: 'kvm', v: '2' },
      minRam: 0,
      minDisk: 0,
    });
    expect(
      parseRequest({ flavor: '1', image: { id: 'i', name: 'n', min_disk: 3 } }, cloud).image,
    ).toEqual({
      id: 'i',
      name: 'n',
      properties: {},
      minRam: 0,
      minDisk: 3,
    });
  });

  it('converts every placement field', () => {
    const spec = parseRequest(
      {
        $schema: '../schema/request.schema.json',
        'x-note': 'all fields',
        flavor: 'm1.tiny',
        num_instances: 2,
        availability_zone: 'az1',
        scheduler_hints: {
          same_host: ['u1', 'u2'],
          query: '["=", "$free_ram_mb", 1024]',
          n: 3,
          b: true,
        },
        priority: 5,
        project_id: 'p1',
        instance_uuids: ['u3', 'u4'],
        instance_group: { uuid: 'g1', policies: ['anti-affinity'], hosts: ['c1'] },
        retry: { num_attempts: 2, hosts: [['c1', 'c1-node']] },
        force_hosts: ['c2'],
        force_nodes: ['c2-node'],
        ignore_hosts: ['c3'],
        request_id: 'req-1',
      },
      cloud,
    );
    expect(spec).toEqual({
      flavor: cloud.flavors[0],
      image: { properties: {} },
      numInstances: 2,
      availabilityZone: 'az1',
      schedulerHints: {
        same_host: ['u1', 'u2'],
        query: '["=", "$free_ram_mb", 1024]',
        n: '3',
        b: 'True',
      },
      priority: 5,
      projectId: 'p1',
      instanceUuids: ['u3', 'u4'],
      instanceGroup: { uuid: 'g1', policies: ['anti-affinity'], hosts: ['c1'] },
      retry: { numAttempts: 2, hosts: [['c1', 'c1-node']] },
      forceHosts: ['c2'],
      forceNodes: ['c2-node'],
      ignoreHosts: ['c3'],
      requestId: 'req-1',
    });
  });

  it('defaults num_instances to the number of instance uuids, and retry fields', () => {
    const spec = parseRequest(
      {
        flavor: '1',
        instance_uuids: ['a', 'b', 'c'],
        retry: {},
        instance_group: { policies: ['affinity'] },
      },
      cloud,
    );
    expect(spec.numInstances).toBe(3);
    expect(spec.retry).toEqual({ numAttempts: 1, hosts: [] });
    expect(spec.instanceGroup).toEqual({ policies: ['affinity'], hosts: [] });
  });

  it("reads a server group's members and rules (nova Zed's instance_group)", () => {
    const spec = parseRequest(
      {
        flavor: '1',
        instance_group: {
          policies: ['anti-affinity'],
          members: ['m1', 'm2'],
          rules: { max_server_per_host: 2 },
        },
      },
      cloud,
    );
    expect(spec.instanceGroup).toEqual({
      policies: ['anti-affinity'],
      hosts: [],
      members: ['m1', 'm2'],
      rules: { max_server_per_host: 2 },
    });
    // An empty rules object stays empty: the filter applies its default of 1.
    const empty = parseRequest(
      { flavor: '1', instance_group: { policies: ['anti-affinity'], rules: {} } },
      cloud,
    );
    expect(empty.instanceGroup?.rules).toEqual({});
  });

  it('rejects bad server group members and rules with JSON paths', () => {
    expect(
      issuesOf({
        flavor: '1',
        instance_group: {
          policies: ['anti-affinity'],
          members: 'm1',
          rules: { max_server_per_host: 0, max_servers: 2 },
        },
      }).map((i) => i.path),
    ).toEqual([
      '$.instance_group.members',
      '$.instance_group.rules.max_server_per_host',
      '$.instance_group.rules.max_servers',
    ]);
    expect(
      issuesOf({ flavor: '1', instance_group: { policies: ['a'], rules: 2 } })[0],
    ).toMatchObject({ path: '$.instance_group.rules' });
  });

  it("splits nova's forced-host zone syntax (az:host, az:host:node, az::node)", () => {
    expect(parseRequest({ flavor: '1', availability_zone: 'az1:c1' }, cloud)).toMatchObject({
      availabilityZone: 'az1',
      forceHosts: ['c1'],
    });
    const both = parseRequest({ flavor: '1', availability_zone: 'az1:c1:n1' }, cloud);
    expect(both).toMatchObject({ availabilityZone: 'az1', forceHosts: ['c1'], forceNodes: ['n1'] });
    const nodeOnly = parseRequest({ flavor: '1', availability_zone: 'az1::n1' }, cloud);
    expect(nodeOnly).toMatchObject({ availabilityZone: 'az1', forceNodes: ['n1'] });
    expect(nodeOnly.forceHosts).toBeUndefined();
    const noZone = parseRequest({ flavor: '1', availability_zone: ':c1' }, cloud);
    expect(noZone.availabilityZone).toBeUndefined();
    expect(noZone.forceHosts).toEqual(['c1']);
  });

  describe('preemptible (strict parsing)', () => {
    it('marks a preemptible request in its system metadata too', () => {
      const spec = parseRequest({ flavor: '1', preemptible: true, priority: 3 }, cloud);
      expect(spec).toMatchObject({
        preemptible: true,
        systemMetadata: { preemptible: 'True' },
        priority: 3,
      });
      expect(isPreemptibleRequest(spec)).toBe(true);
    });
    it('reads "false" as false and "yes" as true', () => {
      const no = parseRequest({ flavor: '1', preemptible: 'false' }, cloud);
      expect(no.preemptible).toBe(false);
      expect(no.systemMetadata).toBeUndefined();
      expect(isPreemptibleRequest(no)).toBe(false);
      expect(parseRequest({ flavor: '1', preemptible: 'yes' }, cloud).preemptible).toBe(true);
    });
    it('rejects "maybe"', () => {
      expect(issuesOf({ flavor: '1', preemptible: 'maybe' })).toEqual([
        {
          path: '$.preemptible',
          message: 'expected a boolean (true/false, 1/0, on/off or yes/no), got the string "maybe"',
        },
      ]);
    });
    it('accepts the opie HEAD hint and records it as the mark', () => {
      const spec = parseRequest({ flavor: '1', scheduler_hints: { preemptible: [true] } }, cloud);
      expect(spec).toMatchObject({
        preemptible: true,
        systemMetadata: { preemptible: 'True' },
        schedulerHints: { preemptible: ['True'] },
      });
      expect(
        parseRequest({ flavor: '1', scheduler_hints: { preemptible: 'false' } }, cloud).preemptible,
      ).toBe(false);
      expect(
        parseRequest({ flavor: '1', scheduler_hints: { preemptible: ['True', 'no'] } }, cloud)
          .preemptible,
      ).toBe(false);
      expect(
        parseRequest(
          { flavor: '1', preemptible: true, scheduler_hints: { preemptible: 'yes' } },
          cloud,
        ).preemptible,
      ).toBe(true);
    });
    it('rejects a bad or empty hint and a hint that contradicts the field', () => {
      expect(
        issuesOf({ flavor: '1', scheduler_hints: { preemptible: ['True', 'maybe'] } }),
      ).toEqual([
        {
          path: '$.scheduler_hints.preemptible[1]',
          message: 'expected a boolean (true/false, 1/0, on/off or yes/no), got the string "maybe"',
        },
      ]);
      expect(issuesOf({ flavor: '1', scheduler_hints: { preemptible: 'maybe' } })[0]!.path).toBe(
        '$.scheduler_hints.preemptible',
      );
      expect(issuesOf({ flavor: '1', scheduler_hints: { preemptible: [] } })).toEqual([
        {
          path: '$.scheduler_hints.preemptible',
          message: 'expected a boolean or a list of booleans, got an empty list',
        },
      ]);
      expect(
        issuesOf({ flavor: '1', preemptible: false, scheduler_hints: { preemptible: 'true' } }),
      ).toEqual([
        {
          path: '$.preemptible',
          message:
            'preemptible is false but the "preemptible" scheduler hint says true; give one of them',
        },
      ]);
    });
  });

  describe('errors', () => {
    it('reports unknown flavors and images with suggestions', () => {
      expect(issuesOf({ flavor: 'm1.smal', image: 'cirro' })).toEqual([
        {
          path: '$.flavor',
          message:
            'unknown flavor "m1.smal" (no flavor of the cloud has this id or name). Did you mean "m1.small"? Known flavors: "m1.tiny", "m1.small", "2"',
        },
        {
          path: '$.image',
          message:
            'unknown image "cirro" (no image of the cloud has this id or name). Did you mean "cirros"? Known images: "img-1", "cirros", "img-2", "ubuntu", "img-3"',
        },
      ]);
    });
    it('reports an ambiguous image name', () => {
      expect(issuesOf({ flavor: '1', image: 'ubuntu' })).toEqual([
        {
          path: '$.image',
          message: '2 images are named "ubuntu" ("img-2", "img-3"); give the image id',
        },
      ]);
    });
    it('reports references without a cloud', () => {
      expect(issuesOf({ flavor: 'm1.small', image: 'cirros' }, false)).toEqual([
        {
          path: '$.flavor',
          message:
            '"m1.small" refers to a flavor but no cloud was given; give the flavor inline: {"memory_mb": ..., "vcpus": ..., "root_gb": ...}',
        },
        {
          path: '$.image',
          message:
            '"cirros" refers to an image but no cloud was given; give the image inline: {"properties": {...}}',
        },
      ]);
    });
    it('reports wrong types, missing fields and unknown keys with JSON paths', () => {
      expect(
        issuesOf({
          flavor: { memory_mb: '2G', vcpus: 1 },
          num_instances: 0,
          scheduler_hints: { a: null },
          retry: { hosts: [['c1']] },
          instance_group: { policy: ['affinity'] },
          forced_hosts: ['c1'],
        }),
      ).toEqual([
        {
          path: '$.flavor.memory_mb',
          message: 'expected a number of MB, got the string "2G" (write 2048)',
        },
        { path: '$.flavor.root_gb', message: 'missing: give a number of GB' },
        { path: '$.num_instances', message: 'expected a whole number >= 1, got the number 0' },
        {
          path: '$.scheduler_hints.a',
          message:
            'expected a string or a list of strings (numbers and booleans are converted), got null',
        },
        { path: '$.instance_group.policies', message: 'missing: give a list of policy names' },
        {
          path: '$.instance_group.policy',
          message: 'unknown key "policy". Did you mean "policies"?',
        },
        { path: '$.retry.hosts[0]', message: 'expected a [host, node] pair, got an array' },
        {
          path: '$.forced_hosts',
          message: 'unknown key "forced_hosts". Did you mean "force_hosts"?',
        },
      ]);
    });
    it('reports a flavor of the wrong type and a missing flavor', () => {
      expect(issuesOf({ flavor: true })).toEqual([
        {
          path: '$.flavor',
          message: 'expected a flavor name or id, or an inline flavor object, got true',
        },
      ]);
      expect(issuesOf({})).toEqual([
        {
          path: '$.flavor',
          message: 'missing: give a flavor name or id, or an inline flavor object',
        },
      ]);
      expect(issuesOf('m1.small')).toEqual([
        {
          path: '$',
          message: 'expected a request document (a JSON object), got the string "m1.small"',
        },
      ]);
    });
    it('still reports an unknown flavor when another field is invalid', () => {
      expect(
        issuesOf({ flavor: 'm1.smal', num_instances: 'two', image: 'nope' }).map((i) => i.path),
      ).toEqual(['$.flavor', '$.image', '$.num_instances']);
    });
    it('reports uuids that do not match num_instances', () => {
      expect(issuesOf({ flavor: '1', num_instances: 2, instance_uuids: ['a'] })).toEqual([
        {
          path: '$.instance_uuids',
          message: '1 uuids for num_instances 2; give one uuid per instance',
        },
      ]);
      expect(issuesOf({ flavor: '1', instance_uuids: [] })).toEqual([
        { path: '$.instance_uuids', message: 'expected at least one uuid, got an empty list' },
      ]);
    });
    it('reports a forced host given twice and a malformed zone', () => {
      expect(issuesOf({ flavor: '1', availability_zone: 'az1:c1', force_hosts: ['c2'] })).toEqual([
        {
          path: '$.availability_zone',
          message:
            'forces a host or node, and so do force_hosts/force_nodes; give them in one place',
        },
      ]);
      expect(issuesOf({ flavor: '1', availability_zone: 'a:b:c:d' })).toEqual([
        {
          path: '$.availability_zone',
          message:
            'expected "az", "az:host", "az:host:node" or "az::node", got the string "a:b:c:d"',
        },
      ]);
    });
  });
});
