import { parseApiBoolean } from '@opie/core';
import type { SchedulerHints } from '@opie/core';
import { readPreemptibleField } from '@opie/api-patch';
import { ApiError } from './api-error.js';

/** A validated server-create body (nova compute API v2.1 `POST /servers`). */
export interface CreateServerInput {
  name: string;
  flavorRef: string;
  /** Absent or empty: no image (nova: boot from volume). */
  imageRef: string | undefined;
  minCount: number;
  maxCount: number;
  /** `zone`, or the admin form `zone:host` / `zone:host:node` (forced destination). */
  availabilityZone: string | undefined;
  forceHost: string | undefined;
  forceNode: string | undefined;
  preemptible: boolean;
  schedulerHints: SchedulerHints;
  metadata: Record<string, string>;
  keyName: string | undefined;
  returnReservationId: boolean;
  /** The `group` scheduler hint: the uuid of the server group the servers join. */
  group?: string;
}

/** `server` keys nova v2.1 accepts that this service ignores (no networks, volumes, ...). */
const IGNORED_SERVER_KEYS = new Set([
  'networks',
  'security_groups',
  'user_data',
  'config_drive',
  'block_device_mapping',
  'block_device_mapping_v2',
  'adminPass',
  'accessIPv4',
  'accessIPv6',
  'OS-DCF:diskConfig',
  'personality',
  'description',
  'tags',
  'trusted_image_certificates',
  'host',
  'hypervisor_hostname',
]);

const SERVER_KEYS = new Set([
  'name',
  'flavorRef',
  'imageRef',
  'min_count',
  'max_count',
  'availability_zone',
  'preemptible',
  'metadata',
  'key_name',
  'return_reservation_id',
  ...IGNORED_SERVER_KEYS,
]);

const TOP_KEYS = new Set(['server', 'os:scheduler_hints', 'OS-SCH-HNT:scheduler_hints']);

/** C0 and C1 control characters (Unicode category Cc), NUL included. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether a text holds a control character (nova's name schema refuses them; PostgreSQL cannot store NUL). */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * Refuses a NUL anywhere in a JSON value (PostgreSQL's text and jsonb
 * cannot hold it), naming the JSON path of the first one.
 */
export function rejectNul(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      throw ApiError.badRequest(
        `Invalid input for field/attribute ${path}. The NUL character (\\u0000) is not allowed; remove it.`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => rejectNul(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      rejectNul(k, `${path} (a key)`);
      rejectNul(v, path === '' ? k : `${path}.${k}`);
    }
  }
}

/** nova's `name` parameter type: no control characters, no leading or trailing whitespace. */
export function checkName(field: string, value: string): void {
  if (hasControlCharacter(value)) {
    throw invalid(
      field,
      value,
      'Control characters (U+0000 to U+001F, U+007F to U+009F) are not allowed',
    );
  }
}

/** nova's message prefix for schema errors. */
function invalid(field: string, value: unknown, why: string): ApiError {
  const shown = value === undefined ? 'None' : JSON.stringify(value);
  return ApiError.badRequest(`Invalid input for field/attribute ${field}. Value: ${shown}. ${why}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An id, or the last path segment of a URL reference (nova accepts both). */
function refId(field: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid(field, value, `'${field}' is a required property`);
    return undefined;
  }
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value !== 'string') throw invalid(field, value, 'Expected a string or an integer');
  const trimmed = value.trim();
  const slash = trimmed.replace(/\/+$/, '').lastIndexOf('/');
  const id = slash >= 0 ? trimmed.replace(/\/+$/, '').slice(slash + 1) : trimmed;
  if (id === '') throw invalid(field, value, 'Expected an id or a URL ending in one');
  return id;
}

/** nova's positive_integer: an integer >= 1, or a string of digits. */
function count(field: string, value: unknown, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n) || n < 1) throw invalid(field, value, 'Expected an integer >= 1');
  if (n > max) throw invalid(field, value, `Expected an integer <= ${max}`);
  return n;
}

function name(value: unknown): string {
  if (value === undefined || value === null)
    throw invalid('name', value, "'name' is a required property");
  if (typeof value !== 'string') throw invalid('name', value, 'Expected a string');
  if (value.length < 1 || value.length > 255) {
    throw invalid('name', value, 'Expected 1 to 255 characters');
  }
  checkName('name', value);
  if (value.trim() !== value || value.trim() === '') {
    throw invalid('name', value, 'Leading and trailing whitespace is not allowed');
  }
  return value;
}

function stringMap(field: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalid(field, value, 'Expected an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' || k.length < 1 || k.length > 255 || v.length > 255) {
      throw invalid(
        field,
        value,
        'Expected keys of 1 to 255 characters and string values of at most 255',
      );
    }
    if (hasControlCharacter(k) || v.includes('\u0000')) {
      throw invalid(
        `${field}.${k.replace(CONTROL, '?')}`,
        v,
        'Control characters are not allowed in metadata keys, nor NUL in values',
      );
    }
    out[k] = v;
  }
  return out;
}

function hintValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const list: string[] = [];
    for (const v of value) {
      if (typeof v === 'string') list.push(v);
      else if (typeof v === 'number' || typeof v === 'boolean') list.push(String(v));
      else return undefined;
    }
    return list;
  }
  return undefined;
}

function schedulerHints(field: string, value: unknown): SchedulerHints {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalid(field, value, 'Expected an object');
  const out: SchedulerHints = {};
  for (const [k, v] of Object.entries(value)) {
    const converted = hintValue(v);
    if (converted === undefined) {
      throw invalid(`${field}.${k}`, v, 'Expected a string, a number, a boolean or a list of them');
    }
    out[k] = converted;
  }
  return out;
}

/** The `preemptible` hint, parsed strictly: every value must be a boolean word. */
function preemptibleHint(field: string, value: string | string[] | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  const parsed = values.map((v) => parseApiBoolean(v));
  if (values.length === 0 || parsed.some((p) => p === undefined)) {
    throw invalid(
      `${field}.preemptible`,
      value,
      'Expected a boolean: true or false (or "true", "false", "1", "0", "on", "off", "yes", "no")',
    );
  }
  return parsed.every((p) => p === true);
}

/**
 * Validates a server-create body like nova's v2.1 schema (the subset this
 * service serves) with opie's `preemptible` field. The `preemptible`
 * scheduler hint is accepted too and recorded on the server, so the mark
 * and the hint always agree; a body and hint that disagree are a 400.
 * Throws an `ApiError` (400) naming the field.
 * @see nova/api/openstack/compute/schemas/servers.py
 */
export function parseCreateServer(body: unknown, options: { maxCount: number }): CreateServerInput {
  if (!isObject(body)) throw ApiError.badRequest('The request body must be a JSON object.');
  rejectNul(body, '');
  for (const key of Object.keys(body)) {
    if (!TOP_KEYS.has(key)) {
      throw invalid(
        'body',
        body,
        `Additional properties are not allowed ('${key}' was unexpected)`,
      );
    }
  }
  const server = body['server'];
  if (!isObject(server))
    throw invalid('server', server, "'server' is a required property (an object)");
  for (const key of Object.keys(server)) {
    if (!SERVER_KEYS.has(key)) {
      throw invalid(
        'server',
        server,
        `Additional properties are not allowed ('${key}' was unexpected)`,
      );
    }
  }
  const preemptibleField = readPreemptibleField(body);
  if (!preemptibleField.ok) {
    const message = Object.values(preemptibleField.error.body)[0]?.message ?? 'Invalid preemptible';
    throw ApiError.badRequest(message);
  }
  const hintKey =
    'os:scheduler_hints' in body ? 'os:scheduler_hints' : 'OS-SCH-HNT:scheduler_hints';
  const hints = schedulerHints(hintKey, body[hintKey]);
  const group = hints['group'];
  if (group !== undefined && (typeof group !== 'string' || !/^[\w-]{1,255}$/.test(group))) {
    throw invalid(`${hintKey}.group`, group, 'Expected the id (uuid) of one server group');
  }
  const fromHint = preemptibleHint(hintKey, hints['preemptible']);
  const explicit = Object.prototype.hasOwnProperty.call(server, 'preemptible');
  if (explicit && fromHint !== undefined && fromHint !== preemptibleField.preemptible) {
    throw invalid(
      'preemptible',
      server['preemptible'],
      `The server's preemptible (${preemptibleField.preemptible}) and the preemptible scheduler hint (${fromHint}) disagree`,
    );
  }
  const preemptible = explicit ? preemptibleField.preemptible : (fromHint ?? false);

  const minCount = count('min_count', server['min_count'], options.maxCount);
  const maxCount = count('max_count', server['max_count'], options.maxCount);
  const min = minCount ?? 1;
  const max = maxCount ?? min;
  if (min > max) throw ApiError.badRequest('min_count must be <= max_count');

  let availabilityZone: string | undefined;
  let forceHost: string | undefined;
  let forceNode: string | undefined;
  const az = server['availability_zone'];
  if (az !== undefined && az !== null) {
    if (typeof az !== 'string' || az.length < 1 || az.length > 255) {
      throw invalid('availability_zone', az, 'Expected a string of 1 to 255 characters');
    }
    const [zone, host, node, ...rest] = az.split(':');
    if (rest.length > 0) throw ApiError.badRequest(`Invalid availability zone format: ${az}`);
    availabilityZone = zone === '' ? undefined : zone;
    forceHost = host === '' ? undefined : host;
    forceNode = node === '' ? undefined : node;
  }

  const keyName = server['key_name'];
  if (keyName !== undefined && keyName !== null) {
    if (typeof keyName !== 'string') throw invalid('key_name', keyName, 'Expected a string');
    checkName('key_name', keyName);
  }
  const reservation = server['return_reservation_id'];
  let returnReservationId = false;
  if (reservation !== undefined) {
    const parsed = parseApiBoolean(reservation);
    if (parsed === undefined)
      throw invalid('return_reservation_id', reservation, 'Expected a boolean');
    returnReservationId = parsed;
  }

  return {
    name: name(server['name']),
    flavorRef: refId('flavorRef', server['flavorRef'], true) as string,
    imageRef: refId('imageRef', server['imageRef'], false),
    minCount: min,
    maxCount: max,
    availabilityZone,
    forceHost,
    forceNode,
    preemptible,
    schedulerHints: hints,
    metadata: stringMap('metadata', server['metadata']),
    keyName: typeof keyName === 'string' ? keyName : undefined,
    returnReservationId,
    ...(typeof group === 'string' ? { group } : {}),
  };
}
