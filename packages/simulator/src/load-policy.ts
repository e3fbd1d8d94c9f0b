import { basename, extname } from 'node:path';
import { createRuntime, seededRandom } from '@opie/core';
import type { ComputePort, Logger, NotificationPort } from '@opie/core';
import { loadScheduler } from '@opie/loader';
import type { ConfigFile } from '@opie/loader';
import type { ReplayPolicy } from './replay-policy.js';
import { VirtualClock } from './virtual-clock.js';

export interface LoadPolicyOptions {
  /** nova.conf files of the policy (later files win). */
  paths?: readonly string[];
  /** nova.conf texts, read before `paths`. */
  files?: readonly ConfigFile[];
  /** Defaults to the first file's base name without extension. */
  name?: string;
  /** Base of relative paths (default `process.cwd()`). */
  cwd?: string;
  /** Seed of the scheduler's random source (host_subset_size > 1); default 0. */
  seed?: number;
  /** Plugin warnings go here; default silent. */
  logger?: Logger;
}

/**
 * The scheduler's notifications and termination orders are dropped: a replay
 * makes millions of decisions, and keeping them (the loader's defaults record
 * them in memory) would make memory grow with the trace.
 */
const DISCARD_NOTIFICATIONS: NotificationPort = { notify: () => undefined };
const NO_COMPUTE: ComputePort = { terminateInstance: () => Promise.resolve() };

/** `examples/policies/cost-aware.conf` → `cost-aware`. */
export function policyName(path: string): string {
  const base = basename(path);
  const ext = extname(base);
  return ext === '' ? base : base.slice(0, -ext.length);
}

/**
 * Builds a policy from nova.conf files through the loader, with a runtime
 * on virtual time and a seeded random source. The driver must plan
 * synchronously (the FilterScheduler does) and the host manager must accept
 * a source; otherwise a `ConfigError` names the option to change.
 */
export async function loadPolicy(options: LoadPolicyOptions): Promise<ReplayPolicy> {
  const clock = new VirtualClock();
  const loaded = await loadScheduler({
    paths: options.paths ?? [],
    ...(options.files !== undefined ? { files: options.files } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    notifier: DISCARD_NOTIFICATIONS,
    compute: NO_COMPUTE,
    runtime: createRuntime({
      now: clock.now,
      random: seededRandom(options.seed ?? 0),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    }),
  });
  const { driver, hostManager, config } = loaded;
  const victimPolicy = config.options.find(
    (o) => o.group === 'preemptible_instances_scheduler' && o.name === 'victim_policy',
  );
  const firstPath = config.files[0];
  const resolved: Record<string, string> = {};
  for (const o of config.options) {
    if (o.value === null || o.value === undefined) continue;
    resolved[`${o.group}.${o.name}`] = Array.isArray(o.value)
      ? o.value.map(String).join(', ')
      : String(o.value);
  }
  return {
    name: options.name ?? (firstPath !== undefined ? policyName(firstPath) : 'policy'),
    scheduler: driver,
    hostManager,
    clock,
    configFiles: [...config.files],
    driver: config.driver.classPath,
    filters: config.filters.map((f) => f.name),
    weighers: config.weighers.map((w) => w.classPath),
    warnings: [...config.warnings],
    options: resolved,
    ...(victimPolicy !== undefined && victimPolicy.value !== null
      ? { victimPolicy: String(victimPolicy.value) }
      : {}),
  };
}
