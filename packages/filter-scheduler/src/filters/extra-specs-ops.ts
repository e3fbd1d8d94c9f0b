import { parsePythonFloat } from '@opie/core';
import { pyIsSpace } from './python-values.js';

/**
 * nova's extra-spec requirement language (spec §5.4). A requirement is split
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

function stringMatcher(op: StringOp, y: string): ExtraSpecMatcher {
  return (x) => {
    if (x === null || x === undefined) return false;
    switch (op) {
      case 's==':
        return x === y;
      case 's!=':
        return x !== y;
      case 's<':
        return x < y;
      case 's<=':
        return x <= y;
      case 's>':
        return x > y;
      case 's>=':
        return x >= y;
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
