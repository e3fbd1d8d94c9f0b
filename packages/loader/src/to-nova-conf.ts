import type { OptionType, OptionValue } from '@opie/core';
import { formatPythonFloat } from './convert.js';

/** The parts of a resolved option `toNovaConf` writes. */
export interface WritableOption {
  group: string;
  name: string;
  value: OptionValue;
  spec: { type: OptionType };
}

function escapeDollar(s: string): string {
  return s.replaceAll('$', '$$$$');
}

/** The raw nova.conf text(s) for a value, or undefined for "leave unset". */
function rawValue(type: OptionType, value: OptionValue): string | string[] | undefined {
  if (value === null) return type === 'int' ? '' : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return type === 'float' ? formatPythonFloat(value) : String(value);
  if (Array.isArray(value)) {
    return type === 'multistr' ? value.map(escapeDollar) : value.map(escapeDollar).join(', ');
  }
  return escapeDollar(value);
}

const QUOTES = new Set(['"', "'"]);

/**
 * The text after `key = ` that oslo.config reads back as exactly `raw`, or
 * undefined when there is none. oslo strips the value, then removes one pair
 * of matching quotes, and joins indented continuation lines with "\n"; it has
 * no escapes and no inline comments, so `#`, `;`, `=`, `:` and non-ASCII text
 * are written as they are.
 * @see oslo_config/iniparser.py BaseParser._split_key_value, BaseParser.parse
 */
export function novaConfValue(raw: string): string | undefined {
  if (raw.includes('\r')) return undefined; // read back as a line break
  const [first = '', ...rest] = raw.split('\n');
  // Continuation lines are stripped and end at a blank line: only stripped,
  // non-empty ones survive.
  if (rest.some((line) => line === '' || line !== line.trim())) return undefined;
  const quoted =
    first !== first.trim() ||
    (first.length > 0 && QUOTES.has(first[0] ?? '') && first.endsWith(first[0] ?? ''));
  // One pair of quotes is all oslo removes, so wrapping in '...' protects
  // surrounding blanks and a value that is itself quoted ('"x"' reads "x").
  const head = quoted ? `'${first}'` : first;
  return [head, ...rest].join('\n    ');
}

/** Whether a list survives the comma join (no item with a comma, no lone empty item). */
function listSurvivesJoin(type: OptionType, value: OptionValue): boolean {
  if (type !== 'list' || !Array.isArray(value)) return true;
  if (value.length === 1 && value[0] === '') return false;
  return value.every((item) => !item.includes(',') && item === item.trim());
}

/**
 * Writes options as a nova.conf document (`[DEFAULT]` first, then sections in
 * name order, the current option names, `$` escaped) that oslo.config reads
 * back to the same values. A value nova.conf cannot hold at all (a list item
 * with a comma, a line break followed by a blank or indented line, a carriage
 * return, an empty multi-valued option) is listed in a comment instead.
 *
 * The writer is our own rather than the `ini` package's `encode`: that escapes
 * `#` and `;` with a backslash and JSON-quotes values with `=` or quotes, and
 * oslo.config undoes neither, so such values would come back changed.
 */
export function toNovaConf(options: readonly WritableOption[]): string {
  const sections = new Map<string, string[]>();
  const skipped: string[] = [];
  for (const o of options) {
    const raw = rawValue(o.spec.type, o.value);
    if (raw === undefined) continue;
    const texts = (Array.isArray(raw) ? raw : [raw]).map(novaConfValue);
    if (
      texts.length === 0 ||
      !listSurvivesJoin(o.spec.type, o.value) ||
      texts.includes(undefined)
    ) {
      skipped.push(`# [${o.group}] ${o.name} cannot be written: ${JSON.stringify(o.value)}`);
      continue;
    }
    let lines = sections.get(o.group);
    if (lines === undefined) sections.set(o.group, (lines = []));
    for (const text of texts) lines.push(text === '' ? `${o.name} = ` : `${o.name} = ${text}`);
  }
  const groups = [...sections.keys()].sort((a, b) =>
    a === 'DEFAULT' ? -1 : b === 'DEFAULT' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const body = groups.map((g) => [`[${g}]`, ...(sections.get(g) ?? []), ''].join('\n'));
  const header = ['# Effective configuration written by opie.', ...skipped, ''].join('\n');
  return `${header}\n${body.join('\n')}`;
}
