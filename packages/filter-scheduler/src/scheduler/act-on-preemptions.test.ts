import { describe, expect, it } from 'vitest';
import type { Logger, TerminationNotice, TerminationOrder } from '@opie/core';
import { createRuntime, MemoryNotifier, RecordingComputePort, seededRandom } from '@opie/core';
import {
  cloud,
  FakeClock,
  NOW,
  preemptible,
  request,
  scheduler,
  settle,
} from './__fixtures__/scheduler-cloud.js';
import { actOnPreemptions } from './act-on-preemptions.js';

/** A logger that keeps what it is told. */
function memoryLogger(): Logger & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  const log = (level: string) => (message: string) => {
    lines.push([level, message]);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A compute port whose first `failures` termination calls throw. */
class FlakyComputePort extends RecordingComputePort {
  calls = 0;
  constructor(private failures: number) {
    super();
  }
  override terminateInstance(order: TerminationOrder): Promise<void> {
    this.calls += 1;
    if (this.calls <= this.failures) return Promise.reject(new Error(`boom ${this.calls}`));
    return super.terminateInstance(order);
  }
}

function setup(extra: { gracePeriod?: number; retries?: number; failures?: number } = {}) {
  const clock = new FakeClock(NOW);
  const logger = memoryLogger();
  const runtime = createRuntime({
    now: clock.now,
    random: seededRandom(1),
    logger,
    sleep: clock.sleep,
  });
  const manager = cloud([{ name: 'a', instances: [preemptible('p1', 3584)] }]);
  const built = scheduler(
    manager,
    {
      gracePeriod: extra.gracePeriod ?? 0,
      terminationRetries: extra.retries ?? 3,
      terminationRetryBackoff: 0.5,
      compute: new FlakyComputePort(extra.failures ?? 0),
    },
    runtime,
  );
  return { ...built, clock, logger, manager, port: built.s.compute as FlakyComputePort };
}

describe('acting on preemptions: notice, grace period, action', () => {
  it('grace period sequencing with a fake clock: notice, wait, then the action', async () => {
    const { s, clock, manager, notifier, port } = setup({ gracePeriod: 30 });
    const plan = s.plan(request(1024));
    const done = s.act(plan);
    await settle();
    // Released in the views at once, noticed, not terminated yet.
    expect(manager.hostStateFor('a', 'a', 'full')!.instances.has('p1')).toBe(false);
    expect(port.notices).toEqual<TerminationNotice[]>([
      {
        uuid: 'p1',
        host: 'a',
        nodename: 'a',
        action: 'delete',
        gracePeriod: 30,
        terminateAt: NOW + 30_000,
        requestId: 'req-1',
        reason: 'over limits after placing instance 1: memory_mb 4608 > 4096',
      },
    ]);
    expect(port.orders).toEqual([]);
    expect(clock.sleeps).toEqual([30_000]);
    await clock.advance(29_000);
    expect(port.orders).toEqual([]);
    await clock.advance(1_000);
    const outcomes = await done;
    expect(port.orders.map((o) => [o.uuid, o.gracePeriod])).toEqual([['p1', 30]]);
    expect(outcomes).toEqual([{ uuid: 'p1', host: 'a', nodename: 'a', ok: true, attempts: 1 }]);
    expect(notifier.notifications.map((n) => [n.eventType, n.timestamp])).toEqual([
      ['scheduler.select_destinations.start', NOW],
      ['scheduler.preemption', NOW],
      ['scheduler.preemption.notice', NOW],
      ['scheduler.select_destinations.end', NOW],
    ]);
    expect(notifier.notifications[2]?.payload).toMatchObject({
      victim: 'p1',
      grace_period: 30,
      terminate_at: NOW + 30_000,
    });
  });

  it('a zero grace period acts at once without sleeping', async () => {
    const { s, clock, port } = setup();
    await s.selectDestinations(request(1024));
    expect(clock.sleeps).toEqual([]);
    expect(port.notices).toHaveLength(1);
    expect(port.orders).toHaveLength(1);
  });

  it('a compute port that fails twice then succeeds: retried with exponential backoff', async () => {
    const { s, clock, logger, notifier, port } = setup({ failures: 2 });
    const done = s.act(s.plan(request(1024)));
    await settle();
    expect(port.calls).toBe(1);
    await clock.advance(500);
    expect(port.calls).toBe(2);
    await clock.advance(1000);
    const outcomes = await done;
    expect(port.calls).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(outcomes[0]).toMatchObject({ ok: true, attempts: 3 });
    expect(port.orders.map((o) => o.uuid)).toEqual(['p1']);
    expect(logger.lines.filter(([level]) => level === 'warn')).toHaveLength(2);
    expect(notifier.notifications.some((n) => n.eventType === 'scheduler.preemption.error')).toBe(
      false,
    );
  });

  it('a call that keeps failing is reported, never thrown, and the victim stays released', async () => {
    const { s, clock, logger, notifier, manager } = setup({ failures: 99, retries: 1 });
    const done = s.act(s.plan(request(1024)));
    await settle();
    await clock.advance(500);
    const outcomes = await done;
    expect(outcomes[0]).toEqual({
      uuid: 'p1',
      host: 'a',
      nodename: 'a',
      ok: false,
      attempts: 2,
      error: 'boom 2',
    });
    const error = notifier.notifications.find((n) => n.eventType === 'scheduler.preemption.error');
    expect(error?.priority).toBe('ERROR');
    expect(error?.payload).toMatchObject({
      victim: 'p1',
      stage: 'action',
      attempts: 2,
      error: 'boom 2',
    });
    expect(logger.lines).toContainEqual(['error', 'Preemption compute call failed']);
    expect(manager.hostStateFor('a', 'a', 'full')!.instances.has('p1')).toBe(false);
  });

  it('a failed notice is reported and the action still follows', async () => {
    const notifier = new MemoryNotifier();
    const compute = new RecordingComputePort();
    compute.noticeInstance = () => Promise.reject(new Error('no agent'));
    const outcomes = await actOnPreemptions(
      [{ victim: preemptible('p9', 512), host: 'h', nodename: 'h', forIndex: 0, reason: 'r' }],
      undefined,
      {
        compute,
        notifier,
        runtime: createRuntime({ now: () => NOW, sleep: () => Promise.resolve() }),
        publisherId: 'scheduler.test',
        action: 'stop',
        gracePeriod: 0,
        retries: 0,
        retryBackoff: 0,
      },
    );
    expect(outcomes).toEqual([
      { uuid: 'p9', host: 'h', nodename: 'h', ok: true, attempts: 1, noticeError: 'no agent' },
    ]);
    expect(compute.orders.map((o) => [o.uuid, o.action])).toEqual([['p9', 'stop']]);
    expect(
      notifier.notifications.find((n) => n.eventType === 'scheduler.preemption.error')?.payload,
    ).toMatchObject({ stage: 'notice', request_id: null });
  });

  it('a compute port without noticeInstance gets only the notification', async () => {
    const notifier = new MemoryNotifier();
    const orders: TerminationOrder[] = [];
    await actOnPreemptions(
      [{ victim: preemptible('p9', 512), host: 'h', nodename: 'h', forIndex: 0, reason: 'r' }],
      'req',
      {
        compute: { terminateInstance: (o) => Promise.resolve(void orders.push(o)) },
        notifier,
        runtime: createRuntime({ now: () => NOW }),
        publisherId: 'scheduler.test',
        action: 'delete',
        gracePeriod: 0,
        retries: 0,
        retryBackoff: 0,
      },
    );
    expect(notifier.notifications.map((n) => n.eventType)).toEqual([
      'scheduler.preemption',
      'scheduler.preemption.notice',
    ]);
    expect(orders).toHaveLength(1);
  });
});
