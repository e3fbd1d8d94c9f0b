/**
 * One VM request of a trace, in the simulator's units: seconds from the start
 * of the trace, MB (nova's, i.e. MiB) of RAM, GB of disk, vCPUs.
 */
export interface TraceRow {
  /** 1-based line of the row in its file (0 for generated rows). */
  line: number;
  /** The trace's id of the request, when it has one. */
  id: string | undefined;
  /** Arrival, in seconds from the start of the trace. */
  arrival: number;
  /** Seconds the instance lives; `Infinity` when it never leaves. */
  lifetime: number;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  preemptible: boolean;
  /** Preemption priority of a preemptible request (higher survives longer). */
  priority: number | undefined;
}
