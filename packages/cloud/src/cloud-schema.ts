/**
 * The cloud document: a snapshot of a nova cloud as the scheduler sees it,
 * with nova's snake_case field names (DB columns / os-hypervisors API).
 * The schemas only validate; `parseCloud` converts and cross-checks.
 */
import { z } from 'zod';
import {
  anyNumber,
  apiBoolean,
  expected,
  flag,
  idValue,
  mapValue,
  nonNegativeNumber,
  oneOf,
  quantity,
  stringMap,
  text,
  textList,
  time,
} from './field-types.js';

/** nova's vm_states (nova/compute/vm_states.py). */
export const VM_STATES = [
  'active',
  'building',
  'paused',
  'suspended',
  'stopped',
  'rescued',
  'resized',
  'soft-delete',
  'deleted',
  'error',
  'shelved',
  'shelved_offloaded',
] as const;

export const defaultsSchema = z
  .object(
    {
      reserved_host_memory_mb: quantity('MB')
        .default(512)
        .describe(
          'Memory reserved for the host on every node ([DEFAULT] reserved_host_memory_mb).',
        ),
      reserved_host_disk_mb: quantity('MB')
        .default(0)
        .describe(
          'Disk reserved for the host on every node, in MB ([DEFAULT] reserved_host_disk_mb).',
        ),
    },
    { error: expected('an object') },
  )
  .describe('Compute-side settings used to derive node usage from instances.');

export const flavorSchema = z
  .object(
    {
      id: idValue('a flavor id').describe('Flavor id (nova flavorid); instances refer to it.'),
      name: text().describe(
        'Flavor name, e.g. "m1.small"; instances and requests may refer to it.',
      ),
      memory_mb: quantity('MB', { min: 1 }).describe('RAM in MB.'),
      vcpus: quantity('vCPUs', { min: 1 }).describe('Number of vCPUs.'),
      root_gb: quantity('GB').describe('Root disk in GB.'),
      ephemeral_gb: quantity('GB').default(0).describe('Ephemeral disk in GB.'),
      swap: quantity('MB').default(0).describe('Swap in MB.'),
      extra_specs: stringMap('extra specs')
        .default({})
        .describe('Extra specs, e.g. {"hw:cpu_policy": "dedicated"}.'),
    },
    { error: expected('a flavor object') },
  )
  .describe('A flavor.');

export const imageSchema = z
  .object(
    {
      id: text('an image id').describe('Image id.'),
      name: text().optional().describe('Image name; requests may refer to it.'),
      properties: stringMap('image properties')
        .default({})
        .describe('Glance properties, e.g. {"architecture": "x86_64"}.'),
      min_ram: quantity('MB').default(0).describe('Minimum RAM in MB.'),
      min_disk: quantity('GB').default(0).describe('Minimum disk in GB.'),
      status: text().optional().describe('Glance status (informational).'),
      disk_format: text().optional().describe('Glance disk format (informational).'),
      container_format: text().optional().describe('Glance container format (informational).'),
      size: quantity('bytes').optional().describe('Image size in bytes (informational).'),
    },
    { error: expected('an image object') },
  )
  .describe('A Glance image.');

export const metricSchema = z
  .object(
    {
      name: text('a metric name').describe('Metric name, e.g. "cpu.percent".'),
      value: anyNumber('a number').describe('Metric value.'),
      timestamp: time().optional(),
      source: text().optional().describe('Monitor that reported the metric.'),
    },
    { error: expected('a metric object') },
  )
  .describe('A compute monitor metric.');

const supportedInstance = z
  .tuple([text('an architecture'), text('a hypervisor type'), text('a vm mode')], {
    error: expected('an [architecture, hypervisor_type, vm_mode] list'),
  })
  .describe('[architecture, hypervisor_type, vm_mode], e.g. ["x86_64", "kvm", "hvm"].');

export const nodeSchema = z
  .object(
    {
      host: text('a host name').describe('Service host name (aggregates and services match it).'),
      hypervisor_hostname: text('a hypervisor host name')
        .optional()
        .describe('Hypervisor host name ("node"); defaults to host.'),
      memory_mb: quantity('MB').describe('Total RAM in MB.'),
      local_gb: quantity('GB').describe('Total local disk in GB.'),
      vcpus: quantity('vCPUs').describe('Total vCPUs.'),
      memory_mb_used: quantity('MB')
        .optional()
        .describe('RAM used in MB, reserved memory included; derived from instances when absent.'),
      free_ram_mb: quantity('MB', { signed: true })
        .optional()
        .describe('Free RAM in MB (may be negative); default memory_mb - memory_mb_used.'),
      local_gb_used: quantity('GB')
        .optional()
        .describe('Disk used in GB; derived from instances when absent.'),
      free_disk_gb: quantity('GB', { signed: true })
        .optional()
        .describe('Free disk in GB (may be negative); default local_gb - local_gb_used.'),
      vcpus_used: quantity('vCPUs')
        .optional()
        .describe('vCPUs used; derived from instances when absent.'),
      disk_available_least: quantity('GB', { signed: true })
        .nullable()
        .optional()
        .describe('Free disk the hypervisor reports, in GB (libvirt: sparse images counted).'),
      running_vms: quantity('instances')
        .optional()
        .describe('os-hypervisors name of stats.num_instances.'),
      current_workload: quantity('instances')
        .optional()
        .describe('os-hypervisors name of stats.io_workload.'),
      stats: z
        .record(z.string(), mapValue(), { error: expected('an object of counters') })
        .optional()
        .describe('Counters (num_instances, io_workload, ...); merged over the derived ones.'),
      metrics: z
        .array(metricSchema, { error: expected('a list of metrics') })
        .optional()
        .describe('Compute monitor metrics.'),
      host_ip: text('an IP address').optional().describe('Host IP address.'),
      hypervisor_type: text().optional().describe('Hypervisor type, e.g. "QEMU".'),
      hypervisor_version: quantity('version')
        .optional()
        .describe('Hypervisor version as nova stores it, e.g. 6002000 for 6.2.0.'),
      cpu_info: z
        .union([z.string(), z.record(z.string(), z.unknown())], {
          error: expected('a JSON string or an object'),
        })
        .optional()
        .describe('CPU description: a JSON string, or an object that is stored as JSON.'),
      supported_instances: z
        .array(supportedInstance, { error: expected('a list of [arch, hv_type, vm_mode] lists') })
        .optional()
        .describe('Supported [architecture, hypervisor_type, vm_mode] triples.'),
      cpu_allocation_ratio: nonNegativeNumber('a ratio >= 0')
        .optional()
        .describe("The compute's cpu_allocation_ratio; 0 or absent: the scheduler's value."),
      ram_allocation_ratio: nonNegativeNumber('a ratio >= 0')
        .optional()
        .describe("The compute's ram_allocation_ratio; 0 or absent: the scheduler's value."),
      disk_allocation_ratio: nonNegativeNumber('a ratio >= 0')
        .optional()
        .describe("The compute's disk_allocation_ratio; 0 or absent: the scheduler's value."),
      updated_at: time().optional(),
    },
    { error: expected('a compute node object') },
  )
  .describe('A compute node record.');

export const serviceSchema = z
  .object(
    {
      host: text('a host name').describe('Host name of the service.'),
      binary: text().default('nova-compute').describe('Service binary.'),
      disabled: flag().default(false).describe('Whether the service is disabled.'),
      disabled_reason: text().optional().describe('Why it is disabled.'),
      forced_down: flag().default(false).describe('Whether the service is forced down.'),
      last_seen_up: time().optional(),
      updated_at: time().optional(),
      created_at: time().optional(),
    },
    { error: expected('a service object') },
  )
  .describe('A nova service record; a missing nova-compute service is created up.');

export const aggregateSchema = z
  .object(
    {
      id: z
        .union([z.number().int(), z.string().min(1)], {
          error: expected('an aggregate id (an integer or a string)'),
        })
        .optional()
        .describe('Aggregate id; defaults to its 1-based position.'),
      name: text('an aggregate name').describe('Aggregate name.'),
      hosts: textList('host name').default([]).describe('Host names in the aggregate.'),
      metadata: stringMap('aggregate metadata')
        .default({})
        .describe('Metadata (string values; numbers and booleans are converted).'),
      availability_zone: text('an availability zone name')
        .optional()
        .describe('Shorthand for metadata.availability_zone.'),
    },
    { error: expected('an aggregate object') },
  )
  .describe('A host aggregate.');

export const instanceSchema = z
  .object(
    {
      uuid: text('an instance uuid').describe('Instance uuid.'),
      host: text('a host name').describe('Host the instance runs on.'),
      node: text('a hypervisor host name')
        .optional()
        .describe("Node the instance runs on; defaults to the host's only node."),
      flavor: idValue('a flavor name or id')
        .optional()
        .describe('Flavor name or id from "flavors"; or give memory_mb/vcpus/root_gb.'),
      memory_mb: quantity('MB').optional().describe('RAM in MB (without "flavor").'),
      vcpus: quantity('vCPUs').optional().describe('vCPUs (without "flavor").'),
      root_gb: quantity('GB').optional().describe('Root disk in GB (without "flavor").'),
      ephemeral_gb: quantity('GB').optional().describe('Ephemeral disk in GB (default 0).'),
      swap: quantity('MB').optional().describe('Swap in MB (default 0).'),
      project_id: text('a project id').optional().describe('Owning project.'),
      preemptible: apiBoolean().optional(),
      priority: anyNumber('a number')
        .optional()
        .describe('Preemption priority (higher survives longer); default 0.'),
      created_at: time().optional(),
      vm_state: oneOf(VM_STATES, 'a nova vm_state')
        .optional()
        .describe('nova vm_state; default active.'),
      task_state: z
        .union([z.string().min(1), z.null()], { error: expected('a task state string or null') })
        .optional()
        .describe('nova task_state, e.g. "spawning"; null when idle.'),
      system_metadata: stringMap('system metadata')
        .optional()
        .describe('nova system_metadata (string values).'),
    },
    { error: expected('an instance object') },
  )
  .describe('An instance running on a node.');

export const cloudSchema = z
  .object(
    {
      $schema: z.string().optional().describe('Path or URL of this JSON Schema (ignored).'),
      now: time()
        .optional()
        .describe('The clock of the snapshot: ISO 8601 time or epoch milliseconds.'),
      defaults: defaultsSchema.prefault({}),
      flavors: z.array(flavorSchema, { error: expected('a list of flavors') }).default([]),
      images: z.array(imageSchema, { error: expected('a list of images') }).default([]),
      nodes: z.array(nodeSchema, { error: expected('a list of compute nodes') }),
      services: z.array(serviceSchema, { error: expected('a list of services') }).default([]),
      aggregates: z.array(aggregateSchema, { error: expected('a list of aggregates') }).default([]),
      instances: z.array(instanceSchema, { error: expected('a list of instances') }).default([]),
    },
    { error: expected('a cloud document (a JSON object)') },
  )
  .meta({
    title: 'opie cloud',
    description:
      'A snapshot of a nova cloud: compute nodes, services, aggregates, flavors, images and instances.',
  });

export type CloudDocument = z.output<typeof cloudSchema>;
export type FlavorDocument = z.output<typeof flavorSchema>;
export type ImageDocument = z.output<typeof imageSchema>;
export type NodeDocument = z.output<typeof nodeSchema>;
export type ServiceDocument = z.output<typeof serviceSchema>;
export type AggregateDocument = z.output<typeof aggregateSchema>;
export type InstanceDocument = z.output<typeof instanceSchema>;
