import { formatCount } from './number-format.js';
import type { SimulationProgress } from './simulate.js';

/** Where progress goes: a stream, and whether it is a terminal. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  sink: ProgressSink;
  /** Fraction done (0..1), when known (e.g. bytes read / file size). */
  fraction?: () => number | undefined;
  /** Milliseconds clock; default `performance.now`. */
  clock?: () => number;
  /** Prefix of every line, e.g. `opie simulate`. */
  label?: string;
  /** Non-TTY: at most one line per this many ms unless another 10 % is done (default 5000). */
  plainEveryMs?: number;
}

export interface ProgressReporter {
  update(progress: SimulationProgress): void;
  /** Final line (and the end of the bar on a terminal). */
  done(progress: SimulationProgress): void;
}

const BAR = 28;

/**
 * Progress on stderr: a redrawn bar on a terminal (at most 10 times a
 * second), otherwise a plain line every few seconds or every 10 %.
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const { sink } = options;
  const clock = options.clock ?? (() => performance.now());
  const label = options.label ?? 'progress';
  const tty = sink.isTTY === true;
  const plainEvery = options.plainEveryMs ?? 5000;
  const start = clock();
  let lastDraw = -Infinity;
  let lastDecile = -1;

  const describe = (p: SimulationProgress, now: number): string => {
    const seconds = Math.max(1e-3, (now - start) / 1000);
    const rate = p.events / seconds;
    return `${formatCount(p.events)} events, ${formatCount(rate)} events/s, ${formatCount(p.rows)} requests`;
  };
  const percent = (f: number | undefined): string =>
    f === undefined
      ? ''
      : `${Math.min(100, Math.floor(f * 100))
          .toString()
          .padStart(3)} % `;

  return {
    update(p) {
      const now = clock();
      const f = options.fraction?.();
      if (tty) {
        if (now - lastDraw < 100) return;
        lastDraw = now;
        const filled = f === undefined ? 0 : Math.round(Math.min(1, f) * BAR);
        const bar = f === undefined ? '' : `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] `;
        sink.write(`\r\x1b[2K${label}: ${bar}${percent(f)}${describe(p, now)}`);
        return;
      }
      const decile = f === undefined ? -1 : Math.floor(Math.min(1, f) * 10);
      if (now - lastDraw < plainEvery && decile <= lastDecile) return;
      lastDraw = now;
      if (decile > lastDecile) lastDecile = decile;
      sink.write(`${label}: ${percent(f)}${describe(p, now)}\n`);
    },
    done(p) {
      const now = clock();
      const line = `${label}: done, ${describe(p, now)} in ${((now - start) / 1000).toFixed(1)} s`;
      sink.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}
