import { describe, expect, it } from 'vitest';
import { zod } from './lazy-zod.js';
import { victimMultiplierOption } from './victims/victim-multiplier.js';

describe('zod(), loaded on first use', () => {
  it('returns one module, the same on every call', () => {
    expect(zod()).toBe(zod());
    expect(typeof zod().number).toBe('function');
  });

  it('builds an option schema when the loader reads it', () => {
    const option = victimMultiplierOption('x_weight_multiplier', 1, 'X.');
    // The option says "Must be >= 0": 0 and 2.5 pass, -1 fails with zod's message.
    expect(option.schema?.safeParse(0).success).toBe(true);
    expect(option.schema?.safeParse(2.5).success).toBe(true);
    const bad = option.schema?.safeParse(-1);
    expect(bad?.success).toBe(false);
    if (bad !== undefined && !bad.success) expect(bad.error.issues[0]?.message).toMatch(/>=\s*0/);
  });
});
