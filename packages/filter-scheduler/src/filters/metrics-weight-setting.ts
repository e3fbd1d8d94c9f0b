import { parsePythonFloat } from '@opie/core';

/** The parsed `[metrics] weight_setting`: valid `name=ratio` items and the rejected ones. */
export interface MetricsWeightSetting {
  readonly items: ReadonlyArray<readonly [name: string, ratio: number]>;
  readonly bad: readonly string[];
}

/**
 * Parses `[metrics] weight_setting` items like nova's `parse_options` (spec
 * §7.3): split at the first `=`, the rest converted with Python `float()`;
 * an item is kept only when it has an `=`, a non-empty name and a number.
 *
 * Difference: the name is stripped (`cpu.percent = 1` names `cpu.percent`);
 * nova keeps the blanks, so such a name never matches a metric.
 * @see nova/scheduler/utils.py parse_options
 */
export function parseMetricsWeightSetting(setting: readonly string[]): MetricsWeightSetting {
  const items: Array<readonly [string, number]> = [];
  const bad: string[] = [];
  for (const item of setting) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? '' : item.slice(0, eq).trim();
    const ratio = eq < 0 ? undefined : parsePythonFloat(item.slice(eq + 1));
    if (name !== '' && ratio !== undefined) items.push([name, ratio]);
    else bad.push(item);
  }
  return { items, bad };
}
