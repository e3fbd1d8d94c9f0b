import type { AvailabilityZone } from '../compute-service.js';

/**
 * `GET /os-availability-zone` (and `/detail`, which lists each zone's hosts
 * with their nova-compute service).
 * @see nova/api/openstack/compute/availability_zone.py
 */
export function availabilityZoneInfo(
  zones: readonly AvailabilityZone[],
  detail: boolean,
  updatedAt: string | null,
) {
  return {
    availabilityZoneInfo: zones.map((z) => ({
      zoneName: z.name,
      zoneState: { available: true },
      hosts: detail
        ? Object.fromEntries(
            z.hosts.map((h) => [
              h,
              { 'nova-compute': { available: true, active: true, updated_at: updatedAt } },
            ]),
          )
        : null,
    })),
  };
}
