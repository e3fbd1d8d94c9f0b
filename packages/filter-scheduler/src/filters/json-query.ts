import type { HostState } from '@opie/core';
import { novaHostAttribute } from './host-attributes.js';
import { py3Order, pyEquals, pyOrder, pyTruthy, pyTypeName } from './python-values.js';
import type { PyOrderOp } from './python-values.js';

/**
 * JsonFilter's query language (nova/scheduler/filters/): a JSON prefix expression such as
 * `["and", [">=", "$free_ram_mb", 1024], ["not", "$service.disabled"]]`,
 * compiled once per request and evaluated per host.
 * @see nova/scheduler/filters/json_filter.py
 */

type Op = '=' | '<' | '>' | '<=' | '>=' | 'in' | 'not' | 'or' | 'and';

const OPS: ReadonlySet<string> = new Set(['=', '<', '>', '<=', '>=', 'in', 'not', 'or', 'and']);

type Arg =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'variable'; readonly path: readonly string[] }
  | { readonly kind: 'node'; readonly node: QueryNode };

interface QueryNode {
  readonly op: Op;
  readonly args: readonly Arg[];
  /** Scratch list of evaluated arguments, reused for every host. */
  readonly cooked: unknown[];
}

/** A compiled query: `root` null means "every host passes". */
export type CompiledJsonQuery =
  | { readonly ok: true; readonly root: QueryNode | null }
  | { readonly ok: false; readonly error: string };

class QueryError extends Error {}

const TRUE_ARG: Arg = { kind: 'literal', value: true };

function compileArg(item: unknown): Arg | null {
  if (Array.isArray(item)) {
    // An empty sub-query evaluates to True.
    return item.length === 0 ? TRUE_ARG : { kind: 'node', node: compileList(item) };
  }
  if (item === null || item === undefined) return null;
  if (typeof item === 'string') {
    if (item === '') return null;
    if (item.startsWith('$')) return { kind: 'variable', path: item.slice(1).split('.') };
  }
  return { kind: 'literal', value: item };
}

function compileList(list: readonly unknown[]): QueryNode {
  const cmd = list[0];
  if (typeof cmd !== 'string' || !OPS.has(cmd)) {
    throw new QueryError(`unknown operator ${JSON.stringify(cmd)}`);
  }
  const args: Arg[] = [];
  for (let i = 1; i < list.length; i++) {
    const arg = compileArg(list[i]);
    if (arg !== null) args.push(arg);
  }
  return { op: cmd as Op, args, cooked: [] };
}

/**
 * Parses and compiles a query. Errors where nova raises for the whole
 * request: bad JSON, an unknown operator anywhere (nova evaluates every
 * sub-query, so it always reaches it), a non-empty query that is neither a
 * list nor a string. A falsy query (`[]`, `{}`, `0`, `""`, `null`) passes
 * every host; a JSON string is indexed character by character, as Python does.
 */
export function compileJsonQuery(text: string): CompiledJsonQuery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${(err as Error).message}` };
  }
  if (!pyTruthy(parsed)) return { ok: true, root: null };
  const list = typeof parsed === 'string' ? Array.from(parsed) : parsed;
  if (!Array.isArray(list)) return { ok: false, error: 'the query is not a list' };
  try {
    return { ok: true, root: compileList(list) };
  } catch (err) {
    if (err instanceof QueryError) return { ok: false, error: err.message };
    throw err;
  }
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `$name.key.key`: a host attribute, then dict lookups; None (undefined) when missing. */
function lookup(host: HostState, path: readonly string[]): unknown {
  let obj = novaHostAttribute(host, path[0] as string);
  for (let i = 1; i < path.length && obj !== undefined && obj !== null; i++) {
    // Python calls `.get` on the value: anything but a dict raises AttributeError.
    if (!isDict(obj)) {
      throw new QueryError(
        `'${pyTypeName(obj)}' object has no attribute 'get' (looking up $${path.join('.')})`,
      );
    }
    const key = path[i] as string;
    obj = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }
  return obj === null ? undefined : obj;
}

function compareAll(
  args: readonly unknown[],
  test: (first: unknown, other: unknown) => boolean,
): boolean {
  if (args.length < 2) return false;
  const first = args[0];
  for (let i = 1; i < args.length; i++) if (!test(first, args[i])) return false;
  return true;
}

type Order = (op: PyOrderOp, a: unknown, b: unknown) => boolean;

function evaluate(node: QueryNode, host: HostState, order: Order): unknown {
  const cooked = node.cooked;
  cooked.length = 0;
  for (const arg of node.args) {
    const value =
      arg.kind === 'literal'
        ? arg.value
        : arg.kind === 'variable'
          ? lookup(host, arg.path)
          : evaluate(arg.node, host, order);
    if (value !== undefined && value !== null) cooked.push(value);
  }
  switch (node.op) {
    case '=':
      return compareAll(cooked, pyEquals);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const op: PyOrderOp = node.op;
      return compareAll(cooked, (a, b) => order(op, a, b));
    }
    case 'in': {
      if (cooked.length < 2) return false;
      for (let i = 1; i < cooked.length; i++) if (pyEquals(cooked[0], cooked[i])) return true;
      return false;
    }
    case 'not':
      return cooked.map((v) => !pyTruthy(v));
    case 'or':
      return cooked.some(pyTruthy);
    case 'and':
      return cooked.every(pyTruthy);
  }
}

/**
 * Whether a host satisfies a compiled query: the result, or any element of
 * it when it is a list (`not` returns a list), is truthy. A lookup nova
 * would crash on (`$cpu_info.vendor`: a string has no keys) fails the host.
 * Comparisons follow Python 2 (Liberty) unless `python3` is set (nova Zed):
 * then comparing values of different kinds (`'5' > 3`) throws Python's
 * `TypeError`, and such a lookup throws too (nova's `AttributeError`): both
 * fail the whole request, as they do in nova.
 */
export function evaluateJsonQuery(
  query: CompiledJsonQuery,
  host: HostState,
  options: { python3?: boolean } = {},
): boolean {
  if (!query.ok) return false;
  if (query.root === null) return true;
  let result: unknown;
  try {
    result = evaluate(query.root, host, options.python3 === true ? py3Order : pyOrder);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    if (options.python3 === true) throw new Error(err.message);
    return false;
  }
  return Array.isArray(result) ? result.some(pyTruthy) : pyTruthy(result);
}
