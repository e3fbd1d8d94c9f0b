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
  /** Seconds the victim was given between its notice and this order (0: none). */
  gracePeriod?: number;
}

/** Tells a victim it is about to be terminated (before the grace period). */
export interface TerminationNotice {
  uuid: string;
  host: string;
  nodename: string;
  /** What will be done when the grace period ends. */
  action: TerminationAction;
  /** Seconds until the action. */
  gracePeriod: number;
  /** Epoch ms of the action (notice time + grace period). */
  terminateAt: number;
  requestId?: string;
  reason: string;
}

/** The compute side, as the scheduler needs it: terminate an instance. */
export interface ComputePort {
  terminateInstance(order: TerminationOrder): Promise<void>;
  /**
   * Optional: deliver a termination notice to the victim (e.g. an ACPI
   * shutdown request or a metadata-service event), before the grace period.
   */
  noticeInstance?(notice: TerminationNotice): Promise<void>;
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

/** Compute port that only records orders and notices (tests, dry runs). */
export class RecordingComputePort implements ComputePort {
  readonly orders: TerminationOrder[] = [];
  readonly notices: TerminationNotice[] = [];
  terminateInstance(order: TerminationOrder): Promise<void> {
    this.orders.push(order);
    return Promise.resolve();
  }
  noticeInstance(notice: TerminationNotice): Promise<void> {
    this.notices.push(notice);
    return Promise.resolve();
  }
}
