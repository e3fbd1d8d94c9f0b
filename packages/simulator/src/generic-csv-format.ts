import { RowProblem } from './bad-row.js';
import { splitCsvLine } from './csv-fields.js';
import { readMappedRow } from './mapped-row.js';
import { CsvColumns } from './row-fields.js';
import { columnNames, mappingProblem } from './trace-mapping.js';
import type { RowParser, TraceConversion, TraceFormatDefinition } from './trace-format.js';

function createParser(conversion: TraceConversion): RowParser {
  const names = columnNames(conversion.columns);
  const mapped = conversion.columns !== undefined;
  let index = new Map<string, number>();
  let width = 0;
  return {
    hasHeader: true,
    header(line) {
      const fields = splitCsvLine(line);
      const columns = new CsvColumns(fields);
      const has = (c: string): boolean => columns.has(c.trim().toLowerCase());
      const problem = mappingProblem(
        names,
        mapped,
        conversion.preemptibleWhen,
        has,
        fields.map((f) => f.trim()),
      );
      if (problem !== undefined) return problem;
      width = fields.length;
      index = new Map();
      const wanted = [
        ...Object.values(names),
        ...(conversion.preemptibleWhen !== undefined ? [conversion.preemptibleWhen.column] : []),
      ];
      for (const c of wanted) {
        if (c === undefined) continue;
        const i = columns.indexOf(c.trim().toLowerCase());
        if (i >= 0) index.set(c, i);
      }
      return undefined;
    },
    parse(line) {
      const f = splitCsvLine(line);
      if (f.length !== width)
        throw new RowProblem(`expected ${width} fields like the header, got ${f.length}`);
      return readMappedRow(
        (column) => {
          const i = index.get(column);
          return i === undefined ? undefined : f[i];
        },
        names,
        conversion,
        'csv',
      );
    },
  };
}

/**
 * The generic CSV format: a header naming `arrival`, `lifetime` or `end`,
 * `vcpus`, `memory_mb`, `preemptible`, and optionally `disk_gb`, `priority`,
 * `id` (any order; other columns are ignored); `columns` maps the fields to
 * other column names (then only the mapped columns are read).
 */
export const genericCsvFormat: TraceFormatDefinition = {
  name: 'csv',
  description:
    'generic CSV: arrival, lifetime|end, vcpus, memory_mb, [disk_gb], preemptible, [priority], [id]',
  defaultMemoryUnit: 'mb',
  createParser,
};
