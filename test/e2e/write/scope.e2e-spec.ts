import { DomainError } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  ELECTION,
  findingReport,
  nipFor,
  post,
  seedLedger,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import { Readable } from 'node:stream';
import { CaseCommands } from '../../../apps/ledger/src/cases/case.commands';
import { CertificateService } from '../../../apps/ledger/src/certificates/certificate.service';
import { ElectionCommands } from '../../../apps/ledger/src/elections/election.commands';
import type { ActorContext } from '../../../apps/ledger/src/identity/actor';
import { AuditQueries } from '../../../apps/ledger/src/audit/audit.queries';
import { CredentialsStore } from '../../../apps/ledger/src/identity/credentials.store';
import { UserCommands } from '../../../apps/ledger/src/identity/user.commands';
import { UserDirectory } from '../../../apps/ledger/src/identity/user-directory';
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
  let admin: TestUser;
  let hr: TestUser;
  let bawaslu: TestUser;
  const head: ActorContext = {
    userId: 'kadis.kesehatan',
    username: 'kadis.kesehatan',
    displayName: 'Kepala Dinas Kesehatan',
    role: 'OPD_HEAD',
    opdId: 'dinas-kesehatan',
    correlationId: 'korelasi-lingkup-1',
  };

  /** A Bawaslu finding (N06) against `nip`, reported through the API; its case id. */
  const reportCase = async (nip: string): Promise<string> => {
    const reported = await post(t, bawaslu, '/api/v1/cases', findingReport(nip)).expect(201);
    return reported.body.caseId as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr });
    caseId = await reportCase(roster['dinas-pendidikan'].staff[0]);
  });
  afterAll(async () => {
    await t.close();
  });

  const refusedWithoutWriting = async (attempt: () => Promise<unknown>, code = 'OPD_SCOPE') => {
    const before = await t.app.get(EventStore).headPosition();
    const error = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, kind: 'FORBIDDEN' });
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

  it("refuses an OPD head their own OPD's case decisions: Bawaslu's and the PPK's to make", async () => {
    const ownCase = await reportCase(roster['dinas-kesehatan'].staff[0]);
    const cases = t.app.get(CaseCommands);
    await refusedWithoutWriting(() => cases.verify(ownCase, {}, head), 'ROLE_FORBIDDEN');
    await refusedWithoutWriting(
      () => cases.dismiss(ownCase, 'tidak terbukti', head),
      'ROLE_FORBIDDEN',
    );
  });

  it('refuses an OPD head any certificate issue or revocation, before reading anything', async () => {
    const nip = other().staff[1];
    await post(t, hr, '/api/v1/pledges', {
      electionId: ELECTION.electionId,
      nip,
      signedAt: '2024-09-20',
      place: 'Bangli',
    }).expect(201);
    const issued = await post(t, hr, '/api/v1/certificates', {
      subjectType: 'ASN',
      subjectId: nip,
      electionId: ELECTION.electionId,
    }).expect(201);
    const certificates = t.app.get(CertificateService);
    await refusedWithoutWriting(
      () => certificates.revoke(issued.body.certificateId as string, 'Data berubah', head),
      'ROLE_FORBIDDEN',
    );
    // Not even a 409 naming the other OPD's valid certificate (the HR would hear it).
    for (const subject of [
      { subjectType: 'ASN' as const, subjectId: nip },
      { subjectType: 'OPD' as const, subjectId: 'dinas-kesehatan' },
    ]) {
      await refusedWithoutWriting(
        () => certificates.issue({ ...subject, electionId: ELECTION.electionId }, head),
        'ROLE_FORBIDDEN',
      );
    }
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

  it('keeps accounts to administrators and the audit history to Bawaslu, whatever the route', async () => {
    const hr: ActorContext = { ...head, userId: 'staf.bkpsdm', role: 'HR', opdId: undefined };
    const credentials = t.app.get(CredentialsStore);
    const users = t.app.get(UserCommands);
    const changed = credentials.passwordState(admin.userId).changedAt;
    // Another's password only by an administrator: an HR user cannot take over the admin's account.
    await refusedWithoutWriting(
      () => users.setPassword(admin.userId, 'kata-sandi-pengambilalihan-1', hr),
      'ROLE_FORBIDDEN',
    );
    expect(credentials.passwordState(admin.userId).changedAt).toBe(changed);
    await refusedWithoutWriting(
      () =>
        users.register(
          {
            username: 'penyusup-2',
            displayName: 'x',
            password: 'kata-sandi-panjang-1',
            role: 'ADMIN',
          },
          hr,
        ),
      'ROLE_FORBIDDEN',
    );
    await refusedWithoutWriting(
      () => users.changeRole(admin.userId, { role: 'HR' }, hr),
      'ROLE_FORBIDDEN',
    );
    for (const actor of [hr, head]) {
      expect(() => t.app.get(UserDirectory).listFor(actor)).toThrow(
        expect.objectContaining({ code: 'ROLE_FORBIDDEN' }),
      );
      expect(() => t.app.get(UserDirectory).getFor(actor, admin.userId)).toThrow(
        expect.objectContaining({ code: 'ROLE_FORBIDDEN' }),
      );
      await expect(t.app.get(AuditQueries).events({}, actor)).rejects.toMatchObject({
        code: 'ROLE_FORBIDDEN',
      });
      expect(() => t.app.get(AuditQueries).exportRange(actor)).toThrow(
        expect.objectContaining({ code: 'ROLE_FORBIDDEN' }),
      );
    }
    // One's own password stays one's own to change (the account page).
    const self = { ...hr, userId: admin.userId, role: 'HR' as const };
    await expect(users.setPassword(admin.userId, 'kata-sandi-baru-admin-1', self)).resolves.toBe(
      undefined,
    );
    expect(credentials.passwordState(admin.userId).changedAt).toBeGreaterThan(changed);
  });
});
