import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  ELECTION,
  expectStatus,
  findingReport,
  nipFor,
  post,
  postRaw,
  seedLedger,
  type TestApp,
  type TestUser,
  streamEvents,
  tempDir,
} from '@netral/testing';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Clock } from '../../../apps/ledger/src/common/clock';
import {
  IdempotencyGate,
  type IdempotentRequest,
} from '../../../apps/ledger/src/common/idempotency/idempotency.gate';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';

describe('write API', () => {
  let t: TestApp;
  let admin: TestUser;
  let hr: TestUser;
  let bawaslu: TestUser;
  let head: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  const head_ = () => t.app.get(EventStore).headPosition();
  const streamOf = (stream: string) => streamEvents(t, stream);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr });
    head = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-kesehatan' });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('elections', () => {
    it('schedules an election, answering its position, with who did it in the metadata', async () => {
      const res = await post(t, admin, '/api/v1/elections', {
        ...ELECTION,
        electionId: 'pemilu-2029',
      }).set('X-Correlation-Id', 'korelasi-pemilu-2029');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        electionId: 'pemilu-2029',
        position: expect.stringMatching(/^\d+$/),
      });
      const [event] = await streamOf('election-pemilu-2029');
      expect(event.position).toBe(BigInt(res.body.position));
      expect(event.data).toMatchObject({ regionCode: '51.06' });
      expect(event.metadata).toMatchObject({
        actorId: admin.userId,
        actorRole: 'ADMIN',
        correlationId: 'korelasi-pemilu-2029',
        schemaVersion: 1,
      });
    });

    it('answers 409 for an election that exists', async () => {
      const res = await post(t, admin, '/api/v1/elections', ELECTION);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ELECTION_ALREADY_EXISTS');
    });

    it('lists every bad field at once and writes nothing', async () => {
      const before = await head_();
      const res = await post(t, admin, '/api/v1/elections', {
        electionId: 'Pilkada 2024!',
        name: '',
        kind: 'PILPRES',
        votingDay: '2024-02-30',
        monitoringFrom: 20240925,
        monitoringUntil: null,
        bonus: true,
      });
      expect(res.status).toBe(400);
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'electionId',
          'name',
          'kind',
          'votingDay',
          'monitoringFrom',
          'monitoringUntil',
          'bonus',
        ]),
      );
      expect(res.body.details.find((d: { field: string }) => d.field === 'votingDay').code).toBe(
        'DATE_INVALID',
      );
      expect(await head_()).toBe(before);
    });

    it('refuses monitoring that ends before voting', async () => {
      const res = await post(t, admin, '/api/v1/elections', {
        ...ELECTION,
        electionId: 'pilkada-x',
        monitoringUntil: '2024-11-01',
      });
      expect(res.status).toBe(400);
      expect(res.body.details[0]).toMatchObject({
        field: 'monitoringUntil',
        code: 'MONITORING_BEFORE_VOTING',
      });
    });
  });

  describe('registry', () => {
    it('answers a NIP problem with its reason code', async () => {
      for (const [nip, code] of [
        ['1985031220100110', 'NIP_FORMAT'],
        ['198502302010011002', 'NIP_BIRTH_DATE'],
        ['201005012005011002', 'NIP_BIRTH_AFTER_APPOINTMENT'],
        ['198503122010013002', 'NIP_GENDER'],
      ]) {
        const res = await post(t, hr, '/api/v1/asn', {
          nip,
          name: 'X',
          position: 'Y',
          employmentType: 'PNS',
          opdId: 'dinas-kesehatan',
        });
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'nip', code })]);
      }
      // Sent as a number, the NIP has already lost its last digits: the answer says to quote it.
      const number = await postRaw(
        t,
        hr,
        '/api/v1/asn',
        { 'Content-Type': 'application/json' },
        '{"nip": 198503122010011002, "name": "X", "position": "Y", "employmentType": "PNS", "opdId": "dinas-kesehatan"}',
      );
      expect(number.body.details).toEqual([
        expect.objectContaining({
          field: 'nip',
          code: 'NIP_FORMAT',
          reason: expect.stringContaining('tulis NIP sebagai teks dalam tanda kutip') as string,
        }),
      ]);
    });

    it('refuses a duplicate ASN, an unknown OPD, and a head from another OPD', async () => {
      const nip = roster['dinas-kesehatan'].staff[0];
      expect(
        (
          await post(t, hr, '/api/v1/asn', {
            nip,
            name: 'X',
            position: 'Y',
            employmentType: 'PNS',
            opdId: 'dinas-kesehatan',
          })
        ).body.code,
      ).toBe('ASN_ALREADY_ENROLLED');
      const unknown = await post(t, hr, '/api/v1/asn', {
        nip: nipFor(9001),
        name: 'X',
        position: 'Y',
        employmentType: 'PNS',
        opdId: 'dinas-tidak-ada',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('OPD_NOT_FOUND');
      const wrongHead = await post(t, hr, '/api/v1/opds/dinas-pendidikan/head', { nip });
      expect(wrongHead.status).toBe(409);
      expect(wrongHead.body.code).toBe('ASN_NOT_IN_OPD');
    });

    it('refuses an OPD whose parent does not exist, and a second OPD with the same id', async () => {
      const orphan = await post(t, hr, '/api/v1/opds', {
        opdId: 'bagian-umum',
        code: '4.01.01',
        name: 'Bagian Umum',
        kind: 'LAINNYA',
        parentOpdId: 'tidak-ada',
      });
      expect(orphan.status).toBe(404);
      expect(orphan.body.code).toBe('PARENT_OPD_NOT_FOUND');
      const again = await post(t, hr, '/api/v1/opds', {
        opdId: 'dinas-kesehatan',
        code: '1',
        name: 'X',
        kind: 'DINAS',
      });
      expect(again.body.code).toBe('OPD_ALREADY_EXISTS');
    });

    it('transfers an ASN and records a departure', async () => {
      const nip = nipFor(7001);
      await expectStatus(
        post(t, hr, '/api/v1/asn', {
          nip,
          name: 'Ni Luh Sari',
          position: 'Perawat',
          employmentType: 'PPPK',
          opdId: 'dinas-kesehatan',
        }),
        201,
      );
      const moved = await post(t, hr, `/api/v1/asn/${nip}/transfer`, {
        toOpdId: 'dinas-pendidikan',
      });
      expect(moved.status).toBe(200);
      const left = await post(t, hr, `/api/v1/asn/${nip}/departure`, { reason: 'Pensiun' });
      expect(left.status).toBe(200);
      expect(
        (await post(t, hr, `/api/v1/asn/${nip}/departure`, { reason: 'lagi' })).body.code,
      ).toBe('ASN_LEFT');
      // Only the record of one who has left can still change: a misspelt name is corrected.
      const corrected = await post(t, hr, `/api/v1/asn/${nip}/details`, {
        name: 'Ni Luh Sari Dewi',
        reason: 'salah ketik',
      });
      expect(corrected.status).toBe(200);
      expect(
        (await post(t, hr, `/api/v1/asn/${nip}/transfer`, { toOpdId: 'dinas-kesehatan' })).body
          .code,
      ).toBe('ASN_LEFT');
      expect((await streamOf(`asn-${nip}`)).map((e) => e.type)).toEqual([
        'AsnEnrolled',
        'AsnTransferred',
        'AsnLeft',
        'AsnDetailsChanged',
      ]);
      const read = t.app.get(ReadSide);
      expect(await read.runner.waitFor(BigInt(corrected.body.position), 5000)).toBe(true);
      expect(read.unscoped.asn(nip)).toMatchObject({ name: 'Ni Luh Sari Dewi', status: 'LEFT' });
    });
    describe('changing an ASN’s name or position', () => {
      const nip = nipFor(7111);
      const details = (body: object) => post(t, hr, `/api/v1/asn/${nip}/details`, body);
      beforeAll(async () => {
        await expectStatus(
          post(t, hr, '/api/v1/asn', {
            nip,
            name: 'I Wayan Sudarma',
            position: 'Pranata Komputer',
            employmentType: 'PNS',
            opdId: 'dinas-kesehatan',
          }),
          201,
        );
      });

      it('records the new position next to the old one, with the reason and who did it', async () => {
        const res = await details({
          position: 'Kepala Seksi Data',
          reason: 'SK Bupati 821/77/2024',
        }).set('X-Correlation-Id', 'korelasi-jabatan-7111');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ nip, position: expect.stringMatching(/^\d+$/) });
        const last = (await streamOf(`asn-${nip}`)).at(-1)!;
        expect(last.type).toBe('AsnDetailsChanged');
        expect(last.data).toEqual({
          nip,
          name: 'I Wayan Sudarma',
          position: 'Kepala Seksi Data',
          previous: { name: 'I Wayan Sudarma', position: 'Pranata Komputer' },
          reason: 'SK Bupati 821/77/2024',
          changedAt: expect.any(String),
        });
        expect(last.metadata).toMatchObject({
          actorId: hr.userId,
          actorRole: 'HR',
          correlationId: 'korelasi-jabatan-7111',
        });
        // The registry read model (what the pages and certificates show) follows.
        const read = t.app.get(ReadSide);
        expect(await read.runner.waitFor(BigInt(res.body.position), 5000)).toBe(true);
        expect(read.unscoped.asn(nip)).toMatchObject({
          name: 'I Wayan Sudarma',
          position: 'Kepala Seksi Data',
        });
      });

      it('a change that changes nothing is a 409, and writes nothing', async () => {
        const before = await head_();
        const res = await details({ position: 'Kepala Seksi Data', reason: 'lagi' });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('ASN_DETAILS_UNCHANGED');
        expect(await head_()).toBe(before);
      });

      it('names every bad field: neither name nor position, a blank reason', async () => {
        const before = await head_();
        const res = await details({ reason: '' });
        expect(res.status).toBe(400);
        const details_ = res.body.details as { field: string; reason: string }[];
        expect([...new Set(details_.map((d) => d.field))].sort()).toEqual([
          'name',
          'position',
          'reason',
        ]);
        for (const field of ['name', 'position']) {
          expect(details_).toContainEqual(
            expect.objectContaining({
              field,
              reason: 'isi nama atau jabatan baru (paling tidak salah satu)',
            }),
          );
        }
        expect((await details({ name: '', reason: 'x' })).body.details).toEqual([
          expect.objectContaining({ field: 'name' }),
        ]);
        expect(await head_()).toBe(before);
      });

      it('an unknown NIP is a 404', async () => {
        const res = await post(t, hr, `/api/v1/asn/${nipFor(7119)}/details`, {
          name: 'Siapa',
          reason: 'uji',
        });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('ASN_NOT_FOUND');
      });
    });
  });

  describe('pledges', () => {
    const pledge = (nip: string, over: object = {}) => ({
      electionId: 'pilkada-2024',
      nip,
      signedAt: '2024-09-20',
      place: 'Bangli',
      ...over,
    });

    it('lets an OPD head sign their own pledge, recorded as the head, with the text hash', async () => {
      const nip = roster['dinas-kesehatan'].head;
      const res = await post(
        t,
        head,
        '/api/v1/pledges',
        pledge(nip, { witnesses: ['Ketua Bawaslu Kabupaten Bangli'] }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ electionId: 'pilkada-2024', nip, position: expect.any(String) });
      const [event] = await streamOf(`pledge-pilkada-2024-${nip}`);
      expect(event.data).toMatchObject({
        role: 'OPD_HEAD',
        opdId: 'dinas-kesehatan',
        textVersion: 'v1',
        textSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        submittedBy: head.userId,
        late: false,
      });
      expect(event.metadata).toMatchObject({ actorRole: 'OPD_HEAD', opdId: 'dinas-kesehatan' });
    });

    it('answers a second pledge with 409 PLEDGE_ALREADY_SIGNED', async () => {
      const nip = roster['dinas-kesehatan'].head;
      const res = await post(t, head, '/api/v1/pledges', pledge(nip));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('PLEDGE_ALREADY_SIGNED');
    });

    it('names each witness that is not a name, by its place in the list, writing nothing', async () => {
      const before = await head_();
      const res = await post(
        t,
        hr,
        '/api/v1/pledges',
        pledge(roster['dinas-kesehatan'].staff[0], {
          witnesses: ['Ketua Bawaslu Kabupaten Bangli', 7, '   ', 'x'.repeat(201)],
        }),
      );
      expect(res.status).toBe(400);
      expect(
        res.body.details.map((p: { field: string; code: string }) => `${p.field}:${p.code}`),
      ).toEqual(['witnesses.1:isString', 'witnesses.2:isNotEmpty', 'witnesses.3:maxLength']);
      expect(await head_()).toBe(before);
    });

    it('marks a pledge signed after monitoring began as late', async () => {
      const nip = roster['dinas-kesehatan'].staff[0];
      await expectStatus(
        post(t, head, '/api/v1/pledges', pledge(nip, { signedAt: '2024-09-26T09:00:00+08:00' })),
        201,
      );
      const [event] = await streamOf(`pledge-pilkada-2024-${nip}`);
      expect(event.data).toMatchObject({ late: true, role: 'ASN' });
    });

    it('never lets an OPD head sign for another OPD, whatever the route', async () => {
      const before = await head_();
      const res = await post(
        t,
        head,
        '/api/v1/pledges',
        pledge(roster['dinas-pendidikan'].staff[0]),
      );
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('OPD_SCOPE');
      expect(await head_()).toBe(before);
    });

    it('refuses an unknown election, an unenrolled ASN and a future date', async () => {
      expect(
        (
          await post(
            t,
            hr,
            '/api/v1/pledges',
            pledge(roster['dinas-pendidikan'].staff[0], { electionId: 'pemilu-2099' }),
          )
        ).body.code,
      ).toBe('ELECTION_NOT_FOUND');
      expect((await post(t, hr, '/api/v1/pledges', pledge(nipFor(8123)))).body.code).toBe(
        'ASN_NOT_ACTIVE',
      );
      const future = await post(
        t,
        hr,
        '/api/v1/pledges',
        pledge(roster['dinas-pendidikan'].staff[1], { signedAt: '2999-01-01' }),
      );
      expect(future.status).toBe(400);
      expect(future.body.details[0]).toMatchObject({
        field: 'signedAt',
        code: 'SIGNED_AT_IN_FUTURE',
      });
    });

    it("dates by the regency's day: after midnight WITA, today is already tomorrow in UTC terms", async () => {
      // 01:30 WITA (Asia/Makassar, the default NETRAL_TIMEZONE) on 2 December; still 1 December in UTC.
      const nip = nipFor(7101);
      await expectStatus(
        post(t, hr, '/api/v1/asn', {
          nip,
          name: 'I Made Jaga Malam',
          position: 'Pelaksana',
          employmentType: 'PNS',
          opdId: 'dinas-pendidikan',
        }),
        201,
      );
      const res = await t.app
        .get(Clock)
        .at(new Date('2026-12-01T17:30:00Z'), () =>
          post(t, hr, '/api/v1/pledges', pledge(nip, { signedAt: '2026-12-02' })),
        );
      expect(res.status).toBe(201);
      const tomorrow = await t.app
        .get(Clock)
        .at(new Date('2026-12-01T17:30:00Z'), () =>
          post(
            t,
            hr,
            '/api/v1/pledges',
            pledge(roster['dinas-pendidikan'].staff[1], { signedAt: '2026-12-03' }),
          ),
        );
      expect(tomorrow.body.details[0]).toMatchObject({ code: 'SIGNED_AT_IN_FUTURE' });
    });

    it('lets HR void a pledge, after which it can be signed again', async () => {
      const nip = roster['dinas-pendidikan'].staff[2];
      await expectStatus(post(t, hr, '/api/v1/pledges', pledge(nip)), 201);
      await expectStatus(
        post(t, hr, `/api/v1/pledges/pilkada-2024/${nip}/voiding`, {
          reason: 'Tanda tangan bukan milik ASN',
        }),
        200,
      );
      await expectStatus(post(t, hr, '/api/v1/pledges', pledge(nip)), 201);
      expect(
        (await post(t, hr, `/api/v1/pledges/pilkada-2024/${nipFor(8124)}/voiding`, { reason: 'x' }))
          .body.code,
      ).toBe('PLEDGE_NOT_SIGNED');
      const unknown = await post(t, hr, `/api/v1/pledges/pilkada-2099/${nip}/voiding`, {
        reason: 'x',
      });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'ELECTION_NOT_FOUND']);
    });
  });

  describe('cases', () => {
    const reportBody = (nip: string, over: object = {}) =>
      findingReport(nip, {
        evidence: [{ sha256: 'a'.repeat(64), description: 'Tangkapan layar' }],
        ...over,
      });

    it('follows a case from report to two sanctions, each step a 409 out of order', async () => {
      const nip = roster['dinas-pendidikan'].staff[0];
      const reported = await post(t, bawaslu, '/api/v1/cases', reportBody(nip));
      expect(reported.status).toBe(201);
      const { caseId } = reported.body;
      expect(caseId).toMatch(/^K-\d{4}-[0-9A-Z]{8}$/);
      const early = await post(t, bawaslu, `/api/v1/cases/${caseId}/confirmation`, {
        findings: 'x',
        authority: 'BKN',
        recommendation: { discipline: 'BERAT' },
      });
      expect(early.status).toBe(409);
      expect(early.body.message).toContain('berstatus Dilaporkan');
      await expectStatus(
        post(t, bawaslu, `/api/v1/cases/${caseId}/verification`, { note: 'Klarifikasi dilakukan' }),
        200,
      );
      await expectStatus(
        post(t, bawaslu, `/api/v1/cases/${caseId}/confirmation`, {
          findings: 'Terbukti',
          authority: 'BKN',
          recommendation: { ethics: 'MORAL_TERBUKA', discipline: 'BERAT' },
        }),
        200,
      );
      const sanction = {
        track: 'DISCIPLINE',
        kind: 'TURUN_JABATAN_12',
        decreeNumber: '800/1/2024',
        decidedBy: 'Bupati Bangli',
        // The decree follows the confirmation, made today.
        decidedAt: t.app.get(Clock).today(),
        effectiveFrom: t.app.get(Clock).today(),
      };
      await expectStatus(post(t, hr, `/api/v1/cases/${caseId}/sanctions`, sanction), 201);
      await expectStatus(
        post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
          ...sanction,
          track: 'ETHICS',
          kind: 'MORAL_TERBUKA',
        }),
        201,
      );
      const third = await post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
        ...sanction,
        kind: 'JADI_PELAKSANA_12',
      });
      expect(third.body.code).toBe('SANCTION_ALREADY_IMPOSED');
      const dismiss = await post(t, bawaslu, `/api/v1/cases/${caseId}/dismissal`, { reason: 'x' });
      expect(dismiss.status).toBe(409);
      expect((await streamOf(`case-${caseId}`)).map((e) => e.type)).toEqual([
        'ViolationReported',
        'CaseVerified',
        'ViolationConfirmed',
        'SanctionImposed',
        'SanctionImposed',
      ]);
    });

    it("refuses an unknown act, a wrong sanction track, PTDH outside N05 and a level outside the act's", async () => {
      const nip = roster['dinas-pendidikan'].staff[1];
      const bad = await post(t, bawaslu, '/api/v1/cases', reportBody(nip, { actCode: 'N99' }));
      expect(bad.status).toBe(400);
      expect(bad.body.details[0]).toMatchObject({ field: 'actCode', code: 'ACT_UNKNOWN' });
      const { caseId } = (
        await expectStatus(post(t, bawaslu, '/api/v1/cases', reportBody(nip)), 201)
      ).body;
      await expectStatus(post(t, bawaslu, `/api/v1/cases/${caseId}/verification`, {}), 200);
      await expectStatus(
        post(t, bawaslu, `/api/v1/cases/${caseId}/confirmation`, {
          findings: 'Terbukti',
          authority: 'KASN',
          recommendation: { discipline: 'BERAT' },
        }),
        200,
      );
      const base = {
        decreeNumber: '800/2/2024',
        decidedBy: 'Bupati Bangli',
        // The decree follows the confirmation, made today.
        decidedAt: t.app.get(Clock).today(),
        effectiveFrom: t.app.get(Clock).today(),
      };
      expect(
        (
          await post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
            ...base,
            track: 'ETHICS',
            kind: 'TEGURAN_LISAN',
          })
        ).body.details[0].code,
      ).toBe('SANCTION_TRACK_MISMATCH');
      expect(
        (
          await post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
            ...base,
            track: 'DISMISSAL',
            kind: 'PTDH',
          })
        ).body.code,
      ).toBe('PTDH_NOT_ALLOWED');
      // N06 is a berat violation, and berat was recommended: a reprimand (ringan) is a 400 naming the kinds
      // that fit, writing nothing; with the legal basis of a different decision it is taken.
      const before = await streamOf(`case-${caseId}`);
      const light = await post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
        ...base,
        track: 'DISCIPLINE',
        kind: 'TEGURAN_LISAN',
      });
      expect(light.status).toBe(400);
      expect(light.body.details).toEqual([
        expect.objectContaining({
          field: 'kind',
          code: 'SANCTION_LEVEL_MISMATCH',
          reason: expect.stringMatching(
            /pilih Penurunan jabatan [^,]* \(TURUN_JABATAN_12\), .* \(JADI_PELAKSANA_12\), .* \(PDHTAPS\), atau/,
          ),
        }),
      ]);
      expect(await streamOf(`case-${caseId}`)).toHaveLength(before.length);
      await expectStatus(
        post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
          ...base,
          track: 'DISCIPLINE',
          kind: 'TEGURAN_LISAN',
          legalBasis: 'Keputusan atas upaya administratif 3/2025',
        }),
        201,
      );
      const [imposed] = (await streamOf(`case-${caseId}`)).slice(-1);
      expect(imposed.data).toMatchObject({
        kind: 'TEGURAN_LISAN',
        sanctionCatalogueVersion: 'PP94-2021',
      });
    });

    it('dismisses a verified case, refuses a report not yet verified; an unknown case is a 404', async () => {
      const { caseId } = (
        await expectStatus(
          post(
            t,
            bawaslu,
            '/api/v1/cases',
            reportBody(roster['dinas-kesehatan'].staff[1], { source: 'PUBLIC_REPORT' }),
          ),
          201,
        )
      ).body;
      const early = await post(t, bawaslu, `/api/v1/cases/${caseId}/dismissal`, {
        reason: 'Tidak cukup bukti',
      });
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'CASE_INVALID_TRANSITION' });
      expect(early.body.message).toContain('berstatus Dilaporkan');
      await expectStatus(post(t, bawaslu, `/api/v1/cases/${caseId}/verification`, {}), 200);
      await expectStatus(
        post(t, bawaslu, `/api/v1/cases/${caseId}/dismissal`, { reason: 'Tidak cukup bukti' }),
        200,
      );
      expect(
        (await post(t, bawaslu, '/api/v1/cases/K-2024-TIDAKADA/verification', {})).status,
      ).toBe(404);
    });

    it('validates nested evidence and the recommendation', async () => {
      const res = await post(
        t,
        bawaslu,
        '/api/v1/cases',
        reportBody(roster['dinas-kesehatan'].staff[1], { evidence: [{ sha256: 'xyz' }, 'teks'] }),
      );
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['evidence.0.sha256', 'evidence.0.description']),
      );
    });
  });

  describe('idempotency', () => {
    const body = () => ({
      nip: nipFor(6001),
      name: 'I Gede Wirawan',
      position: 'Guru',
      employmentType: 'PNS',
      opdId: 'dinas-pendidikan',
    });

    it('replays the first answer for the same key and body, writing nothing new', async () => {
      const first = await post(t, hr, '/api/v1/asn', body())
        .set('Idempotency-Key', 'asn-6001')
        .set('X-Correlation-Id', 'korelasi-asn-6001');
      expect(first.status).toBe(201);
      const before = await head_();
      const again = await post(t, hr, '/api/v1/asn', body()).set('Idempotency-Key', 'asn-6001');
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await head_()).toBe(before);
      // Answered before routing, and still counted: under its own label, never under the raw path.
      const metrics = await request(t.server).get('/metrics').expect(200);
      expect(metrics.text).toContain(
        'netral_http_request_duration_seconds_count{method="POST",route="idempotency",status="201"} 1',
      );
      const [event] = await streamOf(`asn-${body().nip}`);
      expect(event.metadata).toMatchObject({
        actorId: hr.userId,
        actorRole: 'HR',
        correlationId: 'korelasi-asn-6001',
        idempotencyKey: 'asn-6001',
      });
    });

    it('refuses a malformed key with a 400 naming the header, writing nothing', async () => {
      const before = await head_();
      const res = await post(t, hr, '/api/v1/asn', { ...body(), nip: nipFor(6003) }).set(
        'Idempotency-Key',
        'kunci dengan spasi',
      );
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'Idempotency-Key', code: 'idempotencyKeyFormat' }),
      ]);
      expect(await head_()).toBe(before);
    });

    it('answers an anonymous keyed request 401, claiming nothing', async () => {
      const anonymous = await request(t.server)
        .post('/api/v1/asn')
        .set('Idempotency-Key', 'asn-6004')
        .send({ ...body(), nip: nipFor(6004) });
      expect(anonymous.status).toBe(401);
      const res = await post(t, hr, '/api/v1/asn', { ...body(), nip: nipFor(6004) }).set(
        'Idempotency-Key',
        'asn-6004',
      );
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    });

    it('frees the key of a request that failed, so the corrected one runs', async () => {
      const failed = await post(t, hr, '/api/v1/asn', { ...body(), nip: '123' }).set(
        'Idempotency-Key',
        'asn-6005',
      );
      expect(failed.status).toBe(400);
      const corrected = await post(t, hr, '/api/v1/asn', { ...body(), nip: nipFor(6005) }).set(
        'Idempotency-Key',
        'asn-6005',
      );
      expect(corrected.status).toBe(201);
      expect(await streamOf(`asn-${nipFor(6005)}`)).toHaveLength(1);
    });

    /** What a crash between claiming a key and answering leaves behind: the claim, no response. */
    const interrupt = (b: object, key: string, startedAt = Date.now()) => {
      const hash = t.app.get(IdempotencyGate).fingerprint({
        method: 'POST',
        originalUrl: '/api/v1/asn',
        body: b,
      } as IdempotentRequest);
      const db = new Database(join(t.dataDir, 'idempotency.sqlite'));
      try {
        db.prepare('DELETE FROM idempotent_requests WHERE scope = ? AND key = ?').run(
          hr.userId,
          key,
        );
        db.prepare(
          'INSERT INTO idempotent_requests (scope, key, request_hash, created) VALUES (?, ?, ?, ?)',
        ).run(hr.userId, key, hash, startedAt);
      } finally {
        db.close();
      }
    };

    it('runs the retry of a request cut off before it wrote, once, and replays it after', async () => {
      const b = { ...body(), nip: nipFor(6006) };
      interrupt(b, 'asn-6006');
      const retries = await Promise.all(
        [1, 2, 3].map(() => post(t, hr, '/api/v1/asn', b).set('Idempotency-Key', 'asn-6006')),
      );
      expect(retries.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(retries.map((r) => r.body.position)).size).toBe(1);
      expect(await streamOf(`asn-${b.nip}`)).toHaveLength(1);
    });

    it('answers 409 INTERRUPTED, naming what it wrote, for a request cut off after its write', async () => {
      const b = { ...body(), nip: nipFor(6008) };
      const first = await post(t, hr, '/api/v1/asn', b).set('Idempotency-Key', 'asn-6008');
      expect(first.status).toBe(201);
      // The event was appended, the answer never kept: the service stopped in between.
      interrupt(b, 'asn-6008', Date.now() - 1000);
      // Other writers came after it, and another key of the same user wrote meanwhile.
      await post(t, hr, '/api/v1/asn', { ...b, nip: nipFor(6009) }).set('Idempotency-Key', 'x');
      const before = await head_();
      const retry = await post(t, hr, '/api/v1/asn', b).set('Idempotency-Key', 'asn-6008');
      expect([retry.status, retry.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_INTERRUPTED']);
      expect(retry.body.message).toContain(`asn-${b.nip} (posisi ${first.body.position})`);
      expect(await head_()).toBe(before);
      expect(await streamOf(`asn-${b.nip}`)).toHaveLength(1);
    });

    it('searches back only to shortly before the interrupted claim', async () => {
      // A claim dated an hour after the write it would match: that event is older, so not its write.
      const b = { ...body(), nip: nipFor(6010) };
      expect((await post(t, hr, '/api/v1/asn', b).set('Idempotency-Key', 'asn-6010')).status).toBe(
        201,
      );
      interrupt(b, 'asn-6010', Date.now() + 3_600_000);
      const retry = await post(t, hr, '/api/v1/asn', b).set('Idempotency-Key', 'asn-6010');
      // It runs, and the ledger's own rule refuses the duplicate ASN.
      expect([retry.status, retry.body.code]).toEqual([409, 'ASN_ALREADY_ENROLLED']);
    });

    it('answers 409 for the same key with another body', async () => {
      const res = await post(t, hr, '/api/v1/asn', { ...body(), name: 'Nama lain' }).set(
        'Idempotency-Key',
        'asn-6001',
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('writes once for concurrent duplicates', async () => {
      const b = { ...body(), nip: nipFor(6002) };
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          post(t, hr, '/api/v1/asn', b).set('Idempotency-Key', 'asn-6002'),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.body.position)).size).toBe(1);
      expect(await streamOf(`asn-${b.nip}`)).toHaveLength(1);
    });

    it('refuses a multipart body outside the upload routes, so no keyed write skips the key', async () => {
      const before = await head_();
      const multipart = (user: TestUser, path: string) =>
        request(t.server)
          .post(path)
          .set('Authorization', user.auth)
          .set('Idempotency-Key', `multipart-${path}`)
          .field('nip', nipFor(6007))
          .attach('file', Buffer.from('x'), 'x.txt');
      const res = await multipart(hr, '/api/v1/asn');
      expect([res.status, res.body.code]).toEqual([415, 'MULTIPART_NOT_ACCEPTED']);
      expect(res.body.message).toContain('JSON');
      // A route that takes no body says so, whatever the body's type.
      const bodiless = await multipart(admin, '/api/v1/audit/checkpoints');
      expect([bodiless.status, bodiless.body.code]).toEqual([400, 'BODY_NOT_EXPECTED']);
      expect(await head_()).toBe(before);
    });
  });

  describe('input a user can type never causes a 500', () => {
    it.each([
      ['invalid JSON', '{"nip": '],
      ['a JSON array', '[1,2,3]'],
      ['a string', '"halo"'],
    ])('%s', async (_name, raw) => {
      const res = await request(t.server)
        .post('/api/v1/asn')
        .set('Authorization', hr.auth)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
    });

    it('a number JSON cannot carry, with an Idempotency-Key (hashed before validation)', async () => {
      const before = await head_();
      const res = await request(t.server)
        .post('/api/v1/pledges')
        .set('Authorization', hr.auth)
        .set('Idempotency-Key', 'angka-besar-1')
        .set('Content-Type', 'application/json')
        .send('{"electionId":"pilkada-2024","nip":"1","witnesses":[1e999],"place":"Bangli"}');
      expect(res.status).toBe(400);
      expect(res.body.details[0]).toMatchObject({ field: 'witnesses.0', code: 'isFinite' });
      expect(await head_()).toBe(before);
    });

    it('impossible times of day and offsets', async () => {
      for (const signedAt of [
        '2024-09-20T25:99Z',
        '2024-09-20T10:00+99:99',
        '2024-09-20T10:00:61Z',
      ]) {
        const res = await post(t, hr, '/api/v1/pledges', {
          electionId: 'pilkada-2024',
          nip: nipFor(1),
          signedAt,
          place: 'Bangli',
        });
        expect(res.status).toBe(400);
        expect(res.body.details[0]).toMatchObject({ field: 'signedAt', code: 'DATE_INVALID' });
      }
    });

    it('a huge string', async () => {
      const res = await post(t, hr, '/api/v1/opds', {
        opdId: 'dinas-x',
        code: '1',
        name: 'x'.repeat(100_000),
        kind: 'DINAS',
      });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('name');
    });

    it('a NIP in the path is checked like one in a body', async () => {
      for (const [path, code] of [
        ['/api/v1/asn/198502302010011002/transfer', 'NIP_BIRTH_DATE'],
        ['/api/v1/asn/12345/departure', 'NIP_FORMAT'],
        ['/api/v1/pledges/pilkada-2024/198503122010013002/voiding', 'NIP_GENDER'],
      ]) {
        const res = await post(t, hr, path, { toOpdId: 'dinas-kesehatan', reason: 'uji' });
        expect(res.status).toBe(400);
        expect(res.body.details[0]).toMatchObject({ field: 'nip', code });
      }
    });

    it('strange path parameters', async () => {
      for (const path of [
        '/api/v1/opds/%24all/head',
        '/api/v1/asn/..%2F..%2Fetc/transfer',
        `/api/v1/cases/${'x'.repeat(3000)}/verification`,
      ]) {
        const res = await post(t, hr, path, { nip: nipFor(1), toOpdId: 'dinas-kesehatan' });
        expect(res.status).toBeLessThan(500);
      }
    });

    it('a value of the wrong kind is reported as that alone', async () => {
      const res = await post(t, admin, '/api/v1/opds', {
        opdId: 'dinas-uji-17',
        code: '9.17',
        name: ['Dinas'],
        kind: 'DINAS',
      });
      expect(res.body.details).toEqual([
        { field: 'name', code: 'isString', reason: 'harus berupa teks' },
      ]);
      const page = await request(t.server)
        .get('/api/v1/audit/events?limit=abc')
        .set('Authorization', admin.auth);
      expect(page.status).toBe(400);
      expect(page.body.details).toEqual([
        expect.objectContaining({ field: 'limit', code: 'isInt' }),
      ]);
      const date = await request(t.server)
        .get('/api/v1/audit/events?from=2024-02-30T00:00:00Z')
        .set('Authorization', admin.auth);
      expect(date.status).toBe(400);
      expect(date.body.details[0]).toMatchObject({
        field: 'from',
        reason: expect.stringContaining('tanggal dan jam dengan zona waktu'),
      });
    });

    it('an evidence item that is a list, not an object, is refused (never recorded empty); each wrong shape once', async () => {
      const before = await head_();
      const item = { sha256: 'a'.repeat(64), description: 'd' };
      const problems = async (evidence: unknown) =>
        (
          await post(t, bawaslu, '/api/v1/cases', {
            electionId: 'pilkada-2024',
            nip: roster['dinas-kesehatan'].staff[0],
            source: 'PUBLIC_REPORT',
            actCode: 'N06',
            occurredAt: '2024-10-01',
            summary: 'bukti bersarang',
            evidence,
          }).expect(400)
        ).body.details.map((d: { field: string; code: string; reason: string }) => [
          d.field,
          d.code,
          d.reason,
        ]);
      expect(await problems([[item]])).toEqual([
        ['evidence', 'noListItems', 'butir ke-1 harus berupa objek ({ … }), bukan daftar ([ … ])'],
      ]);
      expect(await problems([item, [], item, [item]])).toEqual([
        ['evidence', 'noListItems', expect.stringMatching(/^butir ke-2, ke-4 harus/)],
      ]);
      expect(await problems('bukti')).toEqual([
        ['evidence', 'isArray', 'harus berupa daftar (array)'],
      ]);
      // One object where a list belongs is that one row too, not also one per field it has or lacks.
      expect(await problems({ sha256: 'x' })).toEqual([
        ['evidence', 'isArray', 'harus berupa daftar (array)'],
      ]);
      expect(await problems([item, null])).toEqual([['evidence.1', 'isDefined', 'wajib diisi']]);
      expect(await head_()).toBe(before);
    });

    it('English answers of the router and the upload parser are said in Bahasa Indonesia', async () => {
      const path = await postRaw(
        t,
        admin,
        '/api/v1/cases/%ZZ/verification',
        { 'Content-Type': 'application/json' },
        '{}',
      );
      expect([path.status, path.body.code]).toEqual([400, 'PATH_INVALID']);
      const upload = (build: (r: request.Test) => request.Test) =>
        build(request(t.server).post('/api/v1/asn/import').set('Authorization', hr.auth));
      const wrongField = await upload((r) => r.attach('upload', Buffer.from('x'), 'a.csv'));
      expect([wrongField.status, wrongField.body.code]).toEqual([400, 'UPLOAD_FIELD_UNKNOWN']);
      const two = await upload((r) =>
        r.attach('file', Buffer.from('x'), 'a.csv').attach('file', Buffer.from('y'), 'b.csv'),
      );
      expect([two.status, two.body.code]).toEqual([400, 'UPLOAD_TOO_MANY_FILES']);
      const cut = await upload((r) =>
        r.set('Content-Type', 'multipart/form-data; boundary=xyz').send('--xyz\r\nContent-Disp'),
      );
      expect([cut.status, cut.body.code]).toEqual([400, 'UPLOAD_INCOMPLETE']);
      for (const res of [path, wrongField, two, cut]) {
        expect(res.body.message).not.toMatch(/Unexpected|Failed|Too many|Multipart:/);
      }
    });

    it('an option sent as a form field beside the roster is refused by name, and nothing is written', async () => {
      const before = await head_();
      const res = await request(t.server)
        .post('/api/v1/asn/import')
        .set('Authorization', hr.auth)
        .field('dryRun', 'true')
        .attach('file', Buffer.from('NIP,Nama,Jabatan,Jenis ASN,Kode OPD\n'), 'asn.csv');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'FIELD_UNKNOWN',
        message: expect.stringContaining('?dryRun=true'),
        details: [{ field: 'dryRun', code: 'FIELD_UNKNOWN' }],
      });
      expect(await head_()).toBe(before);
    });
  });
});

describe('idempotency records kept before replays carried their status', () => {
  it('adds the column to an existing file and replays such a row as 201', async () => {
    const dataDir = tempDir();
    const old = new Database(join(dataDir, 'idempotency.sqlite'));
    old.exec(`CREATE TABLE idempotent_requests (
      scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
      response TEXT, created INTEGER NOT NULL, PRIMARY KEY (scope, key))`);
    old.close();
    const t = await createTestApp({ NETRAL_DATA_DIR: dataDir });
    try {
      const admin = await createUser(t, 'ADMIN');
      const send = () =>
        post(t, admin, '/api/v1/elections', { ...ELECTION, electionId: 'pemilu-2034' }).set(
          'Idempotency-Key',
          'pemilu-2034',
        );
      const first = await expectStatus(send(), 201);
      const file = new Database(join(dataDir, 'idempotency.sqlite'));
      // A row as the earlier schema left it: the answer's body, no status.
      expect(
        file.prepare("UPDATE idempotent_requests SET status = NULL WHERE key = 'pemilu-2034'").run()
          .changes,
      ).toBe(1);
      file.close();
      const again = await send();
      expect([again.status, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
      expect(again.body).toEqual(first.body);
    } finally {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
