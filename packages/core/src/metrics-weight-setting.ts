import type { ConfigIssue } from './errors.js';
import type { OptionSpec } from './options.js';
import { parsePythonFloat } from './python-numbers.js';

/**
 * `[metrics] weight_setting`, read by both MetricsWeigher and MetricsFilter,
 * so it is declared once, here.
 */
export const metricsWeightSettingOption: OptionSpec = {
  group: 'metrics',
  name: 'weight_setting',
  type: 'list',
  default: [],
  help:
    'Metrics to weigh hosts by, as name=ratio items (e.g. cpu.frequency=1.0, cpu.percent=-1.0). ' +
    'MetricsWeigher weighs the sum of value * ratio; MetricsFilter passes only hosts that report every named metric.',
};

/** One `name=ratio` item of `[metrics] weight_setting`. */
export interface MetricWeight {
  /** Metric name, surrounding blanks stripped. */
  name: string;
  ratio: number;
}

export interface ParsedMetricsWeightSetting {
  /** The good items, in order (a name may repeat; each item counts). */
  setting: MetricWeight[];
  /** One issue per bad item, for the loader to report as config warnings. */
  problems: ConfigIssue[];
}

const HINT = 'items look like name=ratio, e.g. cpu.percent=1.0';

/**
 * Parses `[metrics] weight_setting` items like nova's `utils.parse_options`:
 * split at the first `=`, ratio converted with Python `float()`. An item is
 * kept when it has an `=`, a non-empty name and a valid ratio; every other
 * item becomes a problem (nova drops them with one log warning).
 *
 * Difference from nova: the name is stripped, so `cpu.percent = 1` weighs
 * metric `cpu.percent` (nova kept `cpu.percent ` and never matched it).
 * @see nova/utils.py parse_options
 */
export function parseMetricsWeightSetting(items: readonly string[]): ParsedMetricsWeightSetting {
  const setting: MetricWeight[] = [];
  const problems: ConfigIssue[] = [];
  const bad = (item: string, why: string): void => {
    problems.push({
      section: 'metrics',
      key: 'weight_setting',
      message: `ignoring invalid item ${JSON.stringify(item)}: ${why}`,
      hint: HINT,
    });
  };
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      bad(item, 'no "=" between the metric name and its ratio');
      continue;
    }
    const name = item.slice(0, eq).trim();
    const ratio = parsePythonFloat(item.slice(eq + 1));
    if (name === '') bad(item, 'the metric name is empty');
    else if (ratio === undefined) bad(item, 'the ratio is not a number');
    else setting.push({ name, ratio });
  }
  return { setting, problems };
}
