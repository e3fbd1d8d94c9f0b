import { InvalidArgumentError } from '@opie/core';

/**
 * A weigher factory's multiplier: `value` when given, else `fallback`; a
 * NaN or infinite one is refused (it would make every host's weight NaN and
 * the order arbitrary), naming the weigher.
 */
export function multiplierOf(weigher: string, value: number | undefined, fallback: number): number {
  const m = value ?? fallback;
  if (typeof m !== 'number' || !Number.isFinite(m)) {
    throw new InvalidArgumentError(`${weigher} multiplier`, m, 'a finite number');
  }
  return m;
}
