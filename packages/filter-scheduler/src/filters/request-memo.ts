import type { FilterRequest } from '@opie/core';

/**
 * Per-request compilation for a filter: `compile(inputOf(request))`, computed
 * again only when the request or its input object changes. A filter runs
 * over every host for one request before the next, so remembering the last
 * one is enough, and much cheaper per host than a WeakMap lookup. Holds the
 * last request until the next one comes.
 */
export function requestMemo<I, T>(
  inputOf: (request: FilterRequest) => I,
  compile: (input: I) => T,
): (request: FilterRequest) => T {
  let last: { request: FilterRequest; input: I; value: T } | undefined;
  return (request) => {
    const input = inputOf(request);
    if (last !== undefined && last.request === request && last.input === input) return last.value;
    const value = compile(input);
    last = { request, input, value };
    return value;
  };
}
