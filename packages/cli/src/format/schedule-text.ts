import type { Preemption, RequestSpec } from '@opie/core';
import { formatExplanations } from './explanation-table.js';
import { preemptionCostLines } from './preemption-text.js';
import type { ScheduleReport } from './schedule-report.js';
import { formatTable } from './table.js';
import { formatDuration, formatLimits, formatSize } from './units.js';

export interface ScheduleTextOptions {
  /** Every host in the per-instance tables, even in clouds of more than 50. */
  allHosts?: boolean;
}

const NOW_FROM = {
  option: '--now',
  cloud: 'the cloud file',
  clock: 'the wall clock',
} as const;

function requestLines(report: ScheduleReport): string[] {
  const spec: RequestSpec = report.spec;
  const id = spec.requestId !== undefined ? ` ${spec.requestId}` : '';
  const lines = [
    `Request${id} (${report.requestFile})`,
    `  ${spec.numInstances} x ${spec.flavor.name}: ${formatSize(spec.flavor)}`,
  ];
  let kind: string;
  if (report.preemptible) {
    kind = 'preemptible: filtered and weighed on the full view; never preempts';
  } else if (report.view === 'free') {
    kind = 'normal: filtered on the free view (preemptible instances count as free); may preempt';
  } else {
    kind = 'normal: filtered and weighed on the full view; this driver does not preempt';
  }
  lines.push(`  ${kind}`);
  const more: string[] = [];
  const image = spec.image.name ?? spec.image.id;
  if (image !== undefined) more.push(`image ${image}`);
  if (spec.projectId !== undefined) more.push(`project ${spec.projectId}`);
  if (spec.availabilityZone !== undefined) more.push(`zone ${spec.availabilityZone}`);
  const group = spec.instanceGroup;
  if (group !== undefined && group.policies.length > 0) {
    more.push(`server group ${group.policies.join(', ')}`);
  }
  if (spec.forceHosts !== undefined) more.push(`force_hosts ${spec.forceHosts.join(', ')}`);
  if (spec.forceNodes !== undefined) more.push(`force_nodes ${spec.forceNodes.join(', ')}`);
  if (spec.ignoreHosts !== undefined) more.push(`ignore_hosts ${spec.ignoreHosts.join(', ')}`);
  if (more.length > 0) lines.push(`  ${more.join('; ')}`);
  return lines;
}

function preemptionLines(p: Preemption, now: number): string[] {
  const v = p.victim;
  const where = p.nodename === p.host ? p.host : `${p.host} (node ${p.nodename})`;
  const created = new Date(v.createdAt).toISOString();
  return [
    `  - ${v.uuid} on ${where}, for instance ${p.forIndex + 1}`,
    `    ${formatSize(v)}; created ${created}, age ${formatDuration(now - v.createdAt)}`,
    `    why: ${p.reason}`,
    ...preemptionCostLines(p),
  ];
}

/** The human-readable report of one scheduling decision. */
export function formatScheduleText(
  report: ScheduleReport,
  options: ScheduleTextOptions = {},
): string {
  const out: string[] = [...requestLines(report)];
  const nodeNamed = report.explanation.some((e) => e.hosts.some((h) => h.nodename !== h.host));
  out.push(
    `Scheduler: ${report.driver} (${report.configFiles.join(', ')})`,
    `Cloud: ${report.cloudFile}; now ${new Date(report.now).toISOString()} (from ${NOW_FROM[report.nowFrom]}); seed ${report.seed}`,
  );
  const n = report.orders.length;
  const orders =
    n === 0
      ? 'no termination orders'
      : `${n} termination order${n === 1 ? '' : 's'} recorded, none sent`;
  out.push(`Dry run: ${orders}; ${report.cloudFile} is not modified.`, '');

  const result = report.result;
  if (result === undefined) {
    out.push(`Result: ${report.error?.message ?? 'No valid host was found.'}`, '');
    const wasted = (report.error as { wasted?: readonly Preemption[] } | undefined)?.wasted ?? [];
    if (wasted.length > 0) {
      out.push(`Victims lost all the same (${wasted.length}; opie-compat victim policy):`);
      for (const p of wasted) out.push(...preemptionLines(p, report.now));
      out.push('');
    }
  } else {
    const placed = result.destinations.length;
    out.push(
      `Result: ${placed} instance${placed === 1 ? '' : 's'} placed, ${result.preemptions.length} preempted`,
      '',
      'Destinations:',
      formatTable([
        ['#', 'HOST', ...(nodeNamed ? ['NODE'] : []), 'LIMITS'],
        ...result.destinations.map((d, i) => [
          String(i + 1),
          d.host,
          ...(nodeNamed ? [d.nodename] : []),
          formatLimits(d.limits),
        ]),
      ]),
      '',
    );
    if (result.preemptions.length === 0) {
      out.push('Preemptions: none', '');
    } else {
      out.push(`Preemptions (${result.preemptions.length}):`);
      for (const p of result.preemptions) out.push(...preemptionLines(p, report.now));
      out.push('');
    }
  }

  if (report.explanation.length === 0) {
    out.push('No explanation: the driver does not explain its decisions.');
    return `${out.join('\n')}\n`;
  }
  out.push(
    'Hosts per instance (* = chosen; weights: raw, normalised, x multiplier = weighted):',
    '',
  );
  out.push(
    formatExplanations(report.explanation, {
      numInstances: report.spec.numInstances,
      filters: report.filters,
      allHosts: options.allHosts ?? false,
      showNodes: nodeNamed,
    }),
  );
  return out.join('\n');
}
