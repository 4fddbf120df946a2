import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter, type Permit } from '../../src/apply/limiter.js';

/** Acquires without waiting forever: resolves to undefined when no slot is free right now. */
async function tryAcquire(limiter: AdaptiveLimiter): Promise<Permit | undefined> {
  let permit: Permit | undefined;
  void limiter.acquire().then((p) => (permit = p));
  await Promise.resolve();
  return permit;
}

describe('AdaptiveLimiter', () => {
  it('refuses a parallelism that is not a positive integer', () => {
    expect(() => new AdaptiveLimiter(0)).toThrow(RangeError);
    expect(() => new AdaptiveLimiter(2.5)).toThrow(RangeError);
  });

  it('hands out at most `max` permits and queues the rest in order', async () => {
    const limiter = new AdaptiveLimiter(2);
    const order: number[] = [];
    const permits = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const third = limiter.acquire().then((p) => (order.push(3), p));
    const fourth = limiter.acquire().then((p) => (order.push(4), p));
    await Promise.resolve();
    expect(limiter.inFlight).toBe(2);
    expect(order).toEqual([]);
    permits[0]?.release(true);
    (await third).release(true);
    (await fourth).release(true);
    expect(order).toEqual([3, 4]);
    permits[1]?.release(true);
    expect(limiter.inFlight).toBe(0);
  });

  it('halves the window on a rate-limit report and ignores echoes from requests started before', async () => {
    const limiter = new AdaptiveLimiter(16);
    const permits = await Promise.all(Array.from({ length: 16 }, () => limiter.acquire()));
    limiter.onRateLimited();
    expect(limiter.window).toBe(8);
    // Fifteen more 429s from the same burst: 16 in flight > window 8, so they are echoes.
    for (let i = 0; i < 15; i += 1) limiter.onRateLimited();
    expect(limiter.window).toBe(8);
    expect(limiter.rateLimitedCount).toBe(1);
    // Down to the window: a new report is a new signal.
    for (const p of permits.slice(0, 8)) p.release(false);
    limiter.onRateLimited();
    expect(limiter.window).toBe(4);
    // A narrower window holds new work back until in-flight drops under it.
    expect(await tryAcquire(limiter)).toBeUndefined();
    for (const p of permits.slice(8)) p.release(false);
  });

  it('never goes below one and grows back by one per success, never above max', async () => {
    const limiter = new AdaptiveLimiter(4);
    for (let i = 0; i < 10; i += 1) limiter.onRateLimited();
    expect(limiter.window).toBe(1);
    const seen: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const p = await limiter.acquire();
      p.release(true);
      seen.push(limiter.window);
    }
    expect(seen).toEqual([2, 3, 4, 4, 4, 4]);
  });

  it('does not grow on a failure, and a double release is a no-op', async () => {
    const limiter = new AdaptiveLimiter(4);
    limiter.onRateLimited();
    const p = await limiter.acquire();
    p.release(false);
    p.release(true);
    expect(limiter.window).toBe(2);
    expect(limiter.inFlight).toBe(0);
  });
});
