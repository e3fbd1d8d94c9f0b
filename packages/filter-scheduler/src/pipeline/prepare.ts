import type { RequestSpec } from '@opie/core';
import { InvalidArgumentError } from '@opie/core';

const FLAVOR_SIZES = ['memoryMb', 'vcpus', 'rootGb', 'ephemeralGb', 'swap'] as const;

/**
 * Request preparation's door check (like the AI SDK's call-settings
 * validation): a request spec the scheduler cannot place meaningfully is
 * refused with an `InvalidArgumentError` naming the field and the value,
 * before anything is filtered or claimed. `numInstances` must be a whole
 * number >= 1; flavor sizes finite numbers >= 0; `instanceUuids`, when
 * given, strings; `priority`, when given, a finite number.
 */
export function validateRequestSpec(spec: RequestSpec): void {
  if (typeof spec !== 'object' || spec === null) {
    throw new InvalidArgumentError('spec', spec, 'a request spec object');
  }
  const n = spec.numInstances;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError('spec.numInstances', n, 'a whole number >= 1');
  }
  const flavor = spec.flavor as RequestSpec['flavor'] | undefined;
  if (typeof flavor !== 'object' || flavor === null) {
    throw new InvalidArgumentError('spec.flavor', flavor, 'a flavor object');
  }
  for (const key of FLAVOR_SIZES) {
    const v = flavor[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidArgumentError(`spec.flavor.${key}`, v, 'a finite number >= 0');
    }
  }
  if (typeof spec.image !== 'object' || spec.image === null) {
    throw new InvalidArgumentError('spec.image', spec.image, 'an image object');
  }
  const uuids = spec.instanceUuids;
  if (uuids !== undefined) {
    if (!Array.isArray(uuids)) {
      throw new InvalidArgumentError('spec.instanceUuids', uuids, 'an array of strings');
    }
    uuids.forEach((u, i) => {
      if (typeof u !== 'string') {
        throw new InvalidArgumentError(`spec.instanceUuids[${i}]`, u, 'a string');
      }
    });
  }
  if (spec.priority !== undefined && !Number.isFinite(spec.priority)) {
    throw new InvalidArgumentError('spec.priority', spec.priority, 'a finite number');
  }
}
