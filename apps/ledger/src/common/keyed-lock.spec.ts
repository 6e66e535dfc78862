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

  it('releases the keys when the work fails, passing the failure on', async () => {
    const lock = new KeyedLock();
    await expect(lock.hold(['a'], () => Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
    await expect(lock.hold(['a'], () => Promise.resolve('next'))).resolves.toBe('next');
    expect(lock.size).toBe(0);
  });
});
