import { ApiError } from './api-error.js';

/**
 * How callers are identified:
 * - `noauth2`: nova's noauth2 convention, `X-Auth-Token: USER:PROJECT` (a
 *   token without `:` is both user and project); the user `admin` has the
 *   admin role. For tests, demos and single-user clouds: anyone who can
 *   reach the port can claim any identity.
 * - `keystone-headers`: trusts the headers keystonemiddleware's auth_token
 *   sets after validating a token (`X-Identity-Status`, `X-User-Id`,
 *   `X-Project-Id`, `X-Roles`). Only behind a proxy that validates tokens
 *   and strips these headers from clients.
 * @see nova/api/openstack/auth.py NoAuthMiddleware
 */
export type AuthMode = 'noauth2' | 'keystone-headers';

export const AUTH_MODES: readonly AuthMode[] = ['noauth2', 'keystone-headers'];

/** Who is asking, as the policy sees it (oslo.context's credentials). */
export interface Caller {
  userId: string;
  projectId: string;
  roles: readonly string[];
}

/** Printable ASCII without spaces or `:` beyond the separator: an id a store and a log can hold. */
const ID = /^[\x21-\x39\x3b-\x7e]{1,255}$/;

function unauthorized(message: string): ApiError {
  return new ApiError(401, message);
}

function checkId(what: string, value: string): string {
  if (!ID.test(value)) {
    throw unauthorized(
      `Invalid ${what} "${value.replace(/[^\x20-\x7e]/g, '?')}": expected 1 to 255 printable characters without spaces or ":"`,
    );
  }
  return value;
}

/** nova's noauth2 token: `USER:PROJECT`, or `USER` (project = user). */
export function callerFromNoauthToken(token: string | undefined): Caller {
  if (token === undefined || token.trim() === '') {
    throw unauthorized(
      'Authentication required: send X-Auth-Token: USER:PROJECT (noauth2; the user "admin" is an administrator)',
    );
  }
  const trimmed = token.trim();
  const at = trimmed.indexOf(':');
  const user = at < 0 ? trimmed : trimmed.slice(0, at);
  const project = at < 0 ? trimmed : trimmed.slice(at + 1) || user;
  const userId = checkId('user in X-Auth-Token', user);
  const projectId = checkId('project in X-Auth-Token', project);
  return { userId, projectId, roles: userId === 'admin' ? ['admin'] : ['member'] };
}

/** The identity keystonemiddleware's auth_token put in the headers. */
export function callerFromKeystoneHeaders(
  headers: Readonly<Record<string, string | undefined>>,
): Caller {
  const status = headers['x-identity-status'];
  if (status === undefined || status.trim().toLowerCase() !== 'confirmed') {
    throw unauthorized(
      `Authentication required: X-Identity-Status is ${status === undefined ? 'missing' : `"${status}"`} (keystone-headers mode trusts an auth proxy that sets it to Confirmed)`,
    );
  }
  const user = headers['x-user-id'];
  const project = headers['x-project-id'] ?? headers['x-tenant-id'];
  if (user === undefined || user.trim() === '') throw unauthorized('X-User-Id is missing');
  if (project === undefined || project.trim() === '') throw unauthorized('X-Project-Id is missing');
  const roles = (headers['x-roles'] ?? '')
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter((r) => r !== '');
  return {
    userId: checkId('X-User-Id', user.trim()),
    projectId: checkId('X-Project-Id', project.trim()),
    roles,
  };
}

/** The caller of a request under `mode`; a 401 `ApiError` when there is none. */
export function identify(
  mode: AuthMode,
  headers: Readonly<Record<string, string | undefined>>,
): Caller {
  return mode === 'noauth2'
    ? callerFromNoauthToken(headers['x-auth-token'])
    : callerFromKeystoneHeaders(headers);
}
