// The README's "Feeding it hosts" example, kept here so it always compiles and runs.
import { describe, expect, it } from 'vitest';
import { InMemoryHostSource } from '@opie/host-manager';
import { loadScheduler } from './load.js';

describe('README: feeding the loaded scheduler hosts', () => {
  it('places on the one host it was given, with no cast', async () => {
    const now = Date.now();
    const { driver, hostManager } = await loadScheduler({
      files: [{ path: 'nova.conf', text: '[scheduler]\ndriver = filter_scheduler\n' }],
    });
    hostManager.setSource(
      new InMemoryHostSource({
        nodes: [
          {
            host: 'c1',
            hypervisorHostname: 'c1',
            memoryMb: 8192,
            freeRamMb: 8192,
            localGb: 100,
            localGbUsed: 0,
            freeDiskGb: 100,
            vcpus: 4,
            vcpusUsed: 0,
            updatedAt: now,
          },
        ],
        services: [{ host: 'c1', disabled: false, lastSeenUp: now }],
      }),
    );
    const plan = driver.plan({
      flavor: {
        id: '1',
        name: 'm1.small',
        memoryMb: 2048,
        vcpus: 1,
        rootGb: 20,
        ephemeralGb: 0,
        swap: 0,
        extraSpecs: {},
      },
      image: { properties: {} },
      schedulerHints: {},
      numInstances: 1,
    });
    expect(plan.result.destinations[0]?.host).toBe('c1');
    await driver.execute(plan);
    expect(plan.result.preemptions).toEqual([]);
  });
});
