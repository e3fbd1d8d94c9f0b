import { describe, expect, it } from 'vitest';
import { KNOWN_CONSUMER_TYPE_ERRORS, unexpectedDiagnostics } from './known-type-errors.js';

describe('unexpectedDiagnostics', () => {
  it('keeps the error lines no known error covers, and nothing else', () => {
    // The list is empty now; a stand-in known error shows the matching too.
    expect(KNOWN_CONSUMER_TYPE_ERRORS).toEqual([]);
    const known = KNOWN_CONSUMER_TYPE_ERRORS.map((k) => `src/a.ts(1,1): error TS2322: ${k.text}`);
    const other = "src/b.ts(3,7): error TS2345: Argument of type 'number' is not assignable.";
    const out = ['', ...known, other, '  continuation of a message', 'Found 2 errors.'].join('\n');
    expect(unexpectedDiagnostics(out)).toEqual([other]);
    expect(unexpectedDiagnostics('')).toEqual([]);
  });
});
