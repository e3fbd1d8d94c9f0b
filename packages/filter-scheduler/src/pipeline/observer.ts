import type {
  FilterRejection,
  FilterRequest,
  HostColumns,
  HostFilter,
  HostState,
  HostVerdict,
  HostView,
  InstanceExplanation,
  PreemptionSummary,
  PreemptionVerdict,
} from '@opie/core';
import { hostKey } from '@opie/core';
import type { WeighedHost } from '@opie/weighers';

/**
 * What the stages report as they decide (like the Kubernetes scheduler's
 * metrics and event recorders): the decisions never read it back, and with
 * no observer attached the stages skip the reporting altogether.
 */
export interface SchedulingObserver {
  /** Instance `index` is about to be filtered on `rows[0..count)` of `cols` (again, for a retry). */
  instanceStarted(
    index: number,
    view: HostView,
    cols: HostColumns,
    rows: Int32Array,
    count: number,
  ): void;
  /** `filter` (or `ignore_hosts`, `force_hosts`, `force_nodes`) rejected row `row`. */
  rejected(index: number, row: number, filter: string): void;
  /** The hosts that passed, weighed best first, with every weigher's term. */
  weighed(index: number, weighed: readonly WeighedHost[]): void;
  /** Preemption planning of the hosts host selection looked at. */
  preemptionPlanned(index: number, verdicts: ReadonlyMap<HostState, PreemptionVerdict>): void;
  /** The instance is placed on `chosen`, or failed (`chosen` null, or a failure on the chosen host). */
  instanceFinished(
    index: number,
    chosen: HostState | null,
    failure: string | undefined,
    preemption: PreemptionSummary | undefined,
  ): void;
}

interface Current {
  index: number;
  view: HostView;
  cols: HostColumns;
  rows: Int32Array;
  rejectedBy: Map<number, string>;
  weighed: readonly WeighedHost[];
  verdicts: ReadonlyMap<HostState, PreemptionVerdict> | undefined;
}

/**
 * The observer behind `explain`: one `InstanceExplanation` per finished
 * instance, every input host with the filter that rejected it (and, where
 * the filter can say, why, as data), its weight, terms and rank, and its
 * preemption verdict.
 */
export class ExplanationCollector implements SchedulingObserver {
  readonly explanation: InstanceExplanation[] = [];
  #current: Current | undefined;
  readonly #filters: readonly HostFilter[];
  readonly #request: () => FilterRequest | undefined;

  /**
   * @param filters the scheduler's filters, asked for `rejection` data
   * @param request the request being explained (its `index` as reported)
   */
  constructor(
    filters: readonly HostFilter[] = [],
    request: () => FilterRequest | undefined = () => undefined,
  ) {
    this.#filters = filters;
    this.#request = request;
  }

  instanceStarted(
    index: number,
    view: HostView,
    cols: HostColumns,
    rows: Int32Array,
    count: number,
  ): void {
    this.#current = {
      index,
      view,
      cols,
      rows: rows.slice(0, count),
      rejectedBy: new Map(),
      weighed: [],
      verdicts: undefined,
    };
  }

  rejected(_index: number, row: number, filter: string): void {
    this.#current?.rejectedBy.set(row, filter);
  }

  weighed(_index: number, weighed: readonly WeighedHost[]): void {
    if (this.#current !== undefined) this.#current.weighed = weighed;
  }

  preemptionPlanned(_index: number, verdicts: ReadonlyMap<HostState, PreemptionVerdict>): void {
    if (this.#current !== undefined) this.#current.verdicts = verdicts;
  }

  instanceFinished(
    index: number,
    chosen: HostState | null,
    failure: string | undefined,
    preemption: PreemptionSummary | undefined,
  ): void {
    const c = this.#current;
    if (c === undefined) return;
    const byKey = new Map<string, { w: WeighedHost; rank: number }>();
    c.weighed.forEach((w, rank) => byKey.set(hostKey(w.host.host, w.host.nodename), { w, rank }));
    const byHostKey = new Map<string, PreemptionVerdict>();
    for (const [h, v] of c.verdicts ?? []) byHostKey.set(hostKey(h.host, h.nodename), v);
    const request = this.#request();
    const hosts: HostVerdict[] = [];
    for (const row of c.rows) {
      const h = c.cols.states[row] as HostState;
      const key = hostKey(h.host, h.nodename);
      const filteredBy = c.rejectedBy.get(row) ?? null;
      const verdict: HostVerdict = { host: h.host, nodename: h.nodename, filteredBy };
      if (filteredBy !== null && request !== undefined) {
        const rejection = this.#rejectionOf(filteredBy, h, request);
        if (rejection !== undefined) verdict.rejection = rejection;
      }
      const found = byKey.get(key);
      if (found !== undefined) {
        verdict.weight = found.w.weight;
        verdict.terms = found.w.terms;
        verdict.rank = found.rank;
      }
      const p = byHostKey.get(key);
      if (p !== undefined) verdict.preemption = p;
      hosts.push(verdict);
    }
    this.explanation.push({
      index,
      view: c.view,
      hosts,
      chosen: chosen === null ? null : { host: chosen.host, nodename: chosen.nodename },
      ...(failure !== undefined ? { failure } : {}),
      ...(preemption !== undefined ? { preemption } : {}),
    });
  }

  #rejectionOf(name: string, host: HostState, request: FilterRequest): FilterRejection | undefined {
    const filter = this.#filters.find((f) => f.name === name);
    if (filter?.rejection === undefined) return undefined;
    try {
      return filter.rejection(host, request);
    } catch {
      return undefined; // an explanation never fails a decision
    }
  }
}
