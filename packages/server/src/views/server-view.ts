import { createHash } from 'node:crypto';
import { withPreemptibleAttribute } from '@opie/api-patch';
import type { ServerRecord } from '../server-record.js';
import { statusOf } from '../store/server-store.js';
import { isoTime, resourceLinks, usageTime } from './links.js';

/** What a server view needs besides the record. */
export interface ServerViewContext {
  baseUrl: string;
  /**
   * Whether the caller may see where servers run (`OS-EXT-SRV-ATTR:*`,
   * `opie:last_*`, fault details): nova's extended server attributes are
   * admin only. Default true.
   */
  extendedAttributes?: boolean;
  /** The availability zone of a host (aggregate metadata, else the default zone). */
  zoneOf(host: string | null): string | null;
}

/** nova's `hostId`: sha224(project_id + host), empty without a host. */
export function hostIdOf(projectId: string, host: string | null): string {
  if (host === null || host === '') return '';
  return createHash('sha224')
    .update(projectId + host)
    .digest('hex');
}

/** The short view of `GET /servers`: id, name, links. */
export function serverSummary(server: ServerRecord, baseUrl: string) {
  return {
    id: server.uuid,
    name: server.name,
    links: resourceLinks(baseUrl, 'servers', server.uuid),
  };
}

/**
 * The full view of `GET /servers/{id}` and `GET /servers/detail` (v2.1 with
 * the admin attributes), with opie's `preemptible` attribute and, when the
 * server has one, its `fault` (nova shows it on ERROR and DELETED servers;
 * here also on a preempted SHUTOFF server).
 * @see nova/api/openstack/compute/views/servers.py ViewBuilder.show
 */
export function serverDetail(server: ServerRecord, ctx: ServerViewContext) {
  const host = server.host ?? server.lastHost;
  const node = server.host !== null ? server.node : server.lastNode;
  const view: Record<string, unknown> = {
    id: server.uuid,
    name: server.name,
    status: statusOf(server.vmState, server.taskState),
    tenant_id: server.projectId,
    user_id: server.userId,
    metadata: server.metadata,
    hostId: hostIdOf(server.projectId, server.host),
    image:
      server.imageId === null
        ? ''
        : {
            id: server.imageId,
            links: [{ rel: 'bookmark', href: `${ctx.baseUrl}/images/${server.imageId}` }],
          },
    flavor: {
      id: server.flavorId ?? '',
      links:
        server.flavorId === null
          ? []
          : [{ rel: 'bookmark', href: `${ctx.baseUrl}/flavors/${server.flavorId}` }],
    },
    created: isoTime(server.createdAt),
    updated: isoTime(server.updatedAt),
    addresses: {},
    accessIPv4: '',
    accessIPv6: '',
    links: resourceLinks(ctx.baseUrl, 'servers', server.uuid),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: server.vmState === 'active' ? 100 : 0,
    'OS-EXT-AZ:availability_zone': server.availabilityZone ?? ctx.zoneOf(host) ?? '',
    config_drive: '',
    key_name: server.keyName,
    'OS-SRV-USG:launched_at': usageTime(server.launchedAt),
    'OS-SRV-USG:terminated_at': usageTime(server.terminatedAt),
    'OS-EXT-SRV-ATTR:host': server.host,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${server.id.toString(16).padStart(8, '0')}`,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': server.host !== null ? server.node : null,
    'OS-EXT-STS:task_state': server.taskState,
    'OS-EXT-STS:vm_state': server.vmState,
    'OS-EXT-STS:power_state': server.powerState,
    'os-extended-volumes:volumes_attached': [],
    security_groups: [{ name: 'default' }],
  };
  if (server.fault !== null) {
    const fault: Record<string, unknown> = {
      code: server.fault.code,
      created: isoTime(server.fault.created),
      message: server.fault.message,
    };
    const extended = ctx.extendedAttributes !== false;
    if (server.fault.details !== undefined && extended) fault['details'] = server.fault.details;
    view['fault'] = fault;
  }
  if (ctx.extendedAttributes === false) {
    for (const key of Object.keys(view)) {
      if (key.startsWith('OS-EXT-SRV-ATTR:')) delete view[key];
    }
  } else if (server.host === null && host !== null && server.fault !== null) {
    // Where a preempted server ran (nova clears the host of a deleted server).
    view['opie:last_host'] = host;
    view['opie:last_hypervisor_hostname'] = node;
  }
  return withPreemptibleAttribute(view, {
    preemptible: server.preemptible,
    systemMetadata: server.systemMetadata,
  });
}
