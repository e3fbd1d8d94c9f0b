import type { Logger, OptionValue, PluginContext, PluginDefinition } from '@opie/core';
import { configValuesFrom, createRuntime } from '@opie/core';

export interface RecordingLogger extends Logger {
  warnings: { message: string; fields: Record<string, unknown> | undefined }[];
}

/** A logger that records `warn` calls. */
export function recordingLogger(): RecordingLogger {
  const warnings: RecordingLogger['warnings'] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => {
      warnings.push({ message, fields });
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
