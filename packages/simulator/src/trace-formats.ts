import { alibabaFormat } from './alibaba-format.js';
import { genericCsvFormat } from './generic-csv-format.js';
import { genericJsonlFormat } from './generic-jsonl-format.js';
import { huaweiFormat } from './huawei-format.js';
import type { TraceFormatDefinition, TraceFormatName } from './trace-format.js';

/** Every trace format, by name. */
export const traceFormats: Readonly<Record<TraceFormatName, TraceFormatDefinition>> = {
  csv: genericCsvFormat,
  jsonl: genericJsonlFormat,
  alibaba: alibabaFormat,
  huawei: huaweiFormat,
};

/** The generic format a file name suggests: `.jsonl`/`.ndjson` are JSON Lines, else CSV. */
export function formatForPath(path: string): TraceFormatName {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
}
