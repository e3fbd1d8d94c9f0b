import { makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { requestMemo } from './request-memo.js';

describe('requestMemo', () => {
  const counting = () => {
    const seen: unknown[] = [];
    const memo = requestMemo(
      (r) => r.spec.flavor.extraSpecs,
      (specs) => {
        seen.push(specs);
        return Object.keys(specs).length;
      },
    );
    return { memo, seen };
  };

  it('compiles once for repeated calls with the same request', () => {
    const { memo, seen } = counting();
    const request = makeRequest();
    expect(memo(request)).toBe(0);
    expect(memo(request)).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('compiles again for another request, and when the input object changes', () => {
    const { memo, seen } = counting();
    const a = makeRequest();
    memo(a);
    memo(makeRequest());
    expect(seen).toHaveLength(2);
    a.spec.flavor.extraSpecs = { x: '1' };
    expect(memo(a)).toBe(1);
    expect(seen).toHaveLength(3);
  });
});
