import { parseOsloBoolean, parsePythonFloat, parsePythonInt } from '@opie/core';
import type { OptionSpec, OptionValue } from '@opie/core';

/** A converted value, or why the raw string is not one. */
export type Conversion =
  { ok: true; value: OptionValue } | { ok: false; message: string; hint: string };

const INLINE_COMMENT_HINT =
  'nova.conf has no inline comments: put the comment on a line of its own';

/**
 * oslo.config 2.4.0 `ListOpt`: strip; empty gives `[]`; otherwise split on every
 * comma and strip each piece, keeping empty pieces (`a,` gives `['a', '']`).
 * @see oslo_config/types.py List
 */
export function splitOsloList(raw: string): string[] {
  const s = raw.trim();
  if (s === '') return [];
  return s.split(',').map((piece) => piece.trim());
}

/** Python's `repr()` of a string, close enough for messages: `'text'`. */
function repr(raw: string): string {
  return `'${raw.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function invalid(spec: OptionSpec, why: string, hint: string): Conversion {
  return { ok: false, message: `Value for option ${spec.name} is not valid: ${why}`, hint };
}

function hasInlineComment(raw: string): boolean {
  return /\s[#;]/.test(raw);
}

/**
 * Converts one raw string (after interpolation) by the option's oslo type
 * (oslo_config/types.py); a `multistr` option converts each occurrence as a string.
 * @see oslo_config/types.py
 */
export function convertOsloValue(spec: OptionSpec, raw: string): Conversion {
  switch (spec.type) {
    case 'str':
    case 'multistr': {
      if (spec.choices !== undefined && !spec.choices.includes(raw)) {
        return invalid(
          spec,
          `Valid values are [${spec.choices.join(', ')}], but found ${repr(raw)}`,
          `use one of ${spec.choices.join(', ')}`,
        );
      }
      return { ok: true, value: raw };
    }
    case 'int': {
      if (raw.trim() === '') return { ok: true, value: null };
      const n = parsePythonInt(raw);
      if (n !== undefined) return { ok: true, value: n };
      const example = typeof spec.default === 'number' ? String(spec.default) : '1';
      return invalid(
        spec,
        `invalid literal for int() with base 10: ${repr(raw)}`,
        hasInlineComment(raw) ? INLINE_COMMENT_HINT : `give an integer, e.g. ${example}`,
      );
    }
    case 'float': {
      const n = parsePythonFloat(raw);
      if (n !== undefined) return { ok: true, value: n };
      const example = typeof spec.default === 'number' ? formatPythonFloat(spec.default) : '1.0';
      let hint = `give a number, e.g. ${example}`;
      if (raw.trim() === '') hint += " (an empty float is an error in Liberty's oslo.config)";
      if (hasInlineComment(raw)) hint = INLINE_COMMENT_HINT;
      return invalid(spec, `could not convert string to float: ${repr(raw)}`, hint);
    }
    case 'bool': {
      const b = parseOsloBoolean(raw);
      if (b !== undefined) return { ok: true, value: b };
      return invalid(
        spec,
        `Unexpected boolean value ${repr(raw)}`,
        hasInlineComment(raw)
          ? INLINE_COMMENT_HINT
          : 'use one of true/false, yes/no, on/off, 1/0 (t and y are not accepted)',
      );
    }
    case 'list':
      return { ok: true, value: splitOsloList(raw) };
  }
}

/** Python's `str()` of a float: `1.0`, `1000.0`, `1e+20`, `inf`, `nan`. */
export function formatPythonFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n);
}

/**
 * Python's `str()` of a converted value of this type, as `$name`
 * interpolation inserts it (`True`, `1.0`, `None`, `['a', 'b']`).
 */
export function formatPythonValue(type: OptionSpec['type'], value: OptionValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return type === 'float' ? formatPythonFloat(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  return value;
}
