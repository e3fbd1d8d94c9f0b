import { parsePythonFloat } from '@opie/core';
import { pyIsSpace } from './python-values.js';

/**
 * nova's extra-spec requirement language (nova/scheduler/filters/extra_specs_ops.py). A requirement is split
 * on whitespace; its first word may be an operator:
 *
 * - `=` means float `>=` (not equality); `==`, `!=`, `>=`, `<=` compare floats;
 * - `s==`, `s!=`, `s<`, `s<=`, `s>`, `s>=` compare strings;
 * - `<in> y`: `y` is a substring of the value; `<all-in> a b ...`: every word is;
 * - `<or> a <or> b ...`: the value equals one of the alternatives (every
 *   second word after the first `<or>` is skipped, whatever it is).
 *
 * Otherwise the whole requirement string must equal the value. A None value
 * matches no operator; an operator without operand matches nothing.
 *
 * Difference: where Python's `float()` raises (a value or operand that is not
 * a number, or `<or>` with no alternative), nova's exception aborts the whole
 * request; here the match is simply false, so the host fails.
 * @see nova/scheduler/filters/extra_specs_ops.py
 */

/** Tests one value against a compiled requirement. */
export type ExtraSpecMatcher = (value: string | null | undefined) => boolean;

/** Python `str.split()` with no separator: runs of whitespace split, no empty words. */
function pySplit(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (pyIsSpace(s.charCodeAt(i))) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

const never: ExtraSpecMatcher = () => false;

type FloatOp = '=' | '==' | '!=' | '>=' | '<=';
type StringOp = 's==' | 's!=' | 's<' | 's<=' | 's>' | 's>=';

const FLOAT_OPS = new Set<string>(['=', '==', '!=', '>=', '<=']);
const STRING_OPS = new Set<string>(['s==', 's!=', 's<', 's<=', 's>', 's>=']);
const OPERATORS = new Set<string>([...FLOAT_OPS, ...STRING_OPS, '<in>', '<all-in>', '<or>']);

function floatMatcher(op: FloatOp, operand: string): ExtraSpecMatcher {
  const y = parsePythonFloat(operand);
  if (y === undefined) return never;
  const cmp = (x: number): boolean => {
    switch (op) {
      case '=':
      case '>=':
        return x >= y;
      case '==':
        return x === y;
      case '!=':
        return x !== y;
      case '<=':
        return x <= y;
    }
  };
  return (value) => {
    if (value === null || value === undefined) return false;
    const x = parsePythonFloat(value);
    return x !== undefined && cmp(x);
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Python `str` ordering: by code point. JavaScript's `<` compares UTF-16 code
 * units, which differs when a character beyond U+FFFF meets one in
 * U+E000..U+FFFF, so such strings are compared code point by code point.
 */
export function compareCodePoints(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done === true) return cb.done === true ? 0 : -1;
    if (cb.done === true) return 1;
    const d = (ca.value.codePointAt(0) as number) - (cb.value.codePointAt(0) as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
}

function stringMatcher(op: StringOp, y: string): ExtraSpecMatcher {
  return (x) => {
    if (x === null || x === undefined) return false;
    switch (op) {
      case 's==':
        return x === y;
      case 's!=':
        return x !== y;
      case 's<':
        return compareCodePoints(x, y) < 0;
      case 's<=':
        return compareCodePoints(x, y) <= 0;
      case 's>':
        return compareCodePoints(x, y) > 0;
      case 's>=':
        return compareCodePoints(x, y) >= 0;
    }
  };
}

/**
 * Compiles a requirement once, for matching many values (one per host or
 * aggregate value).
 */
export function compileExtraSpec(req: string): ExtraSpecMatcher {
  const words = pySplit(req);
  const op = words[0];
  const rest = words.slice(1);
  if (op === undefined || !OPERATORS.has(op)) return (value) => value === req;
  if (op === '<or>') {
    const alternatives = new Set<string>();
    for (let i = 0; i < rest.length; i += 2) alternatives.add(rest[i] as string);
    return (value) => value !== null && value !== undefined && alternatives.has(value);
  }
  const operand = rest[0];
  if (operand === undefined) return never;
  if (op === '<in>') {
    return (value) => value !== null && value !== undefined && value.includes(operand);
  }
  if (op === '<all-in>') {
    return (value) => value !== null && value !== undefined && rest.every((w) => value.includes(w));
  }
  if (FLOAT_OPS.has(op)) return floatMatcher(op as FloatOp, operand);
  return stringMatcher(op as StringOp, operand);
}

/** `extra_specs_ops.match(value, req)`. Compile once with `compileExtraSpec` for hot loops. */
export function matchExtraSpec(value: string | null | undefined, req: string): boolean {
  return compileExtraSpec(req)(value);
}
