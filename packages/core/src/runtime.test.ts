import { describe, expect, it, vi } from 'vitest';
import { createRuntime, timerSleep } from './runtime.js';

describe('runtime sleep', () => {
  it('timerSleep resolves after the time, through setTimeout', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const p = timerSleep(1000).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('createRuntime defaults to timerSleep and keeps an injected sleep', () => {
    expect(createRuntime().sleep).toBe(timerSleep);
    const sleep = () => Promise.resolve();
    expect(createRuntime({ sleep }).sleep).toBe(sleep);
  });
});
