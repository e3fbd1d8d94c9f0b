import type { Limits } from '@opie/core';

/** A number for a table: integers as they are, others with at most 4 decimals; -0 is 0. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n === 0 ? '0' : String(n);
  const fixed = n.toFixed(4).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** A duration in milliseconds as `3d 4h`, `2h 2m`, `30m`, `45s` (two units at most). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (d > 0) parts.push(`${d}d`, `${h}h`);
  else if (h > 0) parts.push(`${h}h`, `${m}m`);
  else if (m > 0) parts.push(`${m}m`, ...(s > 0 ? [`${s}s`] : []));
  else parts.push(`${s}s`);
  return sign + parts.filter((p, i) => i === 0 || !/^0[a-z]$/.test(p)).join(' ');
}

/** The resources of a flavor or instance: `8192 MB RAM, 4 vCPUs, 80 GB disk` (+ swap). */
export function formatSize(size: {
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swap?: number;
}): string {
  const vcpus = `${formatNumber(size.vcpus)} vCPU${size.vcpus === 1 ? '' : 's'}`;
  const disk = `${formatNumber(size.rootGb + size.ephemeralGb)} GB disk`;
  const swap =
    size.swap !== undefined && size.swap > 0 ? `, ${formatNumber(size.swap)} MB swap` : '';
  return `${formatNumber(size.memoryMb)} MB RAM, ${vcpus}, ${disk}${swap}`;
}

/**
 * Limits in nova's names: `memory_mb 16384, disk_gb 200, vcpu 32`, the
 * NumInstancesFilter / IoOpsFilter maxima as `num_instances 50, io_ops 8`, or `none`.
 */
export function formatLimits(limits: Limits): string {
  const parts: string[] = [];
  if (limits.memoryMb !== undefined) parts.push(`memory_mb ${formatNumber(limits.memoryMb)}`);
  if (limits.diskGb !== undefined) parts.push(`disk_gb ${formatNumber(limits.diskGb)}`);
  if (limits.vcpu !== undefined) parts.push(`vcpu ${formatNumber(limits.vcpu)}`);
  if (limits.numInstances !== undefined) {
    parts.push(`num_instances ${formatNumber(limits.numInstances)}`);
  }
  if (limits.ioOps !== undefined) parts.push(`io_ops ${formatNumber(limits.ioOps)}`);
  if (limits.numaTopology !== undefined) parts.push('numa_topology');
  return parts.length === 0 ? 'none' : parts.join(', ');
}
