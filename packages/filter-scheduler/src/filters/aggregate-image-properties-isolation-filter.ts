import type {
  FilterPlugin,
  FilterRequest,
  HostFilter,
  HostState,
  NovaVersion,
  OptionSpec,
} from '@opie/core';
import { novaVersionOf, novaVersionOption } from '@opie/core';
import { commaListIncludes } from './comma-list.js';
import { ownValue } from './own-value.js';
import { pyStr, pyTruthy } from './python-values.js';
import { zedImageMetaProps } from './zed-image-meta.js';

/** `[filter_scheduler] aggregate_image_properties_isolation_namespace` (Liberty: `[DEFAULT]`). */
export const aggregateImagePropertiesIsolationNamespaceOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'aggregate_image_properties_isolation_namespace',
  type: 'str',
  default: null,
  help:
    'AggregateImagePropertiesIsolation: only aggregate metadata keys starting with this ' +
    'namespace (and the separator) are compared with image properties. Unset: all keys.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'aggregate_image_properties_isolation_namespace' }],
};

/** `[filter_scheduler] aggregate_image_properties_isolation_separator` (Liberty: `[DEFAULT]`). */
export const aggregateImagePropertiesIsolationSeparatorOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'aggregate_image_properties_isolation_separator',
  type: 'str',
  default: '.',
  help: 'AggregateImagePropertiesIsolation: the separator between the namespace and the key.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'aggregate_image_properties_isolation_separator' }],
};

export interface AggregateImagePropertiesIsolationOptions {
  /** Only metadata keys starting with `namespace + separator` count; null or '': all keys. */
  namespace?: string | null;
  /** Default `.`. */
  separator?: string | null;
  /** `[opie] nova_version` (default `liberty`). */
  novaVersion?: NovaVersion;
}

/** Whether `prop` is among the comma-separated, stripped values of `key` in the host's aggregates. */
function hostAllows(host: HostState, key: string, prop: unknown): boolean {
  let constrained = false;
  for (const agg of host.aggregates) {
    const raw = ownValue(agg.metadata, key);
    if (raw === undefined) continue;
    constrained = true;
    // A non-string property never equals a metadata string (Liberty compares raw values).
    if (typeof prop !== 'string') continue;
    if (commaListIncludes(raw, prop)) return true;
  }
  return !constrained;
}

/**
 * Passes hosts whose aggregate metadata agrees with the image properties:
 * for every metadata key of the host's aggregates (only keys starting with
 * `namespace + separator` when a namespace is set) that the image also has
 * with a truthy value, the image's value must be one of the aggregates'
 * values for that key (comma-separated values count one by one).
 *
 * Under `novaVersion: 'zed'` (nova Zed) the image's properties are the
 * ImageMeta fields nova builds from them (see `zedImageMetaProps`): legacy
 * names are read under their current names (`architecture` as
 * `hw_architecture`), custom keys that are no ImageMeta field never
 * constrain a host, values are the fields' coerced values compared as
 * `str(prop)` (`hw_qemu_guest_agent = yes` is `True`, `hw_video_ram = 064`
 * is `64`), and an invalid value rejects the request (`InvalidInputError`).
 * @see nova/scheduler/filters/aggregate_image_properties_isolation.py
 */
export function createAggregateImagePropertiesIsolationFilter(
  options: AggregateImagePropertiesIsolationOptions = {},
): HostFilter {
  const namespace = options.namespace ?? '';
  const prefix = namespace === '' ? '' : namespace + (options.separator ?? '');
  const zed = options.novaVersion === 'zed';
  const compiled = new WeakMap<
    FilterRequest,
    { properties: Readonly<Record<string, unknown>>; checked: ReadonlyArray<[string, unknown]> }
  >();

  /** The image properties that can fail a host: truthy, in the namespace. */
  function checkedOf(request: FilterRequest): ReadonlyArray<[string, unknown]> {
    const properties = request.spec.image.properties;
    const hit = compiled.get(request);
    if (hit !== undefined && hit.properties === properties) return hit.checked;
    const checked: Array<[string, unknown]> = [];
    // Zed: the ImageMeta's fields, compared as str(prop).
    const entries = zed
      ? [...zedImageMetaProps(properties)].map(([k, v]) => [k, v, pyStr(v)] as const)
      : Object.entries(properties).map(([k, v]) => [k, v, v] as const);
    for (const [key, value, compared] of entries) {
      if (prefix !== '' && !key.startsWith(prefix)) continue;
      if (pyTruthy(value)) checked.push([key, compared]);
    }
    compiled.set(request, { properties, checked });
    return checked;
  }

  return {
    name: 'AggregateImagePropertiesIsolation',
    runFilterOncePerRequest: true,
    dependsOn: 'aggregates',
    hostPasses(host: HostState, request: FilterRequest): boolean {
      const checked = checkedOf(request);
      if (checked.length === 0 || host.aggregates.length === 0) return true;
      for (const [key, prop] of checked) if (!hostAllows(host, key, prop)) return false;
      return true;
    },
  };
}

export const aggregateImagePropertiesIsolationFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath:
    'nova.scheduler.filters.aggregate_image_properties_isolation.AggregateImagePropertiesIsolation',
  description:
    "Passes hosts whose aggregate metadata values agree with the image's properties of the same name.",
  options: [
    aggregateImagePropertiesIsolationNamespaceOption,
    aggregateImagePropertiesIsolationSeparatorOption,
    novaVersionOption,
  ],
  create: (ctx) =>
    createAggregateImagePropertiesIsolationFilter({
      namespace: ctx.conf.str('filter_scheduler', 'aggregate_image_properties_isolation_namespace'),
      separator: ctx.conf.str('filter_scheduler', 'aggregate_image_properties_isolation_separator'),
      novaVersion: novaVersionOf(ctx.conf),
    }),
};
