import { RowProblem } from './bad-row.js';
import type { TraceConversion } from './trace-format.js';
import type { TraceRow } from './trace-row.js';
import { roundVcpus, secondsPer, toMemoryMb } from './units.js';

/** A row's values as the trace gives them, before unit conversion. */
export interface RawRowValues {
  id: string | undefined;
  arrival: number;
  /** Lifetime in trace time units; `Infinity` = never leaves. Exclusive with `end`. */
  lifetime?: number;
  /** Departure in trace time units; `Infinity` = never leaves. */
  end?: number;
  vcpus: number;
  memory: number;
  diskGb: number;
  preemptible: boolean;
  priority: number | undefined;
}

/** Converts and checks a row: times to seconds, memory to whole MB, vCPUs rounded. */
export function buildRow(raw: RawRowValues, conversion: TraceConversion): TraceRow {
  const perSecond = secondsPer(conversion.timeUnit);
  if (raw.arrival < 0) throw new RowProblem(`arrival: expected a time >= 0, got ${raw.arrival}`);
  let lifetime: number;
  if (raw.end !== undefined) {
    if (raw.end < raw.arrival)
      throw new RowProblem(`end: ${raw.end} is before the arrival (${raw.arrival})`);
    lifetime = raw.end === Infinity ? Infinity : (raw.end - raw.arrival) * perSecond;
  } else {
    const value = raw.lifetime ?? Infinity;
    if (value < 0) throw new RowProblem(`lifetime: expected a duration >= 0, got ${value}`);
    lifetime = value * perSecond;
  }
  const vcpus = roundVcpus(raw.vcpus, conversion.cpuRounding);
  const memoryMb = toMemoryMb(raw.memory, conversion.memoryUnit);
  if (memoryMb <= 0) throw new RowProblem(`memory: expected more than 0 MB, got ${raw.memory}`);
  return {
    line: 0,
    id: raw.id,
    arrival: raw.arrival * perSecond,
    lifetime,
    vcpus,
    memoryMb,
    diskGb: raw.diskGb,
    preemptible: raw.preemptible,
    priority: raw.priority,
  };
}
