import { addDays } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import {
  confirmedCase,
  createTestApp,
  createUser,
  ELECTION,
  expectStatus,
  findingReport,
  nipFor,
  post,
  seedLedger,
  streamEvents,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import request from 'supertest';
import { Clock } from '../../../apps/ledger/src/common/clock';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';
import { CredentialsStore } from '../../../apps/ledger/src/identity/credentials.store';

/**
 * Rules of the write API (docs/write-api.md) that no other e2e spec drives over HTTP: each refusal with its
 * status, code and field, and writing nothing; Idempotency-Key on every write route not covered elsewhere;
 * one pakta out of many simultaneous submissions; a configured follow-up SLA; renaming an OPD.
 */
describe('write API rule coverage', () => {
  let t: TestApp;
  let admin: TestUser;
  let hr: TestUser;
  let bawaslu: TestUser;

  let nextNip = 8000;
  /** A valid PNS NIP no other test in this file uses. */
  const freshNip = () => nipFor((nextNip += 1));
  /** A valid PPPK NIP: born 1990-01-01, appointed 2021, code 21, gender 1, sequence `seq`. */
  const pppkNip = (seq: number) => `199001012021211${String(seq).padStart(3, '0')}`;

  const head = () => t.app.get(EventStore).headPosition();
  const today = () => t.app.get(Clock).today();
  const tomorrow = () => addDays(today(), 1);

  /** Runs a write and checks that the store's head did not move. */
  const writesNothing = async (write: () => request.Test): Promise<request.Response> => {
    const before = await head();
    const res = await write();
    expect(await head()).toBe(before);
    return res;
  };
  /** A 400 naming exactly one field with its rule code (in `details`: the body's own `code` is set for
   * domain rules only, not for those the DTO checks, such as the NIP's). */
  const expectInvalid = (res: request.Response, field: string, code: string) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details).toEqual([expect.objectContaining({ field, code })]);
  };
  const expectConflict = (res: request.Response, code: string) => {
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', code });
  };

  const enrol = async (
    nip: string,
    employmentType: 'PNS' | 'PPPK' = 'PNS',
    opdId = 'dinas-kesehatan',
  ) => {
    await expectStatus(
      post(t, hr, '/api/v1/asn', {
        nip,
        name: `ASN ${nip.slice(-4)}`,
        position: 'Pelaksana',
        employmentType,
        opdId,
      }),
      201,
    );
    return nip;
  };
  const registerOpd = (opdId: string, code: string) =>
    expectStatus(post(t, hr, '/api/v1/opds', { opdId, code, name: opdId, kind: 'BADAN' }), 201);
  const pledgeBody = (nip: string, over: object = {}) => ({
    electionId: ELECTION.electionId,
    nip,
    signedAt: '2024-09-20',
    place: 'Bangli',
    ...over,
  });
  /** A case reported and verified, ready for confirmation (confirmedCase goes one step further). */
  const verifiedCase = async (nip: string, actCode = 'N06'): Promise<string> => {
    const reported = await expectStatus(
      post(t, bawaslu, '/api/v1/cases', findingReport(nip, { actCode })),
      201,
    );
    const caseId = reported.body.caseId as string;
    await expectStatus(post(t, bawaslu, `/api/v1/cases/${caseId}/verification`, {}), 200);
    return caseId;
  };
  const sanctionBody = (over: object = {}) => ({
    track: 'DISCIPLINE',
    kind: 'TEGURAN_TERTULIS',
    decreeNumber: '800/5/2024',
    decidedBy: 'Bupati Bangli',
    decidedAt: today(),
    effectiveFrom: today(),
    ...over,
  });
  const sanction = (caseId: string, over: object = {}) =>
    post(t, hr, `/api/v1/cases/${caseId}/sanctions`, sanctionBody(over));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    await seedLedger(t, { admin, hr });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('elections', () => {
    it('refuses monitoring that starts after voting day (400 naming monitoringFrom), writing nothing', async () => {
      const res = await writesNothing(() =>
        post(t, admin, '/api/v1/elections', {
          electionId: 'pemilu-2029',
          name: 'Pemilu 2029',
          kind: 'PEMILU',
          votingDay: '2029-02-14',
          monitoringFrom: '2029-02-20',
          monitoringUntil: '2029-03-01',
        }),
      );
      expectInvalid(res, 'monitoringFrom', 'MONITORING_AFTER_VOTING');
    });
  });

  describe('registry', () => {
    it.each([
      ['a TMT CPNS at age 10', '199003122000011002', 'NIP_APPOINTMENT'],
      ['month 00 in digits 13–14', '198503122010001002', 'NIP_APPOINTMENT'],
      ['sequence 000 (PNS)', '198503122010011000', 'NIP_SEQUENCE'],
      ['sequence 000 (PPPK)', pppkNip(0), 'NIP_SEQUENCE'],
    ])('refuses a NIP with %s (400 naming nip), writing nothing', async (_what, nip, code) => {
      const res = await writesNothing(() =>
        post(t, hr, '/api/v1/asn', {
          nip,
          name: 'ASN Salah Ketik',
          position: 'Pelaksana',
          employmentType: 'PNS',
          opdId: 'dinas-kesehatan',
        }),
      );
      expectInvalid(res, 'nip', code);
    });

    it('refuses to transfer an ASN to the OPD they are already in (409), writing nothing', async () => {
      const nip = await enrol(freshNip());
      const res = await writesNothing(() =>
        post(t, hr, `/api/v1/asn/${nip}/transfer`, { toOpdId: 'dinas-kesehatan' }),
      );
      expectConflict(res, 'ASN_ALREADY_IN_OPD');
      expect(res.body.message).toContain('dinas-kesehatan');
      expect((await streamEvents(t, `asn-${nip}`)).map((e) => e.type)).toEqual(['AsnEnrolled']);
    });

    it('renames an OPD, recording the previous name; the compliance read shows the new one', async () => {
      await registerOpd('badan-arsip', '4.04.01');
      const res = await post(t, hr, '/api/v1/opds/badan-arsip/renaming', {
        name: 'Dinas Perpustakaan dan Kearsipan',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ opdId: 'badan-arsip', position: expect.stringMatching(/^\d+$/) });
      const last = (await streamEvents(t, 'opd-badan-arsip')).at(-1)!;
      expect(last.type).toBe('OpdRenamed');
      expect(last.data).toEqual({
        opdId: 'badan-arsip',
        name: 'Dinas Perpustakaan dan Kearsipan',
        previousName: 'badan-arsip',
      });
      expect(last.position).toBe(BigInt(res.body.position));
      const row = await request(t.server)
        .get(
          `/api/v1/opds/badan-arsip/compliance?electionId=${ELECTION.electionId}&minPosition=${res.body.position}`,
        )
        .set('Authorization', hr.auth);
      expect(row.status).toBe(200);
      expect(row.body).toMatchObject({
        opdId: 'badan-arsip',
        opdName: 'Dinas Perpustakaan dan Kearsipan',
        opdCode: '4.04.01',
      });
      // The same name again changes nothing.
      const again = await writesNothing(() =>
        post(t, hr, '/api/v1/opds/badan-arsip/renaming', {
          name: 'Dinas Perpustakaan dan Kearsipan',
        }),
      );
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ opdId: 'badan-arsip', position: null });
    });
  });

  describe('pledges', () => {
    it('refuses an unknown pakta text version (400 naming textVersion), writing nothing; v1 is accepted', async () => {
      const nip = await enrol(freshNip());
      const res = await writesNothing(() =>
        post(t, hr, '/api/v1/pledges', pledgeBody(nip, { textVersion: 'v99' })),
      );
      expectInvalid(res, 'textVersion', 'PAKTA_TEXT_UNKNOWN');
      expect(res.body.details[0].reason).toContain('v99');
      await expectStatus(
        post(t, hr, '/api/v1/pledges', pledgeBody(nip, { textVersion: 'v1' })),
        201,
      );
    });

    it('records exactly one of 20 simultaneous pakta for one ASN; the rest are 409 PLEDGE_ALREADY_SIGNED', async () => {
      const nip = await enrol(freshNip());
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(t, hr, '/api/v1/pledges', pledgeBody(nip, { place: `Bangli ${i}` })),
        ),
      );
      const won = results.filter((r) => r.status === 201);
      const refused = results.filter((r) => r.status !== 201);
      expect(won).toHaveLength(1);
      expect(refused).toHaveLength(19);
      for (const res of refused) {
        expectConflict(res, 'PLEDGE_ALREADY_SIGNED');
      }
      const events = await streamEvents(t, `pledge-${ELECTION.electionId}-${nip}`);
      expect(events.map((e) => e.type)).toEqual(['PledgeSigned']);
      expect(events[0].position).toBe(BigInt(won[0].body.position));
    });
  });

  describe('cases', () => {
    it('refuses an act dated tomorrow in the regency (400 naming occurredAt), writing nothing', async () => {
      const nip = await enrol(freshNip());
      const res = await writesNothing(() =>
        post(t, bawaslu, '/api/v1/cases', findingReport(nip, { occurredAt: tomorrow() })),
      );
      expectInvalid(res, 'occurredAt', 'OCCURRED_AT_IN_FUTURE');
      await expectStatus(
        post(t, bawaslu, '/api/v1/cases', findingReport(nip, { occurredAt: today() })),
        201,
      );
    });

    it('refuses a confirmation without any recommendation (400 naming recommendation), writing nothing', async () => {
      const caseId = await verifiedCase(await enrol(freshNip()));
      const res = await writesNothing(() =>
        post(t, bawaslu, `/api/v1/cases/${caseId}/confirmation`, {
          findings: 'Terbukti',
          authority: 'BKN',
          recommendation: {},
        }),
      );
      expectInvalid(res, 'recommendation', 'RECOMMENDATION_REQUIRED');
    });

    describe('an ethics-only act (E01)', () => {
      let caseId: string;

      beforeAll(async () => {
        caseId = await verifiedCase(await enrol(freshNip()), 'E01');
      });

      it('refuses a discipline recommendation at confirmation (400 naming recommendation.discipline)', async () => {
        const res = await writesNothing(() =>
          post(t, bawaslu, `/api/v1/cases/${caseId}/confirmation`, {
            findings: 'Terbukti ikut kampanye',
            authority: 'KASN',
            recommendation: { ethics: 'MORAL_TERBUKA', discipline: 'RINGAN' },
          }),
        );
        expectInvalid(res, 'recommendation.discipline', 'ACT_ETHICS_ONLY');
        expect(res.body.message).toContain('E01');
      });

      it('refuses any discipline or dismissal sanction (409), and takes the ethics one', async () => {
        await expectStatus(
          post(t, bawaslu, `/api/v1/cases/${caseId}/confirmation`, {
            findings: 'Terbukti ikut kampanye',
            authority: 'KASN',
            recommendation: { ethics: 'MORAL_TERBUKA' },
          }),
          200,
        );
        for (const over of [
          { track: 'DISCIPLINE', kind: 'TEGURAN_LISAN' },
          { track: 'DISMISSAL', kind: 'PTDH', legalBasis: 'UU 20/2023 Pasal 52' },
        ]) {
          const res = await writesNothing(() => sanction(caseId, over));
          expectConflict(res, 'ACT_ETHICS_ONLY');
          expect(res.body.message).toContain('E01');
        }
        await expectStatus(sanction(caseId, { track: 'ETHICS', kind: 'MORAL_TERBUKA' }), 201);
      });
    });

    describe('sanctions by employment type', () => {
      it('refuses ending a PPPK contract of a PNS (409 NOT_PPPK); PDHTAPS is theirs', async () => {
        const { caseId } = await confirmedCase(t, bawaslu, {
          nip: await enrol(freshNip()),
          recommendation: { discipline: 'BERAT' },
        });
        const res = await writesNothing(() =>
          sanction(caseId, { track: 'DISMISSAL', kind: 'PPPK_PUTUS_KONTRAK' }),
        );
        expectConflict(res, 'NOT_PPPK');
        await expectStatus(sanction(caseId, { kind: 'PDHTAPS' }), 201);
      });

      it('refuses PDHTAPS for a PPPK (409 NOT_PNS); ending the contract is theirs', async () => {
        const { caseId } = await confirmedCase(t, bawaslu, {
          nip: await enrol(pppkNip(1), 'PPPK'),
          recommendation: { discipline: 'BERAT' },
        });
        const res = await writesNothing(() => sanction(caseId, { kind: 'PDHTAPS' }));
        expectConflict(res, 'NOT_PNS');
        expect(res.body.message).toContain('PPPK_PUTUS_KONTRAK');
        await expectStatus(
          sanction(caseId, { track: 'DISMISSAL', kind: 'PPPK_PUTUS_KONTRAK' }),
          201,
        );
      });

      it('ends a PPPK contract for a sedang act only with its legal basis (400 naming legalBasis)', async () => {
        const { caseId } = await confirmedCase(t, bawaslu, {
          nip: await enrol(pppkNip(2), 'PPPK'),
          actCode: 'N03',
          recommendation: { discipline: 'SEDANG' },
        });
        const end = { track: 'DISMISSAL', kind: 'PPPK_PUTUS_KONTRAK' };
        const res = await writesNothing(() => sanction(caseId, end));
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([
          expect.objectContaining({
            field: 'legalBasis',
            code: 'PPPK_TERMINATION_NOT_ALLOWED',
            reason: expect.stringContaining('N03 (pelanggaran tingkat sedang)'),
          }),
        ]);
        await expectStatus(sanction(caseId, { ...end, legalBasis: 'Putusan PTUN 5/2024' }), 201);
      });
    });

    describe('sanction dates and kinds', () => {
      let caseId: string;

      beforeAll(async () => {
        ({ caseId } = await confirmedCase(t, bawaslu, {
          nip: await enrol(freshNip()),
          recommendation: { discipline: 'RINGAN' },
        }));
      });

      it.each([
        ['a kind not in PP 94/2021', { kind: 'HUKUMAN_CAMBUK' }, 'kind', 'SANCTION_UNKNOWN'],
        [
          'an end before its start',
          () => ({ effectiveFrom: today(), effectiveUntil: addDays(today(), -1) }),
          'effectiveUntil',
          'DATE_ORDER',
        ],
        [
          'a decree dated tomorrow',
          () => ({ decidedAt: tomorrow() }),
          'decidedAt',
          'DECIDED_AT_IN_FUTURE',
        ],
      ])('refuses %s (400 naming the field), writing nothing', async (_what, over, field, code) => {
        const res = await writesNothing(() =>
          sanction(caseId, typeof over === 'function' ? over() : over),
        );
        expectInvalid(res, field, code);
      });

      it('still takes the sanction once the fields are right', async () => {
        await expectStatus(sanction(caseId, { effectiveUntil: addDays(today(), 30) }), 201);
      });
    });

    it('sets followUpDueBy to the confirmation day plus the default 30 days', async () => {
      const { caseId, position } = await confirmedCase(t, bawaslu, {
        nip: await enrol(freshNip()),
        recommendation: { ethics: 'MORAL_TERTUTUP' },
      });
      const res = await request(t.server)
        .get(`/api/v1/cases/${caseId}?minPosition=${position}`)
        .set('Authorization', hr.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        followUpDueBy: addDays(today(), 30),
        sla: { clock: 'FOLLOW_UP', dueBy: addDays(today(), 30) },
      });
    });
  });

  describe('Idempotency-Key on every write route', () => {
    type Variant = 'first' | 'other';
    interface IdempotentRoute {
      route: string;
      status: number;
      /** Writes what the route needs, then returns how to send the request (`other`: another body). */
      prepare: () => Promise<(variant: Variant) => request.Test>;
      /** What a second run would change; the store's head unless the route writes elsewhere. */
      snapshot?: () => Promise<unknown>;
    }
    const json =
      (user: () => TestUser, path: string, first: object, other: object) => (variant: Variant) =>
        post(t, user(), path, variant === 'first' ? first : other);
    const pledged = async () => {
      const nip = await enrol(freshNip());
      await expectStatus(post(t, hr, '/api/v1/pledges', pledgeBody(nip)), 201);
      return nip;
    };
    const issuedCertificate = async (): Promise<string> => {
      const nip = await pledged();
      await t.app.get(ReadSide).ready(String(await head()));
      const res = await expectStatus(
        post(t, hr, '/api/v1/certificates', {
          subjectType: 'ASN',
          subjectId: nip,
          electionId: ELECTION.electionId,
        }),
        201,
      );
      return res.body.certificateId as string;
    };
    let userId: string;

    const routes: IdempotentRoute[] = [
      {
        route: 'POST /elections',
        status: 201,
        prepare: async () =>
          json(
            () => admin,
            '/api/v1/elections',
            { ...ELECTION, electionId: 'pilkada-ulang-2024' },
            { ...ELECTION, electionId: 'pilkada-ulang-2024', name: 'Pilkada Ulang' },
          ),
      },
      {
        route: 'POST /opds',
        status: 201,
        prepare: async () =>
          json(
            () => hr,
            '/api/v1/opds',
            { opdId: 'badan-idem', code: '6.01.01', name: 'Badan Idem', kind: 'BADAN' },
            { opdId: 'badan-idem', code: '6.01.01', name: 'Badan Lain', kind: 'BADAN' },
          ),
      },
      {
        route: 'POST /opds/:opdId/head',
        status: 200,
        prepare: async () => {
          await registerOpd('dinas-kepala-idem', '6.02.01');
          const [first, other] = [freshNip(), freshNip()];
          await enrol(first, 'PNS', 'dinas-kepala-idem');
          await enrol(other, 'PNS', 'dinas-kepala-idem');
          return json(
            () => hr,
            '/api/v1/opds/dinas-kepala-idem/head',
            { nip: first },
            { nip: other },
          );
        },
      },
      {
        route: 'POST /opds/:opdId/renaming',
        status: 200,
        prepare: async () => {
          await registerOpd('dinas-nama-idem', '6.03.01');
          return json(
            () => hr,
            '/api/v1/opds/dinas-nama-idem/renaming',
            { name: 'Dinas Nama Baru' },
            { name: 'Dinas Nama Lain' },
          );
        },
      },
      {
        route: 'POST /opds/:opdId/dissolution',
        status: 200,
        prepare: async () => {
          await registerOpd('dinas-bubar-idem', '6.04.01');
          return json(
            () => hr,
            '/api/v1/opds/dinas-bubar-idem/dissolution',
            { reason: 'Digabung' },
            { reason: 'Dihapus' },
          );
        },
      },
      {
        route: 'POST /opds/import',
        status: 200,
        prepare: async () => {
          const csv = (name: string) =>
            `Kode OPD,Nama OPD,Jenis,ID OPD\n6.05.01,${name},Badan,badan-impor-idem\n`;
          return (variant) =>
            request(t.server)
              .post('/api/v1/opds/import')
              .set('Authorization', hr.auth)
              .attach(
                'file',
                Buffer.from(csv(variant === 'first' ? 'Badan Impor' : 'Badan Impor Lain')),
                'opd.csv',
              );
        },
      },
      {
        route: 'POST /asn/:nip/transfer',
        status: 200,
        prepare: async () =>
          json(
            () => hr,
            `/api/v1/asn/${await enrol(freshNip())}/transfer`,
            { toOpdId: 'dinas-pendidikan' },
            { toOpdId: 'badan-arsip' },
          ),
      },
      {
        route: 'POST /asn/:nip/details',
        status: 200,
        prepare: async () =>
          json(
            () => hr,
            `/api/v1/asn/${await enrol(freshNip())}/details`,
            { position: 'Analis Kepegawaian', reason: 'SK Bupati 821/9/2024' },
            { position: 'Pranata Komputer', reason: 'SK Bupati 821/9/2024' },
          ),
      },
      {
        route: 'POST /asn/:nip/departure',
        status: 200,
        prepare: async () =>
          json(
            () => hr,
            `/api/v1/asn/${await enrol(freshNip())}/departure`,
            { reason: 'Pensiun' },
            { reason: 'Meninggal dunia' },
          ),
      },
      {
        route: 'POST /pledges',
        status: 201,
        prepare: async () => {
          const nip = await enrol(freshNip());
          return json(
            () => hr,
            '/api/v1/pledges',
            pledgeBody(nip),
            pledgeBody(nip, { place: 'Kintamani' }),
          );
        },
      },
      {
        route: 'POST /pledges/:electionId/:nip/voiding',
        status: 200,
        prepare: async () =>
          json(
            () => hr,
            `/api/v1/pledges/${ELECTION.electionId}/${await pledged()}/voiding`,
            { reason: 'Tanda tangan bukan milik ASN' },
            { reason: 'Salah tanggal' },
          ),
      },
      {
        route: 'POST /cases',
        status: 201,
        prepare: async () => {
          const nip = await enrol(freshNip());
          return json(
            () => bawaslu,
            '/api/v1/cases',
            findingReport(nip),
            findingReport(nip, { summary: 'Laporan lain' }),
          );
        },
      },
      {
        route: 'POST /cases/:caseId/verification',
        status: 200,
        prepare: async () => {
          const nip = await enrol(freshNip());
          const reported = await expectStatus(
            post(t, bawaslu, '/api/v1/cases', findingReport(nip)),
            201,
          );
          return json(
            () => bawaslu,
            `/api/v1/cases/${reported.body.caseId}/verification`,
            {},
            { note: 'Klarifikasi' },
          );
        },
      },
      {
        route: 'POST /cases/:caseId/confirmation',
        status: 200,
        prepare: async () =>
          json(
            () => bawaslu,
            `/api/v1/cases/${await verifiedCase(await enrol(freshNip()))}/confirmation`,
            { findings: 'Terbukti', authority: 'BKN', recommendation: { discipline: 'SEDANG' } },
            { findings: 'Terbukti', authority: 'BKN', recommendation: { discipline: 'BERAT' } },
          ),
      },
      {
        route: 'POST /cases/:caseId/dismissal',
        status: 200,
        prepare: async () =>
          json(
            () => bawaslu,
            `/api/v1/cases/${await verifiedCase(await enrol(freshNip()))}/dismissal`,
            { reason: 'Tidak cukup bukti' },
            { reason: 'Pelapor mencabut laporan' },
          ),
      },
      {
        route: 'POST /cases/:caseId/sanctions',
        status: 201,
        prepare: async () => {
          const { caseId } = await confirmedCase(t, bawaslu, {
            nip: await enrol(freshNip()),
            recommendation: { discipline: 'RINGAN' },
          });
          return json(
            () => hr,
            `/api/v1/cases/${caseId}/sanctions`,
            sanctionBody(),
            sanctionBody({ kind: 'TEGURAN_LISAN' }),
          );
        },
      },
      {
        route: 'POST /users',
        status: 201,
        prepare: async () => {
          const user = {
            username: 'hr.idem',
            displayName: 'HR Idem',
            password: 'sandi-idem-yang-panjang',
            role: 'HR',
          };
          return json(() => admin, '/api/v1/users', user, { ...user, displayName: 'HR Lain' });
        },
      },
      {
        route: 'POST /users/:userId/role',
        status: 200,
        prepare: async () =>
          json(
            () => admin,
            `/api/v1/users/${(await createUser(t, 'BAWASLU')).userId}/role`,
            { role: 'HR' },
            { role: 'ADMIN' },
          ),
      },
      {
        route: 'POST /users/:userId/password',
        status: 200,
        prepare: async () => {
          userId = (await createUser(t, 'BAWASLU')).userId;
          return json(
            () => admin,
            `/api/v1/users/${userId}/password`,
            { password: 'kata-sandi-baru-2025' },
            { password: 'kata-sandi-lain-2025' },
          );
        },
        // A new password is no event: a second run would show as a later change in the credentials.
        snapshot: async () => t.app.get(CredentialsStore).passwordState(userId).changedAt,
      },
      {
        route: 'POST /users/:userId/deactivation',
        status: 200,
        prepare: async () =>
          json(
            () => admin,
            `/api/v1/users/${(await createUser(t, 'BAWASLU')).userId}/deactivation`,
            { reason: 'Pindah tugas' },
            { reason: 'Pensiun' },
          ),
      },
      {
        route: 'POST /certificates',
        status: 201,
        prepare: async () => {
          const [first, other] = [await pledged(), await pledged()];
          await t.app.get(ReadSide).ready(String(await head()));
          const body = (nip: string) => ({
            subjectType: 'ASN',
            subjectId: nip,
            electionId: ELECTION.electionId,
          });
          return json(() => hr, '/api/v1/certificates', body(first), body(other));
        },
      },
      {
        route: 'POST /certificates/:certificateId/revocation',
        status: 200,
        prepare: async () =>
          json(
            () => hr,
            `/api/v1/certificates/${await issuedCertificate()}/revocation`,
            { reason: 'Data cakupan keliru' },
            { reason: 'Diterbitkan ganda' },
          ),
      },
    ];

    it.each(routes)(
      '$route replays the first answer and refuses the key for another body',
      async ({ route, status, prepare, snapshot = head }) => {
        const send = await prepare();
        const key = `idem-${route.replace(/[^a-z]+/gi, '-')}`;
        const first = await send('first').set('Idempotency-Key', key);
        expect(first.status).toBe(status);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        const written = await snapshot();

        const again = await send('first').set('Idempotency-Key', key);
        expect(again.status).toBe(status);
        expect(again.body).toEqual(first.body);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(await snapshot()).toEqual(written);

        const other = await send('other').set('Idempotency-Key', key);
        expectConflict(other, 'IDEMPOTENCY_KEY_REUSED');
        expect(await snapshot()).toEqual(written);
      },
    );
  });
});

describe('configured follow-up SLA', () => {
  let t: TestApp;
  let bawaslu: TestUser;
  let hr: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  beforeAll(async () => {
    t = await createTestApp({ NETRAL_SLA_FOLLOW_UP_DAYS: '10' });
    const admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr });
  });

  afterAll(async () => {
    await t.close();
  });

  it('sets followUpDueBy to the confirmation day plus NETRAL_SLA_FOLLOW_UP_DAYS', async () => {
    expect(t.config.sla.followUpDays).toBe(10);
    const { caseId, position } = await confirmedCase(t, bawaslu, {
      nip: roster['dinas-kesehatan'].staff[0],
      recommendation: { discipline: 'SEDANG' },
    });
    const dueBy = addDays(t.app.get(Clock).today(), 10);
    const [, , confirmed] = await streamEvents(t, `case-${caseId}`);
    expect(confirmed).toMatchObject({ type: 'ViolationConfirmed', data: { followUpDueBy: dueBy } });
    const res = await request(t.server)
      .get(`/api/v1/cases/${caseId}?minPosition=${position}`)
      .set('Authorization', hr.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      caseId,
      status: 'CONFIRMED',
      followUpDueBy: dueBy,
      sla: { clock: 'FOLLOW_UP', dueBy, overdue: false },
    });
  });
});
