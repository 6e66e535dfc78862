import { DomainError } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  ELECTION,
  nipFor,
  post,
  seedLedger,
  type TestApp,
} from '@netral/testing';
import { Readable } from 'node:stream';
import { CaseCommands } from '../../../apps/ledger/src/cases/case.commands';
import { ElectionCommands } from '../../../apps/ledger/src/elections/election.commands';
import type { ActorContext } from '../../../apps/ledger/src/identity/actor';
import { UserCommands } from '../../../apps/ledger/src/identity/user.commands';
import { PledgeCommands } from '../../../apps/ledger/src/pledges/pledge.commands';
import { AsnCommands, OpdCommands } from '../../../apps/ledger/src/registry/registry.commands';
import { RosterImport } from '../../../apps/ledger/src/registry/roster-import';

/**
 * The OPD scope lives in the command services, not only in the routes' role lists: called directly, as a
 * route with a forgotten or widened @Roles would call them, they refuse an OPD head anything outside their
 * own OPD, and write nothing.
 */
describe('OPD scope inside the command services', () => {
  let t: TestApp;
  let roster: Awaited<ReturnType<typeof seedLedger>>;
  let caseId: string;
  const head: ActorContext = {
    userId: 'kadis.kesehatan',
    username: 'kadis.kesehatan',
    displayName: 'Kepala Dinas Kesehatan',
    role: 'OPD_HEAD',
    opdId: 'dinas-kesehatan',
    correlationId: 'korelasi-lingkup-1',
  };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    const bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr });
    const reported = await post(t, bawaslu, '/api/v1/cases', {
      electionId: ELECTION.electionId,
      nip: roster['dinas-pendidikan'].staff[0],
      source: 'BAWASLU_FINDING',
      actCode: 'N06',
      occurredAt: '2024-09-28',
      summary: 'Membagikan materi kampanye',
    }).expect(201);
    caseId = reported.body.caseId as string;
  });
  afterAll(async () => {
    await t.close();
  });

  const refusedWithoutWriting = async (attempt: () => Promise<unknown>) => {
    const before = await t.app.get(EventStore).headPosition();
    const error = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'OPD_SCOPE', kind: 'FORBIDDEN' });
    expect(await t.app.get(EventStore).headPosition()).toBe(before);
  };

  const other = () => roster['dinas-pendidikan'];

  it("refuses another OPD's registry changes", async () => {
    const opds = t.app.get(OpdCommands);
    const asn = t.app.get(AsnCommands);
    await refusedWithoutWriting(() => opds.rename('dinas-pendidikan', 'Dinas Lain', head));
    await refusedWithoutWriting(() => opds.appointHead('dinas-pendidikan', other().staff[1], head));
    await refusedWithoutWriting(() =>
      asn.enroll(
        {
          nip: nipFor(9001),
          name: 'Ni Luh Baru',
          position: 'Guru',
          employmentType: 'PNS',
          opdId: 'dinas-pendidikan',
        },
        head,
      ),
    );
    await refusedWithoutWriting(() => asn.transfer(other().staff[1], 'dinas-kesehatan', head));
    await refusedWithoutWriting(() => asn.recordLeft(other().staff[1], 'Pensiun', head));
  });

  it("refuses another OPD's pledges and cases", async () => {
    await refusedWithoutWriting(() =>
      t.app.get(PledgeCommands).sign(
        {
          electionId: ELECTION.electionId,
          nip: other().staff[2],
          signedAt: '2024-09-20',
          place: 'Bangli',
        },
        head,
      ),
    );
    const cases = t.app.get(CaseCommands);
    await refusedWithoutWriting(() =>
      cases.report(
        {
          electionId: ELECTION.electionId,
          nip: other().staff[2],
          source: 'INTERNAL',
          actCode: 'N06',
          occurredAt: '2024-09-28',
          summary: 'x',
        },
        head,
      ),
    );
    await refusedWithoutWriting(() => cases.verify(caseId, {}, head));
    await refusedWithoutWriting(() => cases.dismiss(caseId, 'tidak terbukti', head));
  });

  it('refuses regency-wide commands to an OPD head', async () => {
    await refusedWithoutWriting(() =>
      t.app
        .get(ElectionCommands)
        .schedule({ ...ELECTION, kind: 'PILKADA', electionId: 'pemilu-2099' }, head),
    );
    await refusedWithoutWriting(() =>
      t.app.get(UserCommands).register(
        {
          username: 'penyusup',
          displayName: 'x',
          password: 'kata-sandi-panjang-1',
          role: 'ADMIN',
        },
        head,
      ),
    );
    await refusedWithoutWriting(() =>
      t.app
        .get(RosterImport)
        .importAsn(
          Readable.from([`NIP,Nama,Jabatan,Jenis ASN,Kode OPD\n${nipFor(9002)},A,B,PNS,1.01.01\n`]),
          head,
        ),
    );
  });

  it('still lets the head act on their own OPD', async () => {
    const own = roster['dinas-kesehatan'];
    await expect(
      t.app.get(PledgeCommands).sign(
        {
          electionId: ELECTION.electionId,
          nip: own.staff[0],
          signedAt: '2024-09-20',
          place: 'Bangli',
        },
        head,
      ),
    ).resolves.toMatchObject({ nip: own.staff[0] });
  });
});
