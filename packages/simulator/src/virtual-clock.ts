/**
 * The simulation's clock: epoch milliseconds of virtual time, moved only by
 * the replay. A scheduler's runtime reads it through `now`.
 */
export class VirtualClock {
  private value: number;

  constructor(startMs = 0) {
    this.value = startMs;
  }

  /** Current virtual time, epoch ms (bound: safe to hand out as a function). */
  readonly now = (): number => this.value;

  set(ms: number): void {
    this.value = ms;
  }
}
