import type { Instance } from '@opie/core';
import { isPreemptibleInstance, parseApiBoolean } from '@opie/core';

/** A nova-style error response: status and body. */
export interface ApiErrorResponse {
  status: number;
  body: Record<string, { code: number; message: string }>;
}

export type PreemptibleFieldResult =
  { ok: true; preemptible: boolean } | { ok: false; error: ApiErrorResponse };

function badRequest(message: string): PreemptibleFieldResult {
  return { ok: false, error: { status: 400, body: { badRequest: { code: 400, message } } } };
}

/**
 * Reads `server.preemptible` from a server-create body. Absent means
 * `false`. Accepted: JSON booleans and nova's boolean strings (`"True"`,
 * `"false"`, `"1"`, `"off"`, `"yes"`, ...). Anything else is a 400 naming
 * the field. Unlike opie, the string `"false"` means false (opie bug 13).
 * @see opie/api/openstack/compute/preemptible_instances.py
 */
export function readPreemptibleField(body: unknown): PreemptibleFieldResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badRequest('The request body must be a JSON object with a "server" object.');
  }
  const server = (body as Record<string, unknown>)['server'];
  if (typeof server !== 'object' || server === null || Array.isArray(server)) {
    return badRequest('The request body must contain a "server" object.');
  }
  if (!Object.prototype.hasOwnProperty.call(server, 'preemptible')) {
    return { ok: true, preemptible: false };
  }
  const raw = (server as Record<string, unknown>)['preemptible'];
  const value = parseApiBoolean(raw);
  if (value === undefined) {
    return badRequest(
      `Invalid input for field/attribute preemptible. Value: ${JSON.stringify(raw)}. ` +
        'Expected a boolean: true or false (or one of the strings "true", "false", "1", "0", "on", "off", "yes", "no").',
    );
  }
  return { ok: true, preemptible: value };
}

/**
 * The system metadata of a new server: opie's compute API patch stores
 * `preemptible = "True"` for a preemptible server; a normal one carries no mark.
 */
export function markSystemMetadata(
  systemMetadata: Readonly<Record<string, string>>,
  preemptible: boolean,
): Record<string, string> {
  const out = { ...systemMetadata };
  if (preemptible) out['preemptible'] = 'True';
  else delete out['preemptible'];
  return out;
}

/** Adds `"preemptible": true|false` to a server show/detail view. */
export function withPreemptibleAttribute<T extends object>(
  serverView: T,
  instance: Pick<Instance, 'preemptible' | 'systemMetadata'>,
): T & { preemptible: boolean } {
  return { ...serverView, preemptible: isPreemptibleInstance(instance) };
}

/** opie's `os-preemptible-instances` resource answers 501 Not Implemented. */
export function preemptibleInstancesResource(): ApiErrorResponse {
  return {
    status: 501,
    body: {
      notImplemented: {
        code: 501,
        message: 'The os-preemptible-instances resource is not implemented.',
      },
    },
  };
}
