import type {
  HostVerdict,
  InstanceExplanation,
  Need,
  Preemption,
  PreemptionVerdict,
  VictimCostTerm,
} from '@opie/core';
import { className } from '@opie/core';
import { formatTable } from './table.js';
import { formatNumber } from './units.js';

/** At most this many rejected or other planned hosts are listed per instance (unless all hosts). */
export const MAX_LISTED_PREEMPTION_HOSTS = 10;

const NEED_NAMES: readonly [keyof Need, string][] = [
  ['memoryMb', 'memory_mb'],
  ['diskGb', 'disk_gb'],
  ['vcpus', 'vcpu'],
  ['instances', 'instances'],
  ['ioOps', 'io_ops'],
];

/** `memory_mb 4608, vcpu 2` (the resources above 0), or `nothing`. */
export function formatNeed(need: Need): string {
  const parts = NEED_NAMES.filter(([k]) => need[k] > 0).map(
    ([k, name]) => `${name} ${formatNumber(need[k])}`,
  );
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

/** `BillingRemainderVictimWeigher 1800 x 1 = 1800; VictimCountWeigher 1 x 300 = 300`. */
export function formatCostTerms(terms: readonly VictimCostTerm[]): string {
  return terms
    .map(
      (t) =>
        `${className(t.weigher)} ${formatNumber(t.raw)} x ${formatNumber(t.multiplier)} = ${formatNumber(t.weighted)}`,
    )
    .join('; ');
}

/** The cost lines of one preemption in the "Preemptions" list (none without a cost). */
export function preemptionCostLines(p: Preemption): string[] {
  const lines: string[] = [];
  if (p.cost !== undefined) {
    const terms =
      p.terms !== undefined && p.terms.length > 0 ? `: ${formatCostTerms(p.terms)}` : '';
    lines.push(`    cost ${formatNumber(p.cost)}${terms}`);
  }
  if (p.wasted === true) {
    lines.push('    wasted: terminated without making room (opie-compat victim policy)');
  }
  return lines;
}

/**
 * `optimal` when the victim set is proven cheapest, else
 * `not proven optimal, lower bound 400` (the search's budget ran out, or the
 * heuristic alone). Verdicts without `optimal` (older drivers) fall back to `exact`.
 */
export function formatOptimality(p: PreemptionVerdict): string {
  const optimal = p.optimal ?? p.exact === true;
  if (optimal) return 'optimal';
  const bound = p.lowerBound !== undefined ? `, lower bound ${formatNumber(p.lowerBound)}` : '';
  return `not proven optimal${bound}`;
}

function where(h: { host: string; nodename: string }): string {
  return h.nodename === h.host ? h.host : `${h.host} (${h.nodename})`;
}

/** The victims of one host as a table: each victim's cost and each weigher's part. */
function victimTable(verdict: HostVerdict): string[] {
  const victims = verdict.preemption?.victims ?? [];
  const rows: string[][] = [['VICTIM', 'COST', 'WEIGHER', 'RAW', 'MULTIPLIER', 'WEIGHTED']];
  for (const v of victims) {
    const head = [v.uuid, formatNumber(v.cost)];
    if (v.terms.length === 0) rows.push([...head, '(no victim weighers)']);
    v.terms.forEach((t, i) => {
      const cells = [
        className(t.weigher),
        formatNumber(t.raw),
        formatNumber(t.multiplier),
        formatNumber(t.weighted),
      ];
      rows.push(i === 0 ? [...head, ...cells] : ['', '', ...cells]);
    });
  }
  return [formatTable(rows, '    ', 40)];
}

/**
 * How preemption took part in one instance's choice: the policy, the chosen
 * host's victims with each one's cost terms, the other hosts planned, and the
 * hosts rejected for preemption with why. Empty when nothing was preempted or
 * planned (e.g. a preemptible request, or nova's driver).
 */
export function formatInstancePreemption(
  inst: InstanceExplanation,
  options: { allHosts: boolean },
): string[] {
  const summary = inst.preemption;
  const planned = inst.hosts.filter((h) => h.preemption !== undefined);
  if (summary === undefined && planned.length === 0) return [];
  const lines: string[] = [];
  if (summary !== undefined) {
    const n = summary.plannedHosts;
    lines.push(
      `  preemption: victim policy ${summary.policy}, host selection ${summary.hostSelection}; ` +
        `${n} host${n === 1 ? '' : 's'} planned`,
    );
    const joint = summary.joint;
    if (joint !== undefined) {
      lines.push(
        `  planned jointly: ${joint.instances} instances of the request, total victim cost ` +
          `${formatNumber(joint.cost)}${joint.optimal ? ', optimal' : ', not proven optimal'}`,
      );
    }
    for (const a of summary.attempts ?? []) {
      lines.push(`  attempt ${a.attempt} on ${where(a)} failed: ${a.failure}`);
    }
  }
  const isChosen = (h: HostVerdict): boolean =>
    inst.chosen !== null && h.host === inst.chosen.host && h.nodename === inst.chosen.nodename;
  const chosen = planned.find(isChosen);
  const cp = chosen?.preemption;
  if (chosen !== undefined && cp !== undefined) {
    if (!cp.needed) {
      lines.push(`  ${where(chosen)} needs no preemption`);
    } else if (cp.victims !== undefined) {
      const optimality = formatOptimality(cp);
      const n = cp.victims.length;
      lines.push(
        `  victims on ${where(chosen)}: ${n} (need ${formatNeed(cp.need ?? zeroNeed())}; ` +
          `cost ${formatNumber(cp.cost ?? 0)}, ${optimality}${cp.score !== undefined ? `; score ${formatNumber(cp.score)}` : ''})`,
      );
      lines.push(...victimTable(chosen));
    }
  }
  const limit = options.allHosts ? Infinity : MAX_LISTED_PREEMPTION_HOSTS;
  const others = planned.filter(
    (h) => !isChosen(h) && h.preemption?.victims !== undefined && h.preemption.needed,
  );
  if (others.length > 0) {
    const shown = others.slice(0, limit).map((h) => {
      const p = h.preemption;
      const n = p?.victims?.length ?? 0;
      const score = p?.score !== undefined ? `, score ${formatNumber(p.score)}` : '';
      const proof =
        p !== undefined && formatOptimality(p) !== 'optimal' ? `, ${formatOptimality(p)}` : '';
      return `${where(h)} cost ${formatNumber(p?.cost ?? 0)} (${n} victim${n === 1 ? '' : 's'}${score}${proof})`;
    });
    const more = others.length - shown.length;
    lines.push(
      `  other hosts planned: ${shown.join('; ')}${more > 0 ? `; ${more} more (--all-hosts)` : ''}`,
    );
  }
  const rejected = planned.filter((h) => h.preemption?.rejected !== undefined);
  if (rejected.length > 0) {
    lines.push('  rejected for preemption:');
    for (const h of rejected.slice(0, limit)) {
      lines.push(`    ${where(h)}: ${h.preemption?.rejected ?? ''}`);
    }
    const more = rejected.length - Math.min(rejected.length, limit);
    if (more > 0) lines.push(`    ${more} more; --all-hosts shows every host`);
  }
  return lines;
}

function zeroNeed(): Need {
  return { memoryMb: 0, diskGb: 0, vcpus: 0, instances: 0, ioOps: 0 };
}
