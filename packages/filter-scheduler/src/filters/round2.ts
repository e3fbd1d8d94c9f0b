/** `n` rounded to two decimals, for messages. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
