/**
 * A record's own value for `key`, never an inherited one: plain-object
 * lookups such as `metadata['constructor']` must not find `Object.prototype`
 * members when the key is user data (aggregate metadata, image properties,
 * extra specs, stats).
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
