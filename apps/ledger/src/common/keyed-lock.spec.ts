import { KeyedLock } from './keyed-lock';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs holders of one key one after the other, in the order they came', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const holder = (name: string) =>
      lock.hold(['opd-a'], async () => {
        log.push(`${name} in`);
        await tick();
        await tick();
        log.push(`${name} out`);
        return name;
      });
    await expect(Promise.all([holder('1'), holder('2'), holder('3')])).resolves.toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(log).toEqual(['1 in', '1 out', '2 in', '2 out', '3 in', '3 out']);
    expect(lock.size).toBe(0);
  });

  it('lets holders of different keys run side by side', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const holder = (key: string) =>
      lock.hold([key], async () => {
        log.push(`${key} in`);
        await tick();
        log.push(`${key} out`);
      });
    await Promise.all([holder('a'), holder('b')]);
    expect(log).toEqual(['a in', 'b in', 'a out', 'b out']);
  });

  it('never deadlocks holders of overlapping key sets given in opposite orders', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const holder = (name: string, keys: string[]) =>
      lock.hold(keys, async () => {
        log.push(`${name} in`);
        await tick();
        log.push(`${name} out`);
      });
    await Promise.all([holder('x', ['a', 'b', 'a']), holder('y', ['b', 'a']), holder('z', ['c'])]);
    expect(log.filter((l) => !l.startsWith('z'))).toEqual(['x in', 'x out', 'y in', 'y out']);
    expect(lock.size).toBe(0);
  });

  it.each(['hold', 'share'] as const)(
    'releases the keys when %s fails, passing the failure on',
    async (mode) => {
      const lock = new KeyedLock();
      await expect(lock[mode](['a'], () => Promise.reject(new Error('refused')))).rejects.toThrow(
        'refused',
      );
      await expect(lock.hold(['a'], () => Promise.resolve('next'))).resolves.toBe('next');
      expect(lock.size).toBe(0);
    },
  );
});

describe('KeyedLock shared', () => {
  /** A request that logs when it is let in and when it leaves, two ticks later. */
  const request = (lock: KeyedLock, log: string[], name: string, mode: 'hold' | 'share') =>
    lock[mode](['opd-a'], async () => {
      log.push(`${name} in`);
      await tick();
      await tick();
      log.push(`${name} out`);
    });

  // Requests arriving in this order, each `s…` sharing and each `h…` holding one key, are let in so.
  it.each([
    {
      lets: 'sharers in together, and a holder only once they are all out',
      arriving: ['s1', 's2', 'h'],
      log: ['s1 in', 's2 in', 's1 out', 's2 out', 'h in', 'h out'],
    },
    {
      lets: 'no sharer arriving behind a waiting holder in before that holder is done',
      arriving: ['s1', 'h', 's2', 's3'],
      log: ['s1 in', 's1 out', 'h in', 'h out', 's2 in', 's3 in', 's2 out', 's3 out'],
    },
    {
      lets: 'the sharers waiting behind a holder in together when it leaves',
      arriving: ['h1', 's1', 's2', 'h2'],
      log: ['h1 in', 'h1 out', 's1 in', 's2 in', 's1 out', 's2 out', 'h2 in', 'h2 out'],
    },
  ])('lets $lets', async ({ arriving, log: expected }) => {
    const lock = new KeyedLock();
    const log: string[] = [];
    await Promise.all(
      arriving.map((name) => request(lock, log, name, name.startsWith('s') ? 'share' : 'hold')),
    );
    expect(log).toEqual(expected);
    expect(lock.size).toBe(0);
  });

  it('never deadlocks a sharer taking a later key inside against a holder of both', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const sharer = lock.share(['asn:1'], async () => {
      log.push('sharer has asn');
      await tick();
      await lock.share(['opd:a'], async () => {
        log.push('sharer has opd');
        await tick();
      });
    });
    const holder = lock.hold(['opd:a', 'asn:1'], async () => {
      log.push('holder has both');
      await tick();
    });
    await Promise.all([sharer, holder]);
    expect(log).toEqual(['sharer has asn', 'sharer has opd', 'holder has both']);
    expect(lock.size).toBe(0);
  });
});
