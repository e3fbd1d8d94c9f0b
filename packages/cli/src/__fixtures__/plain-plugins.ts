// Third-party plugins for `opie schedule` tests, loaded through [opie] plugin_modules:
// a driver that has only selectDestinations (no plan/execute, no explanation),
// and a host manager whose source cannot be set.
import { definePlugin, NoValidHostError } from '@opie/core';
import type { HostManagerLike, SchedulerDriver } from '@opie/core';

export const plugins = [
  definePlugin({
    kind: 'driver',
    classPath: 'acme.scheduler.FirstFitScheduler',
    description: 'Places every instance on the first host with enough free RAM.',
    create: (ctx): SchedulerDriver => ({
      selectDestinations: (spec) => {
        const now = ctx.runtime.now();
        const fits = ctx.hostManager
          .getHostStates('full', now)
          .find((h) => h.freeRamMb >= spec.flavor.memoryMb);
        if (fits === undefined) {
          return Promise.reject(new NoValidHostError('no host has enough free RAM'));
        }
        return Promise.resolve({
          destinations: [{ host: fits.host, nodename: fits.nodename, limits: {} }],
          preemptions: [],
          preemptible: false,
          explanation: [],
        });
      },
    }),
  }),
  definePlugin({
    kind: 'host-manager',
    classPath: 'acme.scheduler.SealedHostManager',
    description: 'A host manager with no setSource.',
    create: (): HostManagerLike => ({
      getHostStates: () => [],
      consumeFromRequest: () => ({ release: () => undefined }),
      hostStateFor: () => undefined,
      releaseInstance: () => undefined,
    }),
  }),
];
