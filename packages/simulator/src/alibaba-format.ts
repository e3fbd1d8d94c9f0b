import { RowProblem } from './bad-row.js';
import { buildRow } from './build-row.js';
import { splitCsvLine } from './csv-fields.js';
import { CsvColumns, idField, nonNegativeField, numberField, positiveField } from './row-fields.js';
import type { RowParser, TraceConversion, TraceFormatDefinition } from './trace-format.js';

const REQUIRED = [
  'name',
  'cpu_milli',
  'memory_mib',
  'qos',
  'creation_time',
  'deletion_time',
] as const;

/** The QoS classes of the trace; only best-effort (BE) is preemptible. */
const QOS = new Map([
  ['be', true],
  ['ls', false],
  ['burstable', false],
  ['guaranteed', false],
]);

function createParser(conversion: TraceConversion): RowParser {
  let col = { name: -1, cpu: -1, memory: -1, qos: -1, created: -1, deleted: -1 };
  let width = 0;
  return {
    hasHeader: true,
    header(line) {
      const fields = splitCsvLine(line);
      const columns = new CsvColumns(fields);
      const missing = columns.missing(REQUIRED);
      if (missing.length > 0) return `the header lacks the column(s): ${missing.join(', ')}`;
      width = fields.length;
      col = {
        name: columns.indexOf('name'),
        cpu: columns.indexOf('cpu_milli'),
        memory: columns.indexOf('memory_mib'),
        qos: columns.indexOf('qos'),
        created: columns.indexOf('creation_time'),
        deleted: columns.indexOf('deletion_time'),
      };
      return undefined;
    },
    parse(line) {
      const f = splitCsvLine(line);
      if (f.length !== width)
        throw new RowProblem(`expected ${width} fields like the header, got ${f.length}`);
      const qosText = (f[col.qos] ?? '').trim();
      const preemptible = QOS.get(qosText.toLowerCase());
      if (preemptible === undefined)
        throw new RowProblem(`qos: expected BE, LS, Burstable or Guaranteed, got "${qosText}"`);
      const deleted = f[col.deleted];
      return buildRow(
        {
          id: idField(f[col.name], 'name'),
          arrival: numberField(f[col.created], 'creation_time'),
          end:
            deleted === undefined || deleted.trim() === ''
              ? Infinity
              : nonNegativeField(deleted, 'deletion_time'),
          vcpus: positiveField(f[col.cpu], 'cpu_milli') / 1000,
          memory: positiveField(f[col.memory], 'memory_mib'),
          diskGb: 0,
          preemptible,
          priority: undefined,
        },
        conversion,
      );
    },
  };
}

/**
 * Alibaba's GPU cluster trace 2023 (`openb_pod_list_*.csv`): one pod per row;
 * `cpu_milli / 1000` vCPUs, `memory_mib`, arrival at `creation_time`, departure
 * at `deletion_time`, best-effort (`qos` BE) preemptible. Pods never scheduled
 * (empty `scheduled_time`) arrive too; GPUs are not modelled.
 */
export const alibabaFormat: TraceFormatDefinition = {
  name: 'alibaba',
  description:
    'Alibaba openb pods: cpu_milli/1000 vCPUs, memory_mib, creation/deletion_time, qos BE = preemptible',
  defaultMemoryUnit: 'mib',
  createParser,
};
