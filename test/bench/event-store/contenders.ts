import {
  getSQLiteEventStore,
  readMessagesBatch,
  sqliteConnection,
} from '@event-driven-io/emmett-sqlite';
import { SqliteEventStore } from '@netral/event-store';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * The three things the event-store bench compares, behind one small interface: our adapter, raw
 * better-sqlite3 doing the same inserts with the same pragmas (one transaction per append: the ceiling any
 * per-append design can reach) and emmett-sqlite at its defaults.
 */
export interface Contender {
  readonly name: string;
  /** Appends one event with an optimistic-concurrency check; returns the next expected revision. */
  append(stream: string, expected: bigint | undefined): Promise<bigint>;
  /** Synchronous variant where the implementation has one (raw better-sqlite3). */
  appendSync?(stream: string, expected: bigint | undefined): bigint;
  /** Bulk load for the read benchmark (speed irrelevant). */
  load(stream: string, count: number): Promise<void>;
  /** Reads every event in global order, parsing payloads; returns how many. */
  readAll(): Promise<number>;
  /** Mean events per commit when the contender batches (group commit), else undefined. */
  batchSize?(): number | undefined;
  close(): Promise<void>;
}

export type Sync = 'FULL' | 'NORMAL';

/** A pledge as the service writes it: realistic field count and size (517 bytes of JSON data and metadata). */
export const pledgeData = (i: number) => ({
  electionId: 'pilkada-2024-51.06',
  nip: '198703152010011002',
  opdId: 'dinas-pendidikan-bangli',
  role: 'ASN',
  textVersion: '2024-1',
  textSha256: '9f2c1e0a7b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6',
  signedAt: '2024-09-02T01:30:00.000Z',
  place: 'Bangli',
  witnesses: ['Ketua Bawaslu Kabupaten Bangli'],
  submittedBy: 'u-kepala-opd-17',
  seq: i,
});

export const pledgeMetadata = {
  actorId: 'u-kepala-opd-17',
  actorRole: 'OPD_HEAD',
  opdId: 'dinas-pendidikan-bangli',
  correlationId: '5f0c6b2e-8f61-4d1a-9a63-2b1f6f0e8c11',
  schemaVersion: 1,
};

const TYPE = 'PledgeSigned';

export const openNetral = (dir: string, sync: Sync): Contender => {
  const store = new SqliteEventStore({ file: join(dir, 'netral.sqlite'), synchronous: sync });
  let seq = 0;
  let commitsAtMark = 0;
  let eventsAtMark = 0;
  return {
    name: 'netral SqliteEventStore',
    append: async (stream, expected) =>
      (
        await store.appendToStream(
          stream,
          { type: TYPE, data: pledgeData(seq++), metadata: pledgeMetadata },
          { expectedRevision: expected ?? 'no_stream' },
        )
      ).nextExpectedRevision,
    load: async (stream, count) => {
      for (let done = 0; done < count; done += 1000) {
        const n = Math.min(1000, count - done);
        await store.appendToStream(
          `${stream}-${done}`,
          Array.from({ length: n }, () => ({
            type: TYPE,
            data: pledgeData(seq++),
            metadata: pledgeMetadata,
          })),
        );
      }
    },
    readAll: async () => {
      let n = 0;
      for await (const event of store.readAll()) {
        if (event.data.seq !== undefined) {
          n++;
        }
      }
      return n;
    },
    batchSize: () => {
      const { commits, events } = store.stats;
      const mean = (events - eventsAtMark) / Math.max(1, commits - commitsAtMark);
      commitsAtMark = commits;
      eventsAtMark = events;
      return mean;
    },
    close: () => store.close(),
  };
};

export const openRaw = async (dir: string, sync: Sync): Promise<Contender> => {
  const file = join(dir, 'raw.sqlite');
  // The very same table, unique index and triggers as the adapter creates.
  await new SqliteEventStore({ file, synchronous: sync }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.pragma('busy_timeout = 10000');
  const insert = db.prepare(
    'INSERT INTO events (id, stream_id, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const appendTx = db.transaction((stream: string, revision: number, i: number) => {
    insert.run(
      randomUUID(),
      stream,
      revision,
      TYPE,
      JSON.stringify(pledgeData(i)),
      JSON.stringify(pledgeMetadata),
      Date.now(),
    );
  });
  let seq = 0;
  const appendSync = (stream: string, expected: bigint | undefined): bigint => {
    const revision = expected === undefined ? 0n : expected + 1n;
    appendTx(stream, Number(revision), seq++);
    return revision;
  };
  return {
    name: 'raw better-sqlite3 (1 tx per append)',
    appendSync,
    // As an async driver would: each append is its own turn of the event loop, its own transaction.
    append: (stream, expected) =>
      new Promise((done) => setImmediate(() => done(appendSync(stream, expected)))),
    load: (stream, count) => {
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          appendTx(`${stream}-${Math.floor(i / 1000)}`, i % 1000, seq++);
        }
      })();
      return Promise.resolve();
    },
    readAll: () => {
      let n = 0;
      const rows = db
        .prepare<[], [number, string, string, number, string, string, string, number]>(
          'SELECT position, id, stream_id, revision, type, data, metadata, created FROM events ORDER BY position',
        )
        .raw(true);
      for (const row of rows.iterate()) {
        const event = {
          id: row[1],
          streamId: row[2],
          revision: BigInt(row[3]),
          position: BigInt(row[0]),
          type: row[4],
          data: JSON.parse(row[5]) as { seq?: number },
          metadata: JSON.parse(row[6]) as unknown,
          created: new Date(row[7]),
        };
        if (event.data.seq !== undefined) {
          n++;
        }
      }
      return Promise.resolve(n);
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
};

/** emmett-sqlite 0.42.4 exactly as its README sets it up: file name only, everything else default. */
export const openEmmett = (dir: string): Contender => {
  const fileName = join(dir, 'emmett.sqlite');
  const store = getSQLiteEventStore({ fileName });
  let seq = 0;
  return {
    name: 'emmett-sqlite 0.42.4 (defaults)',
    append: async (stream, expected) =>
      (
        await store.appendToStream(
          stream,
          [{ type: TYPE, data: pledgeData(seq++), metadata: pledgeMetadata }],
          expected === undefined ? {} : { expectedStreamVersion: expected },
        )
      ).nextExpectedStreamVersion,
    load: async (stream, count) => {
      for (let done = 0; done < count; done += 1000) {
        const n = Math.min(1000, count - done);
        await store.appendToStream(
          `${stream}-${done}`,
          Array.from({ length: n }, () => ({
            type: TYPE,
            data: pledgeData(seq++),
            metadata: pledgeMetadata,
          })),
        );
      }
    },
    readAll: async () => {
      // Its consumers pull batches of 100 (DefaultSQLiteEventStoreProcessorBatchSize).
      const connection = sqliteConnection({ fileName });
      let n = 0;
      let after = 0n;
      try {
        for (;;) {
          const batch = await readMessagesBatch(connection, { after, batchSize: 100 });
          for (const message of batch.messages) {
            if ((message.data as { seq?: number }).seq !== undefined) {
              n++;
            }
          }
          if (!batch.areEventsLeft) {
            return n;
          }
          after = batch.currentGlobalPosition;
        }
      } finally {
        connection.close();
      }
    },
    close: () => Promise.resolve(),
  };
};
