import { describe, expect, it } from 'vitest';
import { AsyncMutex } from './async-mutex.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('AsyncMutex', () => {
  it('runs tasks one at a time, in order', async () => {
    const mutex = new AsyncMutex();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([mutex.run(task('a')), mutex.run(task('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(mutex.pending).toBe(0);
  });
  it('goes on after a task fails', async () => {
    const mutex = new AsyncMutex();
    await expect(mutex.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});

describe('AsyncMutex and the event loop', () => {
  it('lets I/O callbacks run between queued tasks', async () => {
    const mutex = new AsyncMutex();
    const events: string[] = [];
    const task = (name: string) => () => {
      events.push(name);
      return Promise.resolve();
    };
    const queued = [mutex.run(task('a')), mutex.run(task('b'))];
    setImmediate(() => events.push('io'));
    await Promise.all(queued);
    expect(events.indexOf('io')).toBeLessThan(events.indexOf('b'));
  });
});
