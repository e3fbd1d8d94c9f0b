import type { FilterPlugin, HostFilter, HostState, Logger, OptionSpec } from '@opie/core';
import { silentLogger } from '@opie/core';
import { parseMetricsWeightSetting } from './metrics-weight-setting.js';

/**
 * `[metrics] weight_setting`, shared with MetricsWeigher (the declarations
 * must stay identical: group, name, type, default).
 */
export const metricsWeightSettingOption: OptionSpec = {
  group: 'metrics',
  name: 'weight_setting',
  type: 'list',
  default: [],
  help:
    'Metrics to weigh hosts by, as name=ratio items (e.g. cpu.frequency=1.0). ' +
    'MetricsFilter passes only hosts that report every named metric.',
};

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
  const { items, bad } = parseMetricsWeightSetting(options.weightSetting ?? []);
  if (bad.length > 0) {
    logger.warn('Ignoring the invalid elements of the option metrics.weight_setting', { bad });
  }
  const names = [...new Set(items.map(([name]) => name))];
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
