import type { FilterRequest, HostState, HostWeigher, WeightTerm } from '@opie/core';

/** A host with its total weight and, when explained, each weigher's part in it. */
export interface WeighedHost {
  host: HostState;
  weight: number;
  /** One term per weigher, in weigher order; empty when not explained or not weighed. */
  terms: WeightTerm[];
}

export interface WeighOptions {
  /**
   * Build `terms` for every host (default `true`). Pass `false` on the hot
   * path: every host then shares one frozen empty `terms` array.
   */
  explain?: boolean;
}

const NO_TERMS = Object.freeze([]) as readonly WeightTerm[] as WeightTerm[];

/**
 * Weighs `hosts` with every weigher and sorts them best first (spec §6.3).
 *
 * With 0 or 1 hosts no weigher runs and the hosts come back with weight 0.
 * Otherwise, for each weigher in order: raw weights in host order; bounds
 * start at the weigher's `minval` / `maxval` when set, else at the first raw
 * weight, and are widened by raw weights beyond them; each host gains
 * `multiplier * (raw - min) / (max - min)` (0 when `min === max`). The final
 * sort is by weight, descending and stable (ties keep the input order).
 *
 * The bounds are computed per call, as nova does since Victoria (bug
 * 1870096); Liberty kept them on the weigher across requests (spec §6.2).
 * Raw weights outside the bounds are not clamped (Zed clamps them).
 * @see nova/weights.py BaseWeightHandler.get_weighed_objects
 */
export function weighHosts(
  weighers: readonly HostWeigher[],
  hosts: readonly HostState[],
  request: FilterRequest,
  options: WeighOptions = {},
): WeighedHost[] {
  const explain = options.explain !== false;
  const weighed: WeighedHost[] = hosts.map((host) => ({
    host,
    weight: 0,
    terms: explain ? [] : NO_TERMS,
  }));
  if (weighed.length < 2) return weighed;

  const raw = new Float64Array(weighed.length);
  for (const weigher of weighers) {
    // nova BaseWeigher.weigh_objects: None bounds take the first weight, then
    // a weight below the minimum lowers it, else one above the maximum raises it.
    const classMin = weigher.minval;
    const classMax = weigher.maxval;
    let haveMin = classMin !== undefined;
    let haveMax = classMax !== undefined;
    let min = classMin ?? 0;
    let max = classMax ?? 0;
    let i = 0;
    for (const host of hosts) {
      const w = weigher.weigh(host, request);
      raw[i++] = w;
      if (!haveMin) {
        min = w;
        haveMin = true;
      }
      if (!haveMax) {
        max = w;
        haveMax = true;
      }
      if (w < min) min = w;
      else if (w > max) max = w;
    }

    const flat = min === max;
    const range = max - min;
    const multiplier = weigher.multiplier;
    i = 0;
    for (const entry of weighed) {
      const w = raw[i++] as number; // i < raw.length: one raw weight per host
      const normalized = flat ? 0 : (w - min) / range;
      const weighted = multiplier * normalized;
      entry.weight += weighted;
      if (explain) {
        entry.terms.push({ weigher: weigher.name, raw: w, normalized, multiplier, weighted });
      }
    }
  }

  // Array.prototype.sort is stable: equal weights keep the input order.
  return weighed.sort((a, b) => b.weight - a.weight);
}
