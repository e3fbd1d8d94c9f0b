import type { HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { aggregateMultipliers } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
import { zod } from './lazy-zod.js';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] pci_weight_multiplier` (nova Zed; >= 0). */
export const pciWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'pci_weight_multiplier',
  type: 'float',
  default: 1.0,
  help:
    'PCIWeigher multiplier (>= 0; nova Zed). opie models no PCI devices, so the weigher ' +
    'weighs every host the same.',
  get schema() {
    return zod().number().min(0);
  },
};

export const PCI_WEIGHER = 'nova.scheduler.weights.pci.PCIWeigher';

/** nova's `MAX_DEVS`. */
const MAX_DEVS = 100;

/**
 * nova Zed's PCI weigher: raw weight `MAX_DEVS - min(free, MAX_DEVS - 1)`
 * where `free` is the host's free PCI devices. opie models no PCI devices
 * (every host has none free, as a nova host without `pci_stats`), so every
 * host weighs 100 whatever the request: the weigher never changes a host's
 * total. Multiplier as nova's (aggregate metadata, else the configured one).
 * @see nova/scheduler/weights/pci.py (stable/zed) PCIWeigher
 */
export function createPciWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  const multiplier = multiplierOf(PCI_WEIGHER, options.multiplier, 1.0);
  const free = 0;
  const weight = MAX_DEVS - Math.min(free, MAX_DEVS - 1);
  return {
    name: PCI_WEIGHER,
    multiplier,
    clampRaw: true,
    ...aggregateMultipliers(PCI_WEIGHER, 'pci_weight_multiplier', multiplier, options.zed ?? {}),
    weigh: () => weight,
    weighColumns(_cols, _rows, count, _request, out) {
      out.fill(weight, 0, count);
    },
  };
}

/** nova Zed only: the loader accepts it under `[opie] nova_version = zed`. */
export const pciWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: PCI_WEIGHER,
  description: 'Keeps PCI hosts free (nova Zed; no PCI model in opie: neutral).',
  options: [pciWeightMultiplierOption],
  create: (ctx) =>
    createPciWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'pci_weight_multiplier'),
      zed: { logger: ctx.runtime.logger },
    }),
};
