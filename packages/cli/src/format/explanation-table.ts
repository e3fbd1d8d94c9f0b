import type { HostVerdict, HostView, InstanceExplanation } from '@opie/core';
import { className, hostKey } from '@opie/core';
import { formatInstancePreemption } from './preemption-text.js';
import { formatTable } from './table.js';
import { formatNumber } from './units.js';

/** Above this many hosts an instance's table is cut (unless every host is asked for). */
export const MAX_FULL_TABLE_HOSTS = 50;
/** How many best-ranked hosts a cut table shows. */
export const CUT_TABLE_HOSTS = 20;

/** Why a host removed by an earlier instance of the request is not considered any more. */
interface EarlierRejection {
  host: string;
  nodename: string;
  filter: string;
  /** 0-based instance whose filtering removed it. */
  index: number;
}

export interface ExplanationTableOptions {
  numInstances: number;
  /** Filter names in the order they run: per-filter counts follow it. */
  filters: readonly string[];
  /** Show every host, however many. */
  allHosts: boolean;
  /** Show the NODE column (some node is not named like its host). */
  showNodes: boolean;
}

/** The pseudo-filters of nova's host selection, which run before the filters. */
const HOST_SELECTION = ['ignore_hosts', 'force_hosts', 'force_nodes'];

export function viewText(view: HostView): string {
  return view === 'free'
    ? 'filtered on the free view (preemptible instances count as free), weighed on the full view'
    : 'filtered and weighed on the full view';
}

/** `RamFilter 3, ComputeFilter 1`, in filter order. */
function countByFilter(hosts: readonly HostVerdict[], filters: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of [...HOST_SELECTION, ...filters]) counts.set(name, 0);
  for (const h of hosts) {
    if (h.filteredBy !== null) counts.set(h.filteredBy, (counts.get(h.filteredBy) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Explains every instance of a request: a headline (chosen host, how many
 * hosts passed, which filters removed the others) and a table of every host
 * — its rank, total weight and each weigher's raw, normalised, multiplier and
 * weighted value, or the filter that removed it. Later instances also list
 * the hosts an earlier instance's filtering removed (nova narrows the list).
 */
export function formatExplanations(
  explanation: readonly InstanceExplanation[],
  options: ExplanationTableOptions,
): string {
  const earlier = new Map<string, EarlierRejection>();
  const out: string[] = [];
  for (const inst of explanation) {
    out.push(formatInstance(inst, [...earlier.values()], options));
    for (const h of inst.hosts) {
      if (h.filteredBy !== null) {
        earlier.set(hostKey(h.host, h.nodename), {
          host: h.host,
          nodename: h.nodename,
          filter: h.filteredBy,
          index: inst.index,
        });
      }
    }
  }
  return out.join('\n');
}

function headline(inst: InstanceExplanation, numInstances: number): string {
  const which = `Instance ${inst.index + 1} of ${numInstances}`;
  const chosen = inst.chosen;
  if (chosen === null) return `${which}: no host (${inst.failure ?? 'none passed'})`;
  const where =
    chosen.nodename === chosen.host ? chosen.host : `${chosen.host} (${chosen.nodename})`;
  if (inst.failure !== undefined)
    return `${which}: ${where} chosen, then given up: ${inst.failure}`;
  return `${which}: ${where}`;
}

function formatInstance(
  inst: InstanceExplanation,
  earlier: readonly EarlierRejection[],
  options: ExplanationTableOptions,
): string {
  const passed = inst.hosts.filter((h) => h.filteredBy === null);
  const counts = countByFilter(inst.hosts, options.filters);
  const considered = `${plural(inst.hosts.length, 'host')} considered, ${passed.length} passed`;
  const lines = [
    headline(inst, options.numInstances),
    `  ${considered}${counts === '' ? '' : `; filtered by ${counts}`}${
      earlier.length > 0 ? `; ${plural(earlier.length, 'host')} removed for earlier instances` : ''
    }`,
    `  ${viewText(inst.view)}`,
  ];

  const ranked = [...passed].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const rejected = inst.hosts.filter((h) => h.filteredBy !== null);
  const total = inst.hosts.length + earlier.length;
  const cut = !options.allHosts && total > MAX_FULL_TABLE_HOSTS;
  const isChosen = (h: HostVerdict): boolean =>
    inst.chosen !== null && h.host === inst.chosen.host && h.nodename === inst.chosen.nodename;
  const shown = cut ? ranked.filter((h, i) => i < CUT_TABLE_HOSTS || isChosen(h)) : ranked;

  const node = (nodename: string): string[] => (options.showNodes ? [nodename] : []);
  const weighCols = ['WEIGHT', 'WEIGHER', 'RAW', 'NORMALISED', 'MULTIPLIER', 'WEIGHTED'];
  const rows: string[][] = [
    [' ', 'RANK', 'HOST', ...node('NODE'), ...(shown.length > 0 ? weighCols : ['RESULT'])],
  ];
  for (const h of shown) {
    const head = [
      isChosen(h) ? '*' : ' ',
      h.rank === undefined ? '-' : String(h.rank + 1),
      h.host,
      ...node(h.nodename),
      formatNumber(h.weight ?? 0),
    ];
    const terms = h.terms ?? [];
    if (terms.length === 0) {
      const why = passed.length === 1 ? '(only host: not weighed)' : '(no weighers)';
      rows.push([...head, why]);
      continue;
    }
    terms.forEach((t, i) => {
      const cells = [
        className(t.weigher),
        formatNumber(t.raw),
        formatNumber(t.normalized),
        formatNumber(t.multiplier),
        formatNumber(t.weighted),
      ];
      rows.push(i === 0 ? [...head, ...cells] : [...head.map(() => ''), ...cells]);
    });
  }
  if (!cut) {
    for (const h of rejected) {
      // The filter's own reason, when it gives one as data (RamFilter: "insufficient RAM: ...").
      const why = h.rejection !== undefined ? `: ${h.rejection.reason}` : '';
      rows.push([
        ' ',
        '-',
        h.host,
        ...node(h.nodename),
        `filtered by ${h.filteredBy ?? '?'}${why}`,
      ]);
    }
    for (const e of earlier) {
      rows.push([
        ' ',
        '-',
        e.host,
        ...node(e.nodename),
        `filtered by ${e.filter} for instance ${e.index + 1}`,
      ]);
    }
  }
  lines.push(formatTable(rows, '  ', 40));
  lines.push(...formatInstancePreemption(inst, { allHosts: options.allHosts }));

  if (cut) {
    const hidden: string[] = [];
    const more = ranked.length - shown.length;
    if (more > 0) hidden.push(`${plural(more, 'host')} that passed (lower ranks)`);
    if (rejected.length > 0) hidden.push(`${rejected.length} filtered (${counts})`);
    if (earlier.length > 0) hidden.push(`${earlier.length} removed for earlier instances`);
    if (hidden.length > 0) {
      lines.push(`  not shown: ${hidden.join('; ')}; --all-hosts shows every host`);
    }
  }
  return `${lines.join('\n')}\n`;
}
