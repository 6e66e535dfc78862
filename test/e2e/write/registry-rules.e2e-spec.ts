import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  expectStatus,
  findingReport,
  nipFor,
  post,
  seedLedger,
  type TestApp,
  type TestUser,
  streamEvents,
} from '@netral/testing';
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { CliError } from '../../../apps/cli/src/cli-error';
import { registerImportCommands } from '../../../apps/cli/src/commands/import';
import { systemActor } from '../../../apps/ledger/src/identity/user.commands';
import { AsnCommands, OpdCommands } from '../../../apps/ledger/src/registry/registry.commands';
import { CaseCommands } from '../../../apps/ledger/src/cases/case.commands';
import { Facts } from '../../../apps/ledger/src/infrastructure/facts';
import { PledgeCommands } from '../../../apps/ledger/src/pledges/pledge.commands';
import { OpdMembershipLock } from '../../../apps/ledger/src/registry/opd-membership';
import { RegistryFacts } from '../../../apps/ledger/src/registry/registry-facts';
import { type ImportReport, RosterImport } from '../../../apps/ledger/src/registry/roster-import';
import { Readable } from 'node:stream';

/** Registry rules an official relies on: one OPD per code, heads of real OPDs, no silent differences. */
describe('registry rules', () => {
  let t: TestApp;
  let admin: TestUser;
  let hr: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  const head = () => t.app.get(EventStore).headPosition();
  const streamOf = (stream: string) => streamEvents(t, stream);
  const upload = (path: string, csv: string) =>
    request(t.server)
      .post(path)
      .set('Authorization', hr.auth)
      .attach('file', Buffer.from(csv), 'roster.csv');
  const opd = (opdId: string, code: string) => ({
    opdId,
    code,
    name: opdId,
    kind: 'DINAS' as const,
  });
  const actor = { ...systemActor(), role: 'HR' as const };
  const codeOf = (outcome: PromiseSettledResult<unknown>) =>
    outcome.status === 'fulfilled'
      ? 'ok'
      : ((outcome.reason as { code?: string }).code ?? String(outcome.reason));
  const dissolveWhile = async (opdId: string, write: () => Promise<unknown>) => {
    const [written, dissolved] = await Promise.allSettled([
      write(),
      t.app.get(OpdCommands).dissolve(opdId, 'Digabung', actor),
    ]);
    return { written: codeOf(written), dissolved: codeOf(dissolved), outcome: written };
  };
  const enrolled = async (nips: string[]) => {
    const states = await t.app.get(RegistryFacts).asn(new Set(nips));
    return [...states.values()].filter(({ state }) => state.status === 'active').length;
  };
  const dissolvedOpd = async (opdId: string) =>
    (await streamOf(`opd-${opdId}`)).some((e) => e.type === 'OpdDissolved');
  /**
   * Runs `first`, and `second` once `first` has read all it decides on: when its first append to a stream
   * named `stream…` is under way, held back a moment, time for `second` to land between `first`'s reads
   * and its append were nothing to keep it out. Both outcomes, in that order.
   */
  const secondDuringFirst = async (
    stream: string,
    first: () => Promise<unknown>,
    second: () => Promise<unknown>,
  ) => {
    const store = t.app.get(EventStore);
    const append = store.appendToStream.bind(store);
    let reach!: () => void;
    const reached = new Promise<void>((resolve) => {
      reach = resolve;
    });
    let heldBack = false;
    const slowed = jest
      .spyOn(store, 'appendToStream')
      .mockImplementation(async (id, events, options) => {
        if (id.startsWith(stream) && !heldBack) {
          heldBack = true;
          reach();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return append(id, events, options);
      });
    try {
      const written = first();
      await Promise.race([reached, written.catch(() => undefined)]);
      return await Promise.allSettled([written, second()]);
    } finally {
      slowed.mockRestore();
    }
  };
  const importAsn = (csv: string) => t.app.get(RosterImport).importAsn(Readable.from([csv]), actor);
  const importOpds = (csv: string) =>
    t.app.get(RosterImport).importOpds(Readable.from([csv]), actor);
  /** A roster file of `nips` as `enrolment` enrols them, in the OPD coded `code` (dinas-kesehatan). */
  const asnRows = (nips: string[], code = '1.01.01') =>
    [
      'NIP,Nama,Jabatan,Jenis ASN,Kode OPD',
      ...nips.map((n) => `${n},ASN Balapan,Pelaksana,PNS,${code}`),
    ].join('\n');
  const enrolment = (nip: string, opdId: string) => ({
    nip,
    name: 'ASN Balapan',
    position: 'Pelaksana',
    employmentType: 'PNS' as const,
    opdId,
  });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    // dinas-kesehatan has code 1.01.01, dinas-pendidikan 1.02.01, four ASN each.
    roster = await seedLedger(t, { admin, hr });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('OPD codes', () => {
    it('refuses a second active OPD with a code already used, however it is typed', async () => {
      const before = await head();
      for (const code of ['1.01.01', ' 1.01.01 ']) {
        const res = await post(t, hr, '/api/v1/opds', opd('dinas-kesehatan-2', code));
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('OPD_CODE_TAKEN');
        expect(res.body.message).toContain('1.01.01');
        expect(res.body.message).toContain('dinas-kesehatan');
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'code' })]);
      }
      expect(await head()).toBe(before);
      await expectStatus(post(t, hr, '/api/v1/opds', opd('dinas-lh', 'DLH-01')), 201);
      const written = await head();
      const lower = await post(t, hr, '/api/v1/opds', opd('dinas-lh-2', 'dlh-01'));
      expect(lower.status).toBe(409);
      expect(lower.body.message).toContain('dinas-lh');
      expect(await head()).toBe(written);
    });

    it('lets exactly one of many simultaneous registrations with one code win', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          post(t, hr, '/api/v1/opds', opd(`dinas-serentak-${i}`, i % 2 ? '7.07.07' : '7.07.07 ')),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const refused of results.filter((r) => r.status === 409)) {
        expect(refused.body.code).toBe('OPD_CODE_TAKEN');
      }
      const claims = await streamOf('opdcode-7.07.07');
      expect(claims).toHaveLength(1);
      expect(claims[0].data).toMatchObject({
        code: '7.07.07',
        opdId: results.find((r) => r.status === 201)!.body.opdId,
      });
    });

    it('frees the code of a dissolved OPD for a new one', async () => {
      await expectStatus(post(t, hr, '/api/v1/opds', opd('badan-lama', '8.01.01')), 201);
      await expectStatus(
        post(t, hr, '/api/v1/opds/badan-lama/dissolution', { reason: 'Digabung' }),
        200,
      );
      await expectStatus(post(t, hr, '/api/v1/opds', opd('badan-baru', '8.01.01')), 201);
    });

    it('refuses in an OPD import a code taken in the registry or twice in the file, with line and column', async () => {
      const before = await head();
      const res = await upload(
        '/api/v1/opds/import',
        [
          'Kode OPD,Nama OPD,Jenis,ID OPD',
          '1.02.01,Dinas Pendidikan Baru,Dinas,dinas-pendidikan-baru',
          '9.09.01,Dinas Satu,Dinas,dinas-satu',
          '9.09.01 ,Dinas Dua,Dinas,dinas-dua',
          'ABC,Dinas Tiga,Dinas,dinas-tiga',
          'abc,Dinas Empat,Dinas,dinas-empat',
        ].join('\n'),
      );
      expect(res.status).toBe(400);
      const details = res.body.details as { line: number; column: string; reason: string }[];
      expect(details.map((d) => `${d.line}:${d.column}`)).toEqual([
        '2:Kode OPD',
        '4:Kode OPD',
        '6:Kode OPD',
      ]);
      expect(details[0].reason).toContain('dinas-pendidikan');
      expect(details[1].reason).toContain('baris 3');
      expect(await head()).toBe(before);
    });

    it('enrols an import row into the OPD its code names, typed in any case', async () => {
      const nip = nipFor(6101);
      const res = await upload(
        '/api/v1/asn/import',
        `NIP,Nama,Jabatan,Jenis ASN,Kode OPD\n${nip},I Made Kode,Pranata Komputer,PNS,dlh-01\n`,
      );
      expect(res.status).toBe(200);
      expect((await streamOf(`asn-${nip}`))[0].data).toMatchObject({ opdId: 'dinas-lh' });
    });
  });

  describe('OPD heads', () => {
    it('creates no OPD head account for an OPD that is not registered, naming the opdId', async () => {
      const before = await head();
      const body = {
        username: 'kadis.hantu',
        displayName: 'Kadis Hantu',
        password: 'sandi-yang-cukup-panjang',
        role: 'OPD_HEAD',
      };
      const unknown = await post(t, admin, '/api/v1/users', { ...body, opdId: 'dinas-hantu' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('OPD_NOT_FOUND');
      expect(unknown.body.message).toContain('dinas-hantu');
      const dissolved = await post(t, admin, '/api/v1/users', { ...body, opdId: 'badan-lama' });
      expect(dissolved.status).toBe(409);
      expect(dissolved.body.code).toBe('OPD_DISSOLVED');
      expect(await head()).toBe(before);
      await expectStatus(
        post(t, admin, '/api/v1/users', { ...body, opdId: 'dinas-kesehatan' }),
        201,
      );
    });

    it('moves no user to head an OPD that is not registered', async () => {
      const user = await createUser(t, 'BAWASLU');
      const res = await post(t, admin, `/api/v1/users/${user.userId}/role`, {
        role: 'OPD_HEAD',
        opdId: 'dinas-hantu',
      });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('OPD_NOT_FOUND');
      expect(res.body.message).toContain('dinas-hantu');
      await expectStatus(
        post(t, admin, `/api/v1/users/${user.userId}/role`, {
          role: 'OPD_HEAD',
          opdId: 'dinas-pendidikan',
        }),
        200,
      );
    });

    it('appoints no head of an OPD that is not registered, naming the opdId', async () => {
      const res = await post(t, hr, '/api/v1/opds/dinas-hantu/head', {
        nip: roster['dinas-kesehatan'].staff[0],
      });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('OPD_NOT_FOUND');
      expect(res.body.message).toContain('dinas-hantu');
    });
  });

  describe('ASN import against the registry', () => {
    it('refuses rows that say something else about an enrolled ASN, naming the column and both values', async () => {
      const [first, second, third] = roster['dinas-kesehatan'].staff;
      const before = await head();
      const csv = [
        'NIP,Nama,Jabatan,Jenis ASN,Kode OPD',
        `${first},ASN ${first.slice(-4)},Pelaksana,PNS,1.01.01`,
        `${second},Nama Lain,Pelaksana,PNS,1.01.01`,
        `${third},ASN ${third.slice(-4)},Kepala Seksi,PPPK,1.02.01`,
      ].join('\n');
      const res = await upload('/api/v1/asn/import', csv);
      expect(res.status).toBe(400);
      const details = res.body.details as { line: number; column: string; reason: string }[];
      // A new Jabatan alone would be recorded (below); row 4 is refused for its Jenis ASN.
      expect(details.map((d) => `${d.line}:${d.column}`)).toEqual(['3:Nama', '4:Jenis ASN']);
      expect(details[0].reason).toContain(`registri "ASN ${second.slice(-4)}"`);
      expect(details[0].reason).toContain('berkas "Nama Lain"');
      expect(details[0].reason).toContain('perbaiki nama lewat registri');
      expect(await head()).toBe(before);
    });

    it('records a newer export’s Jabatan as a change of position, with or without a move', async () => {
      const [fourth, fifth] = roster['dinas-pendidikan'].staff;
      const csv = [
        'NIP,Nama,Jabatan,Jenis ASN,Kode OPD',
        `${fourth},ASN ${fourth.slice(-4)},Kepala Seksi Kurikulum,PNS,1.02.01`,
        `${fifth},ASN ${fifth.slice(-4)},Sekretaris Dinas,PNS,1.01.01`,
      ].join('\n');
      const before = await head();
      const dry = await upload('/api/v1/asn/import?dryRun=true', csv);
      expect(dry.body).toMatchObject({ updated: 2, transferred: 1, created: 0, position: null });
      expect(await head()).toBe(before);

      const res = await upload('/api/v1/asn/import', csv);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ updated: 2, transferred: 1, created: 0, unchanged: 0 });
      const events = await streamEvents(t, `asn-${fifth}`);
      expect(events.slice(-2).map((e) => e.type)).toEqual(['AsnDetailsChanged', 'AsnTransferred']);
      expect(events.at(-2)!.data).toMatchObject({
        position: 'Sekretaris Dinas',
        previous: { position: 'Pelaksana' },
        reason: 'Jabatan menurut impor daftar ASN (ekspor SIASN)',
      });
      expect(events.at(-2)!.metadata).toMatchObject({ actorId: hr.userId, actorRole: 'HR' });

      const again = await upload('/api/v1/asn/import', csv);
      expect(again.body).toMatchObject({ updated: 0, transferred: 0, unchanged: 2 });
      expect(await head()).toBe(BigInt(res.body.position));
    });

    it('still skips rows that match but for case and spacing', async () => {
      const [first] = roster['dinas-kesehatan'].staff;
      const before = await head();
      const res = await upload(
        '/api/v1/asn/import',
        `NIP,Nama,Jabatan,Jenis ASN,Kode OPD\n${first},asn  ${first.slice(-4)},PELAKSANA,pns,1.01.01\n`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ unchanged: 1, created: 0, transferred: 0 });
      expect(await head()).toBe(before);
    });
  });

  describe('dissolving an OPD', () => {
    it('refuses while ASN are active there, saying how many and what to do; then dissolves', async () => {
      await expectStatus(post(t, hr, '/api/v1/opds', opd('dinas-bubar', '5.05.05')), 201);
      const nips = [nipFor(6201), nipFor(6202)];
      for (const nip of nips) {
        await expectStatus(
          post(t, hr, '/api/v1/asn', {
            nip,
            name: 'ASN Bubar',
            position: 'Pelaksana',
            employmentType: 'PNS',
            opdId: 'dinas-bubar',
          }),
          201,
        );
      }
      const before = await head();
      const refused = await post(t, hr, '/api/v1/opds/dinas-bubar/dissolution', { reason: 'x' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('OPD_HAS_ACTIVE_ASN');
      expect(refused.body.message).toContain('2 ASN aktif');
      expect(refused.body.message).toContain('mutasikan');
      expect(await head()).toBe(before);
      await expectStatus(
        post(t, hr, `/api/v1/asn/${nips[0]}/transfer`, { toOpdId: 'dinas-kesehatan' }),
        200,
      );
      await expectStatus(
        post(t, hr, `/api/v1/asn/${nips[1]}/departure`, { reason: 'Pensiun' }),
        200,
      );
      await expectStatus(post(t, hr, '/api/v1/opds/dinas-bubar/dissolution', { reason: 'x' }), 200);
    });

    // An enrolment, a move or an import into an OPD and its dissolution at the same moment: one of them
    // wins and the other is refused, never both written (which would leave active staff in an OPD that no
    // longer exists). Called on the command services side by side, so every await of one lets the other
    // run (two HTTP requests rarely interleave that finely, which is what made the gap easy to miss).
    it('never both enrols into and dissolves an OPD when the two arrive together', async () => {
      // Dissolution first, then enrolment first: both orders of arrival.
      for (const [round, first] of (['dissolve', 'enrol'] as const).entries()) {
        const opdId = `dinas-balapan-${round}`;
        await expectStatus(post(t, hr, '/api/v1/opds', opd(opdId, `7.07.0${round}`)), 201);
        const nip = nipFor(6300 + round);
        const enrol = () => t.app.get(AsnCommands).enroll(enrolment(nip, opdId), actor);
        const { written, dissolved } =
          first === 'enrol'
            ? await dissolveWhile(opdId, enrol)
            : await (async () => {
                const [d, w] = await Promise.allSettled([
                  t.app.get(OpdCommands).dissolve(opdId, 'Digabung', actor),
                  enrol(),
                ]);
                return { written: codeOf(w), dissolved: codeOf(d) };
              })();
        expect([written, dissolved]).toEqual(
          first === 'enrol' ? ['ok', 'OPD_HAS_ACTIVE_ASN'] : ['OPD_DISSOLVED', 'ok'],
        );
        expect(await enrolled([nip])).toBe((await dissolvedOpd(opdId)) ? 0 : 1);
      }
    });

    it('never both moves an ASN into and dissolves an OPD when the two arrive together', async () => {
      await expectStatus(post(t, hr, '/api/v1/opds', opd('dinas-tujuan', '7.08.01')), 201);
      const nip = nipFor(6350);
      await t.app.get(AsnCommands).enroll(enrolment(nip, 'dinas-kesehatan'), actor);
      const { written, dissolved } = await dissolveWhile('dinas-tujuan', () =>
        t.app.get(AsnCommands).transfer(nip, 'dinas-tujuan', actor),
      );
      expect([
        ['ok', 'OPD_HAS_ACTIVE_ASN'],
        ['OPD_DISSOLVED', 'ok'],
      ]).toContainEqual([written, dissolved]);
      const moved = (await streamOf(`asn-${nip}`)).some((e) => e.type === 'AsnTransferred');
      expect(moved).toBe(!(await dissolvedOpd('dinas-tujuan')));
    });

    it('never both imports staff into and dissolves an OPD when the two arrive together', async () => {
      await expectStatus(post(t, hr, '/api/v1/opds', opd('dinas-impor-2', '7.09.02')), 201);
      const nips = Array.from({ length: 20 }, (_, i) => nipFor(6400 + i));
      const csv = [
        'NIP,Nama,Jabatan,Jenis ASN,Kode OPD',
        ...nips.map((nip, i) => `${nip},ASN ${i},Pelaksana,PNS,7.09.02`),
      ].join('\n');
      // The import reads the registry, parses and checks the file, then holds the OPDs it adds staff to:
      // a dissolution arriving with it is counted and written in between, and every row is refused.
      const [refused, dissolved] = await Promise.allSettled([
        importAsn(csv),
        t.app.get(OpdCommands).dissolve('dinas-impor-2', 'Digabung', actor),
      ]);
      expect(codeOf(dissolved)).toBe('ok');
      const report = (refused as PromiseFulfilledResult<ImportReport>).value;
      expect(report.errors).toHaveLength(20);
      expect(report.errors[0]).toMatchObject({ column: 'Kode OPD', line: 2 });
      expect(report.errors[0].reason).toContain('sudah dibubarkan saat impor berjalan');
      expect(report.position).toBeNull();
      expect(await enrolled(nips)).toBe(0);
    });
  });

  describe('an import and single registry writes arriving together', () => {
    it('writes nothing of an import whose ASN another request enrolled after it read them', async () => {
      const [first, second] = [nipFor(6550), nipFor(6551)];
      const mover = nipFor(6552);
      await t.app.get(AsnCommands).enroll(enrolment(mover, 'dinas-pendidikan'), actor);
      // The import has read the ASN streams (neither new NIP enrolled); the API enrols the first before
      // the import holds them.
      const registry = t.app.get(RegistryFacts);
      const scan = registry.asn.bind(registry);
      const spy = jest.spyOn(registry, 'asn').mockImplementationOnce(async (nips) => {
        const states = await scan(nips);
        await t.app.get(AsnCommands).enroll(enrolment(first, 'dinas-kesehatan'), actor);
        return states;
      });
      const before = await head();
      const report = await importAsn(asnRows([first, second, mover])).finally(() =>
        spy.mockRestore(),
      );
      expect(report.errors).toEqual([
        expect.objectContaining({
          line: 2,
          column: 'NIP',
          reason: expect.stringContaining('oleh permintaan lain saat impor berjalan'),
        }),
      ]);
      expect(report.position).toBeNull();
      // Only the API's enrolment was written: not the second row, not the move.
      const written: string[][] = [];
      for await (const e of t.app.get(EventStore).readAll({ fromPosition: before ?? 'start' })) {
        if (e.position !== before) {
          written.push([e.type, e.streamId]);
        }
      }
      expect(written).toEqual([['AsnEnrolled', `asn-${first}`]]);
      expect(await enrolled([second])).toBe(0);

      // Uploaded again, the file completes: the first row now matches and is skipped.
      const again = await importAsn(asnRows([first, second, mover]));
      expect(again).toMatchObject({
        errors: [],
        created: 1,
        transferred: 1,
        unchanged: 1,
        updated: 0,
      });
    });

    it('writes nothing of an OPD import whose code another request registered after it checked', async () => {
      const csv = [
        'Kode OPD,Nama OPD,Jenis,Kode Induk',
        '7.20.01,Badan Baru Satu,Badan,',
        '7.20.02,Badan Baru Dua,Badan,7.20.01',
      ].join('\n');
      const registry = t.app.get(RegistryFacts);
      const read = registry.opds.bind(registry);
      const spy = jest.spyOn(registry, 'opds').mockImplementationOnce(async () => {
        const snapshot = await read();
        await expectStatus(post(t, hr, '/api/v1/opds', opd('badan-lain', '7.20.02')), 201);
        return snapshot;
      });
      const before = await head();
      const report = await importOpds(csv).finally(() => spy.mockRestore());
      expect(report.errors).toEqual([
        expect.objectContaining({
          line: 3,
          column: 'Kode OPD',
          reason: expect.stringContaining('badan-lain'),
        }),
      ]);
      expect(report.errors[0].reason).toContain('saat impor berjalan');
      expect(report.position).toBeNull();
      // The API's registration (its code claim and the OPD) and nothing of the file.
      expect(await head()).toBe((before ?? 0n) + 2n);
      expect((await t.app.get(RegistryFacts).opds()).has('badan-baru-satu')).toBe(false);
    });

    it('lets a registration of a code the OPD import is writing wait for it, and refuses it then', async () => {
      const csv = [
        'Kode OPD,Nama OPD,Jenis',
        '7.21.01,Badan Antre Satu,Badan',
        '7.21.02,Badan Antre Dua,Badan',
      ].join('\n');
      const [imported, single] = await secondDuringFirst(
        'opdcode-7.21.01',
        () => importOpds(csv),
        () => t.app.get(OpdCommands).register(opd('badan-penyela', '7.21.02'), actor),
      );
      expect((imported as PromiseFulfilledResult<ImportReport>).value).toMatchObject({
        errors: [],
        created: 2,
      });
      expect(codeOf(single)).toBe('OPD_CODE_TAKEN');
      const registered = await t.app.get(RegistryFacts).opds();
      expect(registered.get('badan-antre-dua')).toMatchObject({
        code: '7.21.02',
        status: 'active',
      });
      expect(registered.has('badan-penyela')).toBe(false);
    });

    it('lets an enrolment of a NIP the import is writing wait for it, and refuses it then', async () => {
      const nips = [nipFor(6555), nipFor(6556), nipFor(6557)];
      const [report, single] = await secondDuringFirst(
        `asn-${nips[1]}`,
        () => importAsn(asnRows(nips)),
        () => t.app.get(AsnCommands).enroll(enrolment(nips[1], 'dinas-pendidikan'), actor),
      );
      expect((report as PromiseFulfilledResult<ImportReport>).value).toMatchObject({
        errors: [],
        created: 3,
      });
      expect(codeOf(single)).toBe('ASN_ALREADY_ENROLLED');
      expect(await enrolled(nips)).toBe(3);
      expect(await t.app.get(Facts).asn(nips[1])).toMatchObject({ opdId: 'dinas-kesehatan' });
    });
  });

  describe('the head in office', () => {
    const compliance = async (opdId: string, position: string) =>
      (
        await request(t.server)
          .get(`/api/v1/opds/${opdId}/compliance?electionId=pilkada-2024&minPosition=${position}`)
          .set('Authorization', hr.auth)
      ).body as { headNip: string | null; reasons: string[] };
    const pledgeRole = async (nip: string) =>
      (await streamOf(`pledge-pilkada-2024-${nip}`))[0].data.role;
    const sign = (nip: string) =>
      post(t, hr, '/api/v1/pledges', {
        electionId: 'pilkada-2024',
        nip,
        signedAt: '2024-09-20',
        place: 'Bangli',
      });

    it('ends when the head moves out or leaves: the post is vacant until a new appointment', async () => {
      await expectStatus(post(t, hr, '/api/v1/opds', opd('dinas-mutasi', '7.10.01')), 201);
      const [head, deputy] = [nipFor(6500), nipFor(6501)];
      for (const nip of [head, deputy]) {
        await expectStatus(
          post(t, hr, '/api/v1/asn', {
            nip,
            name: 'Pejabat',
            position: 'Kepala Dinas',
            employmentType: 'PNS',
            opdId: 'dinas-mutasi',
          }),
          201,
        );
      }
      const appointed = await post(t, hr, '/api/v1/opds/dinas-mutasi/head', { nip: head });
      expect((await compliance('dinas-mutasi', appointed.body.position)).headNip).toBe(head);

      // Moved (mutasi) to another OPD: no longer head here, and moving back does not restore it.
      await expectStatus(
        post(t, hr, `/api/v1/asn/${head}/transfer`, { toOpdId: 'dinas-kesehatan' }),
        200,
      );
      const back = await post(t, hr, `/api/v1/asn/${head}/transfer`, { toOpdId: 'dinas-mutasi' });
      const vacant = await compliance('dinas-mutasi', back.body.position);
      expect(vacant.headNip).toBeNull();
      expect(vacant.reasons).toContain('Kepala OPD belum ditetapkan');
      // Their pledge now is a staff member's.
      await expectStatus(sign(head), 201);
      expect(await pledgeRole(head)).toBe('ASN');

      // A new appointment of the same person is written (not a no-op), replacing nobody.
      const again = await post(t, hr, '/api/v1/opds/dinas-mutasi/head', { nip: head });
      expect(again.status).toBe(200);
      expect(again.body.position).not.toBeNull();
      const opdEvents = await streamOf('opd-dinas-mutasi');
      expect(opdEvents.at(-1)).toMatchObject({
        type: 'OpdHeadAppointed',
        data: { nip: head },
      });
      expect(opdEvents.at(-1)?.data).not.toHaveProperty('previousNip');
      expect((await compliance('dinas-mutasi', again.body.position)).headNip).toBe(head);
      const twice = await post(t, hr, '/api/v1/opds/dinas-mutasi/head', { nip: head });
      expect(twice.body.position).toBeNull();

      // Replaced by the deputy, who signs as head; then the deputy retires and the post is vacant.
      const replaced = await post(t, hr, '/api/v1/opds/dinas-mutasi/head', { nip: deputy });
      expect((await streamOf('opd-dinas-mutasi')).at(-1)?.data).toMatchObject({
        nip: deputy,
        previousNip: head,
      });
      expect((await compliance('dinas-mutasi', replaced.body.position)).headNip).toBe(deputy);
      await expectStatus(sign(deputy), 201);
      expect(await pledgeRole(deputy)).toBe('OPD_HEAD');
      const retired = await post(t, hr, `/api/v1/asn/${deputy}/departure`, { reason: 'Pensiun' });
      expect((await compliance('dinas-mutasi', retired.body.position)).headNip).toBeNull();
    });

    it('moves one ASN twice at once as two moves in a row, each from where the other left them', async () => {
      await expectStatus(post(t, hr, '/api/v1/opds', opd('dinas-tujuan-2', '7.12.01')), 201);
      const nip = nipFor(6520);
      await t.app.get(AsnCommands).enroll(enrolment(nip, 'dinas-kesehatan'), actor);
      // The second waits on the ASN's lock for the first to land, then reads them in the OPD they are in
      // now and takes that OPD's lock.
      const lock = t.app.get(OpdMembershipLock);
      const held = jest.spyOn(lock, 'hold');
      const moves = await Promise.allSettled([
        t.app.get(AsnCommands).transfer(nip, 'dinas-pendidikan', actor),
        t.app.get(AsnCommands).transfer(nip, 'dinas-tujuan-2', actor),
      ]);
      const locked = held.mock.calls.map(([keys]) => [...keys].sort());
      held.mockRestore();
      expect(moves.map(codeOf)).toEqual(['ok', 'ok']);
      const transfers = (await streamOf(`asn-${nip}`)).filter((e) => e.type === 'AsnTransferred');
      expect(transfers.map((e) => [e.data.fromOpdId, e.data.toOpdId])).toEqual([
        ['dinas-kesehatan', 'dinas-pendidikan'],
        ['dinas-pendidikan', 'dinas-tujuan-2'],
      ]);
      expect(locked).toEqual([
        [`asn:${nip}`],
        [`asn:${nip}`],
        ['opd:dinas-kesehatan', 'opd:dinas-pendidikan'],
        ['opd:dinas-pendidikan', 'opd:dinas-tujuan-2'],
      ]);
    });

    it('is never left to an ASN who moved out as the appointment arrived', async () => {
      // Both orders of arrival; whichever lands first, the head in office is someone working there.
      for (const [round, first] of (['appoint', 'move'] as const).entries()) {
        const opdId = `dinas-lantik-${round}`;
        await expectStatus(post(t, hr, '/api/v1/opds', opd(opdId, `7.11.0${round}`)), 201);
        const nip = nipFor(6510 + round);
        await t.app.get(AsnCommands).enroll(enrolment(nip, opdId), actor);
        const appoint = () => t.app.get(OpdCommands).appointHead(opdId, nip, actor);
        const move = () => t.app.get(AsnCommands).transfer(nip, 'dinas-kesehatan', actor);
        // The second lands, were nothing to keep it out, between the first's checks and its append.
        const outcomes = await (first === 'appoint'
          ? secondDuringFirst(`opd-${opdId}`, appoint, move)
          : secondDuringFirst(`asn-${nip}`, move, appoint));
        expect(outcomes.map(codeOf)).toContain('ok');
        const head = await t.app.get(Facts).sittingHead(opdId);
        const asn = await t.app.get(Facts).asn(nip);
        expect(head === null || (asn.status === 'active' && asn.opdId === opdId)).toBe(true);
        expect(head).toBeNull();
      }
    });

    describe('a pledge or report arriving with a membership change', () => {
      const pledge = (nip: string) => () =>
        t.app
          .get(PledgeCommands)
          .sign(
            { electionId: 'pilkada-2024', nip, signedAt: '2024-09-20', place: 'Bangli' },
            actor,
          );
      const signed = async (nip: string) => (await streamOf(`pledge-pilkada-2024-${nip}`))[0];
      /** Either order (secondDuringFirst); `record` appends to `recorded…`, `change` to `changed`. */
      const race = async (
        recordFirst: boolean,
        [record, recorded]: [() => Promise<unknown>, string],
        [change, changed]: [() => Promise<unknown>, string],
      ) => {
        const outcomes = await (recordFirst
          ? secondDuringFirst(recorded, record, change)
          : secondDuringFirst(changed, change, record));
        expect(outcomes.map(codeOf)).toEqual(['ok', 'ok']);
      };
      /** A move to dinas-kesehatan (code 1.01.01) through the API or in a roster import. */
      const move = (
        nip: string,
        via: 'api' | 'import' = 'api',
      ): [() => Promise<unknown>, string] => [
        via === 'api'
          ? () => t.app.get(AsnCommands).transfer(nip, 'dinas-kesehatan', actor)
          : async () => {
              expect(await importAsn(asnRows([nip]))).toMatchObject({ transferred: 1, errors: [] });
            },
        `asn-${nip}`,
      ];
      const movedAt = async (nip: string) =>
        (await streamOf(`asn-${nip}`)).find((e) => e.type === 'AsnTransferred')!.position;

      it('records a pledge for the OPD the signer is in when it lands, before or after a move or import', async () => {
        const rounds = (['api', 'import'] as const).flatMap((via) =>
          [true, false].map((first) => ({ via, first })),
        );
        for (const [round, { via, first: pledgeFirst }] of rounds.entries()) {
          const nip = nipFor(6530 + round);
          await t.app.get(AsnCommands).enroll(enrolment(nip, 'dinas-pendidikan'), actor);
          await race(pledgeFirst, [pledge(nip), `pledge-pilkada-2024-${nip}`], move(nip, via));
          const pledged = await signed(nip);
          expect(pledged.position < (await movedAt(nip))).toBe(pledgeFirst);
          expect(pledged.data.opdId).toBe(pledgeFirst ? 'dinas-pendidikan' : 'dinas-kesehatan');
        }
      });

      it('records a report against the OPD the ASN is in when it lands, before or after a move', async () => {
        for (const [round, reportFirst] of [true, false].entries()) {
          const nip = nipFor(6536 + round);
          await t.app.get(AsnCommands).enroll(enrolment(nip, 'dinas-pendidikan'), actor);
          let caseId = '';
          const report = async () => {
            ({ caseId } = await t.app
              .get(CaseCommands)
              .report(findingReport(nip), { ...actor, role: 'BAWASLU' }));
          };
          await race(reportFirst, [report, 'case-'], move(nip));
          const [reported] = await streamOf(`case-${caseId}`);
          expect(reported.position < (await movedAt(nip))).toBe(reportFirst);
          expect(reported.data.opdId).toBe(reportFirst ? 'dinas-pendidikan' : 'dinas-kesehatan');
        }
      });

      it('records the pledge of a head, or of the one appointed after them, in the role they hold when it lands', async () => {
        const rounds = (['sitting', 'next'] as const).flatMap((signer) =>
          [true, false].map((pledgeFirst) => ({ signer, pledgeFirst })),
        );
        for (const [round, { signer, pledgeFirst }] of rounds.entries()) {
          const opdId = `dinas-pakta-${round}`;
          await expectStatus(post(t, hr, '/api/v1/opds', opd(opdId, `7.13.0${round}`)), 201);
          const nips = { sitting: nipFor(6540 + 2 * round), next: nipFor(6541 + 2 * round) };
          for (const nip of Object.values(nips)) {
            await t.app.get(AsnCommands).enroll(enrolment(nip, opdId), actor);
          }
          await t.app.get(OpdCommands).appointHead(opdId, nips.sitting, actor);
          await race(
            pledgeFirst,
            [pledge(nips[signer]), `pledge-pilkada-2024-${nips[signer]}`],
            [() => t.app.get(OpdCommands).appointHead(opdId, nips.next, actor), `opd-${opdId}`],
          );
          // The sitting head signs as head until replaced; the next one from their appointment on.
          const asHead = signer === 'sitting' ? pledgeFirst : !pledgeFirst;
          const pledged = await signed(nips[signer]);
          const appointed = (await streamOf(`opd-${opdId}`)).at(-1)!;
          expect([signer, pledgeFirst, pledged.data.role]).toEqual([
            signer,
            pledgeFirst,
            asHead ? 'OPD_HEAD' : 'ASN',
          ]);
          expect(pledged.position < appointed.position).toBe(pledgeFirst);
          expect(await t.app.get(Facts).sittingHead(opdId)).toBe(nips.next);
        }
      });
    });
  });

  describe('CLI import', () => {
    const cli = async (...args: string[]) => {
      const previous = process.env.NETRAL_DATA_DIR;
      process.env.NETRAL_DATA_DIR = t.dataDir;
      const lines: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((l: string) => lines.push(l));
      const error = jest.spyOn(console, 'error').mockImplementation((l: string) => lines.push(l));
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        const program = new Command('netral').exitOverride();
        registerImportCommands(program);
        await program.parseAsync(['node', 'netral', ...args]);
        return { code: 0, output: lines.join('\n') };
      } catch (e) {
        if (e instanceof CliError) {
          return { code: e.exitCode, output: [...lines, e.message].join('\n') };
        }
        throw e;
      } finally {
        log.mockRestore();
        error.mockRestore();
        stderr.mockRestore();
        process.env.NETRAL_DATA_DIR = previous;
      }
    };

    it('exits 4 when rows are refused (nothing written) and 2 for a missing file', async () => {
      const file = join(t.dataDir, 'cli-bad.csv');
      writeFileSync(file, 'Kode OPD,Nama OPD,Jenis\n1.01.01,Dinas Kembar,Dinas\n');
      const before = await head();
      const refused = await cli('import', 'opds', file);
      expect(refused.code).toBe(4);
      expect(refused.output).toContain('baris 2, kolom Kode OPD');
      expect(await head()).toBe(before);
      expect((await cli('import', 'opds', join(t.dataDir, 'tidak-ada.csv'))).code).toBe(2);
    });

    it("records CLI writes as the system's (actorId system, actorRole SYSTEM)", async () => {
      const file = join(t.dataDir, 'cli-ok.csv');
      writeFileSync(file, 'Kode OPD,Nama OPD,Jenis,ID OPD\n3.03.03,Badan CLI,Badan,badan-cli\n');
      expect((await cli('import', 'opds', file)).code).toBe(0);
      const [event] = await streamOf('opd-badan-cli');
      expect(event.metadata).toMatchObject({ actorId: 'system', actorRole: 'SYSTEM' });
    });
  });
});
