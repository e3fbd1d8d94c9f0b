import { RowProblem } from './bad-row.js';
import { buildRow } from './build-row.js';
import {
  booleanField,
  idField,
  nonNegativeField,
  numberField,
  optionalNumberField,
  positiveField,
} from './row-fields.js';
import type { TraceConversion } from './trace-format.js';
import type { ColumnMapping, ScalableField, TraceField } from './trace-mapping.js';
import type { TraceRow } from './trace-row.js';

/**
 * Reads one row of a generic format through the column mapping: `get`
 * returns a column's raw value (undefined: no such column or key; in CSV an
 * empty field is ''). Only mapped columns are read. Scale factors multiply
 * the raw numbers before `buildRow` converts units and rounds.
 */
export function readMappedRow(
  get: (column: string) => unknown,
  names: ColumnMapping,
  conversion: TraceConversion,
  kind: 'csv' | 'json',
): TraceRow {
  const label = (f: TraceField): string => {
    const c = names[f];
    return c === undefined || c === f ? f : `${f} (column "${c}")`;
  };
  const raw = (f: TraceField): unknown => {
    const c = names[f];
    return c === undefined ? undefined : get(c);
  };
  const strict = (f: TraceField): unknown => {
    const v = raw(f);
    if (kind === 'json' && v !== undefined && v !== null && typeof v !== 'number')
      throw new RowProblem(`${label(f)}: expected a number, got ${JSON.stringify(v)}`);
    return v;
  };
  const scaled = (f: ScalableField, v: number): number => v * (conversion.scale?.[f] ?? 1);
  /** A time that may say "never": CSV empty, JSON null. */
  const timeOrNever = (f: 'lifetime' | 'end'): number => {
    const v = raw(f);
    if (kind === 'csv' ? v === undefined || (typeof v === 'string' && v.trim() === '') : v === null)
      return Infinity;
    if (kind === 'json' && typeof v !== 'number')
      throw new RowProblem(`${label(f)}: expected a number or null, got ${JSON.stringify(v)}`);
    return scaled(f, numberField(v, label(f)));
  };

  const hasEnd = raw('end') !== undefined;
  const hasLifetime = raw('lifetime') !== undefined;
  if (kind === 'json' && hasLifetime === hasEnd)
    throw new RowProblem(hasEnd ? 'give lifetime or end, not both' : 'lifetime (or end): missing');

  const disk = strict('disk_gb');
  const priority = optionalNumberField(strict('priority'), label('priority'));
  const rule = conversion.preemptibleWhen;
  let preemptible: boolean;
  if (rule !== undefined) {
    const v = get(rule.column);
    const text =
      typeof v === 'string'
        ? v.trim()
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : '';
    preemptible = rule.values.includes(text);
  } else {
    preemptible = booleanField(raw('preemptible'), label('preemptible'));
  }
  return buildRow(
    {
      id: idField(raw('id'), label('id')),
      arrival: scaled('arrival', numberField(strict('arrival'), label('arrival'))),
      ...(hasEnd ? { end: timeOrNever('end') } : { lifetime: timeOrNever('lifetime') }),
      vcpus: scaled('vcpus', positiveField(strict('vcpus'), label('vcpus'))),
      memory: scaled('memory_mb', positiveField(strict('memory_mb'), label('memory_mb'))),
      diskGb:
        disk === undefined || (typeof disk === 'string' && disk.trim() === '')
          ? 0
          : scaled('disk_gb', nonNegativeField(disk, label('disk_gb'))),
      preemptible,
      priority: priority === undefined ? undefined : scaled('priority', priority),
    },
    conversion,
  );
}
