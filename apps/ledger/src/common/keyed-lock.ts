/** One key's holders and the requests waiting for it, first come first served. */
interface KeyState {
  holders: number;
  exclusive: boolean;
  waiting: { shared: boolean; enter: () => void }[];
}

/**
 * Exclusion per key within this process. `hold(keys, work)` runs `work` once no other holder of any of
 * those keys is running; `share(keys, work)` runs it beside other sharers of the keys, but never beside a
 * holder. Requests are let in first come, first served, so a stream of sharers never keeps a holder
 * waiting. Keys are taken in sorted order, and work that takes more keys inside takes keys that sort after
 * those it holds, so no two requests can ever wait on each other.
 */
export class KeyedLock {
  private readonly keys = new Map<string, KeyState>();

  hold<T>(keys: Iterable<string>, work: () => Promise<T>): Promise<T> {
    return this.run(keys, false, work);
  }

  share<T>(keys: Iterable<string>, work: () => Promise<T>): Promise<T> {
    return this.run(keys, true, work);
  }

  /** Keys currently held or waited for (a key is forgotten once its last holder is done). */
  get size(): number {
    return this.keys.size;
  }

  private async run<T>(keys: Iterable<string>, shared: boolean, work: () => Promise<T>) {
    const entered: string[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) {
        const queued = this.enter(key, shared);
        if (queued) {
          await queued;
        }
        entered.push(key);
      }
      return await work();
    } finally {
      for (const key of entered.reverse()) {
        this.leave(key);
      }
    }
  }

  /** Counts the request in at once when nobody it must wait for is in or ahead of it; else queues it. */
  private enter(key: string, shared: boolean): Promise<void> | undefined {
    let state = this.keys.get(key);
    if (!state) {
      state = { holders: 0, exclusive: false, waiting: [] };
      this.keys.set(key, state);
    }
    if (state.waiting.length === 0 && (state.holders === 0 || (shared && !state.exclusive))) {
      state.holders += 1;
      state.exclusive = !shared;
      return undefined;
    }
    const queue = state.waiting;
    return new Promise((enter) => queue.push({ shared, enter }));
  }

  /** Lets in, once the key is free, the next holder or every sharer at the head of the queue. */
  private leave(key: string): void {
    const state = this.keys.get(key);
    if (!state || --state.holders > 0) {
      return;
    }
    state.exclusive = false;
    for (let next = state.waiting[0]; next; next = state.waiting[0]) {
      if (state.holders > 0 && !next.shared) {
        break;
      }
      state.waiting.shift();
      state.holders += 1;
      state.exclusive = !next.shared;
      next.enter();
      if (state.exclusive) {
        break;
      }
    }
    if (state.holders === 0) {
      this.keys.delete(key);
    }
  }
}
