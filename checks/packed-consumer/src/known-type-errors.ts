/**
 * Type errors a consumer compiling under the strictest flags still gets from
 * the published declarations, each with why it is not fixed yet. The packed
 * consumer test fails on any other error, and when one of these disappears
 * (so the list only shrinks).
 */
export const KNOWN_CONSUMER_TYPE_ERRORS: readonly { text: string; why: string }[] = [
  // None left: the NodeHostState / HostState mismatch under exactOptionalPropertyTypes was
  // fixed with the scheduler-core rewrite (core's optional caches accept `undefined`).
];

/** `file(line,col): error TS…` lines of tsc's output not covered by a known error. */
export function unexpectedDiagnostics(tscOutput: string): string[] {
  return tscOutput
    .split('\n')
    .filter((line) => /: error TS\d+:/.test(line))
    .filter((line) => !KNOWN_CONSUMER_TYPE_ERRORS.some((k) => line.includes(k.text)));
}
