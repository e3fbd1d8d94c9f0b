import type { Flavor } from '@opie/core';
import { resourceLinks } from './links.js';

function flavorId(flavor: Flavor): string {
  return flavor.flavorid ?? flavor.id;
}

/** `GET /flavors` entry. */
export function flavorSummary(flavor: Flavor, baseUrl: string) {
  const id = flavorId(flavor);
  return { id, name: flavor.name, links: resourceLinks(baseUrl, 'flavors', id) };
}

/**
 * `GET /flavors/detail` entry and `GET /flavors/{id}` (v2.1: `swap` is ""
 * when there is none).
 * @see nova/api/openstack/compute/views/flavors.py
 */
export function flavorDetail(flavor: Flavor, baseUrl: string) {
  const id = flavorId(flavor);
  return {
    id,
    name: flavor.name,
    ram: flavor.memoryMb,
    disk: flavor.rootGb,
    swap: flavor.swap === 0 ? '' : flavor.swap,
    vcpus: flavor.vcpus,
    'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeralGb,
    'OS-FLV-DISABLED:disabled': false,
    'os-flavor-access:is_public': true,
    rxtx_factor: 1.0,
    links: resourceLinks(baseUrl, 'flavors', id),
  };
}
