// A third-party plugin module, as `[opie] plugin_modules` names it.
import { definePlugin } from '@opie/core';
import type { HostFilter } from '@opie/core';

export const plugins = [
  definePlugin({
    kind: 'filter',
    classPath: 'acme.scheduler.filters.EvenHostFilter',
    description: 'Passes hosts whose name ends in an even digit.',
    options: [
      {
        group: 'acme',
        name: 'even_only',
        type: 'bool',
        default: true,
        help: 'Whether only even hosts pass.',
      },
    ],
    create: (ctx): HostFilter => {
      const evenOnly = ctx.conf.bool('acme', 'even_only');
      return {
        name: 'EvenHostFilter',
        runFilterOncePerRequest: false,
        hostPasses: (host) => !evenOnly || /[02468]$/.test(host.host),
      };
    },
  }),
];
