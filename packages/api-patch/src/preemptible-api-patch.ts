import type { Instance } from '@opie/core';
import type { ApiErrorResponse, PreemptibleFieldResult } from './preemptible-attribute.js';
import {
  markSystemMetadata,
  preemptibleInstancesResource,
  readPreemptibleField,
  withPreemptibleAttribute,
} from './preemptible-attribute.js';

/** The path segment of opie's collection resource. */
export const PREEMPTIBLE_INSTANCES_RESOURCE = 'os-preemptible-instances';

/** What the preemptible attribute is computed from. */
export type PreemptibleMark = Pick<Instance, 'preemptible' | 'systemMetadata'>;

/**
 * Whether a URL path names the `os-preemptible-instances` resource (the
 * collection or one member), under any prefix: `/v2.1/os-preemptible-instances`,
 * `/v2/{project_id}/os-preemptible-instances/{id}`.
 */
export function isPreemptibleInstancesPath(pathname: string): boolean {
  const segments = pathname.split('/').filter((s) => s !== '');
  const at = segments.lastIndexOf(PREEMPTIBLE_INSTANCES_RESOURCE);
  return at >= 0 && at >= segments.length - 2;
}

/** A nova-style error (`ApiErrorResponse`) as a fetch `Response` with a JSON body. */
export function toFetchResponse(error: ApiErrorResponse): Response {
  return new Response(JSON.stringify(error.body), {
    status: error.status,
    headers: { 'content-type': 'application/json' },
  });
}

/**
 * A fetch-style handler for the part of the API opie adds: the
 * `os-preemptible-instances` resource answers 501 to every method, as
 * opie's extension does; any other request gives `undefined` (not ours).
 * @see opie/api/openstack/compute/preemptible_instances.py
 */
export function handlePreemptibleInstances(request: Request): Response | undefined {
  const { pathname } = new URL(request.url);
  if (!isPreemptibleInstancesPath(pathname)) return undefined;
  return toFetchResponse(preemptibleInstancesResource());
}

function badRequest(message: string): PreemptibleFieldResult {
  return { ok: false, error: { status: 400, body: { badRequest: { code: 400, message } } } };
}

/**
 * Reads `server.preemptible` from a server-create fetch `Request` (its body
 * is read from a clone, so the caller can still read it). Malformed JSON is
 * a 400, like nova's; the rest is `readPreemptibleField`.
 */
export async function readPreemptibleFromRequest(
  request: Request,
): Promise<PreemptibleFieldResult> {
  const text = await request.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return badRequest('Malformed request body');
  }
  return readPreemptibleField(body);
}

/**
 * Adds `"preemptible"` to every server of a show (`{server}`) or detail
 * (`{servers: [...]}`) response body. `markOf` finds what a server view
 * stands for (usually by its `id`); a server it does not know is left as it is.
 */
export function withPreemptibleAttributes<B extends object>(
  body: B,
  markOf: (server: Record<string, unknown>) => PreemptibleMark | undefined,
): B {
  const decorate = (server: unknown): unknown => {
    if (typeof server !== 'object' || server === null) return server;
    const mark = markOf(server as Record<string, unknown>);
    return mark === undefined ? server : withPreemptibleAttribute(server, mark);
  };
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if ('server' in out) out['server'] = decorate(out['server']);
  if (Array.isArray(out['servers'])) out['servers'] = out['servers'].map(decorate);
  return out as B;
}

/**
 * The whole patch as one value, for APIs that want to mount it in one place:
 * the fetch-style `handle`, the create-body readers, the system metadata
 * mark and the response decorators.
 */
export const preemptibleApiPatch = {
  handle: handlePreemptibleInstances,
  readField: readPreemptibleField,
  readRequest: readPreemptibleFromRequest,
  markSystemMetadata,
  decorateServer: withPreemptibleAttribute,
  decorateBody: withPreemptibleAttributes,
  isResourcePath: isPreemptibleInstancesPath,
} as const;
