import type { Service } from '@opie/core';
import { ConfigError } from '@opie/core';

/**
 * The service down time nova's servicegroup API uses: `service_down_time`,
 * unless it is not above `report_interval`, in which case
 * `int(report_interval * 2.5)`. `null` stands for an empty IntOpt (Python
 * `None`) and follows Python 2 comparison rules; both empty is a ConfigError
 * (nova fails to start with a TypeError).
 * @see nova/servicegroup/api.py API.__init__
 */
export function effectiveServiceDownTime(
  serviceDownTime: number | null,
  reportInterval: number | null,
): number {
  if (reportInterval === null) {
    if (serviceDownTime === null) {
      throw new ConfigError([
        {
          section: 'DEFAULT',
          key: 'service_down_time',
          message: 'service_down_time and report_interval are both empty',
          hint: 'set service_down_time (default 60) or report_interval (default 10)',
        },
      ]);
    }
    return serviceDownTime; // `n <= None` is false in Python 2
  }
  if (serviceDownTime === null || serviceDownTime <= reportInterval) {
    return Math.trunc(reportInterval * 2.5);
  }
  return serviceDownTime;
}

/**
 * Whether a compute service is up at `now` (epoch ms), like nova's db
 * servicegroup driver: forced down is down; otherwise the last heartbeat
 * (`lastSeenUp`, else `updatedAt`, else `createdAt`) must be within
 * `downTimeSeconds` of `now`, either way. A service with no heartbeat at all
 * is down (nova raises instead).
 * @see nova/servicegroup/drivers/db.py DbDriver.is_up
 */
export function serviceIsUp(service: Service, now: number, downTimeSeconds: number): boolean {
  if (service.forcedDown === true) return false;
  const heartbeat = service.lastSeenUp ?? service.updatedAt ?? service.createdAt;
  if (heartbeat === undefined) return false;
  return Math.abs(now - heartbeat) <= downTimeSeconds * 1000;
}
