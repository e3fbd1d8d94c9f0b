import type { BackgroundTimer } from '../compute-service.js';

/** A timer that runs nothing until told: the service's background work under a test's control. */
export class ManualTimer implements BackgroundTimer {
  private readonly tasks = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;

  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.tasks.set(id, { fn, ms });
    return id;
  }

  clear(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  /** Tasks set and not run yet. */
  get size(): number {
    return this.tasks.size;
  }

  /** Runs the tasks set so far whose delay is at most `maxMs` (default: those due at once). */
  runReady(maxMs = 0): number {
    const ready = [...this.tasks].filter(([, t]) => t.ms <= maxMs);
    for (const [id, t] of ready) {
      this.tasks.delete(id);
      t.fn();
    }
    return ready.length;
  }
}

/** A clock a test moves by hand (epoch ms). */
export class FakeClock {
  constructor(public ms = Date.parse('2026-01-01T00:00:00Z')) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}
