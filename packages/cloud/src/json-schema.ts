import { z } from 'zod';
import { cloudSchema } from './cloud-schema.js';
import { requestSchema } from './request-schema.js';

/** Keys every object may carry besides its own: notes `x-...` and `_comment...`. */
const NOTE_KEYS = { '^x-': {}, '^_comment': {} };

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** Strict objects (notes allowed) and no safe-integer noise on integers. */
function override(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }) {
  const js = ctx.jsonSchema;
  if (ctx.zodSchema._zod.def.type === 'object') {
    js.additionalProperties = false;
    js.patternProperties = NOTE_KEYS;
  }
  if (js.type === 'integer') {
    if (js.maximum === SAFE_MAX) delete js.maximum;
    if (js.minimum === -SAFE_MAX) delete js.minimum;
  }
}

function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    override,
  });
}

/** The JSON Schema (draft 2020-12) of a cloud file. */
export function cloudJsonSchema(): Record<string, unknown> {
  return toJsonSchema(cloudSchema);
}

/** The JSON Schema (draft 2020-12) of a request file. */
export function requestJsonSchema(): Record<string, unknown> {
  return toJsonSchema(requestSchema);
}
