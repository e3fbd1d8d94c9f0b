import { randomBytes, randomUUID } from 'node:crypto';
import type {
  Aggregate,
  Flavor,
  ImageMeta,
  Instance,
  RequestSpec,
  Runtime,
  Scheduler,
  SchedulingPlan,
  TerminationAction,
  TerminationOrder,
} from '@opie/core';
import { hostKey, NoValidHostError } from '@opie/core';
import { markSystemMetadata } from '@opie/api-patch';
import type { CatalogImage, CloudSnapshot } from '@opie/cloud';
import type { LoadedScheduler } from '@opie/loader';
import { ApiError } from './api-error.js';
import { AsyncMutex } from './async-mutex.js';
import { claimProblems } from './claim-check.js';
import type { CreateServerInput } from './create-server-input.js';
import { instancesAllowed, QUOTA_RESOURCES, quotaExceeded } from './quota.js';
import type { QuotaLimits, QuotaRequest, QuotaSources } from './quota.js';
import type { SqlQueryable } from './store/sql-client.js';
import { liveComputeNode } from './live-compute-node.js';
import type { NewServerRecord, ServerFault, ServerRecord } from './server-record.js';
import {
  POWER_STATE,
  PREEMPTING_TASK_STATE,
  SCHEDULING_TASK_STATE,
  toInstance,
  WAITING_TASK_STATE,
} from './server-record.js';
import { preemptionFault } from './store-compute-port.js';
import type { StoreComputePort } from './store-compute-port.js';
import { StoreHostSource } from './store-host-source.js';
import type {
  LockedNode,
  PreemptionRecord,
  RequestRecord,
  ServerGroupRecord,
  ServerQuery,
  ServerStore,
} from './store/server-store.js';
import { isRetryableSqlError, StoreUnavailableError } from './store/sql-client.js';
import type { HypervisorEntry } from './views/hypervisor-view.js';
import { isoTime } from './views/links.js';

/** A driver that plans first and acts after (both built-in FilterSchedulers). */
export interface ComputeServiceOptions {
  store: ServerStore;
  /** Built by `loadScheduler` with `compute` as its compute port. */
  scheduler: LoadedScheduler;
  compute: StoreComputePort;
  /** Defaults to the scheduler's runtime. */
  runtime?: Runtime;
  /**
   * Shared (PostgreSQL) stores: compare the node generations with the store
   * before a decision when this many ms have passed since the last check
   * (default 1000; 0: before every decision).
   */
  syncIntervalMs?: number;
  /** A claim that loses a race with another replica is planned again, up to this many times in all (default 10). */
  claimAttempts?: number;
  /** The largest `max_count` accepted (default 1000). */
  maxCount?: number;
  /** How often the services heartbeat (default 10 000 ms). */
  heartbeatMs?: number;
  /** Every project's quota unless set for it (default: -1, unlimited, for each resource). */
  quotaDefaults?: QuotaLimits;
  /** Where each default came from (nova.conf file:line and option), for messages. */
  quotaSources?: QuotaSources;
  /**
   * Runs the background work (scheduling after the 202, grace-period
   * deadlines, the sweep). Default: `setTimeout`. Tests inject their own to
   * run it when they choose.
   */
  timer?: BackgroundTimer;
  /** How often pending requests are swept (deadlines passed, requests of a process gone); default 1000 ms, 0: never. */
  sweepMs?: number;
  /** How long a process's claim on the requests it accepted lasts without renewal (default 30 000 ms). */
  leaseMs?: number;
  /** Delay before background work that failed (e.g. the database away) is tried again (default 1000 ms). */
  retryMs?: number;
}

/** Sets and clears the timers of the service's background work. */
export interface BackgroundTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** `setTimeout`. */
export const realTimer: BackgroundTimer = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The claim's request row was taken by another process, or its servers changed: start over. */
class RequestChanged extends Error {}

/** One entry of `GET /servers/{id}/os-instance-actions`. */
export interface InstanceAction {
  action: 'create' | 'preempt';
  instanceUuid: string;
  requestId: string | null;
  projectId: string;
  userId: string | null;
  startTime: number;
  message: string | null;
  /** `preempt`: when the termination is (or was) due, what it does, and for which server. */
  terminateAt?: number;
  terminationAction?: string;
  preemptedFor?: string | null;
  finishTime?: number | null;
  outcome?: string | null;
}

/** A preemption record as a `preempt` instance action; its message names the request and the deadline. */
function preemptAction(server: ServerRecord, p: PreemptionRecord): InstanceAction {
  const due = isoTime(p.dueAt) ?? '';
  const what = p.action === 'stop' ? 'stopped' : 'deleted';
  const message =
    p.outcome === null
      ? `Preemption notice: this server will be ${what} at ${due} to make room for request ${p.requestId ?? 'unknown'}.`
      : p.outcome === 'terminated'
        ? `Preempted: ${what} at ${isoTime(p.finishedAt ?? p.dueAt) ?? ''} to make room for request ${p.requestId ?? 'unknown'}.`
        : p.outcome === 'deleted'
          ? `Preemption notice ended: the server was deleted before ${due}.`
          : `Preemption notice withdrawn: request ${p.requestId ?? 'unknown'} no longer needs the room.`;
  return {
    action: 'preempt',
    instanceUuid: server.uuid,
    requestId: p.requestId,
    projectId: server.projectId,
    userId: null,
    startTime: p.createdAt,
    message,
    terminateAt: p.dueAt,
    terminationAction: p.action,
    preemptedFor: p.byServerUuid,
    finishTime: p.finishedAt,
    outcome: p.outcome,
  };
}

/** The quota a create's transaction checks again, under the project's quota lock. */
interface QuotaClaim {
  projectId: string;
  request: QuotaRequest;
  /** The server group the servers join (its hard policy is checked again in the claim). */
  group?: ServerGroupRecord;
}

/** Who is asking (keystone's headers; defaults when there is no keystone). */
export interface RequestContext {
  projectId: string;
  userId: string;
  /** nova's `x-openstack-request-id` of the call (`req-<uuid>`); a new one when absent. */
  requestId?: string;
}

/** The outcome of a create: the servers as accepted (BUILD), their reservation and request. */
export interface CreateOutcome {
  servers: ServerRecord[];
  reservationId: string;
  requestId: string;
}

/** An availability zone and its hosts. */
export interface AvailabilityZone {
  name: string;
  hosts: string[];
}

class StaleClaim extends Error {
  constructor(
    readonly keys: Array<{ host: string; node: string }>,
    why: string,
  ) {
    super(why);
  }
}

function uniqueKeys(
  keys: Iterable<{ host: string; node: string }>,
): Array<{ host: string; node: string }> {
  const seen = new Map<string, { host: string; node: string }>();
  for (const k of keys) seen.set(hostKey(k.host, k.node), { host: k.host, node: k.node });
  return [...seen.values()];
}

function optionOr<T>(read: () => T | null | undefined, fallback: T): T {
  try {
    return read() ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * The compute API's domain: servers scheduled by the FilterScheduler the
 * loader built, kept in a `ServerStore`. A create is stored in BUILD first
 * (nova's build request); in the background a decision plans on the
 * scheduler's copy of the store, then claims in one transaction: it locks
 * the request and the chosen nodes' rows, checks that its copy of them was
 * current (generations) and that the new servers fit under the limits the
 * filters set (nova's compute claim), then either terminates the victims
 * through the compute port and puts the servers ACTIVE, or (with a grace
 * period) places the servers and notices the victims, whose termination
 * is due at a stored deadline; the nodes' generations are bumped. A claim
 * that lost a race is planned again on fresh state. Decisions of one
 * process run one at a time.
 * @see nova/compute/claims.py
 * @see nova/conductor/manager.py (schedule_and_build_instances)
 */
export class ComputeService {
  readonly store: ServerStore;
  readonly scheduler: LoadedScheduler;
  readonly runtime: Runtime;
  readonly source: StoreHostSource;
  readonly maxCount: number;
  readonly defaultAvailabilityZone: string;
  readonly quotaDefaults: QuotaLimits;
  readonly quotaSources: QuotaSources;
  private readonly compute: StoreComputePort;
  private readonly driver: Scheduler;
  private readonly mutex = new AsyncMutex();
  private readonly syncIntervalMs: number;
  private readonly claimAttempts: number;
  private lastSync = Number.NEGATIVE_INFINITY;
  /** Nodes whose copy may be wrong after a claim the store lost: read again first. */
  private dirty: Array<{ host: string; node: string }> = [];
  private aggregates: readonly Aggregate[] = [];
  /** The flavors and images, read with the inventory (a create needs both). */
  private flavors = new Map<string, Flavor>();
  private images = new Map<string, CatalogImage>();
  private stats = { decisions: 0, conflicts: 0, preemptions: 0, terminations: 0 };
  /** This process, as the owner of the requests it accepted. */
  readonly replicaId = `replica-${randomUUID()}`;
  private readonly timer: BackgroundTimer;
  private readonly sweepMs: number;
  private readonly leaseMs: number;
  private readonly retryMs: number;
  private readonly gracePeriodMs: number;
  private readonly terminationAction: TerminationAction;
  private closing = false;
  /** Background tasks set on the timer to run at once, not started yet. */
  private queued = 0;
  private readonly inflight = new Set<Promise<void>>();
  /** Deadline timers of this process, by request. */
  private readonly deadlines = new Map<string, unknown>();
  private sweepHandle: unknown;

  constructor(options: ComputeServiceOptions) {
    const { scheduler } = options;
    this.store = options.store;
    this.scheduler = scheduler;
    this.compute = options.compute;
    this.driver = scheduler.driver;
    this.runtime = options.runtime ?? scheduler.runtime;
    this.syncIntervalMs = options.syncIntervalMs ?? 1000;
    this.claimAttempts = Math.max(1, options.claimAttempts ?? 10);
    this.maxCount = options.maxCount ?? 1000;
    this.quotaDefaults =
      options.quotaDefaults ??
      (Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, -1])) as QuotaLimits);
    this.quotaSources = options.quotaSources ?? {};
    this.source = new StoreHostSource(
      options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {},
    );
    scheduler.hostManager.setSource(this.source);
    this.defaultAvailabilityZone = optionOr(
      () => scheduler.config.values.str('DEFAULT', 'default_availability_zone'),
      'nova',
    );
    const grace = scheduler.driver.gracePeriod;
    this.gracePeriodMs = typeof grace === 'number' && grace > 0 ? grace * 1000 : 0;
    const action = (scheduler.driver as { terminationAction?: unknown }).terminationAction;
    this.terminationAction = action === 'stop' ? 'stop' : 'delete';
    this.timer = options.timer ?? realTimer;
    this.sweepMs = options.sweepMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.retryMs = options.retryMs ?? 1000;
  }

  /** Creates the schema, brings the cloud file's inventory in, and reads the store. */
  async start(cloud: CloudSnapshot): Promise<void> {
    await this.store.setup(cloud, this.runtime.now());
    await this.resyncAll();
    // Requests accepted before a restart: deadlines watched again, scheduling taken over.
    await this.tick();
    this.startSweep();
  }

  /**
   * Stops the background work (what is not done stays in the store for the
   * next start), waits for the decision running, and closes the store.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.sweepHandle !== undefined) this.timer.clear(this.sweepHandle);
    for (const handle of this.deadlines.values()) this.timer.clear(handle);
    this.deadlines.clear();
    await Promise.allSettled([...this.inflight]);
    return this.mutex.run(() => this.store.close());
  }

  /** A request's servers (deleted ones too), by launch index. */
  serversOfRequest(requestId: string): Promise<ServerRecord[]> {
    return this.store.serversOfRequest(requestId);
  }

  /**
   * nova's instance actions of a server, newest first: its `create`, and a
   * `preempt` for each preemption notice (or termination) it received.
   */
  async instanceActions(server: ServerRecord): Promise<InstanceAction[]> {
    const actions: InstanceAction[] = [];
    if (server.origin === 'api') {
      actions.push({
        action: 'create',
        instanceUuid: server.uuid,
        requestId: server.requestId,
        projectId: server.projectId,
        userId: server.userId,
        startTime: server.createdAt,
        message: null,
      });
    }
    for (const p of await this.store.preemptionsOf(server.uuid)) {
      actions.push(preemptAction(server, p));
    }
    return actions.sort((a, b) => b.startTime - a.startTime);
  }

  /**
   * Counters since start: decisions, claims that lost a race, preempted
   * servers (at their plan), and victims this process terminated at the end
   * of a grace period.
   */
  get counters(): Readonly<{
    decisions: number;
    conflicts: number;
    preemptions: number;
    terminations: number;
  }> {
    return { ...this.stats };
  }

  // ------------------------------------------------------------------ reads

  getServer(uuid: string): Promise<ServerRecord | undefined> {
    return this.store.getServer(uuid);
  }

  listServers(query: ServerQuery = {}): Promise<ServerRecord[]> {
    return this.store.listServers(query);
  }

  listFlavors(): Promise<Flavor[]> {
    return this.store.listFlavors();
  }

  getFlavor(id: string): Promise<Flavor | undefined> {
    return this.store.getFlavor(id);
  }

  listImages(): Promise<CatalogImage[]> {
    return this.store.listImages();
  }

  getImage(id: string): Promise<CatalogImage | undefined> {
    return this.store.getImage(id);
  }

  /** Every hypervisor with its usage as the store has it now. */
  async hypervisors(): Promise<HypervisorEntry[]> {
    const inventory = await this.store.loadInventory();
    const services = new Map(
      inventory.services
        .filter((s) => s.binary === undefined || s.binary === 'nova-compute')
        .map((s) => [s.host, s]),
    );
    const byNode = new Map<string, Instance[]>();
    for (const s of inventory.servers) {
      if (s.host === null || s.node === null) continue;
      const key = hostKey(s.host, s.node);
      const list = byNode.get(key);
      if (list === undefined) byNode.set(key, [toInstance(s)]);
      else list.push(toInstance(s));
    }
    return inventory.nodes.map((row, i) => ({
      id: i + 1,
      record: liveComputeNode(row, byNode.get(hostKey(row.host, row.node)) ?? []),
      service: services.get(row.host),
    }));
  }

  /** The availability zone of a host: its aggregates' zone, else the default zone. */
  zoneOf(host: string | null): string | null {
    if (host === null) return null;
    for (const agg of this.aggregates) {
      const zone = agg.metadata['availability_zone'];
      if (zone !== undefined && agg.hosts.includes(host)) return zone;
    }
    return this.defaultAvailabilityZone;
  }

  /** Zones with at least one compute node, in inventory order. */
  availabilityZones(): AvailabilityZone[] {
    const zones = new Map<string, string[]>();
    for (const { host } of this.source.generations()) {
      const zone = this.zoneOf(host) ?? this.defaultAvailabilityZone;
      const hosts = zones.get(zone) ?? [];
      if (!hosts.includes(host)) hosts.push(host);
      zones.set(zone, hosts);
    }
    return [...zones].map(([name, hosts]) => ({ name, hosts }));
  }

  // ------------------------------------------------------------------ create

  /**
   * Accepts `max_count` servers of a validated body, or as many as the
   * project's quota allows if that is at least `min_count` (nova; else a
   * 403 and nothing stored): they are committed in BUILD (task state
   * `scheduling`) with their request, and scheduled in the background
   * (ACTIVE; ERROR with nova's NoValidHost fault when no host fits; or
   * placed and waiting for their victims' grace period). Bad references
   * (flavor, image, zone, group) are a 400 and store nothing.
   */
  async createServers(input: CreateServerInput, context: RequestContext): Promise<CreateOutcome> {
    // The copy first; a miss asks the store (another replica may have added it).
    const flavor =
      this.flavors.get(input.flavorRef) ?? (await this.store.getFlavor(input.flavorRef));
    if (flavor === undefined) throw ApiError.badRequest('Invalid flavorRef provided.');
    let image: CatalogImage | undefined;
    if (input.imageRef !== undefined) {
      image = this.images.get(input.imageRef) ?? (await this.store.getImage(input.imageRef));
      if (image === undefined) throw ApiError.badRequest('Can not find requested image');
      if (image.status !== 'active') {
        throw ApiError.badRequest(`Image ${image.id} is not active.`);
      }
      if (image.minRam > flavor.memoryMb) {
        throw ApiError.badRequest("Flavor's memory is too small for requested image.");
      }
      if (flavor.rootGb > 0 && image.minDisk > flavor.rootGb) {
        throw ApiError.badRequest("Flavor's disk is too small for requested image.");
      }
    }
    if (input.availabilityZone !== undefined) {
      const known = this.availabilityZones().map((z) => z.name);
      if (!known.includes(input.availabilityZone)) {
        throw ApiError.badRequest('The requested availability zone is not available');
      }
    }

    // nova's quota check first (nothing stored when over): as many as fit, at least min_count.
    const quotaRequest: QuotaRequest = {
      preemptible: input.preemptible,
      instances: input.maxCount,
      vcpus: flavor.vcpus,
      memoryMb: flavor.memoryMb,
    };
    const limits = await this.store.quotaLimits(context.projectId, this.quotaDefaults);
    const used = await this.store.quotaUsage(context.projectId, input.preemptible);
    const count = instancesAllowed(quotaRequest, used, limits);
    if (count < input.minCount) {
      throw quotaExceeded(quotaRequest, used, limits, input.minCount) as ApiError;
    }
    let group: ServerGroupRecord | undefined;
    if (input.group !== undefined) {
      group = await this.store.getServerGroup(input.group);
      if (group === undefined) {
        throw ApiError.badRequest(
          `Invalid input for field/attribute os:scheduler_hints.group. Value: "${input.group}". The server group could not be found.`,
        );
      }
    }
    const quota: QuotaClaim = {
      projectId: context.projectId,
      request: { ...quotaRequest, instances: count },
      ...(group !== undefined ? { group } : {}),
    };
    const uuids = Array.from({ length: count }, () => randomUUID());
    const requestId = context.requestId ?? `req-${randomUUID()}`;
    const reservationId = `r-${randomBytes(4).toString('hex')}`;
    const systemMetadata = markSystemMetadata({}, input.preemptible);
    const imageMeta: ImageMeta = { properties: {} };
    if (image !== undefined) {
      imageMeta.id = image.id;
      if (image.name !== undefined) imageMeta.name = image.name;
      imageMeta.properties = { ...image.properties };
      imageMeta.minRam = image.minRam;
      imageMeta.minDisk = image.minDisk;
    }
    const spec: RequestSpec = {
      instanceUuids: uuids,
      projectId: context.projectId,
      flavor,
      image: imageMeta,
      schedulerHints: input.schedulerHints,
      numInstances: count,
      systemMetadata,
      preemptible: input.preemptible,
      requestId,
    };
    if (input.availabilityZone !== undefined) spec.availabilityZone = input.availabilityZone;
    if (input.forceHost !== undefined) spec.forceHosts = [input.forceHost];
    if (input.forceNode !== undefined) spec.forceNodes = [input.forceNode];

    const make = (index: number, now: number): NewServerRecord => ({
      uuid: uuids[index] as string,
      name: count > 1 ? `${input.name}-${index + 1}` : input.name,
      projectId: context.projectId,
      userId: context.userId,
      flavorId: flavor.flavorid ?? flavor.id,
      imageId: image?.id ?? null,
      host: null,
      node: null,
      lastHost: null,
      lastNode: null,
      vmState: 'building',
      taskState: SCHEDULING_TASK_STATE,
      powerState: POWER_STATE.NOSTATE,
      memoryMb: flavor.memoryMb,
      vcpus: flavor.vcpus,
      rootGb: flavor.rootGb,
      ephemeralGb: flavor.ephemeralGb,
      swap: flavor.swap,
      preemptible: input.preemptible,
      priority: null,
      systemMetadata,
      metadata: input.metadata,
      availabilityZone: input.availabilityZone ?? null,
      schedulerHints: input.schedulerHints,
      requestId,
      reservationId,
      launchIndex: index,
      keyName: input.keyName ?? null,
      fault: null,
      origin: 'api',
      createdAt: now,
      updatedAt: now,
      launchedAt: null,
      terminatedAt: null,
      deletedAt: null,
    });

    // The servers in BUILD and the request, in one transaction under the quota lock:
    // a crash after the 202 loses nothing (the request is scheduled again on start).
    const { instanceUuids: _uuids, numInstances: _n, ...storedSpec } = spec;
    const now = this.runtime.now();
    const request: RequestRecord = {
      requestId,
      projectId: context.projectId,
      spec: { spec: storedSpec, group: group?.uuid ?? null },
      phase: 'scheduling',
      dueAt: null,
      owner: this.replicaId,
      leaseUntil: now + this.leaseMs,
      createdAt: now,
    };
    const servers = await this.store.sql.transaction(async (tx) => {
      await this.checkQuota(tx, quota);
      const inserted = await this.store.insertServers(
        tx,
        uuids.map((_, i) => make(i, now)),
      );
      await this.store.insertRequest(tx, request);
      return inserted;
    });
    // The first decision starts from what was just stored (the claim checks it again).
    this.enqueueSchedule(requestId, { request, pending: servers });
    return { servers, reservationId, requestId };
  }

  /** nova's NoValidHost text for a forced host or node that is not in the inventory, naming it. */
  private unknownForcedDestination(
    forceHost: string | undefined,
    forceNode: string | undefined,
  ): string | undefined {
    const nodes = this.source.generations();
    if (forceHost !== undefined && !nodes.some((n) => n.host === forceHost)) {
      const hosts = [...new Set(nodes.map((n) => n.host))];
      return `No valid host was found. The forced host "${forceHost}" is not a compute host of this cloud (hosts: ${hosts.join(', ')}).`;
    }
    if (
      forceNode !== undefined &&
      !nodes.some((n) => n.node === forceNode && (forceHost === undefined || n.host === forceHost))
    ) {
      const names = nodes
        .filter((n) => forceHost === undefined || n.host === forceHost)
        .map((n) => n.node);
      return `No valid host was found. The forced node "${forceNode}" is not a compute node${forceHost !== undefined ? ` of host ${forceHost}` : ''} (nodes: ${names.join(', ')}).`;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ background work

  /**
   * Runs `task` through the injected timer (after `ms`), one decision at a
   * time; a task due at once (`ms` <= 0) is waited for by `settled`. A task
   * that fails is logged and set again after `retryMs`.
   */
  private later(task: () => Promise<void>, ms: number, what: string): unknown {
    if (this.closing) return undefined;
    const immediate = ms <= 0;
    if (immediate) this.queued += 1;
    return this.timer.set(
      () => {
        if (immediate) this.queued -= 1;
        if (this.closing) return;
        const run = this.mutex
          .run(async () => {
            if (!this.closing) await task();
          })
          .catch((error: unknown) => {
            if (this.closing) return;
            this.runtime.logger.error(`Background ${what} failed; retrying`, {
              error: error instanceof Error ? error.message : String(error),
            });
            this.later(task, this.retryMs, what);
          })
          .finally(() => this.inflight.delete(run));
        this.inflight.add(run);
      },
      Math.max(0, ms),
    );
  }

  private enqueueSchedule(
    requestId: string,
    known?: { request: RequestRecord; pending: ServerRecord[] },
  ): void {
    let first = known;
    this.later(
      () => {
        const given = first;
        first = undefined; // a retry reads the store again
        return this.scheduleRequest(requestId, given);
      },
      0,
      'scheduling',
    );
  }

  /** A timer for a request's deadline (one per request and process). */
  private watchDeadline(requestId: string, dueAt: number): void {
    if (this.deadlines.has(requestId) || this.closing) return;
    const handle = this.later(
      async () => {
        this.deadlines.delete(requestId);
        await this.finishPreemption(requestId);
      },
      // At least 1 ms: a deadline timer is never one `settled` waits for.
      Math.max(1, dueAt - this.runtime.now()),
      'preemption',
    );
    this.deadlines.set(requestId, handle);
  }

  /**
   * Resolves once every scheduling already accepted has run (its servers
   * ACTIVE, ERROR, or placed and waiting for a grace period) and every
   * task due at once (a deadline passed, a victim gone) is done. Deadlines
   * still ahead and retries after a failure are not waited for.
   */
  async settled(): Promise<void> {
    for (;;) {
      if (this.inflight.size === 0 && this.queued <= 0) return;
      if (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * What the periodic sweep does (also callable, e.g. after a clock moved):
   * renews this process's leases, finishes the preemptions whose deadline
   * has passed, watches the others' deadlines, and takes over scheduling
   * that no live process owns (every such request on an embedded store,
   * whose previous process is gone; on PostgreSQL those whose lease ran out).
   */
  async tick(): Promise<void> {
    if (this.closing) return;
    const now = this.runtime.now();
    await this.store.renewLeases(this.replicaId, now + this.leaseMs);
    for (const r of await this.store.listRequests()) {
      if (r.phase === 'preempting') {
        const dueAt = r.dueAt ?? now;
        if (dueAt <= now) {
          const handle = this.deadlines.get(r.requestId);
          if (handle !== undefined) {
            this.timer.clear(handle);
            this.deadlines.delete(r.requestId);
          }
          this.later(() => this.finishPreemption(r.requestId), 0, 'preemption');
        } else {
          this.watchDeadline(r.requestId, dueAt);
        }
      } else if (r.owner !== this.replicaId && (!this.store.shared || r.leaseUntil < now)) {
        const force = !this.store.shared;
        if (
          await this.store.takeRequest(r.requestId, this.replicaId, now, now + this.leaseMs, force)
        ) {
          this.runtime.logger.info('Scheduling a request accepted before a restart', {
            request_id: r.requestId,
          });
          this.enqueueSchedule(r.requestId);
        }
      }
    }
  }

  private startSweep(): void {
    if (this.closing || this.sweepMs <= 0) return;
    this.sweepHandle = this.timer.set(() => {
      this.sweepHandle = undefined;
      this.tick()
        .catch((error: unknown) =>
          this.runtime.logger.warn('The sweep of pending requests failed', {
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => this.startSweep());
    }, this.sweepMs);
    // The sweep alone does not keep a process alive (a service not closed still lets it exit).
    (this.sweepHandle as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Schedules one accepted request: plans its servers still in BUILD and claims. */
  private async scheduleRequest(
    requestId: string,
    known?: { request: RequestRecord; pending: ServerRecord[] },
  ): Promise<void> {
    for (let round = 1; ; round++) {
      const request = round === 1 && known ? known.request : await this.store.getRequest(requestId);
      if (request === undefined || request.phase !== 'scheduling') return;
      if (request.owner !== this.replicaId) return; // another process took it over
      const pending =
        round === 1 && known ? known.pending : await this.store.unplacedServers(requestId);
      if (pending.length === 0) {
        await this.store.sql.transaction((tx) => this.store.deleteRequest(tx, requestId));
        return;
      }
      const stored = request.spec as {
        spec: Omit<RequestSpec, 'instanceUuids' | 'numInstances'>;
        group: string | null;
      };
      const spec: RequestSpec = {
        ...stored.spec,
        instanceUuids: pending.map((s) => s.uuid),
        numInstances: pending.length,
      };
      const group =
        stored.group === null ? undefined : await this.store.getServerGroup(stored.group);
      const unknown = this.unknownForcedDestination(spec.forceHosts?.[0], spec.forceNodes?.[0]);
      const outcome =
        unknown !== undefined
          ? await this.failRequest(requestId, pending, unknown)
          : await this.decide(spec, pending, group);
      if (outcome !== 'again') return;
      if (round >= this.claimAttempts) {
        await this.failRequest(
          requestId,
          await this.store.unplacedServers(requestId),
          `No valid host was found. The request's servers kept changing while it was scheduled (${round} attempts).`,
        );
        return;
      }
    }
  }

  /** One decision: plan, claim, commit; again on fresh state after a lost race. */
  private async decide(
    spec: RequestSpec,
    pending: readonly ServerRecord[],
    group: ServerGroupRecord | undefined,
  ): Promise<'done' | 'again'> {
    this.stats.decisions += 1;
    const requestId = spec.requestId as string;
    let resynced = false;
    for (let attempt = 1; ; attempt++) {
      await this.syncIfStale();
      this.source.heartbeat(this.runtime.now());
      if (group !== undefined) {
        // nova's group info: the hosts its members hold now (read again on every attempt).
        const members = await this.store.groupMembers(group.uuid);
        spec.instanceGroup = {
          uuid: group.uuid,
          policies: [...group.policies],
          hosts: [...new Set(members.flatMap((m) => (m.host === null ? [] : [m.host])))],
          // nova's InstanceGroup.members: read by the soft-(anti-)affinity weighers
          // and, under nova_version = zed, by the anti-affinity filter.
          members: members.map((m) => m.uuid),
        };
      }
      let plan: SchedulingPlan;
      try {
        plan = this.driver.plan(spec);
      } catch (error) {
        if (!NoValidHostError.isInstance(error)) throw error;
        if (this.store.shared && !resynced) {
          // Another replica may have freed room this copy does not show yet:
          // catch up (changed nodes only) and plan again if anything changed.
          resynced = true;
          if (await this.catchUp()) continue;
        }
        return this.failRequest(requestId, pending, error.message);
      }
      let committed: 'done' | 'again' | undefined;
      try {
        committed = await this.claim(plan, pending, group);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        // The copy may miss what the store has now: compare before the next decision.
        this.lastSync = Number.NEGATIVE_INFINITY;
        // Lost mid-claim with nothing committed: plan again once the store is back.
        if (error.committed !== false || attempt >= this.claimAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
        continue;
      }
      if (committed !== undefined) return committed;
      this.stats.conflicts += 1;
      if (attempt >= this.claimAttempts) {
        return this.failRequest(
          requestId,
          pending,
          `No valid host was found. Every claim lost a race with a concurrent request (${attempt} attempts).`,
        );
      }
    }
  }

  /** The request's servers still in BUILD go to ERROR with nova's build fault; the request ends. */
  private async failRequest(
    requestId: string,
    pending: readonly ServerRecord[],
    message: string,
  ): Promise<'done'> {
    const now = this.runtime.now();
    const fault: ServerFault = { code: 500, message, created: now };
    await this.store.sql.transaction(async (tx) => {
      if ((await this.store.getRequest(requestId, tx, true))?.phase !== 'scheduling') return;
      await this.store.failServers(
        tx,
        pending.map((s) => s.uuid),
        fault,
        now,
      );
      await this.store.deleteRequest(tx, requestId);
    });
    return 'done';
  }

  /**
   * A hard group policy checked again under the group's row lock (another
   * replica may have placed a member since the plan): anti-affinity, no two
   * members on one host; affinity, every member on one host.
   */
  private async checkGroup(
    tx: SqlQueryable,
    group: ServerGroupRecord | undefined,
    servers: ReadonlyArray<{ host: string | null }>,
  ): Promise<string | undefined> {
    if (group === undefined) return undefined;
    const hard = group.policies.filter((p) => p === 'affinity' || p === 'anti-affinity');
    if (hard.length === 0) return undefined;
    if ((await this.store.getServerGroup(group.uuid, tx, true)) === undefined) return undefined;
    const members = await this.store.groupMembers(group.uuid, tx);
    const held = members.flatMap((m) => (m.host === null ? [] : [m.host]));
    const placed = servers.flatMap((s) => (s.host === null ? [] : [s.host]));
    if (hard.includes('anti-affinity')) {
      const all = [...held, ...placed];
      if (new Set(all).size !== all.length) {
        return `server group ${group.uuid} (anti-affinity) would have two members on one host`;
      }
    } else if (new Set([...held, ...placed]).size > 1) {
      return `server group ${group.uuid} (affinity) would span hosts`;
    }
    return undefined;
  }

  /**
   * The quota check of a create's transaction: under the project's lock (so
   * concurrent creates of every replica see each other's servers), before
   * any node lock. Over quota: a 403 and the transaction stores nothing.
   */
  private async checkQuota(tx: SqlQueryable, quota: QuotaClaim): Promise<void> {
    await this.store.lockQuota(tx, quota.projectId);
    const limits = await this.store.quotaLimits(quota.projectId, this.quotaDefaults, tx);
    const used = await this.store.quotaUsage(quota.projectId, quota.request.preemptible, tx);
    const over = quotaExceeded(quota.request, used, limits, quota.request.instances);
    if (over !== undefined) throw over;
  }

  /**
   * Claims a plan in one transaction. Without victims, or without a grace
   * period, the victims are terminated and the servers go ACTIVE at once.
   * With a grace period, the servers are put on their nodes (the room is
   * theirs from now on: they count there, and so do the victims until they
   * end), each victim gets its notice (task state `preempting`, a preemption
   * record with its deadline) and the request waits for the deadline.
   * Returns undefined (after refreshing the copy of the nodes involved)
   * when the copy was stale or the servers no longer fit: the caller plans
   * again; `again` when the request's servers changed (one deleted).
   */
  private async claim(
    plan: SchedulingPlan,
    pending: readonly ServerRecord[],
    group: ServerGroupRecord | undefined,
  ): Promise<'done' | 'again' | undefined> {
    const { destinations, preemptions } = plan.result;
    const requestId = plan.spec.requestId as string;
    const now = this.runtime.now();
    const grace = this.gracePeriodMs;
    const waits = grace > 0 && preemptions.length > 0;
    const dueAt = now + grace;
    const placed: ServerRecord[] = destinations.map((d, i) => ({
      ...(pending[i] as ServerRecord),
      host: d.host,
      node: d.nodename,
      lastHost: d.host,
      lastNode: d.nodename,
      vmState: waits ? 'building' : 'active',
      taskState: waits ? WAITING_TASK_STATE : null,
      powerState: waits ? POWER_STATE.NOSTATE : POWER_STATE.RUNNING,
      launchedAt: waits ? null : now,
      updatedAt: now,
    }));
    const keys = uniqueKeys([
      ...destinations.map((d) => ({ host: d.host, node: d.nodename })),
      ...preemptions.map((p) => ({ host: p.host, node: p.nodename })),
    ]);
    const preemptedFor = new Map<string, string>();
    for (const p of preemptions) preemptedFor.set(p.victim.uuid, placed[p.forIndex]?.uuid ?? '');

    let generations: Map<string, number>;
    try {
      generations = await this.store.sql.transaction(async (tx) => {
        const request = await this.store.getRequest(requestId, tx, true);
        if (request?.phase !== 'scheduling') throw new RequestChanged();
        const groupProblem = await this.checkGroup(tx, group, placed);
        if (groupProblem !== undefined) throw new StaleClaim(keys, groupProblem);
        const locked = await this.store.lockNodes(tx, keys);
        const stale = keys.filter(
          (k) =>
            locked.get(hostKey(k.host, k.node))?.generation !==
            this.source.generationOf(k.host, k.node),
        );
        if (stale.length > 0) throw new StaleClaim(stale, 'nodes changed since they were read');
        const problems = this.checkLimits(plan, locked);
        if (problems.length > 0) throw new StaleClaim(keys, problems.join('; '));
        const still = await this.store.unplacedServers(requestId, tx, true);
        if (still.length !== pending.length || still.some((s, i) => s.uuid !== pending[i]?.uuid)) {
          throw new RequestChanged();
        }
        if (waits) {
          for (const p of preemptions) {
            const noticed = await this.store.setTaskState(
              tx,
              { uuid: p.victim.uuid, host: p.host, node: p.nodename },
              PREEMPTING_TASK_STATE,
              now,
            );
            if (!noticed) {
              throw new StaleClaim(keys, `victim ${p.victim.uuid} no longer runs there`);
            }
            await this.store.insertPreemptionNotice(tx, {
              victimUuid: p.victim.uuid,
              host: p.host,
              node: p.nodename,
              requestId,
              byServerUuid: preemptedFor.get(p.victim.uuid) ?? null,
              action: this.terminationAction,
              reason: p.reason,
              createdAt: now,
              dueAt,
            });
          }
          await this.store.setRequestPhase(tx, requestId, 'preempting', dueAt);
        } else {
          const terminated = new Set<string>();
          this.compute.bind(requestId, { store: this.store, tx, now, preemptedFor, terminated });
          try {
            await this.driver.execute(plan);
          } finally {
            this.compute.unbind(requestId);
          }
          // A driver may report a failed termination instead of throwing: nothing is claimed then.
          const missed = preemptions.filter((p) => !terminated.has(p.victim.uuid));
          if (missed.length > 0) {
            throw new StaleClaim(
              keys,
              `victims not terminated: ${missed.map((p) => p.victim.uuid).join(', ')}`,
            );
          }
          await this.store.deleteRequest(tx, requestId);
        }
        await this.store.placeServers(
          tx,
          placed.map((s) => ({ uuid: s.uuid, host: s.host as string, node: s.node as string })),
          {
            vmState: waits ? 'building' : 'active',
            taskState: waits ? WAITING_TASK_STATE : null,
            powerState: waits ? POWER_STATE.NOSTATE : POWER_STATE.RUNNING,
            launched: !waits,
          },
          now,
        );
        return this.store.bumpGenerations(tx, keys);
      });
    } catch (error) {
      for (const claim of plan.claims) claim.release();
      if (error instanceof RequestChanged) {
        await this.refreshNodes(keys);
        return 'again';
      }
      if (error instanceof StoreUnavailableError) {
        // Read these nodes again before the next decision (the driver may have changed its view).
        this.dirty.push(...keys);
        throw error;
      }
      if (error instanceof StaleClaim || isRetryableSqlError(error)) {
        await this.refreshNodes(error instanceof StaleClaim ? error.keys : keys);
        return undefined;
      }
      // The scheduler may have released victims in its views: read the nodes again.
      await this.refreshNodes(keys).catch(() => undefined);
      throw error;
    }

    this.stats.preemptions += preemptions.length;
    for (const key of keys) {
      const k = hostKey(key.host, key.node);
      const here = (p: { host: string; nodename: string }) =>
        p.host === key.host && p.nodename === key.node;
      const victims = preemptions.filter(here);
      this.source.applyChange(key.host, key.node, {
        add: [
          ...placed.filter((s) => s.host === key.host && s.node === key.node).map(toInstance),
          // Noticed victims stay, no longer anyone's victims.
          ...(waits
            ? victims.map((p) => ({
                ...p.victim,
                taskState: PREEMPTING_TASK_STATE,
                preemptible: false,
              }))
            : []),
        ],
        remove: waits ? [] : victims.map((p) => p.victim.uuid),
        generation: generations.get(k) ?? 0,
      });
    }
    for (const claim of plan.claims) claim.release();
    if (waits) {
      for (const p of preemptions) {
        this.runtime.logger.info('Preemption notice', {
          victim: p.victim.uuid,
          host: p.host,
          request_id: requestId,
          action: this.terminationAction,
          terminate_at: new Date(dueAt).toISOString(),
        });
      }
      this.watchDeadline(requestId, dueAt);
    }
    return 'done';
  }

  /**
   * The end of a grace period (its deadline, or its last victim deleted by
   * its owner): under the request's row lock, so one process acts, the
   * victims still running are terminated as `termination_action` says and
   * the request's servers go ACTIVE. When none of them is left (deleted
   * during the grace), the victims are spared instead (notice withdrawn).
   */
  private async finishPreemption(requestId: string): Promise<void> {
    const now = this.runtime.now();
    let terminated = 0;
    const keys = await this.store.sql.transaction(async (tx) => {
      terminated = 0;
      const request = await this.store.getRequest(requestId, tx, true);
      if (request?.phase !== 'preempting') return [];
      const victims = await this.store.pendingPreemptions(requestId, tx);
      const placedNow = (await this.store.serversOfRequest(requestId, tx)).filter(
        (s) => s.deletedAt === null && s.host !== null && s.node !== null,
      );
      const nodeKeys = uniqueKeys([
        ...victims.map((v) => ({ host: v.host, node: v.node })),
        ...placedNow.map((s) => ({ host: s.host as string, node: s.node as string })),
      ]);
      await this.store.lockNodes(tx, nodeKeys);
      const waiting = await this.store.waitingServers(requestId, tx);
      if (waiting.length === 0) {
        for (const v of victims) {
          await this.store.setTaskState(
            tx,
            { uuid: v.victimUuid, host: v.host, node: v.node },
            null,
            now,
          );
        }
        await this.store.finishPreemptions(tx, { requestId }, 'cancelled', now);
      } else {
        for (const v of victims) {
          const stop = v.action === 'stop';
          const order: TerminationOrder = {
            uuid: v.victimUuid,
            host: v.host,
            nodename: v.node,
            action: stop ? 'stop' : 'delete',
            requestId,
            reason: v.reason,
          };
          const done = await this.store.terminate(tx, {
            uuid: v.victimUuid,
            host: v.host,
            node: v.node,
            vmState: stop ? 'stopped' : 'error',
            powerState: stop ? POWER_STATE.SHUTDOWN : POWER_STATE.NOSTATE,
            fault: preemptionFault(order, v.byServerUuid ?? undefined, now),
            now,
          });
          if (done) terminated += 1;
        }
        await this.store.finishPreemptions(tx, { requestId }, 'terminated', now);
        await this.store.placeServers(
          tx,
          waiting.map((s) => ({ uuid: s.uuid, host: s.host as string, node: s.node as string })),
          { vmState: 'active', taskState: null, powerState: POWER_STATE.RUNNING, launched: true },
          now,
        );
      }
      await this.store.deleteRequest(tx, requestId);
      await this.store.bumpGenerations(tx, nodeKeys);
      return nodeKeys;
    });
    this.stats.terminations += terminated;
    await this.refreshNodes(keys);
  }

  /**
   * nova's compute claim on each destination node, against the store:
   * used (base + live servers - this plan's victims) + requested <= limit.
   */
  private checkLimits(plan: SchedulingPlan, locked: ReadonlyMap<string, LockedNode>): string[] {
    const { destinations, preemptions } = plan.result;
    const flavor = plan.spec.flavor;
    const problems: string[] = [];
    const byNode = new Map<string, typeof destinations>();
    for (const d of destinations) {
      const key = hostKey(d.host, d.nodename);
      const list = byNode.get(key);
      if (list === undefined) byNode.set(key, [d]);
      else list.push(d);
    }
    for (const [key, placed] of byNode) {
      const row = locked.get(key);
      const first = placed[0];
      if (row === undefined || first === undefined) {
        problems.push(`node ${key.replace('\u0000', ' ')} is gone`);
        continue;
      }
      const live = row.used;
      let memoryMbUsed = row.base.memoryMbUsed + live.memoryMb;
      let localGbUsed = row.base.localGbUsed + live.localGb;
      let vcpusUsed = row.base.vcpusUsed + live.vcpus;
      for (const p of preemptions) {
        if (hostKey(p.host, p.nodename) !== key) continue;
        memoryMbUsed -= p.victim.memoryMb;
        localGbUsed -= p.victim.rootGb + p.victim.ephemeralGb;
        vcpusUsed -= p.victim.vcpus;
      }
      // Every instance on a node carries the same limits (the same filters ran).
      problems.push(
        ...claimProblems(
          { memoryMbUsed, localGbUsed, vcpusUsed },
          {
            memoryMb: flavor.memoryMb * placed.length,
            diskGb: (flavor.rootGb + flavor.ephemeralGb) * placed.length,
            vcpus: flavor.vcpus * placed.length,
          },
          first.limits,
        ).map((p) => `${first.host} (${first.nodename}): ${p}`),
      );
    }
    return problems;
  }

  // ------------------------------------------------------------------ delete

  /** nova's delete: the server leaves its node at once. False if there is no such server. */
  async deleteServer(uuid: string): Promise<boolean> {
    const before = await this.store.getServer(uuid);
    const deleted = await this.mutex.run(async () => {
      let left: Awaited<ReturnType<ServerStore['deleteServer']>>;
      try {
        left = await this.store.deleteServer(uuid, this.runtime.now());
      } catch (error) {
        if (error instanceof StoreUnavailableError) this.lastSync = Number.NEGATIVE_INFINITY;
        throw error;
      }
      if (left === undefined) return false;
      if (left !== null) {
        const cached = this.source.generationOf(left.host, left.node);
        if (cached === left.generation - 1) {
          this.source.applyChange(left.host, left.node, {
            remove: [uuid],
            generation: left.generation,
          });
        } else {
          await this.refreshNodes([left]);
        }
      }
      return true;
    });
    if (deleted) await this.afterDelete(uuid, before?.requestId ?? null);
    return deleted;
  }

  /**
   * A victim deleted by its owner during its grace period no longer needs
   * terminating; when a request has no victim left, or none of its servers
   * left, its wait ends at once.
   */
  private async afterDelete(uuid: string, ownRequest: string | null): Promise<void> {
    const now = this.runtime.now();
    const ended = await this.store.sql.transaction((tx) =>
      this.store.finishPreemptions(tx, { victimUuid: uuid }, 'deleted', now),
    );
    for (const e of ended) {
      if (e.requestId === null) continue;
      if ((await this.store.pendingPreemptions(e.requestId)).length === 0) {
        const requestId = e.requestId;
        this.later(() => this.finishPreemption(requestId), 0, 'preemption');
      }
    }
    if (ownRequest !== null) {
      const request = await this.store.getRequest(ownRequest);
      if (request?.phase === 'preempting') {
        const left = (await this.store.serversOfRequest(ownRequest)).filter(
          (s) => s.deletedAt === null && s.vmState === 'building',
        );
        if (left.length === 0) {
          this.later(() => this.finishPreemption(ownRequest), 0, 'preemption');
        }
      }
    }
  }

  // ------------------------------------------------------------------ the copy of the store

  /** Reads everything again. */
  async resyncAll(): Promise<void> {
    const [inventory, flavors, images] = await Promise.all([
      this.store.loadInventory(),
      this.store.listFlavors(),
      this.store.listImages(),
    ]);
    this.source.replaceAll(inventory, this.runtime.now());
    this.aggregates = inventory.aggregates;
    this.flavors = new Map(flavors.map((f) => [f.flavorid ?? f.id, f]));
    this.images = new Map(images.map((i) => [i.id, i]));
    this.lastSync = this.runtime.now();
  }

  private async refreshNodes(keys: ReadonlyArray<{ host: string; node: string }>): Promise<void> {
    if (keys.length === 0) return;
    const { nodes, servers } = await this.store.loadNodes(keys);
    this.source.replaceNodes(nodes, servers);
  }

  /** Shared stores: catch up with other replicas' changes when the copy may be old. */
  private async syncIfStale(): Promise<void> {
    if (this.dirty.length > 0) {
      await this.refreshNodes(uniqueKeys(this.dirty));
      this.dirty = [];
    }
    if (!this.store.shared) return;
    if (this.runtime.now() - this.lastSync < this.syncIntervalMs) return;
    await this.catchUp();
  }

  /**
   * Compares every node's generation (and the inventory version) with the
   * store and reads again what changed. Returns whether anything did.
   */
  private async catchUp(): Promise<boolean> {
    const now = this.runtime.now();
    const [version, generations] = await Promise.all([
      this.store.inventoryVersion(),
      this.store.nodeGenerations(),
    ]);
    if (
      version !== this.source.inventoryVersion ||
      generations.length !== this.source.generations().length
    ) {
      await this.resyncAll();
      return true;
    }
    const changed = generations.filter(
      (g) => this.source.generationOf(g.host, g.node) !== g.generation,
    );
    await this.refreshNodes(changed);
    this.lastSync = now;
    return changed.length > 0;
  }
}
