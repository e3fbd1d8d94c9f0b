/** Python's `a % b` for b > 0: always in [0, b). */
export function pythonMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
