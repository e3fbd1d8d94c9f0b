import { RowProblem } from './bad-row.js';
import { buildRow } from './build-row.js';
import { splitCsvLine } from './csv-fields.js';
import { CsvColumns, idField, nonNegativeField, numberField, positiveField } from './row-fields.js';
import { inSeededFraction } from './seeded-fraction.js';
import type { RowParser, TraceConversion, TraceFormatDefinition } from './trace-format.js';

const REQUIRED = ['vmid', 'cpu', 'mem', 'at', 'lt'] as const;

function createParser(conversion: TraceConversion): RowParser {
  let col = { id: -1, cpu: -1, mem: -1, at: -1, lt: -1 };
  let width = 0;
  const { seed, preemptibleFraction } = conversion;
  return {
    hasHeader: true,
    header(line) {
      const fields = splitCsvLine(line);
      const columns = new CsvColumns(fields);
      const missing = columns.missing(REQUIRED);
      if (missing.length > 0) return `the header lacks the column(s): ${missing.join(', ')}`;
      width = fields.length;
      col = {
        id: columns.indexOf('vmid'),
        cpu: columns.indexOf('cpu'),
        mem: columns.indexOf('mem'),
        at: columns.indexOf('at'),
        lt: columns.indexOf('lt'),
      };
      return undefined;
    },
    parse(line) {
      const f = splitCsvLine(line);
      if (f.length !== width)
        throw new RowProblem(`expected ${width} fields like the header, got ${f.length}`);
      const id = idField(f[col.id], 'vmid');
      if (id === undefined) throw new RowProblem('vmid: missing');
      return buildRow(
        {
          id,
          arrival: numberField(f[col.at], 'at'),
          lifetime: nonNegativeField(f[col.lt], 'lt'),
          vcpus: positiveField(f[col.cpu], 'cpu'),
          memory: positiveField(f[col.mem], 'mem'),
          diskGb: 0,
          preemptible: inSeededFraction(seed, id, preemptibleFraction),
          priority: undefined,
        },
        conversion,
      );
    },
  };
}

/**
 * Huawei Cloud's East-1 VM trace, one row per VM (`vmid,cpu,mem,at,lt`):
 * `mem` in GB, arrival `at` and lifetime `lt` in seconds. The trace has no
 * spot flag: `preemptibleFraction` of the VMs, chosen by a seeded hash of
 * `vmid`, are marked preemptible.
 */
export const huaweiFormat: TraceFormatDefinition = {
  name: 'huawei',
  description: 'Huawei East-1 VMs (vmid,cpu,mem GB,at,lt); a seeded fraction is preemptible',
  defaultMemoryUnit: 'gb',
  createParser,
};
