import { SqliteEventStore } from '@netral/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionRunner } from '../runner';
import { writeHistory } from '../testing/histories';
import { ledgerProjection } from './ledger.projection';
import { ReadModelQueries } from './queries';

describe('ReadModelQueries.opds (the OPD registry)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-queries-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every OPD by code with its head’s name and its active ASN only', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    // Steps are [kind, asn, opd, _] (see testing/histories.ts): 0 registers an OPD, 1 enrols, 8 appoints the
    // head, 4 records that an ASN left.
    await writeHistory(store, [
      [0, 0, 1, 0],
      [0, 0, 0, 0],
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [1, 2, 1, 0],
      [8, 0, 0, 0],
      [4, 1, 0, 0],
    ]);
    const runner = new ProjectionRunner(store, join(dir, 'rm.sqlite'), [ledgerProjection]);
    await runner.start();

    const rows = new ReadModelQueries(runner.db, 100).opds();

    expect(rows.map((r) => [r.opdId, r.headName, r.activeAsn, r.status])).toEqual([
      ['dinas-a', 'ASN 0', 1, 'ACTIVE'],
      ['dinas-b', null, 1, 'ACTIVE'],
    ]);
    await runner.stop();
    runner.close();
    await store.close();
  });
});
