import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  csrfFrom,
  expectStatus,
  post,
  seedLedger,
  type TestApp,
  type TestUser,
  webLogin,
} from '@netral/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type TestAgent from 'supertest/lib/agent';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';

const sample = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'samples', name));

describe('registry pages (HR): OPDs and ASN, CSV import, certificate revocation', () => {
  let t: TestApp;
  let hrUser: TestUser;
  let hr: TestAgent;
  let bawaslu: TestAgent;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  const eventCount = async () => {
    let n = 0;
    for await (const _ of t.app.get(EventStore).readAll()) {
      n += 1;
    }
    return n;
  };

  const upload = async (kind: 'asn' | 'opd', file: Buffer | undefined, dryRun = false) => {
    const page = await hr.get('/registri/impor').expect(200);
    let pending = hr
      .post(`/registri/impor/${kind}?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .redirects(0);
    if (dryRun) {
      pending = pending.field('dryRun', 'ya');
    }
    return file ? pending.attach('file', file, `${kind}.csv`) : pending.field('x', '1');
  };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'ADMIN');
    hrUser = await createUser(t, 'HR');
    const bawasluUser = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr: hrUser }, { staffPerOpd: 2 });
    hr = await webLogin(t, hrUser.username);
    bawaslu = await webLogin(t, bawasluUser.username);
  });
  afterAll(() => t.close());

  it('lists the OPDs with their head and active ASN, and each OPD’s ASN', async () => {
    const page = await hr.get('/registri').expect(200);
    expect(page.text).toContain('dinas kesehatan');
    expect(page.text).toContain(roster['dinas-kesehatan'].head);
    const asn = await hr.get('/registri/asn?opdId=dinas-kesehatan').expect(200);
    for (const nip of roster['dinas-kesehatan'].staff) {
      expect(asn.text).toContain(nip);
    }
    expect(asn.text).not.toContain(roster['dinas-pendidikan'].staff[0]);
    const search = await hr.get(`/registri/asn?q=${roster['dinas-pendidikan'].staff[0]}`);
    expect(search.text).toContain('1 ASN');
  });

  it('an import with bad rows shows every bad row and writes nothing', async () => {
    const before = await eventCount();
    const res = await upload('asn', sample('asn-with-errors.csv'));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Baris bermasalah');
    // Every bad line of the sample is named with its column (line 3: an impossible birth date in the NIP).
    expect(res.text).toMatch(/<td>3<\/td><td>NIP<\/td>/);
    expect(res.text).toMatch(/<td>4<\/td><td>Nama<\/td>/);
    expect(res.text).toContain('tidak ada data yang disimpan');
    expect(await eventCount()).toBe(before);
  });

  it('a missing file is named next to its field', async () => {
    const res = await upload('opd', undefined);
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="file-opd-error"');
  });

  it('a dry run validates and writes nothing; the real import then writes', async () => {
    const csv = Buffer.from(
      'Kode OPD;Nama OPD;Jenis;Kode Induk;ID OPD\n9.01.01;Kecamatan Uji;Kecamatan;;kecamatan-uji\n',
    );
    const before = await eventCount();
    const dry = await upload('opd', csv, true);
    expect(dry.status).toBe(303);
    expect(await eventCount()).toBe(before);
    const real = await upload('opd', csv);
    expect(real.status).toBe(303);
    expect(await eventCount()).toBe(before + 1);
    expect((await hr.get(real.headers.location)).text).toContain('Kecamatan Uji');
  });

  it('revokes a certificate only with a reason', async () => {
    for (const nip of [roster['dinas-kesehatan'].head, ...roster['dinas-kesehatan'].staff]) {
      await expectStatus(
        post(t, hrUser, '/api/v1/pledges', {
          electionId: 'pilkada-2024',
          nip,
          signedAt: '2024-09-10',
          place: 'Bangli',
        }),
        201,
      );
    }
    const issued = await expectStatus(
      post(t, hrUser, '/api/v1/certificates', {
        subjectType: 'OPD',
        subjectId: 'dinas-kesehatan',
        electionId: 'pilkada-2024',
      }),
      201,
    );
    const { certificateId } = issued.body as { certificateId: string; position: string };
    await t.app.get(ReadSide).ready((issued.body as { position: string }).position);

    const compliance = await hr.get('/kepatuhan').expect(200);
    expect(compliance.text).toContain(`/sertifikat/${certificateId}/cabut`);
    const form = await hr.get(`/sertifikat/${certificateId}/cabut`).expect(200);
    const empty = await hr
      .post(`/sertifikat/${certificateId}/pencabutan`)
      .type('form')
      .send({ reason: '', _csrf: csrfFrom(form.text) });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('id="reason-error"');
    const done = await hr
      .post(`/sertifikat/${certificateId}/pencabutan`)
      .type('form')
      .redirects(0)
      .send({ reason: 'Data kepala OPD keliru', _csrf: csrfFrom(form.text) });
    expect(done.status).toBe(303);
    const verification = await hr.get(`/v/${certificateId}`).expect(200);
    expect(verification.text).toContain('Data kepala OPD keliru');
  });

  it('keeps the registry from other roles', async () => {
    await bawaslu.get('/registri').expect(403);
    await bawaslu.get('/registri/impor').expect(403);
  });
});
