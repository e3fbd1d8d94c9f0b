import type { ConfigValues, OptionSpec } from './options.js';

/** The nova releases whose behaviour opie reproduces. */
export const NOVA_VERSIONS = ['liberty', 'zed'] as const;

/** `liberty` (opie's target, the default) or `zed` (nova 26.x). */
export type NovaVersion = (typeof NOVA_VERSIONS)[number];

/** How messages name each version. */
export const NOVA_VERSION_LABEL: Record<NovaVersion, string> = {
  liberty: 'nova Liberty',
  zed: 'nova Zed',
};

/**
 * `[opie] nova_version`: which nova release's defaults and rules apply. The
 * loader owns it; a filter or weigher whose behaviour differs between releases
 * declares it among its own options too, so that its factory can read it (and
 * `pluginContext` in tests provides it).
 */
export const novaVersionOption: OptionSpec = {
  group: 'opie',
  name: 'nova_version',
  type: 'str',
  default: 'liberty',
  choices: NOVA_VERSIONS,
  help:
    "Which nova release the scheduler follows: liberty (opie's target, the default) or zed " +
    '(nova 26.x): defaults of enabled_filters and weight_classes, deprecated names, filter and weigher rules.',
};

/** Whether a value names a version. */
export function isNovaVersion(value: unknown): value is NovaVersion {
  return typeof value === 'string' && (NOVA_VERSIONS as readonly string[]).includes(value);
}

/**
 * The version a plugin's factory follows: `[opie] nova_version` when the
 * plugin declared `novaVersionOption`, else `liberty`.
 */
export function novaVersionOf(conf: ConfigValues): NovaVersion {
  let value: unknown;
  try {
    value = conf.str('opie', 'nova_version');
  } catch {
    return 'liberty';
  }
  return isNovaVersion(value) ? value : 'liberty';
}
