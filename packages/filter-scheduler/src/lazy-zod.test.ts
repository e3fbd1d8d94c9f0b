import { describe, expect, it } from 'vitest';
import { zod } from './lazy-zod.js';
import { preemptionOptions } from './scheduler/preemption-options.js';

describe('zod(), loaded on first use', () => {
  it('returns one module, the same on every call', () => {
    expect(zod()).toBe(zod());
  });

  it('builds each option schema on read: victim_policy takes only its choices', () => {
    const option = preemptionOptions.find((o) => o.name === 'victim_policy');
    // The choices are the option's own `choices` list; anything else is rejected.
    for (const choice of option?.choices ?? [])
      expect(option?.schema?.safeParse(choice).success).toBe(true);
    expect(option?.schema?.safeParse('random').success).toBe(false);
  });
});
