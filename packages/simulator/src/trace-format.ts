import type { TraceRow } from './trace-row.js';
import type { ColumnMapping, PreemptibleRule, ScaleFactors } from './trace-mapping.js';
import type { CpuRounding, MemoryUnit, TimeUnit } from './units.js';

/** The trace formats `readTrace` knows. */
export type TraceFormatName = 'csv' | 'jsonl' | 'alibaba' | 'huawei';

export const TRACE_FORMATS: readonly TraceFormatName[] = ['csv', 'jsonl', 'alibaba', 'huawei'];

export function isTraceFormat(value: string): value is TraceFormatName {
  return (TRACE_FORMATS as readonly string[]).includes(value);
}

/** How a format's numbers become simulator units. */
export interface TraceConversion {
  /** Unit of the memory column (defaults per format: csv/jsonl `mb`, alibaba `mib`, huawei `gb`). */
  memoryUnit: MemoryUnit;
  /** Unit of the time columns (default `s`). */
  timeUnit: TimeUnit;
  /** Fractional vCPUs: round up (default) or keep. */
  cpuRounding: CpuRounding;
  /** huawei: the fraction of rows marked preemptible, chosen by a seeded hash of the id. */
  preemptibleFraction: number;
  /** Seed of that choice. */
  seed: number;
  /** csv/jsonl: the column of each field; only these are read (absent: the field names). */
  columns?: ColumnMapping;
  /** csv/jsonl: factors for the raw numbers, applied before unit conversion and rounding. */
  scale?: ScaleFactors;
  /** csv/jsonl: rows whose column holds one of the values are preemptible. */
  preemptibleWhen?: PreemptibleRule;
}

/**
 * Reads the rows of one format. CSV formats get the header first; `header`
 * returns a problem (missing columns) or undefined. `parse` throws a
 * `RowProblem` for a bad row; `line` is left 0 for the reader to set.
 */
export interface RowParser {
  readonly hasHeader: boolean;
  header(line: string): string | undefined;
  parse(line: string): TraceRow;
}

/** What every format declares. */
export interface TraceFormatDefinition {
  name: TraceFormatName;
  description: string;
  defaultMemoryUnit: MemoryUnit;
  createParser(conversion: TraceConversion): RowParser;
}
