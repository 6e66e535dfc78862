import { WindowThrottlerStorage } from './throttler-storage';

describe('WindowThrottlerStorage', () => {
  let now = 0;
  let storage: WindowThrottlerStorage;
  beforeEach(() => {
    now = 1_000_000;
    storage = new WindowThrottlerStorage(() => now);
  });
  afterEach(() => storage.onModuleDestroy());

  const hit = (key = 'ip-1') => storage.increment(key, 60_000, 3, 30_000, 'default');

  it('counts hits per key and blocks the one past the limit, for the block duration', async () => {
    expect((await hit()).totalHits).toBe(1);
    await hit();
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: false, timeToExpire: 60 });
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    expect(await hit('ip-2')).toMatchObject({ totalHits: 1, isBlocked: false });
    now += 10_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 20, totalHits: 4 });
    now += 20_000;
    // Block over, window not: the next hit is over the limit again.
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
  });

  it('starts a fresh window once the old one has ended', async () => {
    for (let i = 0; i < 3; i++) {
      await hit();
    }
    now += 60_000;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });

  it('forgets idle clients, never a blocked one', async () => {
    await hit('idle');
    for (let i = 0; i < 4; i++) {
      await storage.increment('noisy', 60_000, 3, 120_000, 'default');
    }
    now += 61_000;
    storage.sweep();
    expect(storage.size).toBe(1);
    now += 60_000;
    storage.sweep();
    expect(storage.size).toBe(0);
  });
});
