import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from './contract/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract('SQLite adapter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netral-es-contract-'));
  const file = join(dir, 'events.sqlite');
  return {
    open: () => Promise.resolve(new SqliteEventStore({ file, pollIntervalMs: 20 })),
    dispose: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
});
