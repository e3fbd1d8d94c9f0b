/**
 * Memory units a trace may use. nova's "MB" are MiB, so the decimal and
 * binary spellings mean the same factor here (as they do in nova).
 */
export type MemoryUnit = 'kib' | 'kb' | 'mib' | 'mb' | 'gib' | 'gb';
/** Time units a trace may use. */
export type TimeUnit = 'us' | 'ms' | 's' | 'min' | 'h' | 'd';
/** How fractional vCPUs (e.g. Alibaba's `cpu_milli / 1000`) become a flavor's vCPUs. */
export type CpuRounding = 'ceil' | 'none';

const MB_PER_UNIT: Record<MemoryUnit, number> = {
  kib: 1 / 1024,
  kb: 1 / 1024,
  mib: 1,
  mb: 1,
  gib: 1024,
  gb: 1024,
};

const SECONDS_PER_UNIT: Record<TimeUnit, number> = {
  us: 1e-6,
  ms: 1e-3,
  s: 1,
  min: 60,
  h: 3600,
  d: 86400,
};

export const MEMORY_UNITS = Object.keys(MB_PER_UNIT) as MemoryUnit[];
export const TIME_UNITS = Object.keys(SECONDS_PER_UNIT) as TimeUnit[];
export const CPU_ROUNDINGS: readonly CpuRounding[] = ['ceil', 'none'];

export function isMemoryUnit(value: string): value is MemoryUnit {
  return Object.hasOwn(MB_PER_UNIT, value);
}

export function isTimeUnit(value: string): value is TimeUnit {
  return Object.hasOwn(SECONDS_PER_UNIT, value);
}

export function isCpuRounding(value: string): value is CpuRounding {
  return (CPU_ROUNDINGS as readonly string[]).includes(value);
}

/** MB in one `unit`. */
export function mbPer(unit: MemoryUnit): number {
  return MB_PER_UNIT[unit];
}

/** Seconds in one `unit`. */
export function secondsPer(unit: TimeUnit): number {
  return SECONDS_PER_UNIT[unit];
}

/**
 * A memory amount in whole MB, rounded up (a flavor's `memory_mb` is an
 * integer; a request never gets less than it asked for).
 */
export function toMemoryMb(value: number, unit: MemoryUnit): number {
  const mb = value * MB_PER_UNIT[unit];
  // Guard against 2.0000000000000004-style noise before rounding up.
  return Math.ceil(mb - 1e-9);
}

/** vCPUs after rounding. */
export function roundVcpus(vcpus: number, rounding: CpuRounding): number {
  return rounding === 'ceil' ? Math.ceil(vcpus - 1e-9) : vcpus;
}
