import type { FilterPlugin, HostFilter, HostState, Logger } from '@opie/core';
import { metricsWeightSettingOption, parseMetricsWeightSetting, silentLogger } from '@opie/core';

export { metricsWeightSettingOption };

/**
 * Passes hosts that report every metric named in `[metrics] weight_setting`,
 * so MetricsWeigher never meets a missing metric. Without a setting every
 * host passes. Names are stripped (nova keeps surrounding blanks; see
 * `parseMetricsWeightSetting`).
 * @see nova/scheduler/filters/metrics_filter.py
 */
export function createMetricsFilter(
  options: { weightSetting?: readonly string[]; logger?: Logger } = {},
): HostFilter {
  const logger = options.logger ?? silentLogger;
  const { setting, problems } = parseMetricsWeightSetting(options.weightSetting ?? []);
  if (problems.length > 0) {
    logger.warn('Ignoring the invalid elements of the option metrics.weight_setting', {
      bad: problems.map((p) => p.message),
    });
  }
  const names = [...new Set(setting.map((m) => m.name))];
  return {
    name: 'MetricsFilter',
    runFilterOncePerRequest: false,
    hostPasses(host: HostState): boolean {
      const metrics = host.metrics;
      for (const name of names) {
        let found = false;
        for (const m of metrics) {
          if (m.name === name) {
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    },
  };
}

export const metricsFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.metrics_filter.MetricsFilter',
  description: 'Passes hosts that report every metric named in [metrics] weight_setting.',
  options: [metricsWeightSettingOption],
  create: (ctx) =>
    createMetricsFilter({
      weightSetting: ctx.conf.list('metrics', 'weight_setting'),
      logger: ctx.runtime.logger,
    }),
};
