import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  csrfFrom,
  expectStatus,
  post,
  seedLedger,
  streamEvents,
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
    // Line 5 repeats line 2's NIP; line 4 has three problems (name, type, OPD code), each its own row.
    expect(res.text).toMatch(/<td>5<\/td><td>NIP<\/td>/);
    expect(res.text).toMatch(/<td>4<\/td><td>Jenis ASN<\/td>/);
    expect(res.text).toContain('href="#baris-bermasalah"');
    expect(await eventCount()).toBe(before);
  });

  it('names a row that differs from the registry, and an OPD code another OPD holds', async () => {
    const before = await eventCount();
    const [staff] = roster['dinas-kesehatan'].staff;
    const asn = await upload(
      'asn',
      Buffer.from(
        `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${staff};Nama Lain;Kepala Seksi;PNS;1.01.01\n`,
      ),
    );
    expect(asn.status).toBe(400);
    expect(asn.text).toMatch(/<td>2<\/td><td>Nama<\/td><td>berbeda dengan registri/);
    expect(asn.text).toContain(
      `registri &quot;ASN ${staff.slice(-4)}&quot;, berkas &quot;Nama Lain&quot;`,
    );
    const opd = await upload(
      'opd',
      Buffer.from('Kode OPD;Nama OPD;Jenis;ID OPD\n 1.01.01;Dinas Kembar;Dinas;dinas-kembar\n'),
    );
    expect(opd.status).toBe(400);
    expect(opd.text).toMatch(/<td>2<\/td><td>Kode OPD<\/td><td>kode 1.01.01 sudah dipakai/);
    expect(await eventCount()).toBe(before);
  });

  it('says what is wrong with a file that is not this import’s CSV, on its field, and empty cells as such', async () => {
    const before = await eventCount();
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    ]);
    const picture = await upload('opd', png);
    expect(picture.status).toBe(400);
    expect(picture.text).toContain(
      '<a href="#file-opd">Berkas CSV Daftar OPD: bukan berkas CSV (teks)',
    );
    expect(picture.text).toContain('id="file-opd-error"');
    // A problem of the file is not "1 of 0 rows", and its cause is not a missing column.
    expect(picture.text).not.toContain('Baris bermasalah');
    expect(picture.text).not.toContain('kolom wajib tidak ada');
    const wrongFile = await upload('opd', sample('asn-with-errors.csv'));
    expect(wrongFile.status).toBe(400);
    expect(wrongFile.text).toContain(
      '<a href="#file-opd">Berkas CSV Daftar OPD: kolom wajib tidak ada',
    );
    expect(wrongFile.text).not.toContain('Baris bermasalah');
    // An empty cell of a required column is missing, not an unknown code; reasons carry no codes.
    const empty = await upload(
      'asn',
      Buffer.from(`NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n123;I Made Uji;Analis;PNS;\n`),
    );
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Baris bermasalah (1 dari 1 baris)');
    expect(empty.text).toMatch(/<td>2<\/td><td>Kode OPD<\/td><td>wajib diisi<\/td>/);
    expect(empty.text).toMatch(/<td>2<\/td><td>NIP<\/td><td>NIP harus 18 digit angka<\/td>/);
    expect(empty.text).not.toContain('NIP_FORMAT');
    expect(await eventCount()).toBe(before);
  });

  it('lists every bad row of a large file, not only the first ones', async () => {
    const before = await eventCount();
    const bad = 700;
    const csv = Buffer.from(
      [
        'NIP;Nama;Jabatan;Jenis ASN;Kode OPD',
        ...Array.from({ length: bad }, (_, i) => `12345${i};ASN ${i};Staf;PNS;1.01.01`),
      ].join('\n'),
    );
    const res = await upload('asn', csv);
    expect(res.status).toBe(400);
    const list = res.text.slice(res.text.indexOf('<h3>Setiap baris</h3>'));
    const nipRows = [...list.matchAll(/<tr><td>(\d+)<\/td><td>NIP<\/td>/g)].map((m) =>
      Number(m[1]),
    );
    expect(nipRows).toEqual(Array.from({ length: bad }, (_, i) => i + 2));
    // Above the list, the problems by kind: here one, 700 times, first on line 2.
    expect(res.text).toContain('Ringkasan per jenis masalah');
    expect(res.text).toMatch(
      /<table class="import-kinds">[\s\S]*?<tbody>\s*<tr><td>700<\/td><td>NIP<\/td><td>NIP harus 18 digit angka<\/td><td>2<\/td><\/tr>\s*<\/tbody>/,
    );
    expect(await eventCount()).toBe(before);
  });

  it('a missing file is named next to its field', async () => {
    const res = await upload('opd', undefined, true);
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="file-opd-error"');
    expect(res.text).toMatch(/id="file-opd" name="file" type="file"[^>]*aria-invalid="true"/);
    expect(res.text).toContain(
      '<a href="#file-opd">Berkas CSV Daftar OPD: pilih berkas CSV terlebih dahulu</a>',
    );
    // The ticked "only check" box stays ticked; the other form is untouched.
    expect(res.text).toContain('name="dryRun" value="ya" checked');
    expect(res.text).not.toContain('id="file-asn-error"');
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
    expect(await eventCount()).toBe(before + 2); // the code's claim (opdcode-9.01.01), then the OPD
    expect((await hr.get(real.headers.location)).text).toContain('Kecamatan Uji');
  });

  it('a clean roster is imported and the flash says how many rows', async () => {
    const nip = '199001012015031001';
    const csv = Buffer.from(
      `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nip};I Wayan Uji Impor;Analis;PNS;9.01.01\n`,
    );
    const before = await eventCount();
    const dry = await upload('asn', csv, true);
    expect(dry.status).toBe(303);
    expect(dry.headers.location).toBe('/registri/impor');
    expect((await hr.get(dry.headers.location)).text).toContain('Belum ada yang disimpan');
    expect(await eventCount()).toBe(before);

    const real = await upload('asn', csv);
    expect(real.status).toBe(303);
    expect(await eventCount()).toBe(before + 1);
    const registry = await hr.get(real.headers.location).expect(200);
    expect(registry.text).toContain('asn.csv diimpor (1 baris: 1 baru, 0 tidak berubah)');
    const asn = await hr.get('/registri/asn?opdId=kecamatan-uji').expect(200);
    expect(asn.text).toContain(nip);
    expect(asn.text).toContain('I Wayan Uji Impor');
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
    expect(empty.text).toMatch(/<textarea id="reason"[^>]*aria-invalid="true"/);
    expect(empty.text).toContain('<a href="#reason">Alasan pencabutan: wajib diisi</a>');
    const long = await hr
      .post(`/sertifikat/${certificateId}/pencabutan`)
      .type('form')
      .send({ reason: 'x'.repeat(1001), _csrf: csrfFrom(form.text) });
    expect(long.status).toBe(400);
    expect(long.text).toContain('Alasan pencabutan: paling panjang 1000 karakter');
    const done = await hr
      .post(`/sertifikat/${certificateId}/pencabutan`)
      .type('form')
      .redirects(0)
      .send({ reason: 'Data kepala OPD keliru', _csrf: csrfFrom(form.text) });
    expect(done.status).toBe(303);
    const after = await hr.get(done.headers.location).expect(200);
    expect(after.text).toContain(`Sertifikat ${certificateId} dicabut.`);
    const verification = await hr.get(`/v/${certificateId}`).expect(200);
    expect(verification.text).toContain('Data kepala OPD keliru');

    // Revoking twice is the domain's refusal, told as a flash on the compliance page (never a 500).
    const again = await hr
      .post(`/sertifikat/${certificateId}/pencabutan`)
      .type('form')
      .redirects(0)
      .send({ reason: 'Sekali lagi', _csrf: csrfFrom(form.text) });
    expect(again.status).toBe(303);
    const refused = await hr.get(again.headers.location).expect(200);
    expect(refused.text).toMatch(/class="flash flash-error"[^>]*>Sertifikat \S+ sudah dicabut\./);
    // An unknown certificate is a 404 page.
    await hr
      .post('/sertifikat/SK-0000-TIDAKADA/pencabutan')
      .type('form')
      .send({ reason: 'uji', _csrf: csrfFrom(form.text) })
      .expect(404);
  });

  describe('an OPD’s page: one ASN, a new name, the dissolution', () => {
    const list = (opdId: string) => `/registri/asn?opdId=${opdId}`;
    const submit = async (opdId: string, form: string, fields: object) => {
      const current = await hr.get(list(opdId)).expect(200);
      return hr
        .post(`/registri/opd/${opdId}/${form}`)
        .redirects(0)
        .type('form')
        .send({ ...fields, _csrf: csrfFrom(current.text) });
    };

    const registerOpd = async (fields: object) => {
      const current = await hr.get('/registri').expect(200);
      return hr
        .post('/registri/opd')
        .redirects(0)
        .type('form')
        .send({ ...fields, _csrf: csrfFrom(current.text) });
    };

    it('registers an OPD from the registry page, its id made from the name', async () => {
      const before = await eventCount();
      const empty = await registerOpd({ code: '', name: '', kind: '' });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain('id="name-error"');
      expect(empty.text).toContain('id="kind-error"');
      expect(empty.text).not.toContain('id="opdId-error"');
      // The summary: each field by its label, in the form's order, an empty one as "wajib diisi".
      expect(
        [...empty.text.matchAll(/<li><a href="#([^"]+)">([^<]*)<\/a><\/li>/g)].map(
          ([, id, text]) => `${id} ${text}`,
        ),
      ).toEqual([
        'code Kode OPD: wajib diisi',
        'name Nama OPD: wajib diisi',
        'kind Jenis: wajib diisi',
      ]);
      const taken = await registerOpd({ code: ' 1.01.01 ', name: 'Dinas Lain', kind: 'DINAS' });
      expect(taken.status).toBe(409);
      expect(taken.text).toContain('id="code-error"');
      expect(taken.text).toContain('value="Dinas Lain"');
      expect(await eventCount()).toBe(before);
      const res = await registerOpd({
        code: '8.01.01',
        name: 'Badan Uji',
        kind: 'BADAN',
        opdId: '',
        parentOpdId: '',
      });
      expect(res.status).toBe(303);
      const shown = await hr.get(res.headers.location).expect(200);
      expect(shown.text).toContain('Badan Uji (8.01.01) didaftarkan.');
      expect(shown.text).toContain('href="/registri/asn?opdId=badan-uji"');
    });

    it('enrols one ASN from the form, the NIP as printed, and lists them', async () => {
      const page = await hr.get(list('badan-uji')).expect(200);
      expect(page.text).toContain('Tambah satu ASN');
      const res = await submit('badan-uji', 'asn', {
        nip: '19850312 201001 1 002',
        name: 'I Wayan Uji',
        position: 'Analis',
        employmentType: 'PNS',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/registri\/asn\?opdId=badan-uji&minPosition=\d+$/);
      const shown = await hr.get(res.headers.location).expect(200);
      expect(shown.text).toContain('I Wayan Uji (19850312 201001 1 002) didaftarkan di Badan Uji.');
      expect(shown.text).toContain('href="/registri/asn/198503122010011002"');
      expect((await streamEvents(t, 'asn-198503122010011002'))[0]).toMatchObject({
        type: 'AsnEnrolled',
        data: { opdId: 'badan-uji', employmentType: 'PNS' },
        metadata: { actorId: hrUser.userId, actorRole: 'HR' },
      });
    });

    it('says what to fix next to the field and writes nothing; a second enrolment is refused', async () => {
      const before = await eventCount();
      const bad = await submit('badan-uji', 'asn', {
        nip: '198502302010011002',
        name: '',
        position: 'Analis',
        employmentType: '',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('href="#asn-nip"');
      expect(bad.text).toContain('id="asn-nip-error"');
      expect(bad.text).toContain('tanggal lahir YYYYMMDD');
      expect(bad.text).toContain('id="asn-name-error"');
      expect(bad.text).toContain('id="asn-employmentType-error"');
      expect(bad.text).toContain('value="Analis"');
      const twice = await submit('badan-uji', 'asn', {
        nip: '198503122010011002',
        name: 'I Wayan Uji',
        position: 'Analis',
        employmentType: 'PNS',
      });
      expect(twice.status).toBe(409);
      // Where the NIP already is, by the OPD's name.
      expect(twice.text).toContain('sudah terdaftar di Badan Uji (badan-uji).');
      expect(await eventCount()).toBe(before);
    });

    it('renames the OPD, and dissolves it only once nobody active is left', async () => {
      const renamed = await submit('badan-uji', 'nama', { name: 'Badan Uji Coba' });
      expect(renamed.status).toBe(303);
      expect((await hr.get(renamed.headers.location).expect(200)).text).toContain(
        '<h1>ASN Badan Uji Coba</h1>',
      );
      // The same name again writes nothing, and the page says so instead of "renamed".
      const before = await eventCount();
      const same = await submit('badan-uji', 'nama', { name: 'Badan Uji Coba' });
      expect(same.status).toBe(409);
      expect(same.text).toContain('Nama OPD sudah Badan Uji Coba: tidak ada yang diubah.');
      expect(same.text).toContain('<a href="#nama-name">Nama baru: sama dengan nama sekarang</a>');
      expect(same.text).not.toContain('diubah menjadi');
      expect(await eventCount()).toBe(before);
      const refused = await submit('badan-uji', 'bubar', { reason: 'Digabung' });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('1 ASN aktif');
      await expectStatus(
        post(t, hrUser, '/api/v1/asn/198503122010011002/departure', { reason: 'Pensiun' }),
        200,
      );
      const dissolved = await submit('badan-uji', 'bubar', { reason: 'Digabung (Perda 1/2026)' });
      expect(dissolved.status).toBe(303);
      const after = await hr.get(dissolved.headers.location).expect(200);
      expect(after.text).toContain('Badan Uji Coba dibubarkan.');
      expect(after.text).toContain('OPD ini sudah dibubarkan');
      expect(after.text).not.toContain('Tambah satu ASN');
      expect((await hr.get('/registri').expect(200)).text).toContain('(dibubarkan)');
      // A form for an OPD that does not exist, or a form that does not exist, is a 404 page.
      const page = await hr.get('/registri').expect(200);
      await hr
        .post('/registri/opd/tidak-ada/nama')
        .type('form')
        .send({ name: 'x', _csrf: csrfFrom(page.text) })
        .expect(404);
      await hr
        .post('/registri/opd/dinas-kesehatan/hapus')
        .type('form')
        .send({ _csrf: csrfFrom(page.text) })
        .expect(404);
    });
  });

  describe('one ASN’s page: a new name or position, a move, a departure', () => {
    const page = (nip: string) => `/registri/asn/${nip}`;
    const submit = async (
      nip: string,
      form: 'data' | 'mutasi' | 'keluar' | 'kepala',
      fields: object,
    ) => {
      const current = await hr.get(page(nip)).expect(200);
      return hr
        .post(`${page(nip)}/${form}`)
        .redirects(0)
        .type('form')
        .send({ ...fields, _csrf: csrfFrom(current.text) });
    };
    const follow = (res: { headers: Record<string, string> }) =>
      hr.get(res.headers.location).expect(200);

    it('is linked from the list and shows the record with its forms', async () => {
      const nip = roster['dinas-kesehatan'].staff[1];
      const list = await hr.get('/registri/asn?opdId=dinas-kesehatan').expect(200);
      expect(list.text).toContain(`href="/registri/asn/${nip}"`);
      const res = await hr.get(page(nip)).expect(200);
      expect(res.text).toContain('Perbaiki nama atau ubah jabatan');
      expect(res.text).toContain('value="Pelaksana"');
      expect(res.text).toContain('<option value="dinas-pendidikan">');
      expect(res.text).not.toContain('<option value="dinas-kesehatan">');
    });

    it('tells, on the head’s page, that a move or a departure leaves the head post vacant', async () => {
      const head = await hr.get(page(roster['dinas-kesehatan'].head)).expect(200);
      expect(head.text).toContain('<strong>Kepala OPD dinas kesehatan</strong>');
      expect(head.text).toContain('id="mutasi-head"');
      expect(head.text).toContain('id="keluar-head"');
      expect(head.text).toContain('kosong sampai kepala baru');
      const staff = await hr.get(page(roster['dinas-kesehatan'].staff[1])).expect(200);
      expect(staff.text).not.toContain('Kepala OPD dinas kesehatan');
      expect(staff.text).not.toContain('id="mutasi-head"');
    });

    it('records a new position with its reason and shows it after the redirect', async () => {
      const nip = roster['dinas-kesehatan'].staff[1];
      const before = await eventCount();
      const res = await submit(nip, 'data', {
        name: `ASN ${nip.slice(-4)}`,
        position: 'Kepala Seksi Pelayanan',
        reason: 'SK Bupati 821/90/2024',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(new RegExp(`^/registri/asn/${nip}\\?minPosition=\\d+$`));
      expect(await eventCount()).toBe(before + 1);
      const shown = await follow(res);
      expect(shown.text).toContain(`Data ${nip} diperbarui.`);
      expect(shown.text).toContain('<dd>Kepala Seksi Pelayanan</dd>');
      const [event] = await streamEvents(t, `asn-${nip}`).then((events) => events.slice(-1));
      expect(event).toMatchObject({
        type: 'AsnDetailsChanged',
        data: { previous: { position: 'Pelaksana' }, reason: 'SK Bupati 821/90/2024' },
        metadata: { actorId: hrUser.userId, actorRole: 'HR' },
      });
    });

    it('says what to fix, next to the field, and writes nothing', async () => {
      const nip = roster['dinas-kesehatan'].staff[1];
      const before = await eventCount();
      const unchanged = await submit(nip, 'data', {
        name: `ASN ${nip.slice(-4)}`,
        position: 'Kepala Seksi Pelayanan',
        reason: '',
      });
      expect(unchanged.status).toBe(400);
      expect(unchanged.text).toContain('isi nama atau jabatan baru (paling tidak salah satu)');
      expect(unchanged.text).toContain('href="#data-reason"');
      expect(unchanged.text).toContain('id="data-reason-error"');
      const noTarget = await submit(nip, 'mutasi', { toOpdId: '' });
      expect(noTarget.status).toBe(400);
      expect(noTarget.text).toContain('<a href="#mutasi-toOpdId">OPD tujuan: wajib diisi</a>');
      const noReason = await submit(nip, 'keluar', { reason: '  ' });
      expect(noReason.status).toBe(400);
      expect(noReason.text).toContain('id="keluar-reason-error"');
      expect(await eventCount()).toBe(before);
    });

    it('moves the ASN to another OPD, then records the departure, after which only a correction is offered', async () => {
      const nip = roster['dinas-kesehatan'].staff[1];
      const moved = await submit(nip, 'mutasi', { toOpdId: 'dinas-pendidikan' });
      expect(moved.status).toBe(303);
      expect((await follow(moved)).text).toContain('<dd>dinas pendidikan</dd>');
      const left = await submit(nip, 'keluar', { reason: 'Pensiun' });
      expect(left.status).toBe(303);
      const shown = await follow(left);
      expect(shown.text).toContain('sudah keluar');
      expect(shown.text).not.toContain('Perbaiki nama atau ubah jabatan');
      expect(shown.text).not.toContain('/mutasi"');
      expect(shown.text).not.toContain('/keluar"');
      expect(shown.text).toContain('id="data-left"');
      expect((await streamEvents(t, `asn-${nip}`)).map((e) => e.type).slice(-2)).toEqual([
        'AsnTransferred',
        'AsnLeft',
      ]);
      // A misspelt name is still corrected on the record, which stays "left".
      const corrected = await submit(nip, 'data', {
        name: `ASN ${nip.slice(-4)} Putra`,
        position: 'Kepala Seksi Pelayanan',
        reason: 'salah ketik',
      });
      expect(corrected.status).toBe(303);
      const after = await follow(corrected);
      expect(after.text).toContain(`<h1>ASN ${nip.slice(-4)} Putra</h1>`);
      expect(after.text).toContain('sudah keluar');
      expect((await streamEvents(t, `asn-${nip}`)).at(-1)).toMatchObject({
        type: 'AsnDetailsChanged',
        data: { previous: { name: `ASN ${nip.slice(-4)}` }, reason: 'salah ketik' },
      });
      // The list says it in words, never the status code.
      const list = await hr.get(`/registri/asn?q=${nip}`).expect(200);
      expect(list.text).toContain('<td>sudah keluar</td>');
      expect(list.text).not.toContain('LEFT');
    });

    it('appoints an ASN as head of their OPD, saying whom they replace', async () => {
      const { head: previous, staff } = roster['dinas-pendidikan'];
      const before = await hr.get(page(staff[0])).expect(200);
      expect(before.text).toContain('Tetapkan sebagai kepala dinas pendidikan');
      expect(before.text).toContain(`(${previous}) sebagai kepala dinas pendidikan`);
      const res = await submit(staff[0], 'kepala', {});
      expect(res.status).toBe(303);
      const shown = await follow(res);
      expect(shown.text).toContain('ditetapkan sebagai kepala OPD.');
      expect(shown.text).toContain('<strong>Kepala OPD dinas pendidikan</strong>');
      expect(shown.text).not.toContain('Tetapkan sebagai kepala');
      expect((await streamEvents(t, 'opd-dinas-pendidikan')).at(-1)).toMatchObject({
        type: 'OpdHeadAppointed',
        data: { nip: staff[0], previousNip: previous },
        metadata: { actorId: hrUser.userId, actorRole: 'HR' },
      });
      const old = await hr.get(page(previous)).expect(200);
      expect(old.text).toContain(`(${staff[0]}) sebagai kepala dinas pendidikan`);
      expect(old.text).not.toContain('<strong>Kepala OPD');
    });

    it('an unknown NIP or form is a 404 page; other roles are refused', async () => {
      await hr.get(page('197001011995011999')).expect(404);
      await hr.get(page('bukan-nip')).expect(404);
      const unknownForm = await submit(roster['dinas-kesehatan'].staff[0], 'hapus' as 'data', {});
      expect(unknownForm.status).toBe(404);
      await bawaslu.get(page(roster['dinas-kesehatan'].staff[0])).expect(403);
    });
  });

  it('keeps the registry from other roles', async () => {
    await bawaslu.get('/registri').expect(403);
    await bawaslu.get('/registri/impor').expect(403);
  });
});
