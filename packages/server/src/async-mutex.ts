/** Resolves after the event loop has polled for I/O once. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs async tasks one at a time, in arrival order. The scheduler's host
 * states are one process's memory: a decision (plan, claim, commit) must
 * not interleave with another. Each task starts after a turn of the event
 * loop: an embedded database answers without real I/O, and a queue of
 * decisions would otherwise run back to back in microtasks and keep new
 * requests unread until it drained.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();
  private waitingCount = 0;

  /** Tasks queued or running. */
  get pending(): number {
    return this.waitingCount;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.waitingCount += 1;
    const result = this.tail.then(yieldToLoop).then(task);
    const done = (): void => {
      this.waitingCount -= 1;
    };
    this.tail = result.then(done, done);
    return result;
  }
}
