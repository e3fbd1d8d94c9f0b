import { createRequire } from 'node:module';
import type * as Zod from 'zod';

let loaded: typeof Zod | undefined;

/**
 * zod, loaded on first use: option schemas are getters that call this, so
 * importing the package (the scheduling hot path) does not pay zod's ~100 ms
 * import, and bundles of the filters and weighers leave zod out.
 */
export function zod(): typeof Zod {
  loaded ??= createRequire(import.meta.url)('zod') as typeof Zod;
  return loaded;
}
