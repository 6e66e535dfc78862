/**
 * Mutual exclusion per key within this process: `hold(keys, work)` runs `work` once no other holder of any
 * of those keys is running, and lets the next waiter (first come, first served) in when it settles. Keys
 * are taken in sorted order, so two holders of overlapping key sets can never wait on each other.
 */
export class KeyedLock {
  /** Per key, the promise the next holder waits for: settled when every holder queued so far is done. */
  private readonly tails = new Map<string, Promise<void>>();

  async hold<T>(keys: Iterable<string>, work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) {
        releases.push(await this.acquire(key));
      }
      return await work();
    } finally {
      for (const release of releases.reverse()) {
        release();
      }
    }
  }

  /** Keys currently held or waited for (a key is forgotten once its last holder is done). */
  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous ? previous.then(() => done) : done;
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    };
  }
}
