// Third-party plugins the simulator cannot drive, loaded through [opie] plugin_modules:
// a driver with only selectDestinations (no synchronous plan), and a host
// manager whose source cannot be set.
import { definePlugin, NoValidHostError } from '@opie/core';
import type { HostManagerLike, SchedulerDriver } from '@opie/core';

export const plugins = [
  definePlugin({
    kind: 'driver',
    classPath: 'acme.scheduler.AsyncOnlyScheduler',
    description: 'Rejects everything, asynchronously.',
    create: (): SchedulerDriver => ({
      selectDestinations: () => Promise.reject(new NoValidHostError('never')),
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
