import { randomUUID } from 'node:crypto';
import { handlePreemptibleInstances, isPreemptibleInstancesPath } from '@opie/api-patch';
import type { CatalogImage } from '@opie/cloud';
import { ApiError } from './api-error.js';
import type { ComputeService, RequestContext } from './compute-service.js';
import {
  checkName,
  hasControlCharacter,
  parseCreateServer,
  rejectNul,
} from './create-server-input.js';
import type { ServerGroupRecord } from './store/server-store.js';
import { identify } from './identity.js';
import type { AuthMode, Caller } from './identity.js';
import { ComputePolicy } from './policy/compute-policy.js';
import { isStoreUnavailable } from './store/sql-client.js';
import type { ServerRecord } from './server-record.js';
import { parseQuotaValue, QUOTA_RESOURCES } from './quota.js';
import type { QuotaLimits, QuotaResource } from './quota.js';
import type { ServerQuery } from './store/server-store.js';
import { flavorDetail, flavorSummary } from './views/flavor-view.js';
import {
  hypervisorDetail,
  hypervisorStatistics,
  hypervisorSummary,
} from './views/hypervisor-view.js';
import { glanceImage } from './views/image-view.js';
import { isoTime, resourceLinks } from './views/links.js';
import { serverDetail, serverSummary } from './views/server-view.js';
import type { ServerViewContext } from './views/server-view.js';
import {
  MAX_VERSION,
  MIN_VERSION,
  versionDocument,
  versionsDocument,
} from './views/versions-view.js';
import { availabilityZoneInfo } from './views/zone-view.js';
import { instanceActionView } from './views/instance-action-view.js';

/** An HTTP request as the API sees it (framework-free). */
export interface ApiRequest {
  method: string;
  /** Path and query, e.g. `/v2.1/servers/detail?limit=10`. */
  url: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw body, when there is one. */
  body?: string;
  /**
   * The service's own base URL for links (`--public-url`, else the listen
   * address): never taken from the request's Host header.
   */
  baseUrl: string;
}

/** How the API identifies callers and what it lets them do. */
export interface ComputeApiOptions {
  /** Default `noauth2` (nova's noauth2 convention). */
  auth?: AuthMode;
  /** Default: nova's default rules. */
  policy?: ComputePolicy;
}

/** What the API answers. `body` is JSON-encoded unless undefined (no content). */
export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** nova's `osapi_max_limit`: the largest page. */
const MAX_LIMIT = 1000;
/** Glance's default and largest page. */
const GLANCE_DEFAULT_LIMIT = 25;

/** Compute collections (a first segment that is none of these is a project id). */
const COLLECTIONS = new Set([
  'servers',
  'flavors',
  'os-hypervisors',
  'os-availability-zone',
  'images',
  'os-preemptible-instances',
  'limits',
  'extensions',
  'os-quota-sets',
  'os-server-groups',
]);

const json = (status: number, body: unknown): ApiResponse => ({ status, body });

/** What a policy rule sees of a server group: its owner. */
function groupTarget(group: ServerGroupRecord): Readonly<Record<string, string>> {
  return { project_id: group.projectId, user_id: group.userId };
}

/** nova's server group policies (v2.1: exactly one). @see nova/api/openstack/compute/schemas/server_groups.py */
const GROUP_POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'];

/** What a policy rule sees of a server: its owner. */
function serverTarget(server: ServerRecord): Readonly<Record<string, string>> {
  return { project_id: server.projectId, user_id: server.userId };
}

function methodNotAllowed(): ApiError {
  return new ApiError(405, 'The method is not allowed for the requested URL.');
}

function only(method: string, allowed: string): void {
  if (method !== allowed && !(allowed === 'GET' && method === 'HEAD')) throw methodNotAllowed();
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ApiError.badRequest(`Invalid request URL: bad percent-encoding in "${segment}".`);
  }
}

function parseJson(body: string | undefined): unknown {
  if (body === undefined || body.trim() === '') throw ApiError.badRequest('Malformed request body');
  try {
    return JSON.parse(body);
  } catch {
    throw ApiError.badRequest('Malformed request body');
  }
}

function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) {
    throw ApiError.badRequest(
      `Invalid input for query parameters ${name}. Value: ${raw}. Expected a non-negative integer`,
    );
  }
  return Number(raw);
}

/** The requested microversion, checked against what this service speaks. */
function checkMicroversion(headers: ApiRequest['headers']): void {
  let requested = headers['x-openstack-nova-api-version'];
  const generic = headers['openstack-api-version'];
  if (generic !== undefined) {
    const match = /(?:^|,)\s*compute\s+(\S+)/i.exec(generic);
    if (match !== null) requested = match[1];
  }
  if (requested === undefined || requested === 'latest') return;
  const m = /^(\d+)\.(\d+)$/.exec(requested.trim());
  if (m === null)
    throw ApiError.badRequest(
      `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`,
    );
  const [maxMajor, maxMinor] = MAX_VERSION.split('.').map(Number) as [number, number];
  const [minMajor, minMinor] = MIN_VERSION.split('.').map(Number) as [number, number];
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const above = major > maxMajor || (major === maxMajor && minor > maxMinor);
  const below = major < minMajor || (major === minMajor && minor < minMinor);
  if (above || below) {
    throw new ApiError(
      406,
      `Version ${requested} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${MAX_VERSION}.`,
    );
  }
}

/**
 * The nova compute API v2.1 subset over a `ComputeService`, as a function
 * of a framework-free request: versions, servers, flavors, os-hypervisors,
 * os-availability-zone, a Glance-v2-shaped image catalogue (for clients
 * without keystone, which look images up at the compute endpoint), and
 * opie's api-patch (`preemptible` on create/show/detail, and the
 * `os-preemptible-instances` resource answering 501).
 */
export class ComputeApi {
  readonly service: ComputeService;
  readonly auth: AuthMode;
  readonly policy: ComputePolicy;
  private readonly startedAt: number;

  constructor(service: ComputeService, options: ComputeApiOptions = {}) {
    this.service = service;
    this.auth = options.auth ?? 'noauth2';
    this.policy = options.policy ?? ComputePolicy.create();
    this.startedAt = service.runtime.now();
  }

  /** Answers one request; errors become nova fault bodies. */
  async handle(request: ApiRequest): Promise<ApiResponse> {
    const requestId = `req-${randomUUID()}`;
    let response: ApiResponse;
    try {
      response = await this.route(request, requestId);
    } catch (error) {
      if (ApiError.isInstance(error)) {
        response = { status: error.status, body: error.body };
        if (error.status === 401) {
          response.headers = { 'www-authenticate': `${this.auth} realm="opie"` };
        }
      } else if (isStoreUnavailable(error)) {
        this.service.runtime.logger.warn('The store is unavailable', {
          method: request.method,
          url: request.url,
          error: error instanceof Error ? error.message : String(error),
        });
        response = {
          status: 503,
          body: {
            serviceUnavailable: {
              code: 503,
              message:
                'The database is unavailable; nothing was stored by this request unless a later read shows it. Retry later.',
            },
          },
          headers: { 'retry-after': '1' },
        };
      } else {
        const message = error instanceof Error ? error.message : String(error);
        this.service.runtime.logger.error('Unexpected API error', {
          method: request.method,
          url: request.url,
          error: error instanceof Error ? (error.stack ?? message) : message,
        });
        response = {
          status: 500,
          body: { computeFault: { code: 500, message: `Unexpected API Error: ${message}` } },
        };
      }
    }
    return {
      ...response,
      headers: {
        'openstack-api-version': `compute ${MAX_VERSION}`,
        'x-openstack-nova-api-version': MAX_VERSION,
        vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
        'x-openstack-request-id': requestId,
        'x-compute-request-id': requestId,
        ...response.headers,
      },
    };
  }

  private async route(request: ApiRequest, requestId: string): Promise<ApiResponse> {
    const url = new URL(request.url, 'http://localhost');
    const method = request.method.toUpperCase();
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeSegment);
    const base = request.baseUrl;

    if (segments.length === 0) {
      only(method, 'GET');
      return json(200, versionsDocument(base));
    }
    if (isPreemptibleInstancesPath(url.pathname)) {
      identify(this.auth, request.headers);
      const patched = handlePreemptibleInstances(
        new Request(new URL(request.url, base), { method }),
      );
      if (patched !== undefined) return json(patched.status, await patched.json());
    }
    if (
      segments.some(hasControlCharacter) ||
      [...url.searchParams].some(([k, v]) => hasControlCharacter(k) || hasControlCharacter(v))
    ) {
      throw ApiError.badRequest(
        'Invalid request URL: control characters (such as NUL, %00) are not allowed in a path or query parameter.',
      );
    }
    const [version, ...rest] = segments;
    if (version === 'images' || (version === 'v2' && rest[0] === 'images')) {
      this.policy.enforce('os_compute_api:images', identify(this.auth, request.headers));
      return this.glance(method, url, version === 'images' ? rest : rest.slice(1));
    }
    if (version !== 'v2.1' && version !== 'v2') throw ApiError.notFound();
    if (rest.length === 0) {
      only(method, 'GET');
      return json(200, versionDocument(base));
    }
    checkMicroversion(request.headers);
    const caller = identify(this.auth, request.headers);
    // `/v2.1/{project_id}/servers` as well as `/v2.1/servers`.
    const scoped = rest.length > 1 && !COLLECTIONS.has(rest[0] as string);
    if (scoped && rest[0] !== caller.projectId) {
      // @see nova/api/openstack/wsgi.py (Resource._process_stack)
      throw ApiError.badRequest(
        `Malformed request URL: URL's project_id '${rest[0] as string}' doesn't match Context's project_id '${caller.projectId}'`,
      );
    }
    const path = scoped ? rest.slice(1) : rest;
    const [collection, ...tail] = path;
    const ctx: RequestContext = { projectId: caller.projectId, userId: caller.userId, requestId };
    switch (collection) {
      case 'servers':
        return this.servers(method, url, tail, request, caller, ctx);
      case 'flavors':
        this.policy.enforce(
          tail[1] === 'os-extra_specs'
            ? 'os_compute_api:os-flavor-extra-specs:index'
            : 'os_compute_api:flavors',
          caller,
        );
        return this.flavors(method, tail, base);
      case 'os-hypervisors':
        this.policy.enforce('os_compute_api:os-hypervisors', caller);
        return this.hypervisors(method, tail);
      case 'os-availability-zone':
        this.policy.enforce(
          tail[0] === 'detail'
            ? 'os_compute_api:os-availability-zone:detail'
            : 'os_compute_api:os-availability-zone:list',
          caller,
        );
        return this.zones(method, tail);
      case 'images':
        this.policy.enforce('os_compute_api:images', caller);
        return this.glance(method, url, tail);
      case 'os-server-groups':
        return this.serverGroups(method, tail, request, caller);
      case 'os-quota-sets':
        return this.quotaSets(method, tail, request, caller);
      case 'limits':
        only(method, 'GET');
        this.policy.enforce('os_compute_api:limits', caller);
        return json(200, { limits: { rate: [], absolute: {} } });
      default:
        throw ApiError.notFound();
    }
  }

  private viewContext(baseUrl: string, caller: Caller): ServerViewContext {
    return {
      baseUrl,
      zoneOf: (host) => this.service.zoneOf(host),
      extendedAttributes: this.policy.check('os_compute_api:os-extended-server-attributes', caller),
    };
  }

  /** A server the caller may see, else nova's 404 (another project's server does not exist for it). */
  private async visibleServer(id: string, rule: string, caller: Caller): Promise<ServerRecord> {
    this.policy.enforce(rule, caller);
    const server = await this.service.getServer(id);
    if (server === undefined || !this.policy.check(rule, caller, serverTarget(server))) {
      throw ApiError.notFound(`Instance ${id} could not be found.`);
    }
    return server;
  }

  private async servers(
    method: string,
    url: URL,
    tail: string[],
    request: ApiRequest,
    caller: Caller,
    ctx: RequestContext,
  ): Promise<ApiResponse> {
    const base = request.baseUrl;
    const [id, action] = tail;
    if (id === undefined) {
      if (method === 'POST') return this.createServers(request, caller, ctx);
      only(method, 'GET');
      return this.listServers(url, base, false, caller);
    }
    if (id === 'detail' && action === undefined) {
      only(method, 'GET');
      return this.listServers(url, base, true, caller);
    }
    if (action === 'os-instance-actions' && tail.length <= 3) {
      only(method, 'GET');
      const server = await this.visibleServer(id, 'os_compute_api:os-instance-actions', caller);
      const actions = await this.service.instanceActions(server);
      const wanted = tail[2];
      if (wanted === undefined) {
        return json(200, { instanceActions: actions.map((a) => instanceActionView(a)) });
      }
      const found = actions.find((a) => a.requestId === wanted);
      if (found === undefined) {
        throw ApiError.notFound(`Action for request_id ${wanted} on instance ${id} not found`);
      }
      return json(200, { instanceAction: instanceActionView(found, true) });
    }
    if (action !== undefined) {
      if (action === 'action' && tail.length === 2) {
        only(method, 'POST');
        await this.visibleServer(id, 'os_compute_api:servers:show', caller);
        const body = parseJson(request.body);
        const name = typeof body === 'object' && body !== null ? Object.keys(body)[0] : undefined;
        throw ApiError.badRequest(`There is no such action: ${name ?? ''}`);
      }
      throw ApiError.notFound();
    }
    if (method === 'DELETE') {
      await this.visibleServer(id, 'os_compute_api:servers:delete', caller);
      if (!(await this.service.deleteServer(id))) {
        throw ApiError.notFound(`Instance ${id} could not be found.`);
      }
      return { status: 204 };
    }
    only(method, 'GET');
    const server = await this.visibleServer(id, 'os_compute_api:servers:show', caller);
    return json(200, { server: serverDetail(server, this.viewContext(base, caller)) });
  }

  private async createServers(
    request: ApiRequest,
    caller: Caller,
    ctx: RequestContext,
  ): Promise<ApiResponse> {
    const type = request.headers['content-type'];
    if (type !== undefined && !/^application\/([\w.+-]*\+)?json\b/i.test(type.trim())) {
      throw new ApiError(415, `Unsupported Content-Type`);
    }
    this.policy.enforce('os_compute_api:servers:create', caller);
    const input = parseCreateServer(parseJson(request.body), { maxCount: this.service.maxCount });
    if (input.forceHost !== undefined || input.forceNode !== undefined) {
      this.policy.enforce('os_compute_api:servers:create:forced_host', caller);
    }
    if (input.group !== undefined) {
      const group = await this.service.store.getServerGroup(input.group);
      if (
        group === undefined ||
        !this.policy.check('os_compute_api:os-server-groups:show', caller, groupTarget(group))
      ) {
        throw ApiError.badRequest(
          `Invalid input for field/attribute os:scheduler_hints.group. Value: "${input.group}". The server group could not be found.`,
        );
      }
    }
    const outcome = await this.service.createServers(input, ctx);
    if (input.returnReservationId) {
      return json(202, { reservation_id: outcome.reservationId });
    }
    const first = outcome.servers[0];
    if (first === undefined) throw new Error('the created servers could not be read back');
    return {
      status: 202,
      body: {
        server: {
          id: first.uuid,
          links: resourceLinks(request.baseUrl, 'servers', first.uuid),
          'OS-DCF:diskConfig': 'MANUAL',
          security_groups: [{ name: 'default' }],
          adminPass: randomUUID().replace(/-/g, '').slice(0, 12),
        },
      },
      headers: { location: `${request.baseUrl}/v2.1/servers/${first.uuid}` },
    };
  }

  private async listServers(
    url: URL,
    base: string,
    detail: boolean,
    caller: Caller,
  ): Promise<ApiResponse> {
    const params = url.searchParams;
    const rule = detail ? 'os_compute_api:servers:detail' : 'os_compute_api:servers:index';
    this.policy.enforce(rule, caller);
    const limit = Math.min(intParam(params, 'limit') ?? MAX_LIMIT, MAX_LIMIT);
    const query: ServerQuery = { limit };
    // nova: all_tenants (any value but a false word) lists every project's
    // servers, admin only; project_id then picks one. Without it, the caller's
    // own project; another project_id asks for all tenants' rights too.
    const allTenantsParam = params.get('all_tenants');
    const allTenants =
      allTenantsParam !== null && !/^(0|false|f|off|no|n)$/i.test(allTenantsParam.trim());
    const projectParam = params.get('project_id');
    if (allTenants || (projectParam !== null && projectParam !== caller.projectId)) {
      this.policy.enforce(`${rule}:get_all_tenants`, caller);
      if (projectParam !== null) query.projectId = projectParam;
    } else {
      query.projectId = caller.projectId;
    }
    const marker = params.get('marker');
    if (marker !== null) {
      const found = await this.service.getServer(marker);
      if (found === undefined || !this.policy.check(rule, caller, serverTarget(found))) {
        throw ApiError.badRequest(`marker [${marker}] not found`);
      }
      query.marker = marker;
    }
    const name = params.get('name');
    if (name !== null) query.name = name;
    const status = params.get('status');
    if (status !== null) query.status = status;
    const host = params.get('host');
    if (host !== null) query.host = host;
    const flavor = params.get('flavor');
    if (flavor !== null) query.flavorId = flavor;
    const image = params.get('image');
    if (image !== null) query.imageId = image;
    const reservation = params.get('reservation_id');
    if (reservation !== null) query.reservationId = reservation;
    const servers = await this.service.listServers(query);
    const ctx = this.viewContext(base, caller);
    const body: Record<string, unknown> = {
      servers: servers.map((s) => (detail ? serverDetail(s, ctx) : serverSummary(s, base))),
    };
    const last = servers[servers.length - 1];
    if (limit > 0 && servers.length === limit && last !== undefined) {
      const next = new URLSearchParams(params);
      next.set('limit', String(limit));
      next.set('marker', last.uuid);
      body['servers_links'] = [
        { rel: 'next', href: `${base}/v2.1/servers${detail ? '/detail' : ''}?${next.toString()}` },
      ];
    }
    return json(200, body);
  }

  private async groupView(group: ServerGroupRecord) {
    const members = await this.service.store.groupMembers(group.uuid);
    return {
      id: group.uuid,
      name: group.name,
      policies: group.policies,
      members: members.map((m) => m.uuid),
      metadata: {},
      project_id: group.projectId,
      user_id: group.userId,
    };
  }

  /** nova's os-server-groups, owner-scoped like servers. @see nova/api/openstack/compute/server_groups.py */
  private async serverGroups(
    method: string,
    tail: string[],
    request: ApiRequest,
    caller: Caller,
  ): Promise<ApiResponse> {
    const [id] = tail;
    if (tail.length > 1) throw ApiError.notFound();
    if (id === undefined) {
      if (method === 'POST') {
        this.policy.enforce('os_compute_api:os-server-groups:create', caller);
        const body = parseJson(request.body);
        rejectNul(body, '');
        const sg =
          typeof body === 'object' && body !== null && !Array.isArray(body)
            ? (body as Record<string, unknown>)['server_group']
            : undefined;
        if (typeof sg !== 'object' || sg === null || Array.isArray(sg)) {
          throw ApiError.badRequest(
            "Invalid input for field/attribute server_group. Value: None. 'server_group' is a required property",
          );
        }
        const fields = sg as Record<string, unknown>;
        for (const key of Object.keys(fields)) {
          if (key !== 'name' && key !== 'policies') {
            throw ApiError.badRequest(
              `Invalid input for field/attribute server_group. Additional properties are not allowed ('${key}' was unexpected)`,
            );
          }
        }
        const name = fields['name'];
        if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
          throw ApiError.badRequest(
            `Invalid input for field/attribute name. Value: ${JSON.stringify(name ?? null)}. Expected a string of 1 to 255 characters`,
          );
        }
        checkName('name', name);
        const policies = fields['policies'];
        if (
          !Array.isArray(policies) ||
          policies.length !== 1 ||
          typeof policies[0] !== 'string' ||
          !GROUP_POLICIES.includes(policies[0])
        ) {
          throw ApiError.badRequest(
            `Invalid input for field/attribute policies. Value: ${JSON.stringify(policies ?? null)}. Expected one of ${GROUP_POLICIES.map((p) => `["${p}"]`).join(', ')}`,
          );
        }
        const group: ServerGroupRecord = {
          uuid: randomUUID(),
          name,
          projectId: caller.projectId,
          userId: caller.userId,
          policies: [policies[0]],
          createdAt: this.service.runtime.now(),
        };
        await this.service.store.createServerGroup(group);
        return json(200, { server_group: await this.groupView(group) });
      }
      only(method, 'GET');
      this.policy.enforce('os_compute_api:os-server-groups:index', caller);
      const params = new URL(request.url, 'http://localhost').searchParams;
      const all = params.get('all_projects');
      const everyProject =
        all !== null &&
        !/^(0|false|f|off|no|n)$/i.test(all.trim()) &&
        this.policy.check('os_compute_api:servers:index:get_all_tenants', caller);
      const groups = await this.service.store.listServerGroups(
        everyProject ? undefined : caller.projectId,
      );
      return json(200, {
        server_groups: await Promise.all(groups.map((g) => this.groupView(g))),
      });
    }
    const rule =
      method === 'DELETE'
        ? 'os_compute_api:os-server-groups:delete'
        : 'os_compute_api:os-server-groups:show';
    if (method !== 'DELETE') only(method, 'GET');
    this.policy.enforce(rule, caller);
    const group = await this.service.store.getServerGroup(id);
    if (group === undefined || !this.policy.check(rule, caller, groupTarget(group))) {
      throw ApiError.notFound(`Instance group ${id} could not be found.`);
    }
    if (method === 'DELETE') {
      await this.service.store.deleteServerGroup(id, this.service.runtime.now());
      return { status: 204 };
    }
    return json(200, { server_group: await this.groupView(group) });
  }

  /** nova's os-quota-sets with opie's preemptible resources. @see nova/api/openstack/compute/quota_sets.py */
  private async quotaSets(
    method: string,
    tail: string[],
    request: ApiRequest,
    caller: Caller,
  ): Promise<ApiResponse> {
    const [project, sub] = tail;
    if (project === undefined || tail.length > 2) throw ApiError.notFound();
    const target = { project_id: project };
    if (sub === 'defaults') {
      only(method, 'GET');
      this.policy.enforce('os_compute_api:os-quota-sets:defaults', caller, target);
      return json(200, { quota_set: { id: project, ...this.service.quotaDefaults } });
    }
    if (sub !== undefined) throw ApiError.notFound();
    if (method === 'PUT') {
      this.policy.enforce('os_compute_api:os-quota-sets:update', caller, target);
      const body = parseJson(request.body);
      const set =
        typeof body === 'object' && body !== null
          ? (body as Record<string, unknown>)['quota_set']
          : undefined;
      if (typeof set !== 'object' || set === null || Array.isArray(set)) {
        throw ApiError.badRequest(
          "Invalid input for field/attribute quota_set. Value: None. 'quota_set' is a required property (an object)",
        );
      }
      const changes: Partial<QuotaLimits> = {};
      for (const [key, value] of Object.entries(set as Record<string, unknown>)) {
        if (key === 'force') continue;
        if (!(QUOTA_RESOURCES as readonly string[]).includes(key)) {
          throw ApiError.badRequest(
            `Bad key(s) ${key} in quota_set (known: ${QUOTA_RESOURCES.join(', ')})`,
          );
        }
        const limit = parseQuotaValue(value);
        if (limit === undefined) {
          throw ApiError.badRequest(
            `Invalid input for field/attribute quota_set.${key}. Value: ${JSON.stringify(value)}. Expected an integer >= -1 (-1: unlimited)`,
          );
        }
        changes[key as QuotaResource] = limit;
      }
      await this.service.store.setQuotaLimits(project, changes);
      const limits = await this.service.store.quotaLimits(project, this.service.quotaDefaults);
      return json(200, { quota_set: limits });
    }
    only(method, 'GET');
    this.policy.enforce('os_compute_api:os-quota-sets:show', caller, target);
    const limits = await this.service.store.quotaLimits(project, this.service.quotaDefaults);
    return json(200, { quota_set: { id: project, ...limits } });
  }

  private async flavors(method: string, tail: string[], base: string): Promise<ApiResponse> {
    only(method, 'GET');
    const [id, sub] = tail;
    if (id === undefined || (id === 'detail' && sub === undefined)) {
      const flavors = await this.service.listFlavors();
      return json(200, {
        flavors: flavors.map((f) =>
          id === 'detail' ? flavorDetail(f, base) : flavorSummary(f, base),
        ),
      });
    }
    const flavor = await this.service.getFlavor(id);
    if (flavor === undefined) throw ApiError.notFound(`Flavor ${id} could not be found.`);
    if (sub === undefined) return json(200, { flavor: flavorDetail(flavor, base) });
    if (sub === 'os-extra_specs' && tail.length === 2) {
      return json(200, { extra_specs: flavor.extraSpecs });
    }
    throw ApiError.notFound();
  }

  private async hypervisors(method: string, tail: string[]): Promise<ApiResponse> {
    only(method, 'GET');
    const [id, sub] = tail;
    const entries = await this.service.hypervisors();
    if (id === undefined) return json(200, { hypervisors: entries.map(hypervisorSummary) });
    if (sub !== undefined) throw ApiError.notFound();
    if (id === 'detail') return json(200, { hypervisors: entries.map(hypervisorDetail) });
    if (id === 'statistics') return json(200, hypervisorStatistics(entries));
    const entry = entries.find((e) => String(e.id) === id);
    if (entry === undefined)
      throw ApiError.notFound(`Hypervisor with ID ${id} could not be found.`);
    return json(200, { hypervisor: hypervisorDetail(entry) });
  }

  private zones(method: string, tail: string[]): ApiResponse {
    only(method, 'GET');
    if (tail.length > 1 || (tail.length === 1 && tail[0] !== 'detail')) throw ApiError.notFound();
    const detail = tail[0] === 'detail';
    return json(
      200,
      availabilityZoneInfo(
        this.service.availabilityZones(),
        detail,
        isoTime(this.service.runtime.now()),
      ),
    );
  }

  /** The image catalogue, shaped like the image API v2 (Glance). */
  private async glance(method: string, url: URL, tail: string[]): Promise<ApiResponse> {
    only(method, 'GET');
    const [id, sub] = tail;
    if (sub !== undefined) throw ApiError.notFound();
    if (id !== undefined) {
      const image = await this.service.getImage(id);
      if (image === undefined) throw ApiError.notFound(`No image found with ID ${id}`);
      return json(200, glanceImage(image, this.startedAt));
    }
    const params = url.searchParams;
    let images: CatalogImage[] = await this.service.listImages();
    const name = params.get('name');
    if (name !== null) images = images.filter((i) => i.name === name);
    const status = params.get('status');
    if (status !== null) images = images.filter((i) => i.status === status);
    const visibility = params.get('visibility');
    if (visibility !== null && visibility !== 'public' && visibility !== 'all') images = [];
    const marker = params.get('marker');
    if (marker !== null) {
      const at = images.findIndex((i) => i.id === marker);
      if (at < 0) throw ApiError.badRequest(`marker [${marker}] not found`);
      images = images.slice(at + 1);
    }
    const limit = Math.min(intParam(params, 'limit') ?? GLANCE_DEFAULT_LIMIT, MAX_LIMIT);
    const page = images.slice(0, limit);
    const body: Record<string, unknown> = {
      images: page.map((i) => glanceImage(i, this.startedAt)),
      first: `/v2/images${url.search}`,
      schema: '/v2/schemas/images',
    };
    const last = page[page.length - 1];
    if (images.length > limit && last !== undefined) {
      const next = new URLSearchParams(params);
      next.set('marker', last.id);
      next.set('limit', String(limit));
      body['next'] = `/v2/images?${next.toString()}`;
    }
    return json(200, body);
  }
}
