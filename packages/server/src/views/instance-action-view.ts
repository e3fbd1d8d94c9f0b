import type { InstanceAction } from '../compute-service.js';
import { isoTime } from './links.js';

/**
 * nova's instance action (`os-instance-actions`, microversion 2.1 fields),
 * plus opie's fields on a `preempt`: `opie:terminate_at` (when the
 * termination is due), `opie:termination_action` (`delete` or `stop`),
 * `opie:preempted_for` (the server that needs the room) and
 * `opie:outcome` (null while the notice runs; `terminated`, `deleted` or
 * `cancelled` after). `detail` adds the events (one per action).
 * @see nova/api/openstack/compute/instance_actions.py
 */
export function instanceActionView(
  action: InstanceAction,
  detail = false,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    action: action.action,
    instance_uuid: action.instanceUuid,
    message: action.message,
    project_id: action.projectId,
    request_id: action.requestId,
    start_time: isoTime(action.startTime),
    user_id: action.userId,
  };
  if (action.action === 'preempt') {
    view['opie:terminate_at'] = isoTime(action.terminateAt);
    view['opie:termination_action'] = action.terminationAction ?? null;
    view['opie:preempted_for'] = action.preemptedFor ?? null;
    view['opie:outcome'] = action.outcome ?? null;
  }
  if (detail) {
    const finish = action.action === 'create' ? action.startTime : (action.finishTime ?? null);
    view['events'] = [
      {
        event:
          action.action === 'create'
            ? 'compute__do_build_and_run_instance'
            : 'compute_preempt_instance',
        start_time: isoTime(action.startTime),
        finish_time: isoTime(finish),
        result:
          finish === null
            ? null
            : action.outcome === undefined || action.outcome === 'terminated'
              ? 'Success'
              : 'Cancelled',
        traceback: null,
      },
    ];
  }
  return view;
}
