import { RowProblem } from './bad-row.js';
import { buildRow } from './build-row.js';
import { splitCsvLine } from './csv-fields.js';
import {
  booleanField,
  CsvColumns,
  idField,
  nonNegativeField,
  numberField,
  optionalNumberField,
  positiveField,
} from './row-fields.js';
import type { RowParser, TraceConversion, TraceFormatDefinition } from './trace-format.js';

const REQUIRED = ['arrival', 'vcpus', 'memory_mb', 'preemptible'] as const;

/** An empty lifetime or end: the instance never leaves. */
function timeOrNever(raw: string | undefined, name: string): number {
  if (raw === undefined || raw.trim() === '') return Infinity;
  return numberField(raw, name);
}

function createParser(conversion: TraceConversion): RowParser {
  let col = {
    arrival: -1,
    lifetime: -1,
    end: -1,
    vcpus: -1,
    memory: -1,
    disk: -1,
    preemptible: -1,
    priority: -1,
    id: -1,
  };
  let width = 0;
  return {
    hasHeader: true,
    header(line) {
      const fields = splitCsvLine(line);
      const columns = new CsvColumns(fields);
      const missing = columns.missing(REQUIRED);
      const hasLifetime = columns.has('lifetime');
      const hasEnd = columns.has('end');
      if (!hasLifetime && !hasEnd) missing.push('lifetime (or end)');
      if (missing.length > 0) return `the header lacks the column(s): ${missing.join(', ')}`;
      if (hasLifetime && hasEnd) return 'the header has both lifetime and end; keep one';
      width = fields.length;
      col = {
        arrival: columns.indexOf('arrival'),
        lifetime: columns.indexOf('lifetime'),
        end: columns.indexOf('end'),
        vcpus: columns.indexOf('vcpus'),
        memory: columns.indexOf('memory_mb'),
        disk: columns.indexOf('disk_gb'),
        preemptible: columns.indexOf('preemptible'),
        priority: columns.indexOf('priority'),
        id: columns.indexOf('id'),
      };
      return undefined;
    },
    parse(line) {
      const f = splitCsvLine(line);
      if (f.length !== width)
        throw new RowProblem(`expected ${width} fields like the header, got ${f.length}`);
      const at = (i: number): string | undefined => (i < 0 ? undefined : f[i]);
      const arrival = numberField(at(col.arrival), 'arrival');
      const disk = at(col.disk);
      return buildRow(
        {
          id: idField(at(col.id), 'id'),
          arrival,
          ...(col.end >= 0
            ? { end: timeOrNever(at(col.end), 'end') }
            : { lifetime: timeOrNever(at(col.lifetime), 'lifetime') }),
          vcpus: positiveField(at(col.vcpus), 'vcpus'),
          memory: positiveField(at(col.memory), 'memory_mb'),
          diskGb: disk === undefined || disk.trim() === '' ? 0 : nonNegativeField(disk, 'disk_gb'),
          preemptible: booleanField(at(col.preemptible), 'preemptible'),
          priority: optionalNumberField(at(col.priority), 'priority'),
        },
        conversion,
      );
    },
  };
}

/**
 * The generic CSV format: a header naming `arrival`, `lifetime` or `end`,
 * `vcpus`, `memory_mb`, `preemptible`, and optionally `disk_gb`, `priority`,
 * `id` (any order; other columns are ignored).
 */
export const genericCsvFormat: TraceFormatDefinition = {
  name: 'csv',
  description:
    'generic CSV: arrival, lifetime|end, vcpus, memory_mb, [disk_gb], preemptible, [priority], [id]',
  defaultMemoryUnit: 'mb',
  createParser,
};
