import type { TraceRow } from '../trace-row.js';

/** Every row of a trace, in order (for small test traces only). */
export async function collect(rows: AsyncIterable<TraceRow>): Promise<TraceRow[]> {
  const out: TraceRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** Real traces, read by path (never copied into the repository). */
export const TRACES = '/work/shared/data/traces';
