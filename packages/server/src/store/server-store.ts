import type { Aggregate, ComputeNode, Flavor, Service } from '@opie/core';
import { hostKey, OpieError } from '@opie/core';
import type { CatalogImage, CloudSnapshot } from '@opie/cloud';
import { baseUsageOf } from '../live-compute-node.js';
import type { NodeRow } from '../live-compute-node.js';
import type { NewServerRecord, ServerFault, ServerOrigin, ServerRecord } from '../server-record.js';
import { NOT_COUNTED_VM_STATES, POWER_STATE } from '../server-record.js';
import { QUOTA_RESOURCES } from '../quota.js';
import type { QuotaLimits, QuotaResource, QuotaUsage } from '../quota.js';
import { QUOTA_LOCK_CLASS, SCHEMA_SQL, SCHEMA_VERSION, SETUP_LOCK_KEY } from './schema.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/** What the cloud file brought into the store at start-up. */
export interface SeedReport {
  /** True the first time: the cloud's instances were imported. */
  importedInstances: boolean;
  nodes: number;
  flavors: number;
  images: number;
}

/** Everything the scheduler's host source needs, read in one go. */
export interface Inventory {
  nodes: NodeRow[];
  services: Service[];
  aggregates: Aggregate[];
  /** Servers holding resources on a node, in creation order. */
  servers: ServerRecord[];
  /** Bumped each time a replica seeds the inventory from its cloud file. */
  version: number;
}

/** Filters of a server list (nova's query parameters). */
export interface ServerQuery {
  /** Only this project's servers (absent: every project's). */
  projectId?: string;
  /** Substring of the name (nova matches a regular expression; plain names behave the same). */
  name?: string;
  /** nova status, e.g. ACTIVE or ERROR. */
  status?: string;
  host?: string;
  flavorId?: string;
  imageId?: string;
  reservationId?: string;
  /** Page size. */
  limit?: number;
  /** uuid of the last server of the previous page. */
  marker?: string;
}

/** A server group (nova's InstanceGroup): its members are the servers whose `group` hint names it. */
export interface ServerGroupRecord {
  uuid: string;
  name: string;
  projectId: string;
  userId: string;
  /** One of `affinity`, `anti-affinity`, `soft-affinity`, `soft-anti-affinity`. */
  policies: string[];
  createdAt: number;
}

/** A preemption as recorded. */
export interface PreemptionRecord {
  victimUuid: string;
  host: string;
  node: string;
  requestId: string | null;
  byServerUuid: string | null;
  action: string;
  reason: string;
  /** When the notice was given (or, without a grace period, the termination done). */
  createdAt: number;
  /** When the termination is due (the notice time plus the grace period). */
  dueAt: number;
  /** When it ended (terminated, cancelled, or the victim deleted by its owner); null while pending. */
  finishedAt: number | null;
  /** `terminated`, `deleted` (by its owner during the grace) or `cancelled` (nothing left to make room for); null while pending. */
  outcome: string | null;
}

/** A create accepted (its servers in BUILD) and not finished yet: nova's build request. */
export interface RequestRecord {
  requestId: string;
  projectId: string;
  /** What scheduling needs again after a restart (the request spec, JSON). */
  spec: Record<string, unknown>;
  /** `scheduling` (not planned yet) or `preempting` (planned, victims in their grace period). */
  phase: 'scheduling' | 'preempting';
  /** Epoch ms the victims' termination is due (phase `preempting`). */
  dueAt: number | null;
  /** The process working on it, and until when (another may take it over after). */
  owner: string;
  leaseUntil: number;
  createdAt: number;
}

interface RequestRow {
  request_id: string;
  project_id: string;
  spec: Record<string, unknown>;
  phase: 'scheduling' | 'preempting';
  due_at: number | null;
  owner: string;
  lease_until: number;
  created_at: number;
}

function fromRequestRow(r: RequestRow): RequestRecord {
  return {
    requestId: r.request_id,
    projectId: r.project_id,
    spec: r.spec,
    phase: r.phase,
    dueAt: r.due_at,
    owner: r.owner,
    leaseUntil: r.lease_until,
    createdAt: r.created_at,
  };
}

interface PreemptionRow {
  victim_uuid: string;
  host: string;
  node: string;
  request_id: string | null;
  by_server_uuid: string | null;
  action: string;
  reason: string;
  created_at: number;
  due_at: number | null;
  finished_at: number | null;
  outcome: string | null;
}

function fromPreemptionRow(r: PreemptionRow): PreemptionRecord {
  return {
    victimUuid: r.victim_uuid,
    host: r.host,
    node: r.node,
    requestId: r.request_id,
    byServerUuid: r.by_server_uuid,
    action: r.action,
    reason: r.reason,
    createdAt: r.created_at,
    dueAt: r.due_at ?? r.created_at,
    finishedAt: r.finished_at ?? (r.outcome === null && r.due_at === null ? r.created_at : null),
    outcome: r.outcome ?? (r.due_at === null ? 'terminated' : null),
  };
}

/** Usage of a node from its live servers (base usage not included). */
export interface ServerUsage {
  memoryMb: number;
  localGb: number;
  vcpus: number;
}

/** A node row locked by a claim, with what its servers use. */
export interface LockedNode extends NodeRow {
  used: ServerUsage;
}

interface ServerRow {
  uuid: string;
  id: string | number;
  name: string;
  project_id: string;
  user_id: string;
  flavor_id: string | null;
  image_id: string | null;
  host: string | null;
  node: string | null;
  last_host: string | null;
  last_node: string | null;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  preemptible: boolean;
  priority: number | null;
  system_metadata: Record<string, string>;
  metadata: Record<string, string>;
  availability_zone: string | null;
  scheduler_hints: Record<string, string | string[]>;
  request_id: string | null;
  reservation_id: string | null;
  launch_index: number;
  key_name: string | null;
  fault: ServerFault | null;
  origin: ServerOrigin;
  created_at: number;
  updated_at: number;
  launched_at: number | null;
  terminated_at: number | null;
  deleted_at: number | null;
}

interface NodeDbRow {
  host: string;
  node: string;
  position: number;
  record: ComputeNode;
  base_memory_mb_used: number;
  base_local_gb_used: number;
  base_vcpus_used: number;
  generation: number;
}

const SERVER_COLUMNS = `uuid, id::float8 AS id, name, project_id, user_id, flavor_id, image_id, host, node,
  last_host, last_node, vm_state, task_state, power_state, memory_mb, vcpus, root_gb, ephemeral_gb,
  swap, preemptible, priority, system_metadata, metadata, availability_zone, scheduler_hints,
  request_id, reservation_id, launch_index, key_name, fault, origin, created_at, updated_at,
  launched_at, terminated_at, deleted_at`;

const NODE_COLUMNS = `host, node, position, record, base_memory_mb_used, base_local_gb_used,
  base_vcpus_used, generation::float8 AS generation`;

/** Servers that hold resources on their node. */
const HOLDS_RESOURCES = `deleted_at IS NULL AND host IS NOT NULL
  AND vm_state NOT IN (${NOT_COUNTED_VM_STATES.map((s) => `'${s}'`).join(', ')})`;

/** The nova status of each vm_state (and task_state) as SQL, for status filters. */
const STATUS_SQL = `CASE
  WHEN vm_state = 'active' AND task_state = 'deleting' THEN 'ACTIVE'
  WHEN vm_state = 'active' THEN 'ACTIVE'
  WHEN vm_state = 'building' THEN 'BUILD'
  WHEN vm_state = 'stopped' THEN 'SHUTOFF'
  WHEN vm_state = 'paused' THEN 'PAUSED'
  WHEN vm_state = 'suspended' THEN 'SUSPENDED'
  WHEN vm_state = 'rescued' THEN 'RESCUE'
  WHEN vm_state = 'resized' THEN 'VERIFY_RESIZE'
  WHEN vm_state = 'soft-delete' THEN 'SOFT_DELETED'
  WHEN vm_state = 'deleted' THEN 'DELETED'
  WHEN vm_state = 'error' THEN 'ERROR'
  WHEN vm_state = 'shelved' THEN 'SHELVED'
  WHEN vm_state = 'shelved_offloaded' THEN 'SHELVED_OFFLOADED'
  ELSE 'UNKNOWN' END`;

function fromServerRow(r: ServerRow): ServerRecord {
  return {
    uuid: r.uuid,
    id: Number(r.id),
    name: r.name,
    projectId: r.project_id,
    userId: r.user_id,
    flavorId: r.flavor_id,
    imageId: r.image_id,
    host: r.host,
    node: r.node,
    lastHost: r.last_host,
    lastNode: r.last_node,
    vmState: r.vm_state,
    taskState: r.task_state,
    powerState: r.power_state,
    memoryMb: r.memory_mb,
    vcpus: r.vcpus,
    rootGb: r.root_gb,
    ephemeralGb: r.ephemeral_gb,
    swap: r.swap,
    preemptible: r.preemptible,
    priority: r.priority,
    systemMetadata: r.system_metadata,
    metadata: r.metadata,
    availabilityZone: r.availability_zone,
    schedulerHints: r.scheduler_hints,
    requestId: r.request_id,
    reservationId: r.reservation_id,
    launchIndex: r.launch_index,
    keyName: r.key_name,
    fault: r.fault,
    origin: r.origin,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    launchedAt: r.launched_at,
    terminatedAt: r.terminated_at,
    deletedAt: r.deleted_at,
  };
}

interface GroupRow {
  uuid: string;
  name: string;
  project_id: string;
  user_id: string;
  policies: string[];
  created_at: number;
}

function fromGroupRow(r: GroupRow): ServerGroupRecord {
  return {
    uuid: r.uuid,
    name: r.name,
    projectId: r.project_id,
    userId: r.user_id,
    policies: r.policies,
    createdAt: r.created_at,
  };
}

function fromNodeRow(r: NodeDbRow): NodeRow {
  return {
    host: r.host,
    node: r.node,
    position: r.position,
    record: r.record,
    base: {
      memoryMbUsed: r.base_memory_mb_used,
      localGbUsed: r.base_local_gb_used,
      vcpusUsed: r.base_vcpus_used,
    },
    generation: Number(r.generation),
  };
}

const json = (value: unknown): string => JSON.stringify(value);

/** Column values of a new server, in `INSERT_SERVER_COLUMNS` order. */
function serverValues(s: NewServerRecord): unknown[] {
  return [
    s.uuid,
    s.name,
    s.projectId,
    s.userId,
    s.flavorId,
    s.imageId,
    s.host,
    s.node,
    s.lastHost,
    s.lastNode,
    s.vmState,
    s.taskState,
    s.powerState,
    s.memoryMb,
    s.vcpus,
    s.rootGb,
    s.ephemeralGb,
    s.swap,
    s.preemptible,
    s.priority,
    json(s.systemMetadata),
    json(s.metadata),
    s.availabilityZone,
    json(s.schedulerHints),
    s.requestId,
    s.reservationId,
    s.launchIndex,
    s.keyName,
    s.fault === null ? null : json(s.fault),
    s.origin,
    s.createdAt,
    s.updatedAt,
    s.launchedAt,
    s.terminatedAt,
    s.deletedAt,
  ];
}

const INSERT_SERVER_COLUMNS = `uuid, name, project_id, user_id, flavor_id, image_id, host, node,
  last_host, last_node, vm_state, task_state, power_state, memory_mb, vcpus, root_gb, ephemeral_gb,
  swap, preemptible, priority, system_metadata, metadata, availability_zone, scheduler_hints,
  request_id, reservation_id, launch_index, key_name, fault, origin, created_at, updated_at,
  launched_at, terminated_at, deleted_at`;
const SERVER_COLUMN_COUNT = 35;
const JSON_COLUMNS = new Set([21, 22, 24, 29]); // 1-based positions of jsonb values

function insertServersSql(count: number, onConflict: string): string {
  const rows: string[] = [];
  for (let r = 0; r < count; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= SERVER_COLUMN_COUNT; c++) {
      const n = r * SERVER_COLUMN_COUNT + c;
      cells.push(JSON_COLUMNS.has(c) ? `$${n}::jsonb` : `$${n}`);
    }
    rows.push(`(${cells.join(', ')})`);
  }
  return `INSERT INTO opie_servers (${INSERT_SERVER_COLUMNS}) VALUES ${rows.join(',\n')} ${onConflict}`;
}

/** Node keys as two parallel arrays, for `(host, node) IN (SELECT unnest(...))`. */
function keyArrays(keys: ReadonlyArray<{ host: string; node: string }>): [string[], string[]] {
  return [keys.map((k) => k.host), keys.map((k) => k.node)];
}

const IN_KEYS = `(host, node) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;

/** The nova status of a server. @see nova/api/openstack/common.py status_from_state */
export function statusOf(vmState: string, taskState: string | null): string {
  switch (vmState) {
    case 'active':
      return taskState === 'rebooting' ? 'REBOOT' : 'ACTIVE';
    case 'building':
      return 'BUILD';
    case 'stopped':
      return 'SHUTOFF';
    case 'paused':
      return 'PAUSED';
    case 'suspended':
      return 'SUSPENDED';
    case 'rescued':
      return 'RESCUE';
    case 'resized':
      return 'VERIFY_RESIZE';
    case 'soft-delete':
      return 'SOFT_DELETED';
    case 'deleted':
      return 'DELETED';
    case 'error':
      return 'ERROR';
    case 'shelved':
      return 'SHELVED';
    case 'shelved_offloaded':
      return 'SHELVED_OFFLOADED';
    default:
      return 'UNKNOWN';
  }
}

/**
 * The query layer over the one SQL schema, for PGlite and PostgreSQL alike.
 * Writes that change a node's usage lock its row (`FOR UPDATE`, in key order)
 * and bump its generation in the same transaction.
 */
export class ServerStore {
  readonly sql: SqlClient;

  constructor(sql: SqlClient) {
    this.sql = sql;
  }

  /** Whether other processes may write the same database (PostgreSQL). */
  get shared(): boolean {
    return this.sql.kind === 'postgres';
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  /**
   * Creates the schema and brings the cloud file's inventory in, under one
   * advisory lock so replicas starting together do it one at a time.
   * Flavors, images, nodes, services and aggregates are upserted every time
   * (the file is the inventory; nothing is removed); the cloud's instances
   * are imported once, into an empty store.
   */
  async setup(cloud: CloudSnapshot, now: number): Promise<SeedReport> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK_KEY]);
      for (const statement of SCHEMA_SQL.split(';')) {
        if (statement.trim() !== '') await tx.query(statement);
      }
      const version = await this.meta<number>(tx, 'schema_version');
      if (version !== undefined && version > SCHEMA_VERSION) {
        throw new OpieError(
          'INVALID_INPUT',
          `the database has schema version ${version}; this opie understands up to ${SCHEMA_VERSION}`,
        );
      }
      await this.setMeta(tx, 'schema_version', SCHEMA_VERSION);
      await this.upsertInventory(tx, cloud);
      const imported = (await this.meta<boolean>(tx, 'cloud_instances_imported')) === true;
      if (!imported) {
        await this.importInstances(tx, cloud, now);
        await this.setMeta(tx, 'cloud_instances_imported', true);
      }
      const inventoryVersion = ((await this.meta<number>(tx, 'inventory_version')) ?? 0) + 1;
      await this.setMeta(tx, 'inventory_version', inventoryVersion);
      return {
        importedInstances: !imported,
        nodes: cloud.nodes.length,
        flavors: cloud.flavors.length,
        images: cloud.imageCatalogue.length,
      };
    });
  }

  private async meta<T>(tx: SqlQueryable, key: string): Promise<T | undefined> {
    const rows = await tx.query<{ value: T }>('SELECT value FROM opie_meta WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  private async setMeta(tx: SqlQueryable, key: string, value: unknown): Promise<void> {
    await tx.query(
      `INSERT INTO opie_meta (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [key, json(value)],
    );
  }

  private async upsertInventory(tx: SqlQueryable, cloud: CloudSnapshot): Promise<void> {
    const upsertDoc = async (table: string, id: string, position: number, record: unknown) => {
      await tx.query(
        `INSERT INTO ${table} (id, position, record) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, record = EXCLUDED.record`,
        [id, position, json(record)],
      );
    };
    for (const [i, flavor] of cloud.flavors.entries()) {
      await upsertDoc('opie_flavors', flavor.flavorid ?? flavor.id, i, flavor);
    }
    for (const [i, image] of cloud.imageCatalogue.entries()) {
      await upsertDoc('opie_images', image.id, i, image);
    }
    for (const [i, aggregate] of cloud.aggregates.entries()) {
      await upsertDoc('opie_aggregates', String(aggregate.id), i, aggregate);
    }
    for (const service of cloud.services) {
      await tx.query(
        `INSERT INTO opie_services (host, binary_name, record) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (host, binary_name) DO UPDATE SET record = EXCLUDED.record`,
        [service.host, service.binary ?? 'nova-compute', json(service)],
      );
    }
    const onNode = new Map<string, typeof cloud.instances>();
    for (const inst of cloud.instances) {
      if (inst.host === undefined || inst.node === undefined) continue;
      const key = hostKey(inst.host, inst.node);
      const list = onNode.get(key);
      if (list === undefined) onNode.set(key, [inst]);
      else list.push(inst);
    }
    for (const [i, node] of cloud.nodes.entries()) {
      const base = baseUsageOf(node, onNode.get(hostKey(node.host, node.hypervisorHostname)) ?? []);
      await tx.query(
        `INSERT INTO opie_compute_nodes (host, node, position, record, base_memory_mb_used,
           base_local_gb_used, base_vcpus_used)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
         ON CONFLICT (host, node) DO UPDATE SET position = EXCLUDED.position,
           record = EXCLUDED.record, base_memory_mb_used = EXCLUDED.base_memory_mb_used,
           base_local_gb_used = EXCLUDED.base_local_gb_used,
           base_vcpus_used = EXCLUDED.base_vcpus_used,
           generation = opie_compute_nodes.generation + 1`,
        [
          node.host,
          node.hypervisorHostname,
          i,
          json(node),
          base.memoryMbUsed,
          base.localGbUsed,
          base.vcpusUsed,
        ],
      );
    }
  }

  private async importInstances(tx: SqlQueryable, cloud: CloudSnapshot, now: number) {
    const servers: NewServerRecord[] = cloud.instances.map((inst, i) => ({
      uuid: inst.uuid,
      name: inst.uuid,
      projectId: inst.projectId ?? '',
      userId: '',
      flavorId: inst.instanceTypeId ?? null,
      imageId: null,
      host: inst.host ?? null,
      node: inst.node ?? null,
      lastHost: inst.host ?? null,
      lastNode: inst.node ?? null,
      vmState: inst.vmState ?? 'active',
      taskState: inst.taskState ?? null,
      powerState:
        (inst.vmState ?? 'active') === 'active' ? POWER_STATE.RUNNING : POWER_STATE.NOSTATE,
      memoryMb: inst.memoryMb,
      vcpus: inst.vcpus,
      rootGb: inst.rootGb,
      ephemeralGb: inst.ephemeralGb,
      swap: inst.swap ?? 0,
      preemptible: inst.preemptible ?? false,
      priority: inst.priority ?? null,
      systemMetadata: inst.systemMetadata,
      metadata: {},
      availabilityZone: null,
      schedulerHints: {},
      requestId: null,
      reservationId: null,
      launchIndex: i,
      keyName: null,
      fault: null,
      origin: 'cloud',
      createdAt: inst.createdAt,
      updatedAt: now,
      launchedAt: inst.createdAt,
      terminatedAt: null,
      deletedAt: null,
    }));
    const chunk = 200;
    for (let i = 0; i < servers.length; i += chunk) {
      const part = servers.slice(i, i + chunk);
      await tx.query(
        insertServersSql(part.length, 'ON CONFLICT (uuid) DO NOTHING'),
        part.flatMap(serverValues),
      );
    }
  }

  /** The counter `setup` bumps; a replica whose copy differs reloads everything. */
  async inventoryVersion(): Promise<number> {
    return (await this.meta<number>(this.sql, 'inventory_version')) ?? 0;
  }

  /** Nodes, services, aggregates and the servers holding resources: the host source's data. */
  async loadInventory(): Promise<Inventory> {
    // One transaction: a consistent snapshot of nodes and their servers.
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const version = (await this.meta<number>(tx, 'inventory_version')) ?? 0;
      const nodes = await tx.query<NodeDbRow>(
        `SELECT ${NODE_COLUMNS} FROM opie_compute_nodes ORDER BY position, host, node`,
      );
      const services = await tx.query<{ record: Service }>(
        'SELECT record FROM opie_services ORDER BY host, binary_name',
      );
      const aggregates = await tx.query<{ record: Aggregate }>(
        'SELECT record FROM opie_aggregates ORDER BY position, id',
      );
      const servers = await tx.query<ServerRow>(
        `SELECT ${SERVER_COLUMNS} FROM opie_servers WHERE ${HOLDS_RESOURCES} ORDER BY id`,
      );
      return {
        nodes: nodes.map(fromNodeRow),
        services: services.map((r) => r.record),
        aggregates: aggregates.map((r) => r.record),
        servers: servers.map(fromServerRow),
        version,
      };
    });
  }

  /** Some nodes and the servers holding resources on them (one snapshot). */
  async loadNodes(
    keys: ReadonlyArray<{ host: string; node: string }>,
  ): Promise<{ nodes: NodeRow[]; servers: ServerRecord[] }> {
    const [hosts, nodes] = keyArrays(keys);
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const nodeRows = await tx.query<NodeDbRow>(
        `SELECT ${NODE_COLUMNS} FROM opie_compute_nodes WHERE ${IN_KEYS}`,
        [hosts, nodes],
      );
      const serverRows = await tx.query<ServerRow>(
        `SELECT ${SERVER_COLUMNS} FROM opie_servers WHERE ${HOLDS_RESOURCES} AND ${IN_KEYS}
         ORDER BY id`,
        [hosts, nodes],
      );
      return { nodes: nodeRows.map(fromNodeRow), servers: serverRows.map(fromServerRow) };
    });
  }

  /** Every node's generation. */
  async nodeGenerations(): Promise<Array<{ host: string; node: string; generation: number }>> {
    const rows = await this.sql.query<{ host: string; node: string; generation: number }>(
      'SELECT host, node, generation::float8 AS generation FROM opie_compute_nodes',
    );
    return rows.map((r) => ({ host: r.host, node: r.node, generation: Number(r.generation) }));
  }

  // ------------------------------------------------------------------ catalogue

  async listFlavors(): Promise<Flavor[]> {
    const rows = await this.sql.query<{ record: Flavor }>(
      'SELECT record FROM opie_flavors ORDER BY position, id',
    );
    return rows.map((r) => r.record);
  }

  async getFlavor(id: string): Promise<Flavor | undefined> {
    const rows = await this.sql.query<{ record: Flavor }>(
      'SELECT record FROM opie_flavors WHERE id = $1',
      [id],
    );
    return rows[0]?.record;
  }

  async listImages(): Promise<CatalogImage[]> {
    const rows = await this.sql.query<{ record: CatalogImage }>(
      'SELECT record FROM opie_images ORDER BY position, id',
    );
    return rows.map((r) => r.record);
  }

  async getImage(id: string): Promise<CatalogImage | undefined> {
    const rows = await this.sql.query<{ record: CatalogImage }>(
      'SELECT record FROM opie_images WHERE id = $1',
      [id],
    );
    return rows[0]?.record;
  }

  // ------------------------------------------------------------------ servers

  async getServer(uuid: string): Promise<ServerRecord | undefined> {
    const rows = await this.sql.query<ServerRow>(
      `SELECT ${SERVER_COLUMNS} FROM opie_servers WHERE uuid = $1 AND deleted_at IS NULL`,
      [uuid],
    );
    const row = rows[0];
    return row === undefined ? undefined : fromServerRow(row);
  }

  /** Servers not deleted, newest first (nova's default sort: created_at desc). */
  async listServers(query: ServerQuery = {}): Promise<ServerRecord[]> {
    const where = ['deleted_at IS NULL'];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.projectId !== undefined) where.push(`project_id = ${param(query.projectId)}`);
    if (query.name !== undefined) {
      where.push(`strpos(lower(name), lower(${param(query.name)})) > 0`);
    }
    if (query.status !== undefined) {
      where.push(`(${STATUS_SQL}) = upper(${param(query.status)})`);
    }
    if (query.host !== undefined) where.push(`host = ${param(query.host)}`);
    if (query.flavorId !== undefined) where.push(`flavor_id = ${param(query.flavorId)}`);
    if (query.imageId !== undefined) where.push(`image_id = ${param(query.imageId)}`);
    if (query.reservationId !== undefined) {
      where.push(`reservation_id = ${param(query.reservationId)}`);
    }
    if (query.marker !== undefined) {
      const p = param(query.marker);
      where.push(`(created_at, id) < (SELECT created_at, id FROM opie_servers WHERE uuid = ${p})`);
    }
    const limit = query.limit !== undefined ? ` LIMIT ${param(query.limit)}` : '';
    const rows = await this.sql.query<ServerRow>(
      `SELECT ${SERVER_COLUMNS} FROM opie_servers WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC${limit}`,
      params,
    );
    return rows.map(fromServerRow);
  }

  // ------------------------------------------------------------------ server groups

  async createServerGroup(group: ServerGroupRecord): Promise<void> {
    await this.sql.query(
      `INSERT INTO opie_server_groups (uuid, name, project_id, user_id, policies, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [
        group.uuid,
        group.name,
        group.projectId,
        group.userId,
        json(group.policies),
        group.createdAt,
      ],
    );
  }

  async getServerGroup(
    uuid: string,
    q: SqlQueryable = this.sql,
    lock = false,
  ): Promise<ServerGroupRecord | undefined> {
    const rows = await q.query<GroupRow>(
      `SELECT uuid, name, project_id, user_id, policies, created_at FROM opie_server_groups
       WHERE uuid = $1 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [uuid],
    );
    const row = rows[0];
    return row === undefined ? undefined : fromGroupRow(row);
  }

  /** Groups not deleted, oldest first; `projectId` absent: every project's. */
  async listServerGroups(projectId?: string): Promise<ServerGroupRecord[]> {
    const rows = await this.sql.query<GroupRow>(
      `SELECT uuid, name, project_id, user_id, policies, created_at FROM opie_server_groups
       WHERE deleted_at IS NULL${projectId !== undefined ? ' AND project_id = $1' : ''}
       ORDER BY created_at, uuid`,
      projectId !== undefined ? [projectId] : [],
    );
    return rows.map(fromGroupRow);
  }

  /** Soft-deletes a group; false if there is none. Its members stay (nova). */
  async deleteServerGroup(uuid: string, now: number): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE opie_server_groups SET deleted_at = $2 WHERE uuid = $1 AND deleted_at IS NULL
       RETURNING uuid`,
      [uuid, now],
    );
    return rows.length > 0;
  }

  /** The group's members not deleted, with the host each holds (null when none). */
  async groupMembers(
    uuid: string,
    q: SqlQueryable = this.sql,
  ): Promise<Array<{ uuid: string; host: string | null }>> {
    return q.query<{ uuid: string; host: string | null }>(
      `SELECT uuid, host FROM opie_servers
       WHERE deleted_at IS NULL AND scheduler_hints->>'group' = $1 ORDER BY id`,
      [uuid],
    );
  }

  // ------------------------------------------------------------------ quotas

  /** A project's limits: its own where set, else `defaults`. */
  async quotaLimits(
    project: string,
    defaults: QuotaLimits,
    q: SqlQueryable = this.sql,
  ): Promise<QuotaLimits> {
    const rows = await q.query<{ resource: string; hard_limit: number }>(
      'SELECT resource, hard_limit::float8 AS hard_limit FROM opie_quotas WHERE project_id = $1',
      [project],
    );
    const limits = { ...defaults };
    for (const r of rows) {
      if ((QUOTA_RESOURCES as readonly string[]).includes(r.resource)) {
        limits[r.resource as QuotaResource] = Number(r.hard_limit);
      }
    }
    return limits;
  }

  /** Sets some of a project's limits (nova's `PUT os-quota-sets`). */
  async setQuotaLimits(project: string, limits: Partial<QuotaLimits>): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const [resource, limit] of Object.entries(limits)) {
        await tx.query(
          `INSERT INTO opie_quotas (project_id, resource, hard_limit) VALUES ($1, $2, $3)
           ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = EXCLUDED.hard_limit`,
          [project, resource, limit],
        );
      }
    });
  }

  /**
   * Serialises the quota checks of one project until the transaction ends
   * (every replica, every process): taken before any node lock.
   */
  async lockQuota(tx: SqlQueryable, project: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [QUOTA_LOCK_CLASS, project]);
  }

  /**
   * What a project's servers of one kind (preemptible or not) count against
   * its quota: every server not deleted, as nova counts (ERROR ones too).
   */
  async quotaUsage(
    project: string,
    preemptible: boolean,
    q: SqlQueryable = this.sql,
  ): Promise<QuotaUsage> {
    const rows = await q.query<{ instances: number; cores: number; ram: number }>(
      `SELECT count(*)::float8 AS instances, coalesce(sum(vcpus), 0)::float8 AS cores,
         coalesce(sum(memory_mb), 0)::float8 AS ram
       FROM opie_servers WHERE project_id = $1 AND deleted_at IS NULL AND preemptible = $2`,
      [project, preemptible],
    );
    const r = rows[0];
    return {
      instances: Number(r?.instances ?? 0),
      cores: Number(r?.cores ?? 0),
      ram: Number(r?.ram ?? 0),
    };
  }

  /** Whether a server (deleted or not) has this uuid. */
  async serverExists(uuid: string): Promise<boolean> {
    const rows = await this.sql.query('SELECT 1 FROM opie_servers WHERE uuid = $1', [uuid]);
    return rows.length > 0;
  }

  async preemptionsOf(victimUuid: string): Promise<PreemptionRecord[]> {
    const rows = await this.sql.query<PreemptionRow>(
      'SELECT * FROM opie_preemptions WHERE victim_uuid = $1 ORDER BY id',
      [victimUuid],
    );
    return rows.map(fromPreemptionRow);
  }

  /** The preemptions a request ordered that have not ended yet. */
  async pendingPreemptions(
    requestId: string,
    q: SqlQueryable = this.sql,
  ): Promise<PreemptionRecord[]> {
    const rows = await q.query<PreemptionRow>(
      `SELECT * FROM opie_preemptions WHERE request_id = $1 AND finished_at IS NULL
         AND outcome IS NULL AND due_at IS NOT NULL ORDER BY id`,
      [requestId],
    );
    return rows.map(fromPreemptionRow);
  }

  /** Records a notice: the victim will be terminated at `dueAt`. */
  async insertPreemptionNotice(
    tx: SqlQueryable,
    p: Omit<PreemptionRecord, 'finishedAt' | 'outcome'>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO opie_preemptions (victim_uuid, host, node, request_id, by_server_uuid, action,
         reason, created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        p.victimUuid,
        p.host,
        p.node,
        p.requestId,
        p.byServerUuid,
        p.action,
        p.reason,
        p.createdAt,
        p.dueAt,
      ],
    );
  }

  /** Ends pending preemptions of a request (all, or one victim's); returns the victims ended. */
  async finishPreemptions(
    tx: SqlQueryable,
    where: { requestId?: string; victimUuid?: string },
    outcome: 'terminated' | 'deleted' | 'cancelled',
    now: number,
  ): Promise<Array<{ victimUuid: string; requestId: string | null }>> {
    const rows = await tx.query<{ victim_uuid: string; request_id: string | null }>(
      `UPDATE opie_preemptions SET finished_at = $3, outcome = $4
       WHERE finished_at IS NULL AND outcome IS NULL AND due_at IS NOT NULL
         AND ($1::text IS NULL OR request_id = $1) AND ($2::text IS NULL OR victim_uuid = $2)
       RETURNING victim_uuid, request_id`,
      [where.requestId ?? null, where.victimUuid ?? null, now, outcome],
    );
    return rows.map((r) => ({ victimUuid: r.victim_uuid, requestId: r.request_id }));
  }

  // ------------------------------------------------------------------ build requests

  async insertRequest(tx: SqlQueryable, r: RequestRecord): Promise<void> {
    await tx.query(
      `INSERT INTO opie_requests (request_id, project_id, spec, phase, due_at, owner, lease_until,
         created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)`,
      [
        r.requestId,
        r.projectId,
        json(r.spec),
        r.phase,
        r.dueAt,
        r.owner,
        r.leaseUntil,
        r.createdAt,
      ],
    );
  }

  /** A request not finished; `lock`: its row is locked until the transaction ends. */
  async getRequest(
    requestId: string,
    q: SqlQueryable = this.sql,
    lock = false,
  ): Promise<RequestRecord | undefined> {
    const rows = await q.query<RequestRow>(
      `SELECT * FROM opie_requests WHERE request_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [requestId],
    );
    const row = rows[0];
    return row === undefined ? undefined : fromRequestRow(row);
  }

  /** Every request not finished, oldest first. */
  async listRequests(): Promise<RequestRecord[]> {
    const rows = await this.sql.query<RequestRow>(
      'SELECT * FROM opie_requests ORDER BY created_at, request_id',
    );
    return rows.map(fromRequestRow);
  }

  async deleteRequest(tx: SqlQueryable, requestId: string): Promise<void> {
    await tx.query('DELETE FROM opie_requests WHERE request_id = $1', [requestId]);
  }

  async setRequestPhase(
    tx: SqlQueryable,
    requestId: string,
    phase: 'scheduling' | 'preempting',
    dueAt: number | null,
  ): Promise<void> {
    await tx.query('UPDATE opie_requests SET phase = $2, due_at = $3 WHERE request_id = $1', [
      requestId,
      phase,
      dueAt,
    ]);
  }

  /**
   * Takes a request over for `owner` until `leaseUntil` when its lease has
   * run out (`force`: whatever the lease). True if taken.
   */
  async takeRequest(
    requestId: string,
    owner: string,
    now: number,
    leaseUntil: number,
    force: boolean,
  ): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE opie_requests SET owner = $2, lease_until = $4
       WHERE request_id = $1 AND (owner = $2 OR lease_until < $3 OR $5::boolean) RETURNING request_id`,
      [requestId, owner, now, leaseUntil, force],
    );
    return rows.length > 0;
  }

  /** Extends the leases of the requests `owner` works on. */
  async renewLeases(owner: string, leaseUntil: number): Promise<void> {
    await this.sql.query('UPDATE opie_requests SET lease_until = $2 WHERE owner = $1', [
      owner,
      leaseUntil,
    ]);
  }

  /** A request's servers still waiting to be placed (BUILD, no host), locked in `tx` when `lock`. */
  async unplacedServers(
    requestId: string,
    q: SqlQueryable = this.sql,
    lock = false,
  ): Promise<ServerRecord[]> {
    const rows = await q.query<ServerRow>(
      `SELECT ${SERVER_COLUMNS} FROM opie_servers WHERE request_id = $1 AND deleted_at IS NULL
         AND vm_state = 'building' AND host IS NULL ORDER BY launch_index${lock ? ' FOR UPDATE' : ''}`,
      [requestId],
    );
    return rows.map(fromServerRow);
  }

  /** A request's servers placed and waiting for their victims' grace period (BUILD on a host). */
  async waitingServers(requestId: string, q: SqlQueryable = this.sql): Promise<ServerRecord[]> {
    const rows = await q.query<ServerRow>(
      `SELECT ${SERVER_COLUMNS} FROM opie_servers WHERE request_id = $1 AND deleted_at IS NULL
         AND vm_state = 'building' AND host IS NOT NULL ORDER BY launch_index FOR UPDATE`,
      [requestId],
    );
    return rows.map(fromServerRow);
  }

  /** Every server of a request (deleted ones too), by launch index. */
  async serversOfRequest(requestId: string, q: SqlQueryable = this.sql): Promise<ServerRecord[]> {
    const rows = await q.query<ServerRow>(
      `SELECT ${SERVER_COLUMNS} FROM opie_servers WHERE request_id = $1 ORDER BY launch_index`,
      [requestId],
    );
    return rows.map(fromServerRow);
  }

  /** Puts servers of a request on their nodes (or keeps them there) in a new state. */
  async placeServers(
    tx: SqlQueryable,
    placements: ReadonlyArray<{ uuid: string; host: string; node: string }>,
    state: { vmState: string; taskState: string | null; powerState: number; launched: boolean },
    now: number,
  ): Promise<void> {
    for (const p of placements) {
      await tx.query(
        `UPDATE opie_servers SET host = $2, node = $3, last_host = $2, last_node = $3,
           vm_state = $4, task_state = $5, power_state = $6, updated_at = $7,
           launched_at = CASE WHEN $8::boolean THEN $7 ELSE launched_at END
         WHERE uuid = $1 AND deleted_at IS NULL`,
        [
          p.uuid,
          p.host,
          p.node,
          state.vmState,
          state.taskState,
          state.powerState,
          now,
          state.launched,
        ],
      );
    }
  }

  /** Ends servers still in BUILD in ERROR with a fault (nova's failed build); no host. */
  async failServers(
    tx: SqlQueryable,
    uuids: readonly string[],
    fault: ServerFault,
    now: number,
  ): Promise<void> {
    if (uuids.length === 0) return;
    await tx.query(
      `UPDATE opie_servers SET vm_state = 'error', task_state = NULL, power_state = $2,
         host = NULL, node = NULL, fault = $3::jsonb, updated_at = $4
       WHERE uuid = ANY($1::text[]) AND deleted_at IS NULL AND vm_state = 'building'`,
      [uuids, POWER_STATE.NOSTATE, json(fault), now],
    );
  }

  /** Sets a server's task state while it holds resources on that node; false if it does not. */
  async setTaskState(
    tx: SqlQueryable,
    s: { uuid: string; host: string; node: string },
    taskState: string | null,
    now: number,
  ): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE opie_servers SET task_state = $4, updated_at = $5
       WHERE uuid = $1 AND host = $2 AND node = $3 AND ${HOLDS_RESOURCES} RETURNING uuid`,
      [s.uuid, s.host, s.node, taskState, now],
    );
    return rows.length > 0;
  }

  /** Counts of servers by state, for tests and the bench. */
  async countServers(): Promise<{ total: number; live: number; placed: number }> {
    const rows = await this.sql.query<{ total: number; live: number; placed: number }>(
      `SELECT count(*)::int AS total,
         (count(*) FILTER (WHERE deleted_at IS NULL))::int AS live,
         (count(*) FILTER (WHERE ${HOLDS_RESOURCES}))::int AS placed
       FROM opie_servers`,
    );
    return rows[0] ?? { total: 0, live: 0, placed: 0 };
  }

  // ------------------------------------------------------------------ claims (in a transaction)

  /**
   * Locks node rows (`FOR UPDATE`, in key order so transactions never wait
   * on each other in a cycle) and returns them with the usage of the
   * servers holding resources on them, read after the lock is held.
   */
  async lockNodes(
    tx: SqlQueryable,
    keys: ReadonlyArray<{ host: string; node: string }>,
  ): Promise<Map<string, LockedNode>> {
    const [hosts, nodes] = keyArrays(keys);
    const rows = await tx.query<NodeDbRow>(
      `SELECT ${NODE_COLUMNS} FROM opie_compute_nodes WHERE ${IN_KEYS}
       ORDER BY host, node FOR UPDATE`,
      [hosts, nodes],
    );
    // A second statement: in READ COMMITTED it sees every commit made before the locks were granted.
    const usage = await tx.query<{
      host: string;
      node: string;
      memory_mb: number;
      local_gb: number;
      vcpus: number;
    }>(
      `SELECT host, node, sum(memory_mb)::float8 AS memory_mb,
         sum(root_gb + ephemeral_gb)::float8 AS local_gb, sum(vcpus)::float8 AS vcpus
       FROM opie_servers WHERE ${HOLDS_RESOURCES} AND ${IN_KEYS} GROUP BY host, node`,
      [hosts, nodes],
    );
    const used = new Map(
      usage.map((r) => [
        hostKey(r.host, r.node),
        { memoryMb: r.memory_mb, localGb: r.local_gb, vcpus: r.vcpus },
      ]),
    );
    return new Map(
      rows.map((r) => {
        const key = hostKey(r.host, r.node);
        return [
          key,
          { ...fromNodeRow(r), used: used.get(key) ?? { memoryMb: 0, localGb: 0, vcpus: 0 } },
        ];
      }),
    );
  }

  /** Bumps the generations of locked nodes; returns the new ones. */
  async bumpGenerations(
    tx: SqlQueryable,
    keys: ReadonlyArray<{ host: string; node: string }>,
  ): Promise<Map<string, number>> {
    const [hosts, nodes] = keyArrays(keys);
    const rows = await tx.query<{ host: string; node: string; generation: number }>(
      `UPDATE opie_compute_nodes SET generation = generation + 1 WHERE ${IN_KEYS}
       RETURNING host, node, generation::float8 AS generation`,
      [hosts, nodes],
    );
    return new Map(rows.map((r) => [hostKey(r.host, r.node), Number(r.generation)]));
  }

  /** Inserts servers; returns them with the integer ids the store gave them. */
  async insertServers(
    tx: SqlQueryable,
    servers: readonly NewServerRecord[],
  ): Promise<ServerRecord[]> {
    if (servers.length === 0) return [];
    const rows = await tx.query<{ uuid: string; id: number }>(
      `${insertServersSql(servers.length, '')} RETURNING uuid, id::float8 AS id`,
      servers.flatMap(serverValues),
    );
    const ids = new Map(rows.map((r) => [r.uuid, Number(r.id)]));
    return servers.map((server) => ({ ...server, id: ids.get(server.uuid) ?? 0 }));
  }

  /**
   * Ends a preempted server: it leaves its node (no more resources held),
   * takes the terminal state and the fault, and the preemption is recorded.
   * Returns false when the server no longer holds resources on that node
   * (deleted or preempted meanwhile).
   */
  async terminate(
    tx: SqlQueryable,
    termination: {
      uuid: string;
      host: string;
      node: string;
      vmState: string;
      powerState: number;
      fault: ServerFault;
      /** Absent: the preemption was recorded at its notice. */
      preemption?: Pick<
        PreemptionRecord,
        'requestId' | 'byServerUuid' | 'action' | 'reason' | 'createdAt'
      >;
      now: number;
    },
  ): Promise<boolean> {
    const t = termination;
    const updated = await tx.query(
      `UPDATE opie_servers SET host = NULL, node = NULL, vm_state = $4, task_state = NULL,
         power_state = $5, fault = $6::jsonb, updated_at = $7, terminated_at = $7
       WHERE uuid = $1 AND host = $2 AND node = $3 AND ${HOLDS_RESOURCES}
       RETURNING uuid`,
      [t.uuid, t.host, t.node, t.vmState, t.powerState, json(t.fault), t.now],
    );
    if (updated.length === 0) return false;
    const p = t.preemption;
    if (p === undefined) return true;
    await tx.query(
      `INSERT INTO opie_preemptions (victim_uuid, host, node, request_id, by_server_uuid, action,
         reason, created_at, due_at, finished_at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, 'terminated')`,
      [t.uuid, t.host, t.node, p.requestId, p.byServerUuid, p.action, p.reason, p.createdAt],
    );
    return true;
  }

  /**
   * nova's soft delete: the server leaves its node and every listing. The
   * node row is locked first (the same order as claims), then the server.
   * Returns the node it left (with its new generation), `null` if it held
   * none, or `undefined` if there is no such server.
   */
  async deleteServer(
    uuid: string,
    now: number,
  ): Promise<{ host: string; node: string; generation: number } | null | undefined> {
    return this.sql.transaction(async (tx) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const found = await tx.query<{ host: string | null; node: string | null }>(
          'SELECT host, node FROM opie_servers WHERE uuid = $1 AND deleted_at IS NULL',
          [uuid],
        );
        const row = found[0];
        if (row === undefined) return undefined;
        const key =
          row.host !== null && row.node !== null ? { host: row.host, node: row.node } : undefined;
        if (key !== undefined) await this.lockNodes(tx, [key]);
        const locked = await tx.query<{ host: string | null; node: string | null }>(
          'SELECT host, node FROM opie_servers WHERE uuid = $1 AND deleted_at IS NULL FOR UPDATE',
          [uuid],
        );
        const now2 = locked[0];
        if (now2 === undefined) return undefined;
        if (now2.host !== row.host || now2.node !== row.node) continue; // moved meanwhile: again
        await tx.query(
          `UPDATE opie_servers SET last_host = COALESCE(host, last_host),
             last_node = COALESCE(node, last_node), host = NULL, node = NULL,
             vm_state = 'deleted', task_state = NULL, power_state = $2, deleted_at = $3,
             terminated_at = COALESCE(terminated_at, $3), updated_at = $3
           WHERE uuid = $1`,
          [uuid, POWER_STATE.NOSTATE, now],
        );
        if (key === undefined) return null;
        const generations = await this.bumpGenerations(tx, [key]);
        return { ...key, generation: generations.get(hostKey(key.host, key.node)) ?? 0 };
      }
      throw new OpieError(
        'COMPUTE_ACTION_FAILED',
        `server ${uuid} kept moving while being deleted`,
      );
    });
  }
}
