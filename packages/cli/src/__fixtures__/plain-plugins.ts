// Third-party plugins for `opie schedule` tests, loaded through [opie] plugin_modules:
// a driver of its own (core's Scheduler contract, no explanation, no preemption),
// and a host manager whose source cannot be set (which the loader refuses).
import { definePlugin, NoValidHostError } from '@opie/core';
import type { HostManagerLike, Scheduler, SchedulingPlan } from '@opie/core';

export const plugins = [
  definePlugin({
    kind: 'driver',
    classPath: 'acme.scheduler.FirstFitScheduler',
    description: 'Places every instance on the first host with enough free RAM.',
    create: (ctx): Scheduler => {
      const plan = (spec: Parameters<Scheduler['plan']>[0]): SchedulingPlan => {
        const now = ctx.runtime.now();
        const fits = ctx.hostManager
          .getHostStates('full', now)
          .find((h) => h.freeRamMb >= spec.flavor.memoryMb);
        if (fits === undefined) throw new NoValidHostError('no host has enough free RAM');
        const claims = [ctx.hostManager.consumeFromRequest(fits.host, fits.nodename, spec, now)];
        const destinations = [{ host: fits.host, nodename: fits.nodename, limits: {} }];
        const result = { destinations, preemptions: [], preemptible: false, explanation: [] };
        return { spec, now, result, claims };
      };
      return {
        preemption: false,
        gracePeriod: 0,
        explain: false,
        plan,
        execute: () => Promise.resolve(),
        selectDestinations: (spec) => {
          try {
            return Promise.resolve(plan(spec).result);
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      };
    },
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
