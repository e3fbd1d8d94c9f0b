import { hostKey } from '@opie/core';
import type { ComputeService } from '../compute-service.js';

/** What a node holds, summed from the store's servers (the truth). */
export interface NodeTotals {
  host: string;
  memoryMb: number;
  vcpus: number;
  diskGb: number;
  servers: number;
}

/**
 * Reads every node and server from the store and checks, for every node:
 * reserved + Σ servers <= total x ratio (1.0 in the test nova.conf) for
 * RAM, vCPUs and disk. Returns each node's totals and the violations.
 */
export async function hostLimitViolations(
  service: ComputeService,
): Promise<{ totals: NodeTotals[]; violations: string[] }> {
  const inventory = await service.store.loadInventory();
  const totals = new Map<string, NodeTotals>();
  for (const row of inventory.nodes) {
    totals.set(hostKey(row.host, row.node), {
      host: row.host,
      memoryMb: row.base.memoryMbUsed,
      vcpus: row.base.vcpusUsed,
      diskGb: row.base.localGbUsed,
      servers: 0,
    });
  }
  for (const s of inventory.servers) {
    const t = totals.get(hostKey(s.host as string, s.node as string));
    if (t === undefined) continue;
    t.memoryMb += s.memoryMb;
    t.vcpus += s.vcpus;
    t.diskGb += s.rootGb + s.ephemeralGb;
    t.servers += 1;
  }
  const violations: string[] = [];
  for (const row of inventory.nodes) {
    const t = totals.get(hostKey(row.host, row.node)) as NodeTotals;
    if (t.memoryMb > row.record.memoryMb)
      violations.push(`${t.host}: ${t.memoryMb} MB > ${row.record.memoryMb} MB`);
    if (t.vcpus > row.record.vcpus)
      violations.push(`${t.host}: ${t.vcpus} vCPUs > ${row.record.vcpus}`);
    if (t.diskGb > row.record.localGb)
      violations.push(`${t.host}: ${t.diskGb} GB > ${row.record.localGb} GB`);
  }
  return { totals: [...totals.values()], violations };
}

/** Whether the scheduler's copy of every node equals what the store says now. */
export async function copyMatchesStore(service: ComputeService): Promise<string[]> {
  const inventory = await service.store.loadInventory();
  const problems: string[] = [];
  const perNode = new Map<string, number>();
  for (const s of inventory.servers) {
    const key = hostKey(s.host as string, s.node as string);
    perNode.set(key, (perNode.get(key) ?? 0) + s.memoryMb);
  }
  for (const row of inventory.nodes) {
    const record = service.source.recordOf(row.host, row.node);
    const used = row.base.memoryMbUsed + (perNode.get(hostKey(row.host, row.node)) ?? 0);
    if (record === undefined) problems.push(`${row.host}: not in the copy`);
    else if (record.memoryMb - record.freeRamMb !== used) {
      problems.push(
        `${row.host}: copy uses ${record.memoryMb - record.freeRamMb} MB, store ${used} MB`,
      );
    }
  }
  return problems;
}
