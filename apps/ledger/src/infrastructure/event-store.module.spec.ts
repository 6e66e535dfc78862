import { configFor } from '@netral/config';
import { EventStoreDbEventStore, SqliteEventStore } from '@netral/event-store';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from './event-store.module';

describe('openEventStore', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'netral-open-store-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens the embedded SQLite file in the data directory when no connection string is set', async () => {
    const store = openEventStore(
      configFor({ NETRAL_DATA_DIR: dataDir, NETRAL_SQLITE_SYNC: 'NORMAL' }),
    );
    try {
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect(await store.health()).toMatchObject({
        status: 'up',
        adapter: 'sqlite',
        details: { synchronous: 'NORMAL' },
      });
      expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('uses EventStoreDB when EVENTSTORE_CONNECTION_STRING is set, and health reports it down when unreachable', async () => {
    const store = openEventStore(
      configFor({
        NETRAL_DATA_DIR: dataDir,
        EVENTSTORE_CONNECTION_STRING: 'esdb://admin:changeit@127.0.0.1:1?tls=false',
      }),
    );
    try {
      expect(store).toBeInstanceOf(EventStoreDbEventStore);
      expect(await store.health()).toMatchObject({
        status: 'down',
        adapter: 'eventstoredb',
        details: { connection: 'esdb://admin:***@127.0.0.1:1?tls=false' },
      });
    } finally {
      await store.close();
    }
  });

  it('names the variable when the connection string cannot be parsed', () => {
    // The configuration refuses such a value at boot (libs/config); a config built another way still
    // gets the variable named instead of the client's bare parse error.
    const config = {
      ...configFor({ NETRAL_DATA_DIR: dataDir }),
      eventStoreConnectionString: 'esdb://',
    };
    expect(() => openEventStore(config)).toThrow(/EVENTSTORE_CONNECTION_STRING/);
  });
});
