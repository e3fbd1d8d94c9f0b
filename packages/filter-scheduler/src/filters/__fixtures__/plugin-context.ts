import type { Logger, OptionValue, PluginContext, PluginDefinition } from '@opie/core';
import { configValuesFrom, createRuntime } from '@opie/core';

/** A logger that records `warn` messages. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => {
      warnings.push(message);
    },
    error: () => undefined,
  };
}

/** A plugin context whose config holds the plugin's own options (`group.name` keys). */
export function pluginContext(
  plugin: PluginDefinition,
  values: Record<string, OptionValue> = {},
  logger: Logger = recordingLogger(),
): PluginContext {
  return {
    conf: configValuesFrom(plugin.options ?? [], values),
    runtime: createRuntime({ now: () => 0, random: () => 0, logger }),
  };
}
