import {
  formatCount,
  formatDecimal,
  formatHours,
  formatMicros,
  formatPercent,
} from './number-format.js';
import type { PolicyResult } from './simulation-result.js';

/** One line of the side-by-side comparison: a label and one cell per policy. */
export interface ComparisonRow {
  label: string;
  cells: string[];
  /** Starts a new group (a blank line or rule before it). */
  group?: boolean;
}

function row(
  label: string,
  policies: readonly PolicyResult[],
  cell: (p: PolicyResult) => string,
  group = false,
): ComparisonRow {
  return { label, cells: policies.map(cell), ...(group ? { group } : {}) };
}

/** With re-submitted victims: how many ran again and how long they waited. */
function resubmissionRows(policies: readonly PolicyResult[]): ComparisonRow[] {
  if (!policies.some((p) => p.resubmissions !== undefined)) return [];
  const r = (p: PolicyResult) => p.resubmissions;
  return [
    row('victims re-submitted', policies, (p) => formatCount(r(p)?.victims ?? 0), true),
    row('  ran again', policies, (p) => formatCount(r(p)?.ran ?? 0)),
    row('  still waiting at the end', policies, (p) => formatCount(r(p)?.waitingAtEnd ?? 0)),
    row(
      '  attempts (rejected)',
      policies,
      (p) => `${formatCount(r(p)?.attempts ?? 0)} (${formatCount(r(p)?.rejectedAttempts ?? 0)})`,
    ),
    row(
      '  wait mean (max)',
      policies,
      (p) =>
        `${formatDecimal((r(p)?.meanWaitS ?? 0) / 60, 1)} min (${formatDecimal((r(p)?.maxWaitS ?? 0) / 60, 1)} min)`,
    ),
  ];
}

/** The figures every output shows, policy by policy, in display order. */
export function comparisonRows(policies: readonly PolicyResult[]): ComparisonRow[] {
  return [
    row('victim policy', policies, (p) => p.victimPolicy ?? '-'),
    row('requests normal', policies, (p) => formatCount(p.requests.normal), true),
    row('requests preemptible', policies, (p) => formatCount(p.requests.preemptible)),
    row('placed normal', policies, (p) => formatCount(p.placed.normal)),
    row('placed preemptible', policies, (p) => formatCount(p.placed.preemptible)),
    row('rejected normal', policies, (p) => formatCount(p.rejected.normal)),
    row('rejected preemptible', policies, (p) => formatCount(p.rejected.preemptible)),
    row('departures', policies, (p) => formatCount(p.departures)),
    row('preemptions', policies, (p) => formatCount(p.preemptions.count), true),
    row('victims', policies, (p) => formatCount(p.preemptions.victims)),
    row('  of failed requests', policies, (p) =>
      formatCount(p.preemptions.victimsOfFailedRequests),
    ),
    row(
      'victims per preemption (max)',
      policies,
      (p) =>
        `${p.preemptions.victimsPerPreemption.toFixed(2)} (${formatCount(p.preemptions.maxVictims)})`,
    ),
    row(
      'preemptible work lost',
      policies,
      (p) => `${formatHours(p.lostWork.instanceSeconds)} (instance-hours)`,
    ),
    row('work lost in the billing period', policies, (p) =>
      formatHours(p.lostWork.paidPeriodSeconds),
    ),
    row('placements over limits', policies, (p) => formatCount(p.placementsOverLimits)),
    row(
      'RAM utilisation avg (peak)',
      policies,
      (p) =>
        `${formatPercent(p.utilisation.ram.average)} (${formatPercent(p.utilisation.ram.peak)})`,
      true,
    ),
    row(
      'vCPU utilisation avg (peak)',
      policies,
      (p) =>
        `${formatPercent(p.utilisation.vcpu.average)} (${formatPercent(p.utilisation.vcpu.peak)})`,
    ),
    ...resubmissionRows(policies),
    row('scheduler time per decision', policies, (p) => formatMicros(p.timing.meanUs), true),
    row(
      '  p50 / p99',
      policies,
      (p) => `${formatMicros(p.timing.p50Us)} / ${formatMicros(p.timing.p99Us)}`,
    ),
  ];
}
