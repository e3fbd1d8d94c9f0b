import type { Limits } from '@opie/core';

/** What a node already uses (reserved and instances). */
export interface NodeUsed {
  memoryMbUsed: number;
  localGbUsed: number;
  vcpusUsed: number;
}

/** What a claim asks for. */
export interface Requested {
  memoryMb: number;
  diskGb: number;
  vcpus: number;
}

function test(
  what: string,
  unit: string,
  used: number,
  requested: number,
  limit: number | undefined,
): string | undefined {
  if (limit === undefined) return undefined;
  const free = limit - used;
  if (requested <= free) return undefined;
  return `${what}: free ${free} ${unit} < requested ${requested} ${unit} (limit ${limit} ${unit}, used ${used} ${unit})`;
}

/**
 * nova's compute claim test: each resource with a limit must have
 * `limit - used >= requested`; a resource without a limit is not checked
 * (the filter that sets it is not enabled, or the host was forced). Returns
 * the problems, none when the claim fits.
 * @see nova/compute/claims.py Claim._test_memory, _test_disk, _test_vcpus
 */
export function claimProblems(used: NodeUsed, requested: Requested, limits: Limits): string[] {
  return [
    test('memory', 'MB', used.memoryMbUsed, requested.memoryMb, limits.memoryMb),
    test('disk', 'GB', used.localGbUsed, requested.diskGb, limits.diskGb),
    test('vcpus', 'VCPU', used.vcpusUsed, requested.vcpus, limits.vcpu),
  ].filter((p): p is string => p !== undefined);
}
