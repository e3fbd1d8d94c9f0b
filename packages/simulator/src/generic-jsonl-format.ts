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
import type { RowParser, TraceConversion, TraceFormatDefinition } from './trace-format.js';

/** null: the instance never leaves. */
function timeOrNever(raw: unknown, name: string): number {
  if (raw === null) return Infinity;
  if (typeof raw !== 'number')
    throw new RowProblem(`${name}: expected a number or null, got ${JSON.stringify(raw)}`);
  return numberField(raw, name);
}

function strictNumber(raw: unknown, name: string): unknown {
  if (raw !== undefined && raw !== null && typeof raw !== 'number')
    throw new RowProblem(`${name}: expected a number, got ${JSON.stringify(raw)}`);
  return raw;
}

function createParser(conversion: TraceConversion): RowParser {
  return {
    hasHeader: false,
    header: () => undefined,
    parse(line) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new RowProblem(`not valid JSON: ${(error as Error).message}`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new RowProblem('expected one JSON object per line');
      const o = value as Record<string, unknown>;
      const hasLifetime = Object.hasOwn(o, 'lifetime');
      const hasEnd = Object.hasOwn(o, 'end');
      if (hasLifetime === hasEnd)
        throw new RowProblem(
          hasEnd ? 'give lifetime or end, not both' : 'lifetime (or end): missing',
        );
      const disk = strictNumber(o['disk_gb'], 'disk_gb');
      return buildRow(
        {
          id: idField(o['id'], 'id'),
          arrival: numberField(strictNumber(o['arrival'], 'arrival'), 'arrival'),
          ...(hasEnd
            ? { end: timeOrNever(o['end'], 'end') }
            : { lifetime: timeOrNever(o['lifetime'], 'lifetime') }),
          vcpus: positiveField(strictNumber(o['vcpus'], 'vcpus'), 'vcpus'),
          memory: positiveField(strictNumber(o['memory_mb'], 'memory_mb'), 'memory_mb'),
          diskGb: disk === undefined ? 0 : nonNegativeField(disk, 'disk_gb'),
          preemptible: booleanField(o['preemptible'], 'preemptible'),
          priority: optionalNumberField(strictNumber(o['priority'], 'priority'), 'priority'),
        },
        conversion,
      );
    },
  };
}

/**
 * The generic JSON Lines format: one object per line with the generic CSV
 * format's keys; numbers are JSON numbers, `lifetime`/`end` may be null
 * (never leaves), `preemptible` a boolean or one of nova's boolean strings.
 */
export const genericJsonlFormat: TraceFormatDefinition = {
  name: 'jsonl',
  description: 'generic JSON Lines: one object per line with the csv format keys',
  defaultMemoryUnit: 'mb',
  createParser,
};
