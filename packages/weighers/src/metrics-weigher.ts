import type { HostState, HostWeigher, MetricWeight, OptionSpec, WeigherPlugin } from '@opie/core';
import {
  metricsWeightSettingOption,
  MetricNotFoundError,
  novaVersionOf,
  novaVersionOption,
  parseMetricsWeightSetting,
} from '@opie/core';
import { aggregateMultipliers } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';

export { metricsWeightSettingOption };

/** `[metrics] weight_multiplier`. */
export const metricsWeightMultiplierOption: OptionSpec = {
  group: 'metrics',
  name: 'weight_multiplier',
  type: 'float',
  default: 1.0,
  help: 'MetricsWeigher multiplier applied to the normalised metrics weight.',
};

/** `[metrics] required`. */
export const metricsRequiredOption: OptionSpec = {
  group: 'metrics',
  name: 'required',
  type: 'bool',
  default: true,
  help:
    'MetricsWeigher: whether a host missing a configured metric fails the request ' +
    '(true) or weighs weight_of_unavailable (false).',
};

/** `[metrics] weight_of_unavailable`. */
export const metricsWeightOfUnavailableOption: OptionSpec = {
  group: 'metrics',
  name: 'weight_of_unavailable',
  type: 'float',
  default: -10000.0,
  help: 'MetricsWeigher: raw weight of a host missing a metric when required is false.',
};

export const METRICS_WEIGHER = 'nova.scheduler.weights.metrics.MetricsWeigher';

export interface MetricsWeigherOptions {
  /** Parsed `weight_setting` items (see `parseMetricsWeightSetting`). */
  setting?: readonly MetricWeight[];
  multiplier?: number;
  required?: boolean;
  weightOfUnavailable?: number;
  /**
   * Follow nova Zed: each host's multiplier is `metrics_weight_multiplier`
   * from its aggregates' metadata (else `multiplier`), and that multiplier is
   * the one `ratio * multiplier` tests.
   */
  zed?: ZedWeighing | undefined;
}

/** The value of the host's last metric named `name`, if any (nova keys metrics by name). */
function metricValue(host: HostState, name: string): number | undefined {
  const metrics = host.metrics;
  for (let i = metrics.length - 1; i >= 0; i--) {
    const metric = metrics[i];
    if (metric !== undefined && metric.name === name) return metric.value;
  }
  return undefined;
}

/**
 * Weighs hosts by the sum of `metric value * ratio` over `setting`, no class
 * bounds. A missing metric throws `MetricNotFoundError` when `required`;
 * otherwise the host weighs `weightOfUnavailable` unless `ratio * multiplier`
 * is 0, in which case the metric is skipped. An empty setting weighs 0.
 * With `zed`, the host's own multiplier (aggregate metadata) is the one used.
 * @see nova/scheduler/weights/metrics.py MetricsWeigher
 * @see nova/scheduler/weights/metrics.py (stable/zed) MetricsWeigher.weight_multiplier
 */
export function createMetricsWeigher(options: MetricsWeigherOptions = {}): HostWeigher {
  const setting = [...(options.setting ?? [])];
  const multiplier = options.multiplier ?? 1.0;
  const required = options.required ?? true;
  const weightOfUnavailable = options.weightOfUnavailable ?? -10000.0;
  const perHost =
    options.zed === undefined
      ? undefined
      : aggregateMultipliers(METRICS_WEIGHER, 'metrics_weight_multiplier', multiplier, options.zed);
  const multiplierFor = perHost?.multiplierFor;
  return {
    name: METRICS_WEIGHER,
    multiplier,
    ...(perHost === undefined ? {} : { clampRaw: true, ...perHost }),
    weigh(host) {
      let value = 0.0;
      for (const { name, ratio } of setting) {
        const metric = metricValue(host, name);
        if (metric !== undefined) {
          value += metric * ratio;
        } else if (required) {
          throw new MetricNotFoundError(name, host.host, host.nodename);
        } else if (ratio * (multiplierFor === undefined ? multiplier : multiplierFor(host)) !== 0) {
          return weightOfUnavailable;
        }
      }
      return value;
    },
  };
}

/**
 * Options read once at creation (nova reads the multiplier and `required` on
 * every request). Under `[opie] nova_version = zed`, `metrics_weight_multiplier`
 * is read from aggregate metadata, as nova Zed does. Bad `weight_setting` items are dropped with one warning, as
 * in nova; `parseMetricsWeightSetting` gives them to the loader as issues.
 */
export const metricsWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: METRICS_WEIGHER,
  description: 'Weighs hosts by a weighted sum of compute metrics ([metrics] weight_setting).',
  options: [
    metricsWeightMultiplierOption,
    metricsWeightSettingOption,
    metricsRequiredOption,
    metricsWeightOfUnavailableOption,
    novaVersionOption,
  ],
  create(ctx) {
    const { setting, problems } = parseMetricsWeightSetting(
      ctx.conf.list('metrics', 'weight_setting'),
    );
    if (problems.length > 0) {
      ctx.runtime.logger.warn(
        'Ignoring the invalid elements of the option metrics.weight_setting',
        { problems: problems.map((p) => p.message) },
      );
    }
    return createMetricsWeigher({
      setting,
      multiplier: ctx.conf.float('metrics', 'weight_multiplier'),
      required: ctx.conf.bool('metrics', 'required'),
      weightOfUnavailable: ctx.conf.float('metrics', 'weight_of_unavailable'),
      zed: novaVersionOf(ctx.conf) === 'zed' ? { logger: ctx.runtime.logger } : undefined,
    });
  },
};
