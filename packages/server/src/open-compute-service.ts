import type { Logger, NotificationPort, Runtime } from '@opie/core';
import { createRuntime } from '@opie/core';
import type { CloudSnapshot } from '@opie/cloud';
import type { ConfigFile } from '@opie/loader';
import { loadScheduler } from '@opie/loader';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OpieError } from '@opie/core';
import { ComputeService } from './compute-service.js';
import { readQuotaDefaults } from './quota.js';
import type { QuotaDefaults } from './quota.js';
import type { ComputeServiceOptions } from './compute-service.js';
import { StoreComputePort } from './store-compute-port.js';
import { openStore } from './store/open-store.js';

export interface OpenComputeServiceOptions extends Pick<
  ComputeServiceOptions,
  | 'syncIntervalMs'
  | 'claimAttempts'
  | 'maxCount'
  | 'heartbeatMs'
  | 'timer'
  | 'sweepMs'
  | 'leaseMs'
  | 'retryMs'
> {
  /** nova.conf files to read (later files win). */
  configPaths?: readonly string[];
  /** nova.conf texts, read before `configPaths`. */
  configFiles?: readonly ConfigFile[];
  /** Base of relative paths; defaults to `process.cwd()`. */
  cwd?: string;
  /** The inventory: flavors, images, nodes, services, aggregates (and, the first time, instances). */
  cloud: CloudSnapshot;
  /** A directory for the embedded database, `memory`, or a `postgres://` URL. Default `./opie-data`. */
  db?: string;
  /** Wall clock and `Math.random` by default. */
  runtime?: Runtime;
  /** Shortcut for `runtime.logger`. */
  logger?: Logger;
}

/** The quota options of the nova.conf files (the loader has read them: they exist). */
async function quotaDefaultsOf(options: OpenComputeServiceOptions): Promise<QuotaDefaults> {
  const files: ConfigFile[] = [...(options.configFiles ?? [])];
  for (const path of options.configPaths ?? []) {
    files.push({ path, text: await readFile(resolve(options.cwd ?? process.cwd(), path), 'utf8') });
  }
  const defaults = readQuotaDefaults(files);
  if (defaults.problems.length > 0) {
    throw new OpieError(
      'CONFIG_INVALID',
      `Invalid quota options:\n${defaults.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return defaults;
}

/** Where scheduler notifications go in the service: the logger, at debug level. */
function loggingNotifier(logger: Logger): NotificationPort {
  return {
    notify: (n) => logger.debug(n.eventType, { publisherId: n.publisherId, ...n.payload }),
  };
}

/**
 * Loads the scheduler from nova.conf (with a `StoreComputePort`), opens the
 * store, and starts a `ComputeService` on the cloud's inventory.
 * Close it with `service.close()`.
 */
export async function openComputeService(
  options: OpenComputeServiceOptions,
): Promise<ComputeService> {
  const given =
    options.runtime ??
    createRuntime(options.logger !== undefined ? { logger: options.logger } : {});
  // Without a grace period victims are terminated inside the claim's
  // transaction: no waiting there (a retry backoff would hold the nodes'
  // locks). With one, the service waits for the deadline itself, outside any
  // transaction (the driver does not act on such plans).
  const runtime: Runtime = {
    now: () => given.now(),
    random: () => given.random(),
    logger: given.logger,
    sleep: () => Promise.resolve(),
  };
  // The configuration first: a bad nova.conf fails before any database is touched.
  const compute = new StoreComputePort();
  const scheduler = await loadScheduler({
    ...(options.configPaths !== undefined ? { paths: options.configPaths } : {}),
    ...(options.configFiles !== undefined ? { files: options.configFiles } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    runtime,
    compute,
    notifier: loggingNotifier(runtime.logger),
  });
  const quotas = await quotaDefaultsOf(options);
  for (const warning of quotas.warnings) runtime.logger.warn(warning);
  const store = await openStore(options.db ?? './opie-data', options.cwd);
  try {
    const serviceOptions: ComputeServiceOptions = {
      store,
      scheduler,
      compute,
      runtime,
      quotaDefaults: quotas.limits,
      quotaSources: quotas.sources,
    };
    if (options.syncIntervalMs !== undefined)
      serviceOptions.syncIntervalMs = options.syncIntervalMs;
    if (options.claimAttempts !== undefined) serviceOptions.claimAttempts = options.claimAttempts;
    if (options.maxCount !== undefined) serviceOptions.maxCount = options.maxCount;
    if (options.heartbeatMs !== undefined) serviceOptions.heartbeatMs = options.heartbeatMs;
    if (options.timer !== undefined) serviceOptions.timer = options.timer;
    if (options.sweepMs !== undefined) serviceOptions.sweepMs = options.sweepMs;
    if (options.leaseMs !== undefined) serviceOptions.leaseMs = options.leaseMs;
    if (options.retryMs !== undefined) serviceOptions.retryMs = options.retryMs;
    const service = new ComputeService(serviceOptions);
    await service.start(options.cloud);
    return service;
  } catch (error) {
    await store.close();
    throw error;
  }
}
