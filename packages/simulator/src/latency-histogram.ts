/** Buckets per doubling (resolution about 9 %). */
const PER_OCTAVE = 8;
/** Lower edge of bucket 0, in microseconds. */
const BASE_US = 0.1;
const BUCKETS = 32 * PER_OCTAVE;

/** Summary of a latency distribution, in microseconds. */
export interface LatencySummary {
  count: number;
  totalMs: number;
  meanUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

/**
 * Durations in a fixed log-scale histogram: constant memory however many
 * are added; quantiles are read back within one bucket (about 9 %), the
 * mean and maximum exactly.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private count = 0;
  private totalUs = 0;
  private maxUs = 0;

  add(us: number): void {
    const v = us > 0 ? us : 0;
    let i = v <= BASE_US ? 0 : Math.floor(PER_OCTAVE * Math.log2(v / BASE_US));
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count += 1;
    this.totalUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  /** The `q` quantile (0..1): the geometric middle of its bucket, capped at the maximum. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) {
        const mid = BASE_US * 2 ** ((i + 0.5) / PER_OCTAVE);
        return Math.min(mid, this.maxUs);
      }
    }
    return this.maxUs;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      totalMs: this.totalUs / 1000,
      meanUs: this.count === 0 ? 0 : this.totalUs / this.count,
      p50Us: this.quantile(0.5),
      p90Us: this.quantile(0.9),
      p99Us: this.quantile(0.99),
      maxUs: this.maxUs,
    };
  }
}
