/**
 * The request document: what to place, with nova's snake_case names
 * (request_spec / filter_properties, nova/scheduler/utils.py build_request_spec). `parseRequest` converts it.
 */
import { z } from 'zod';
import {
  anyNumber,
  apiBoolean,
  expected,
  idValue,
  mapValue,
  quantity,
  stringMap,
  text,
  textList,
  wholeNumber,
} from './field-types.js';

export const inlineFlavorSchema = z
  .object(
    {
      id: idValue('a flavor id').optional().describe('Flavor id; defaults to name, else "inline".'),
      name: text().optional().describe('Flavor name; defaults to id, else "inline".'),
      memory_mb: quantity('MB', { min: 1 }).describe('RAM in MB.'),
      vcpus: quantity('vCPUs', { min: 1 }).describe('Number of vCPUs.'),
      root_gb: quantity('GB').describe('Root disk in GB.'),
      ephemeral_gb: quantity('GB').default(0).describe('Ephemeral disk in GB.'),
      swap: quantity('MB').default(0).describe('Swap in MB.'),
      extra_specs: stringMap('extra specs').default({}).describe('Extra specs.'),
    },
    { error: expected('a flavor object') },
  )
  .describe('A flavor given inline.');

export const inlineImageSchema = z
  .object(
    {
      id: text('an image id').optional().describe('Image id.'),
      name: text().optional().describe('Image name.'),
      properties: stringMap('image properties').default({}).describe('Glance properties.'),
      min_ram: quantity('MB').default(0).describe('Minimum RAM in MB.'),
      min_disk: quantity('GB').default(0).describe('Minimum disk in GB.'),
    },
    { error: expected('an image object') },
  )
  .describe('An image given inline.');

const hintValue = z
  .union([mapValue(), z.array(mapValue())], {
    error: expected('a string or a list of strings (numbers and booleans are converted)'),
  })
  .describe('A string or a list of strings; numbers and booleans are converted.');

export const instanceGroupRulesSchema = z
  .object(
    {
      max_server_per_host: wholeNumber('a whole number >= 1', 1)
        .optional()
        .describe('Anti-affinity: how many members one node may hold (nova Zed; default 1).'),
    },
    { error: expected('a rules object, e.g. {"max_server_per_host": 2}') },
  )
  .describe("The server group's rules (nova Zed).");

export const instanceGroupSchema = z
  .object(
    {
      uuid: text('a server group uuid').optional().describe('Server group uuid.'),
      policies: textList('policy name').describe('Group policies, e.g. ["anti-affinity"].'),
      hosts: textList('host name')
        .default([])
        .describe('Hosts of the group members that already run somewhere.'),
      members: textList('instance uuid')
        .optional()
        .describe(
          "uuids of the group's member instances (nova Zed's instance_group.members); " +
            'anti-affinity under nova_version = zed counts them per node.',
        ),
      rules: instanceGroupRulesSchema.optional(),
    },
    { error: expected('a server group object') },
  )
  .describe('The server group of the request (nova group_policies / group_hosts).');

export const retrySchema = z
  .object(
    {
      num_attempts: wholeNumber('a whole number >= 1', 1)
        .default(1)
        .describe('Attempts made so far.'),
      hosts: z
        .array(
          z.tuple([text('a host name'), text('a node name')], {
            error: expected('a [host, node] pair'),
          }),
          { error: expected('a list of [host, node] pairs') },
        )
        .default([])
        .describe('[host, node] pairs already tried (RetryFilter skips them).'),
    },
    { error: expected('a retry object') },
  )
  .describe('Retry bookkeeping of a rescheduled request.');

export const requestSchema = z
  .object(
    {
      $schema: z.string().optional().describe('Path or URL of this JSON Schema (ignored).'),
      flavor: z
        .union([z.string().min(1), z.number().int(), inlineFlavorSchema], {
          error: expected('a flavor name or id, or an inline flavor object'),
        })
        .describe('A flavor id or name from the cloud, or an inline flavor.'),
      image: z
        .union([z.string().min(1), inlineImageSchema], {
          error: expected('an image id or name, or an inline image object'),
        })
        .optional()
        .describe('An image id or name from the cloud, or an inline image; default: no image.'),
      num_instances: wholeNumber('a whole number >= 1', 1)
        .optional()
        .describe('How many identical instances to place; default: instance_uuids length, else 1.'),
      availability_zone: text('an availability zone')
        .optional()
        .describe('Availability zone; "az:host", "az:host:node" and "az::node" force a host/node.'),
      scheduler_hints: z
        .record(z.string(), hintValue, { error: expected('an object of hints') })
        .default({})
        .describe('Scheduler hints, e.g. {"same_host": ["uuid"]}.'),
      preemptible: apiBoolean().optional(),
      priority: anyNumber('a number')
        .optional()
        .describe('Priority of a preemptible request (higher survives longer).'),
      project_id: text('a project id').optional().describe('Project of the request.'),
      instance_uuids: textList('instance uuid')
        .optional()
        .describe('The uuid of each instance to place.'),
      instance_group: instanceGroupSchema.optional(),
      retry: retrySchema.optional(),
      force_hosts: textList('host name').optional().describe('Hosts to use, skipping filters.'),
      force_nodes: textList('node name').optional().describe('Nodes to use, skipping filters.'),
      ignore_hosts: textList('host name').optional().describe('Hosts never to use.'),
      request_id: text('a request id').optional().describe('An id for logs and explanations.'),
    },
    { error: expected('a request document (a JSON object)') },
  )
  .meta({
    title: 'opie request',
    description: 'What to place: a flavor, an image and placement constraints (nova request_spec).',
  });

export type RequestDocument = z.output<typeof requestSchema>;
export type InlineFlavorDocument = z.output<typeof inlineFlavorSchema>;
export type InlineImageDocument = z.output<typeof inlineImageSchema>;
