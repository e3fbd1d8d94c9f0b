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
import { POWER_STATE, toInstance } from './server-record.js';
import type { StoreComputePort } from './store-compute-port.js';
import { StoreHostSource } from './store-host-source.js';
import type {
  LockedNode,
  ServerGroupRecord,
  ServerQuery,
  ServerStore,
} from './store/server-store.js';
import { isRetryableSqlError, StoreUnavailableError } from './store/sql-client.js';
import type { HypervisorEntry } from './views/hypervisor-view.js';

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
}

/** The outcome of a create: the servers (placed, or in ERROR) and their reservation. */
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
 * loader built, kept in a `ServerStore`. A decision plans on the scheduler's
 * copy of the store, then claims in one transaction: it locks the chosen
 * nodes' rows, checks that its copy of them was current (generations) and
 * that the new servers fit under the limits the filters set (nova's compute
 * claim), terminates the victims through the compute port, inserts the
 * servers and bumps the nodes' generations. A claim that lost a race is
 * planned again on fresh state. Decisions of one process run one at a time.
 * @see nova/compute/claims.py
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
  private stats = { decisions: 0, conflicts: 0, preemptions: 0 };

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
    if (typeof grace === 'number' && grace > 0) {
      this.runtime.logger.warn(
        'The termination grace period is not waited for: the service terminates victims in the claim that needs their room',
        { grace_period: grace },
      );
    }
  }

  /** Creates the schema, brings the cloud file's inventory in, and reads the store. */
  async start(cloud: CloudSnapshot): Promise<void> {
    await this.store.setup(cloud, this.runtime.now());
    await this.resyncAll();
  }

  close(): Promise<void> {
    return this.mutex.run(() => this.store.close());
  }

  /** Counters since start: decisions, claims that lost a race, preempted servers. */
  get counters(): Readonly<{ decisions: number; conflicts: number; preemptions: number }> {
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
   * Creates `max_count` servers of a validated body, or as many as the
   * project's quota allows if that is at least `min_count` (nova; else a
   * 403 and nothing stored). Bad
   * references (flavor, image, zone) are a 400 and store nothing. When no
   * host fits, the servers are stored in ERROR with nova's NoValidHost
   * fault, as nova does.
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
    const requestId = `req-${randomUUID()}`;
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
      vmState: 'active',
      taskState: null,
      powerState: POWER_STATE.RUNNING,
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
      launchedAt: now,
      terminatedAt: null,
      deletedAt: null,
    });

    const unknown = this.unknownForcedDestination(input);
    const servers = await this.mutex.run(() =>
      unknown === undefined
        ? this.decide(spec, make, quota)
        : this.recordFailure(spec, make, unknown, quota),
    );
    return { servers, reservationId, requestId };
  }

  /** nova's NoValidHost text for a forced host or node that is not in the inventory, naming it. */
  private unknownForcedDestination(input: CreateServerInput): string | undefined {
    const nodes = this.source.generations();
    if (input.forceHost !== undefined && !nodes.some((n) => n.host === input.forceHost)) {
      const hosts = [...new Set(nodes.map((n) => n.host))];
      return `No valid host was found. The forced host "${input.forceHost}" is not a compute host of this cloud (hosts: ${hosts.join(', ')}).`;
    }
    if (
      input.forceNode !== undefined &&
      !nodes.some(
        (n) =>
          n.node === input.forceNode &&
          (input.forceHost === undefined || n.host === input.forceHost),
      )
    ) {
      const names = nodes
        .filter((n) => input.forceHost === undefined || n.host === input.forceHost)
        .map((n) => n.node);
      return `No valid host was found. The forced node "${input.forceNode}" is not a compute node${input.forceHost !== undefined ? ` of host ${input.forceHost}` : ''} (nodes: ${names.join(', ')}).`;
    }
    return undefined;
  }

  /** One decision: plan, claim, commit; again on fresh state after a lost race. */
  private async decide(
    spec: RequestSpec,
    make: (index: number, now: number) => NewServerRecord,
    quota: QuotaClaim,
  ): Promise<ServerRecord[]> {
    this.stats.decisions += 1;
    let resynced = false;
    for (let attempt = 1; ; attempt++) {
      await this.syncIfStale();
      this.source.heartbeat(this.runtime.now());
      if (quota.group !== undefined) {
        // nova's group info: the hosts its members hold now (read again on every attempt).
        const members = await this.store.groupMembers(quota.group.uuid);
        spec.instanceGroup = {
          uuid: quota.group.uuid,
          policies: [...quota.group.policies],
          hosts: [...new Set(members.flatMap((m) => (m.host === null ? [] : [m.host])))],
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
        return this.recordFailure(spec, make, error.message, quota);
      }
      let committed: ServerRecord[] | undefined;
      try {
        committed = await this.claim(plan, make, quota);
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
        return this.recordFailure(
          spec,
          make,
          `No valid host was found. Every claim lost a race with a concurrent request (${attempt} attempts).`,
          quota,
        );
      }
    }
  }

  /** Stores the request's servers in ERROR with nova's build fault; no host, no resources. */
  private async recordFailure(
    spec: RequestSpec,
    make: (index: number, now: number) => NewServerRecord,
    message: string,
    quota: QuotaClaim,
  ): Promise<ServerRecord[]> {
    const now = this.runtime.now();
    const fault: ServerFault = { code: 500, message, created: now };
    const servers = Array.from({ length: spec.numInstances }, (_, i) => ({
      ...make(i, now),
      vmState: 'error',
      powerState: POWER_STATE.NOSTATE,
      launchedAt: null,
      fault,
    }));
    return this.store.sql.transaction(async (tx) => {
      await this.checkQuota(tx, quota);
      return this.store.insertServers(tx, servers);
    });
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
   * Claims a plan in one transaction and returns the stored servers.
   * Returns undefined (after refreshing the copy of the nodes involved)
   * when the copy was stale or the servers no longer fit: the caller plans
   * again.
   */
  private async claim(
    plan: SchedulingPlan,
    make: (index: number, now: number) => NewServerRecord,
    quota: QuotaClaim,
  ): Promise<ServerRecord[] | undefined> {
    const { destinations, preemptions } = plan.result;
    const requestId = plan.spec.requestId as string;
    const now = this.runtime.now();
    const servers = destinations.map((d, i) => ({
      ...make(i, now),
      host: d.host,
      node: d.nodename,
      lastHost: d.host,
      lastNode: d.nodename,
    }));
    const keys = uniqueKeys([
      ...destinations.map((d) => ({ host: d.host, node: d.nodename })),
      ...preemptions.map((p) => ({ host: p.host, node: p.nodename })),
    ]);
    const preemptedFor = new Map<string, string>();
    for (const p of preemptions) preemptedFor.set(p.victim.uuid, servers[p.forIndex]?.uuid ?? '');

    let generations: Map<string, number>;
    let stored: ServerRecord[];
    try {
      [stored, generations] = await this.store.sql.transaction(async (tx) => {
        await this.checkQuota(tx, quota);
        const groupProblem = await this.checkGroup(tx, quota.group, servers);
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
        const inserted = await this.store.insertServers(tx, servers);
        return [inserted, await this.store.bumpGenerations(tx, keys)] as const;
      });
    } catch (error) {
      for (const claim of plan.claims) claim.release();
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
      this.source.applyChange(key.host, key.node, {
        add: servers.filter((s) => s.host === key.host && s.node === key.node).map(toInstance),
        remove: preemptions
          .filter((p) => p.host === key.host && p.nodename === key.node)
          .map((p) => p.victim.uuid),
        generation: generations.get(k) ?? 0,
      });
    }
    for (const claim of plan.claims) claim.release();
    return stored;
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
    return this.mutex.run(async () => {
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
