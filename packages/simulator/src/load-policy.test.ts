import { fileURLToPath } from 'node:url';
import { ConfigError, MemoryNotifier } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { loadPolicy, policyName } from './load-policy.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('loadPolicy', () => {
  it('names a policy after its file', () => {
    expect(policyName('examples/policies/cost-aware.conf')).toBe('cost-aware');
    expect(policyName('/etc/nova/nova')).toBe('nova');
    expect(policyName('a.b.conf')).toBe('a.b');
  });

  it('loads the example policies with a virtual clock and describes them', async () => {
    const policy = await loadPolicy({
      paths: ['examples/policies/opie-compat.conf'],
      cwd: repoRoot,
    });
    expect(policy.name).toBe('opie-compat');
    expect(policy.configFiles).toEqual(['examples/policies/opie-compat.conf']);
    expect(policy.driver).toBe('opie.scheduler.filter_scheduler.FilterScheduler');
    expect(policy.filters).toEqual([
      'RetryFilter',
      'AvailabilityZoneFilter',
      'RamFilter',
      'CoreFilter',
      'DiskFilter',
      'ComputeFilter',
      'ComputeCapabilitiesFilter',
      'ImagePropertiesFilter',
      'ServerGroupAntiAffinityFilter',
      'ServerGroupAffinityFilter',
    ]);
    expect(policy.weighers).toEqual([
      'nova.scheduler.weights.io_ops.IoOpsWeigher',
      'nova.scheduler.weights.metrics.MetricsWeigher',
      'nova.scheduler.weights.ram.RAMWeigher',
      'opie.scheduler.weights.preemptible.PreemptibleDurationWeigher',
      'opie.scheduler.weights.preemptible.PreemptibleCountWeigher',
    ]);
    policy.clock.set(1234);
    expect(policy.clock.now()).toBe(1234);
    expect(typeof policy.scheduler.plan).toBe('function');
  });

  it('drops the scheduler notifications, so memory stays flat over long traces', async () => {
    const policy = await loadPolicy({
      paths: ['examples/policies/cost-aware.conf'],
      cwd: repoRoot,
    });
    const notifier = (policy.scheduler as { notifier?: unknown }).notifier;
    expect(notifier).toBeDefined();
    expect(notifier).not.toBeInstanceOf(MemoryNotifier);
  });

  it('refuses a driver without plan() and a host manager without setSource()', async () => {
    const error = await loadPolicy({
      paths: ['packages/simulator/src/__fixtures__/unplannable.conf'],
      cwd: repoRoot,
    }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    const issues = (error as ConfigError).issues.map(
      (i) => `[${i.section}] ${i.key}: ${i.message}`,
    );
    // The loader checks the contract (core's Scheduler and SourcedHostManager)
    // before anything is simulated; the host manager is built, and refused, first.
    expect(issues).toEqual([
      '[scheduler] host_manager: acme.scheduler.SealedHostManager cannot be fed hosts: it has no setSource()',
    ]);
  });
});
