import { type EventStore, SqliteEventStore } from '@netral/event-store';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ledgerProjection } from './read-models/ledger.projection';
import { ReadModelQueries } from './read-models/queries';
import { ProjectionRunner } from './runner';
import { stepArbitrary, writeHistory } from './testing/histories';

const REGISTER = join(__dirname, '..', '..', 'event-store', 'src', 'testing', 'register-ts.js');
const CHILD = join(__dirname, 'testing', 'runner-child.ts');

/** Every read-model table, rows sorted: two databases are equal when their dumps are. */
const dump = (db: Database.Database): string =>
  JSON.stringify(
    ledgerProjection.tables.map((table) =>
      db
        .prepare(`SELECT * FROM ${table}`)
        .all()
        .map((row) => JSON.stringify(row))
        .sort(),
    ),
  );

const rebuilt = async (store: EventStore, dir: string, name: string): Promise<string> => {
  const runner = new ProjectionRunner(store, join(dir, name), [ledgerProjection]);
  await runner.rebuild();
  const result = dump(runner.db);
  runner.close();
  return result;
};

describe('projection runner', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-projections-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('live projection equals a full rebuild for random valid histories', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 5, maxLength: 120 }), async (steps) => {
        round += 1;
        const store = new SqliteEventStore({
          file: join(dir, `events-${round}.sqlite`),
          synchronous: 'NORMAL',
        });
        const live = new ProjectionRunner(
          store,
          join(dir, `live-${round}.sqlite`),
          [ledgerProjection],
          { batchSize: 7 },
        );
        await live.start();
        const written = await writeHistory(store, steps);
        const head = await store.headPosition();
        if (head !== null) {
          expect(await live.waitFor(head, 5000)).toBe(true);
        }
        const liveDump = dump(live.db);
        await live.stop();
        live.close();
        expect(liveDump).toBe(await rebuilt(store, dir, `rebuilt-${round}.sqlite`));
        expect(written).toBeGreaterThan(0);
        await store.close();
      }),
      { numRuns: 25 },
    );
  });

  it('counts coverage by the ASN current OPD through transfers, departures and voided pledges', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    await writeHistory(store, [
      [0, 0, 0, 0],
      [0, 0, 1, 0],
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [5, 0, 0, 0],
      [5, 1, 0, 3],
      [3, 0, 1, 0],
      [4, 1, 0, 0],
    ]);
    const runner = new ProjectionRunner(store, join(dir, 'rm.sqlite'), [ledgerProjection]);
    await runner.start();
    const rows = new ReadModelQueries(runner.db, 100).compliance('e1', '2024-10-01');
    const a = rows.find((r) => r.opdId === 'dinas-a')!;
    const b = rows.find((r) => r.opdId === 'dinas-b')!;
    expect({ active: a.activeAsn, pledged: a.pledged }).toEqual({ active: 0, pledged: 0 });
    expect({ active: b.activeAsn, pledged: b.pledged, coverage: b.coverage }).toEqual({
      active: 1,
      pledged: 1,
      coverage: 100,
    });
    await runner.stop();
    runner.close();
    await store.close();
  });

  it('two processes following into one file (the service and the CLI) apply each event once', async () => {
    const eventsFile = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file: eventsFile, synchronous: 'NORMAL' });
    const other = new SqliteEventStore({ file: eventsFile, synchronous: 'NORMAL' });
    const steps = fc.sample(fc.array(stepArbitrary, { minLength: 60, maxLength: 60 }), {
      numRuns: 1,
      seed: 7,
    })[0];
    const service = new ProjectionRunner(store, join(dir, 'rm.sqlite'), [ledgerProjection], {
      batchSize: 5,
    });
    const cli = new ProjectionRunner(other, join(dir, 'rm.sqlite'), [ledgerProjection], {
      batchSize: 3,
    });
    await Promise.all([service.start(), cli.start()]);
    await writeHistory(store, steps);
    const head = (await store.headPosition())!;
    expect(await service.waitFor(head, 5000)).toBe(true);
    expect(await cli.waitFor(head, 5000)).toBe(true);
    expect(dump(service.db)).toBe(await rebuilt(store, dir, 'alone.sqlite'));
    for (const runner of [service, cli]) {
      await runner.stop();
      runner.close();
    }
    await other.close();
    await store.close();
  });

  it('rebuilds itself when a projection version changes', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    await writeHistory(store, [
      [0, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
    const first = new ProjectionRunner(store, join(dir, 'rm.sqlite'), [ledgerProjection]);
    await first.start();
    await first.stop();
    first.db.exec("UPDATE rm_asn SET name = 'usang'");
    first.close();
    const second = new ProjectionRunner(store, join(dir, 'rm.sqlite'), [
      { ...ledgerProjection, version: ledgerProjection.version + 1 },
    ]);
    await second.start();
    expect(second.db.prepare('SELECT name FROM rm_asn').pluck().all()).toEqual(['ASN 0']);
    await second.stop();
    second.close();
    await store.close();
  });

  it('survives SIGKILL mid-batch: after a restart the read models equal a clean rebuild', async () => {
    const eventsFile = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file: eventsFile, synchronous: 'NORMAL' });
    const steps = fc.sample(fc.array(stepArbitrary, { minLength: 3000, maxLength: 3000 }), {
      numRuns: 1,
      seed: 42,
    })[0];
    await writeHistory(store, steps);
    // Bulk: enough events that a kill lands while the child is still catching up.
    await store.appendToStream('opd-bulk', [
      {
        type: 'OpdRegistered',
        data: { opdId: 'bulk', code: 'B', name: 'Bulk', kind: 'DINAS', regionCode: '51.06' },
      },
    ]);
    for (let chunk = 0; chunk < 40; chunk++) {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) => {
          const nip = String(197001012000011000n + BigInt(chunk * 500 + i));
          return store.appendToStream(`asn-${nip}`, [
            {
              type: 'AsnEnrolled',
              data: {
                nip,
                name: `ASN ${nip}`,
                position: 'Staf',
                employmentType: 'PNS',
                opdId: 'bulk',
              },
            },
          ]);
        }),
      );
    }
    const expected = await rebuilt(store, dir, 'clean.sqlite');
    const readModels = join(dir, 'crashed.sqlite');
    let killed = 0;
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ['-r', REGISTER, CHILD, eventsFile, readModels], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('started')) {
            setTimeout(() => child.kill('SIGKILL'), 5 + Math.floor(Math.random() * 60));
          }
        });
        child.on('exit', (_code, signal) => {
          killed += signal === 'SIGKILL' ? 1 : 0;
          resolve();
        });
      });
    }
    expect(killed).toBeGreaterThanOrEqual(3);
    const runner = new ProjectionRunner(store, readModels, [ledgerProjection]);
    await runner.start();
    expect(dump(runner.db)).toBe(expected);
    await runner.stop();
    runner.close();
    await store.close();
  });
});
