/** Log sink. Plugins never print; they log through this. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Everything impure, injected: clock, random source, logger. Plugins are
 * pure; the scheduler reads `now()` once per request and hands it on.
 */
export interface Runtime {
  /** Epoch milliseconds. */
  now(): number;
  /** Uniform in [0, 1). */
  random(): number;
  logger: Logger;
  /**
   * Resolves after `ms` milliseconds (grace periods, retry backoff). Optional:
   * absent means `setTimeout`. Tests inject a fake clock's sleep.
   */
  sleep?(ms: number): Promise<void>;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * A small deterministic PRNG (mulberry32) for reproducible runs.
 * Not for cryptography.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits `ms` milliseconds with `setTimeout` (0 or less: the next macrotask). */
export function timerSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * A runtime from parts; defaults: wall clock, `Math.random`, silent logger,
 * `setTimeout` sleep.
 */
export function createRuntime(parts: Partial<Runtime> = {}): Runtime {
  return {
    now: parts.now ?? (() => Date.now()),
    random: parts.random ?? Math.random,
    logger: parts.logger ?? silentLogger,
    sleep: parts.sleep ?? timerSleep,
  };
}
