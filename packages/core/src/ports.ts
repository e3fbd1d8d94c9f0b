/** How a preempted instance is dealt with. */
export type TerminationAction = 'delete' | 'stop';

export interface TerminationOrder {
  uuid: string;
  host: string;
  nodename: string;
  action: TerminationAction;
  /** The request that caused the preemption. */
  requestId?: string;
  reason: string;
}

/** The compute side, as the scheduler needs it: terminate an instance. */
export interface ComputePort {
  terminateInstance(order: TerminationOrder): Promise<void>;
}

export type NotificationPriority = 'INFO' | 'WARN' | 'ERROR';

/** A scheduler notification, e.g. `scheduler.select_destinations.start`. */
export interface Notification {
  eventType: string;
  priority: NotificationPriority;
  publisherId: string;
  timestamp: number;
  payload: Record<string, unknown>;
}

export interface NotificationPort {
  notify(notification: Notification): void;
}

/** Notifier that keeps everything in memory (tests, explain output). */
export class MemoryNotifier implements NotificationPort {
  readonly notifications: Notification[] = [];
  notify(notification: Notification): void {
    this.notifications.push(notification);
  }
}

/** Compute port that only records orders (tests, dry runs). */
export class RecordingComputePort implements ComputePort {
  readonly orders: TerminationOrder[] = [];
  terminateInstance(order: TerminationOrder): Promise<void> {
    this.orders.push(order);
    return Promise.resolve();
  }
}
