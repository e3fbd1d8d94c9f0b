import { FilterNotFoundError, className } from '@opie/core';

/**
 * Thrown when a filter nova has but opie cannot run is instantiated. It is a
 * `FilterNotFoundError` (so start-up fails like for an unknown filter name,
 * a decision of this port, not nova's) whose message says what is missing and what to do.
 */
export class UnsupportedFilterError extends FilterNotFoundError {
  readonly classPath: string;

  constructor(classPath: string, message: string) {
    super([className(classPath)]);
    this.name = 'UnsupportedFilterError';
    this.message = message;
    this.classPath = classPath;
  }
}
