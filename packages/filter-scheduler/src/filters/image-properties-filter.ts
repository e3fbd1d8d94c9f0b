import type {
  FilterPlugin,
  FilterRequest,
  HostFilter,
  HostState,
  Logger,
  NovaVersion,
  OptionSpec,
  SupportedInstance,
} from '@opie/core';
import { InvalidArgumentError, novaVersionOf, novaVersionOption, silentLogger } from '@opie/core';
import {
  parseVersionPredicate,
  satisfiesVersionPredicate,
  strictVersionFromInt,
} from './hypervisor-version.js';
import type { VersionPredicate } from './hypervisor-version.js';
import {
  canonicalizeArch,
  canonicalizeHvType,
  canonicalizeVmMode,
  InvalidImagePropertyError,
  NOVA_ARCHITECTURES,
} from './image-canonical-names.js';
import { pyTruthy } from './python-values.js';
import { requestMemo } from './request-memo.js';
import { zedImageMetaProps } from './zed-image-meta.js';

/**
 * `[filter_scheduler] image_properties_default_architecture` (nova Zed): the
 * architecture assumed for an image without `hw_architecture`. Read only
 * under `[opie] nova_version = zed`.
 */
export const imagePropertiesDefaultArchitectureOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'image_properties_default_architecture',
  type: 'str',
  default: null,
  choices: [...NOVA_ARCHITECTURES],
  help:
    'ImagePropertiesFilter (nova Zed): the architecture assumed for images that set no ' +
    'hw_architecture (or architecture). Unset: such images ask for no architecture.',
};

/** What a request asks of hosts, worked out once per request. */
type ImageRequirement =
  | { kind: 'any' }
  | { kind: 'invalid' }
  | { kind: 'match'; wanted: readonly string[]; predicate: VersionPredicate | null };

function compile(properties: Readonly<Record<string, unknown>>, logger: Logger): ImageRequirement {
  let wanted: string[];
  try {
    wanted = [
      canonicalizeArch(properties['architecture']),
      canonicalizeHvType(properties['hypervisor_type']),
      canonicalizeVmMode(properties['vm_mode']),
    ].filter((v): v is string => v !== null);
  } catch (err) {
    if (!(err instanceof InvalidImagePropertyError)) throw err;
    logger.warn(`ImagePropertiesFilter: ${err.message}; every host fails`);
    return { kind: 'invalid' };
  }
  if (wanted.length === 0) return { kind: 'any' };
  const required = properties['hypervisor_version_requires'];
  if (!pyTruthy(required)) return { kind: 'match', wanted, predicate: null };
  const predicate = typeof required === 'string' ? parseVersionPredicate(required) : undefined;
  if (predicate === undefined) {
    logger.warn(
      `ImagePropertiesFilter: bad hypervisor_version_requires ${JSON.stringify(required)}; every host fails`,
    );
    return { kind: 'invalid' };
  }
  return { kind: 'match', wanted, predicate };
}

/** `value in triple` (Python `in`, strict equality), without a builtin call per value. */
function tripleHas(triple: SupportedInstance, value: string): boolean {
  for (let i = 0; i < triple.length; i++) if (triple[i] === value) return true;
  return false;
}

function versionSatisfied(host: HostState, predicate: VersionPredicate | null): boolean {
  const version = host.hypervisorVersion;
  if (predicate === null || !version) return true;
  const strict = strictVersionFromInt(version);
  // distutils raises on a version string that is not a StrictVersion.
  return strict !== undefined && satisfiesVersionPredicate(predicate, strict);
}

/**
 * Passes hosts that support the image's `architecture`, `hypervisor_type`
 * and `vm_mode` properties: some `[arch, hv_type, vm_mode]` triple of the
 * host contains every property that is set (anywhere in the triple), and, when
 * the image has `hypervisor_version_requires` (e.g. `>=6.0,<6.2`) and the host
 * a hypervisor version, the version (1000-based integer, `6000000` is `6.0.0`)
 * satisfies it. Property values are canonicalised first (`amd64` → `x86_64`,
 * `xapi` → `xen`, `pv` → `xen`, ...). An image without the three properties
 * passes every host; a host without supported instances fails.
 *
 * Difference: an unknown architecture, hypervisor type or VM mode, or a
 * malformed version requirement, makes nova raise and abort the request; here
 * every host fails (so the request ends in NoValidHost naming this filter).
 * A host version that distutils cannot read (`5`, `6.3.9.600`) fails that
 * host, where nova raises.
 *
 * Under `novaVersion: 'zed'` (nova Zed): the image's properties are read as
 * the ImageMeta nova builds from them (`hw_architecture`, `img_hv_type`,
 * `hw_vm_mode`, `img_hv_requested_version`, with the legacy names above
 * mapped to them and the current names winning), an image without an
 * architecture asks for `defaultArchitecture` when set, and an invalid
 * value of any ImageMeta field rejects the request with an
 * `InvalidInputError` naming each bad property and its valid values (nova
 * raises building the ImageMeta), instead of failing every host.
 * @see nova/scheduler/filters/image_props_filter.py
 */
/** Whether a supported instance of `host` has every wanted value, and its version fits. */
function matches(
  host: HostState,
  wanted: readonly string[],
  predicate: VersionPredicate | null,
): boolean {
  const supported = host.supportedInstances;
  let versionOk: boolean | undefined;
  for (let s = 0; s < supported.length; s++) {
    const triple = supported[s] as SupportedInstance;
    let all = true;
    for (let w = 0; w < wanted.length && all; w++) all = tripleHas(triple, wanted[w] as string);
    if (!all) continue;
    versionOk ??= versionSatisfied(host, predicate);
    if (versionOk) return true;
  }
  return false;
}

/**
 * nova Zed's requirement: the ImageMeta fields `hw_architecture` (else the
 * default architecture), `img_hv_type`, `hw_vm_mode` and
 * `img_hv_requested_version`, read from the ImageMeta nova builds (legacy
 * names mapped, values canonicalised); an invalid value throws the
 * `InvalidInputError` of `zedImageMetaProps`.
 * @see nova/scheduler/filters/image_props_filter.py (stable/zed)
 */
function compileZed(
  properties: Readonly<Record<string, unknown>>,
  defaultArchitecture: string | null,
): ImageRequirement {
  const props = zedImageMetaProps(properties);
  const arch = props.get('hw_architecture') ?? defaultArchitecture;
  const wanted = [arch, props.get('img_hv_type'), props.get('hw_vm_mode')].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (wanted.length === 0) return { kind: 'any' };
  const required = props.get('img_hv_requested_version');
  // Checked when the ImageMeta was built; '' never gets here (not a valid predicate).
  const predicate = typeof required === 'string' ? (parseVersionPredicate(required) ?? null) : null;
  return { kind: 'match', wanted, predicate };
}

/** Options of `createImagePropertiesFilter`. */
export interface ImagePropertiesFilterOptions {
  logger?: Logger;
  /** `[opie] nova_version` (default `liberty`). */
  novaVersion?: NovaVersion;
  /**
   * nova Zed's `image_properties_default_architecture` (canonical name, e.g.
   * `x86_64`); only read under `novaVersion: 'zed'`. Default none.
   */
  defaultArchitecture?: string | null;
}

export function createImagePropertiesFilter(
  options: ImagePropertiesFilterOptions = {},
): HostFilter {
  const logger = options.logger ?? silentLogger;
  const zed = options.novaVersion === 'zed';
  const defaultArchitecture = zed
    ? canonicalizeDefaultArchitecture(options.defaultArchitecture ?? null)
    : null;
  // Worked out once per request.
  const requirementOf = requestMemo(
    (r) => r.spec.image.properties,
    (properties) =>
      zed ? compileZed(properties, defaultArchitecture) : compile(properties, logger),
  );
  return {
    name: 'ImagePropertiesFilter',
    runFilterOncePerRequest: true,
    dependsOn: 'image',
    passesAll: (request) => requirementOf(request).kind === 'any',
    hostPasses(host: HostState, request: FilterRequest): boolean {
      const req = requirementOf(request);
      if (req.kind === 'any') return true;
      if (req.kind === 'invalid') return false;
      return matches(host, req.wanted, req.predicate);
    },
    filterAll(hosts, count, request) {
      const req = requirementOf(request);
      if (req.kind === 'any') return count;
      if (req.kind === 'invalid') return 0;
      const { wanted, predicate } = req;
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const host = hosts[i] as HostState;
        if (matches(host, wanted, predicate)) hosts[kept++] = host;
      }
      return kept;
    },
  };
}

/** The default architecture, canonical; throws naming the parameter for an unknown one. */
function canonicalizeDefaultArchitecture(value: string | null): string | null {
  if (value === null || value === '') return null;
  try {
    return canonicalizeArch(value);
  } catch (err) {
    if (!(err instanceof InvalidImagePropertyError)) throw err;
    throw new InvalidArgumentError(
      'defaultArchitecture',
      value,
      `one of nova's architectures: ${[...NOVA_ARCHITECTURES].join(', ')}`,
    );
  }
}

export const imagePropertiesFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.image_props_filter.ImagePropertiesFilter',
  description:
    "Passes hosts whose supported instances and hypervisor version match the image's architecture, hypervisor_type, vm_mode and hypervisor_version_requires " +
    '(nova Zed: hw_architecture, img_hv_type, hw_vm_mode, img_hv_requested_version).',
  options: [novaVersionOption, imagePropertiesDefaultArchitectureOption],
  create(ctx) {
    const novaVersion = novaVersionOf(ctx.conf);
    return createImagePropertiesFilter({
      logger: ctx.runtime.logger,
      novaVersion,
      defaultArchitecture:
        novaVersion === 'zed'
          ? ctx.conf.str('filter_scheduler', 'image_properties_default_architecture')
          : null,
    });
  },
};
