/**
 * Python value semantics that nova's JsonFilter and ComputeCapabilitiesFilter
 * rely on, over the JSON-like values those filters see: `null`/`undefined`
 * (None), booleans, numbers, strings, arrays (lists), `Map`s and plain objects
 * (dicts).
 *
 * Where Python 2 (Liberty) and Python 3 differ, the notes say which one we follow.
 */

/** The characters of Python 3 `str.isspace()` (what `split()` and `strip()` remove). */
const PY_WHITESPACE: ReadonlySet<number> = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
]);

/** Whether a UTF-16 code unit is Python whitespace. */
export function pyIsSpace(code: number): boolean {
  return PY_WHITESPACE.has(code);
}

/** A plain object, a Map: what Python would call a dict. */
function isDict(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dictEntries(value: object): Array<[string, unknown]> {
  if (value instanceof Map) return [...(value as Map<string, unknown>).entries()];
  return Object.entries(value);
}

function dictSize(value: object): number {
  return value instanceof Map ? value.size : Object.keys(value).length;
}

function dictGet(value: object, key: string): { found: boolean; value: unknown } {
  if (value instanceof Map) {
    const m = value as Map<string, unknown>;
    return { found: m.has(key), value: m.get(key) };
  }
  const found = Object.prototype.hasOwnProperty.call(value, key);
  return { found, value: found ? (value as Record<string, unknown>)[key] : undefined };
}

/** `bool(value)`: None, False, 0, '', empty list/dict are false; NaN is true. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0;
    case 'string':
      return value.length > 0;
    case 'object':
      if (Array.isArray(value)) return value.length > 0;
      return dictSize(value) > 0;
    default:
      return true;
  }
}

function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

/**
 * `a == b`: numbers and booleans compare numerically (`True == 1`), strings
 * by content, lists element-wise, dicts by keys and values; values of other
 * kinds are never equal (`'1' == 1` is false).
 */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (isNumeric(a)) return isNumeric(b) && Number(a) === Number(b);
  if (typeof a === 'string') return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
    return true;
  }
  if (isDict(a)) {
    if (!isDict(b) || dictSize(a) !== dictSize(b)) return false;
    for (const [k, v] of dictEntries(a)) {
      const other = dictGet(b, k);
      if (!other.found || !pyEquals(v, other.value)) return false;
    }
    return true;
  }
  return a === b;
}

/** Python 2's rank of a type in mixed-type ordering: None < numbers < dict < list < str. */
function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (isNumeric(value)) return 1;
  if (typeof value === 'string') return 4;
  if (Array.isArray(value)) return 3;
  return 2;
}

export type PyOrderOp = '<' | '<=' | '>' | '>=';

function applyOp(op: PyOrderOp, a: number | string, b: number | string): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/**
 * `a < b` (and `<=`, `>`, `>=`) with Python 2 semantics, as Liberty evaluated
 * JsonFilter queries: numbers (and booleans) numerically, NaN never ordered;
 * strings by UTF-16 code units (Python compares code points; they differ only
 * between astral and U+E000..U+FFFF characters); lists lexicographically; and
 * values of different kinds by Python 2's fixed type order — None < numbers <
 * dicts < lists < strings — so `'5' > 3` is true. Python 3 (Zed) raises
 * TypeError on mixed kinds instead.
 *
 * Dicts are ordered by size only; two unequal dicts of the same size are
 * neither smaller nor larger (Python 2's dict ordering is not reproduced).
 */
export function pyOrder(op: PyOrderOp, a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return applyOp(op, Number(a), Number(b));
  if (typeof a === 'string' && typeof b === 'string') return applyOp(op, a, b);
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return applyOp(op, ra, rb);
  if (ra === 0) return op === '<=' || op === '>=';
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a[i], b[i])) return pyOrder(op, a[i], b[i]);
    }
    return applyOp(op, a.length, b.length);
  }
  // Two dicts.
  const sa = dictSize(a as object);
  const sb = dictSize(b as object);
  if (sa !== sb) return applyOp(op, sa, sb);
  return (op === '<=' || op === '>=') && pyEquals(a, b);
}

/** Python 3's type name of a JSON-like value (`type(v).__name__`). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/**
 * `a < b` (and `<=`, `>`, `>=`) with Python 3 semantics (nova Zed): numbers
 * and booleans numerically (NaN never ordered), strings by UTF-16 code units
 * (see `pyOrder`), lists lexicographically; any other pair (a string and a
 * number, two dicts, None) raises a `TypeError` worded as Python's.
 */
export function py3Order(op: PyOrderOp, a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return applyOp(op, Number(a), Number(b));
  if (typeof a === 'string' && typeof b === 'string') return applyOp(op, a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a[i], b[i])) return py3Order(op, a[i], b[i]);
    }
    return applyOp(op, a.length, b.length);
  }
  throw new TypeError(
    `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

/**
 * Python's float formatting: integral values keep a `.0` (`16.0`), specials
 * are `inf`/`-inf`/`nan`. Other values use JavaScript's shortest form, which
 * equals Python 3's `repr` except for exponent spelling (`1e-7` vs `1e-07`).
 */
export function pyFloatStr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${String(value)}.0`;
  return String(value);
}

function pyNumberStr(value: number): string {
  // JavaScript cannot tell `2` from `2.0`: integral numbers print as ints.
  return Number.isInteger(value) ? String(value) : pyFloatStr(value);
}

/** Python 3 `repr()` of a string: single quotes unless it holds `'` and no `"`. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/**
 * Python's `repr()`: strings quoted, lists as `['a', 'b']`, dicts as
 * `{'k': v}` in insertion order (Python 2 used hash order), None/True/False
 * spelled the Python way. Python 3 style: no `u'...'` prefixes.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pyNumberStr(value);
    case 'string':
      return reprString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
      const parts = dictEntries(value).map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`);
      return `{${parts.join(', ')}}`;
    }
    case 'bigint':
      return value.toString();
    default:
      return `<${typeof value}>`;
  }
}

/** Python's `str()`: a string is itself; everything else is its `repr()`. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}
