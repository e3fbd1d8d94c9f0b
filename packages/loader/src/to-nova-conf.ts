import { encode } from 'ini';
import type { OptionType, OptionValue } from '@opie/core';
import { formatPythonFloat } from './convert.js';
import { parseOsloIni } from './oslo-ini.js';

/** The parts of a resolved option `toNovaConf` writes. */
export interface WritableOption {
  group: string;
  name: string;
  value: OptionValue;
  spec: { type: OptionType };
}

const ENCODE = { whitespace: true, bracketedArray: false };

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

/** Whether oslo reads back exactly `raw` from what `ini.encode` writes for it. */
function survivesEncoding(raw: string | string[]): boolean {
  const wanted = Array.isArray(raw) ? raw : [raw];
  if (wanted.length === 0) return false;
  const text = encode({ s: { k: raw } }, ENCODE);
  const read = parseOsloIni(text, '').entries.map((e) => e.value);
  return read.length === wanted.length && read.every((v, i) => v === wanted[i]);
}

/** Whether a list survives the comma join (no item with a comma, no lone empty item). */
function listSurvivesJoin(type: OptionType, value: OptionValue): boolean {
  if (type !== 'list' || !Array.isArray(value)) return true;
  if (value.length === 1 && value[0] === '') return false;
  return value.every((item) => !item.includes(',') && item === item.trim());
}

/**
 * Writes options as a nova.conf document (`[DEFAULT]` first, the current
 * option names, `$` escaped), using the `ini` package's encoder. Values that
 * the encoder cannot write so that oslo reads them back unchanged (it escapes
 * `#` and `;`, which oslo does not unescape) are listed in a comment instead.
 */
export function toNovaConf(options: readonly WritableOption[]): string {
  const sections: Record<string, Record<string, string | string[]>> = {};
  const skipped: string[] = [];
  for (const o of options) {
    const raw = rawValue(o.spec.type, o.value);
    if (raw === undefined) continue;
    if (!listSurvivesJoin(o.spec.type, o.value) || !survivesEncoding(raw)) {
      skipped.push(`# [${o.group}] ${o.name} cannot be written: ${JSON.stringify(o.value)}`);
      continue;
    }
    (sections[o.group] ??= {})[o.name] = raw;
  }
  const ordered: Record<string, Record<string, string | string[]>> = {};
  if (sections['DEFAULT'] !== undefined) ordered['DEFAULT'] = sections['DEFAULT'];
  for (const group of Object.keys(sections).sort()) {
    const section = sections[group];
    if (group !== 'DEFAULT' && section !== undefined) ordered[group] = section;
  }
  const header = ['# Effective configuration written by opie.', ...skipped, ''].join('\n');
  return `${header}\n${encode(ordered, ENCODE)}`;
}
