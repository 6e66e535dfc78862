import { SqliteEventStore } from '@netral/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionRunner } from '../runner';
import { writeHistory } from '../testing/histories';
import { ledgerProjection } from './ledger.projection';
import { ReadModelQueries } from './queries';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netral-queries-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ReadModelQueries.opds (the OPD registry)', () => {
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

describe('ledgerProjection certificates', () => {
  it('names every table its setup creates, so a new version drops and rebuilds all of them', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    const runner = new ProjectionRunner(store, join(dir, 'rm.sqlite'), [ledgerProjection]);
    const created = runner.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\'",
      )
      .pluck()
      .all();
    expect([...ledgerProjection.tables].sort()).toEqual((created as string[]).sort());
    runner.close();
    await store.close();
  });

  it('keys a certificate recorded with the NIP as typed by the bare NIP, so a confirmed violation finds it', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    const nip = '198503122010011002';
    const { position } = await store.appendToStream('certificate-SK-2024-OLD', [
      {
        type: 'CertificateIssued',
        data: {
          certificateId: 'SK-2024-OLD',
          subjectType: 'ASN',
          subjectId: '19850312 201001 1 002',
          opdId: 'dinas-a',
          electionId: 'pilkada-2024',
          checkpoint: { treeSize: 1, rootHash: 'AA==' },
          pdfSha256: 'ab'.repeat(32),
          signerFingerprint: 'cd'.repeat(32),
          issuedAt: '2024-11-01T00:00:00.000Z',
        },
      },
    ]);
    const runner = new ProjectionRunner(store, join(dir, 'rm.sqlite'), [ledgerProjection]);
    await runner.start();

    const found = new ReadModelQueries(runner.db, 100).certificatesToRevoke(
      'pilkada-2024',
      nip,
      'dinas-b',
      position + 1n,
    );

    expect(found.map((c) => [c.certificate_id, c.subject_id])).toEqual([['SK-2024-OLD', nip]]);
    await runner.stop();
    runner.close();
    await store.close();
  });
});
