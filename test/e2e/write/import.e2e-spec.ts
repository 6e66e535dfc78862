import { EventStore } from '@netral/event-store';
import { createTestApp, createUser, nipFor, type TestApp, type TestUser } from '@netral/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { registerImportCommands } from '../../../apps/cli/src/commands/import';
import { EXIT_CODES } from '../../../apps/cli/src/cli-error';
import { runCommand } from '../../../apps/cli/src/testing/run-command';
import { AggregateStore } from '../../../apps/ledger/src/infrastructure/aggregate-store';
import { DataDirLock } from '../../../apps/ledger/src/infrastructure/data-dir-lock';
import { Clock } from '../../../apps/ledger/src/common/clock';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');

describe('roster import', () => {
  let t: TestApp;
  let hr: TestUser;
  const upload = (path: string, csv: string | Buffer, user: TestUser = hr) =>
    request(t.server)
      .post(path)
      .set('Authorization', user.auth)
      .attach('file', Buffer.from(csv), 'roster.csv');
  const head = () => t.app.get(EventStore).headPosition();
  /** An import report's problems as `baris N: Column: reason`, as a person reads them. */
  const reasonsOf = (res: { body: { details: { field: string; reason: string }[] } }) =>
    res.body.details.map((d) => `${d.field}: ${d.reason}`);

  beforeAll(async () => {
    t = await createTestApp();
    hr = await createUser(t, 'HR');
  });

  afterAll(async () => {
    await t.close();
  });

  it('imports the shipped OPD and ASN samples, then a re-import writes nothing', async () => {
    const opds = await upload('/api/v1/opds/import', readFileSync(join(SAMPLES, 'opd-bangli.csv')));
    expect(opds.status).toBe(200);
    expect(opds.body).toMatchObject({ rows: 33, created: 33, errors: [] });
    const dry = await upload(
      '/api/v1/asn/import?dryRun=true',
      readFileSync(join(SAMPLES, 'asn-bangli.csv')),
    );
    expect(dry.body).toMatchObject({ dryRun: true, rows: 120, created: 120, position: null });
    const beforeDry = await head();
    expect(beforeDry).toBe(BigInt(opds.body.position));
    const asn = await upload('/api/v1/asn/import', readFileSync(join(SAMPLES, 'asn-bangli.csv')));
    expect(asn.body).toMatchObject({
      rows: 120,
      created: 120,
      transferred: 0,
      unchanged: 0,
      errors: [],
    });
    const again = await upload('/api/v1/asn/import', readFileSync(join(SAMPLES, 'asn-bangli.csv')));
    expect(again.body).toMatchObject({ created: 0, unchanged: 120, position: null });
    expect(await head()).toBe(BigInt(asn.body.position));
  });

  it('reports every bad row with line, column and reason, and writes nothing', async () => {
    const before = await head();
    const res = await upload(
      '/api/v1/asn/import',
      readFileSync(join(SAMPLES, 'asn-with-errors.csv')),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ROSTER_INVALID');
    expect(
      res.body.details.map((d: { line: number; column: string }) => `${d.line}:${d.column}`),
      // Line 2 is valid (the ASN sample enrolled that NIP as Pranata Komputer: a new position to record),
      // but not with the other rows: nothing is written.
    ).toEqual(['3:NIP', '4:Nama', '4:Jenis ASN', '4:Kode OPD', '5:NIP']);
    expect(await head()).toBe(before);
  });

  it('refuses a row whose NIP records an appointment after next year (a future birth date does too)', async () => {
    const before = await head();
    const year = Number(t.app.get(Clock).today().slice(0, 4));
    const csv = [
      'NIP,Nama,Jabatan,Jenis ASN,Kode OPD',
      `19850312${year + 2}011002,I Made Uji,Analis,PNS,4.01.01`, // TMT CPNS two years ahead
      `${year + 1}0101${year + 16}011001,I Nyoman Uji,Analis,PNS,4.01.01`, // born next year
    ].join('\n');
    const res = await upload('/api/v1/asn/import', csv);
    expect(res.status).toBe(400);
    expect(
      res.body.details.map((d: { line: number; code: string; reason: string }) => [
        d.line,
        d.code,
        d.reason,
      ]),
    ).toEqual([
      // The rule's code for programs, the reason in words (without the code) for people.
      [2, 'NIP_IN_FUTURE', expect.not.stringContaining('NIP_IN_FUTURE')],
      [3, 'NIP_IN_FUTURE', expect.not.stringContaining('NIP_IN_FUTURE')],
    ]);
    expect(await head()).toBe(before);
  });

  it('finds OPD rows that could only fail while writing before writing any (ids, parents, cycles)', async () => {
    // The samples were imported above: 4.01.01 is sekretariat-daerah.
    const csv = [
      'Kode OPD;Nama OPD;Jenis;Kode Induk;ID OPD',
      '9.01.01;Dinas Baru;Dinas;;',
      '9.01.02;Dinas  Baru;Dinas;;', // the same id once slugified
      '9.01.03;Badan Lain;Badan;;sekretariat-daerah', // an id the registry gives another code
      '9.01.04;Bagian A;Lainnya;9.01.05;bagian-a',
      '9.01.05;Bagian B;Lainnya;9.01.04;bagian-b', // A's parent is B, B's is A
      '9.01.06;Bagian C;Lainnya;9.01.06;bagian-c', // its own parent
    ].join('\n');
    const before = await head();
    const res = await upload('/api/v1/opds/import?dryRun=true', csv);
    expect(res.status).toBe(400);
    const reasons = reasonsOf(res);
    expect(reasons).toEqual([
      expect.stringMatching(/^baris 3: ID OPD: ID dinas-baru ganda: sudah dipakai di baris 2/),
      expect.stringMatching(
        /^baris 4: ID OPD: ID sekretariat-daerah sudah dipakai OPD berkode 4\.01\.01/,
      ),
      expect.stringMatching(
        /^baris 5: Kode Induk: induk berputar: 9\.01\.04 → 9\.01\.05 → 9\.01\.04/,
      ),
      expect.stringMatching(/^baris 6: Kode Induk: induk berputar/),
      expect.stringMatching(/^baris 7: Kode Induk: induk berputar: 9\.01\.06 → 9\.01\.06/),
    ]);
    expect(await head()).toBe(before);
  });

  it('treats a row for an ASN now in another OPD as a transfer; matches headers loosely', async () => {
    const nip = nipFor(4242);
    await upload(
      '/api/v1/asn/import',
      `nip,NAMA,jabatan,JENIS_ASN,kode opd\n${nip},Ni Made Ayu,Guru,pns,1.01.01\n`,
    ).expect(200);
    const moved = await upload(
      '/api/v1/asn/import',
      `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nip};Ni Made Ayu;Guru;PNS;1.02.01\n`,
    );
    expect(moved.body).toMatchObject({ created: 0, transferred: 1 });
  });

  it('reads a semicolon file whose names hold unquoted commas (Excel, Indonesian locale)', async () => {
    const nip = nipFor(4343);
    const res = await upload(
      '/api/v1/asn/import',
      `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\r\n${nip};dr. I Wayan Sudana, M.Kes.;Dokter Ahli Madya;PNS;1.02.01\r\n`,
    );
    expect(res.body).toMatchObject({ created: 1, errors: [] });
    for await (const event of t.app.get(EventStore).readStream(`asn-${nip}`)) {
      expect(event.data).toMatchObject({
        name: 'dr. I Wayan Sudana, M.Kes.',
        opdId: expect.any(String),
      });
    }
  });

  it('says which NIPs a spreadsheet turned into numbers (E+17, or rounded to …000), and writes nothing', async () => {
    const before = await head();
    const res = await upload(
      '/api/v1/asn/import',
      'NIP;Nama;Jabatan;Jenis ASN;Kode OPD\r\n' +
        '1,98503E+17;I Made Sutama;Pengadministrasi Umum;PNS;1.02.01\r\n' +
        '198503122010011000;Ni Ketut Ayu;Perawat Terampil;PNS;1.02.01\r\n',
    );
    expect(res.status).toBe(400);
    const rows = res.body.details as {
      line: number;
      column: string;
      code: string;
      reason: string;
    }[];
    expect(rows.map((d) => `${d.line}:${d.column}:${d.code}`)).toEqual([
      '2:NIP:NIP_SPREADSHEET_NUMBER',
      '3:NIP:NIP_SEQUENCE',
    ]);
    expect(rows.every((d) => /Excel.*bertipe Teks.*SIASN/.test(d.reason))).toBe(true);
    expect(await head()).toBe(before);
  });

  it('never takes a dry run for a real import, nor the reverse', async () => {
    const csv = `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nipFor(4444)};I Made Uji;Staf;PNS;1.02.01\n`;
    const before = await head();
    // dryRun as a form field is not read: refused, rather than ignored and written for real.
    const field = await request(t.server)
      .post('/api/v1/asn/import')
      .set('Authorization', hr.auth)
      .field('dryRun', 'true')
      .attach('file', Buffer.from(csv), 'roster.csv');
    expect(field.status).toBe(400);
    expect(field.body.details).toEqual([expect.objectContaining({ field: 'dryRun' })]);
    const bad = await upload('/api/v1/asn/import?dryRun=ya', csv);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'dryRun', reason: 'harus true atau false' });
    expect(await head()).toBe(before);
    // The same Idempotency-Key on the dry run and then the real import: two different requests.
    const dry = await upload('/api/v1/asn/import?dryRun=true', csv).set('Idempotency-Key', 'imp-1');
    expect(dry.body).toMatchObject({ dryRun: true, created: 1 });
    const real = await upload('/api/v1/asn/import', csv).set('Idempotency-Key', 'imp-1');
    expect(real.status).toBe(409);
    const other = await upload('/api/v1/asn/import', csv).set('Idempotency-Key', 'imp-2');
    expect(other.body).toMatchObject({ dryRun: false, created: 1 });
  });

  it('refuses a CSV not in UTF-8 as that (not as a picture), and says a broken quote in words', async () => {
    const before = await head();
    const latin1 = Buffer.concat([
      Buffer.from(`NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nipFor(4501)};I Made Jos`),
      Buffer.from([0xe9]), // "é" in Latin-1
      Buffer.from(';Staf;PNS;1.02.01\n'),
    ]);
    const res = await upload('/api/v1/asn/import?dryRun=true', latin1);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      expect.objectContaining({ field: 'file', code: 'NOT_UTF8' }),
    ]);
    for (const [csv, words] of [
      [
        `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nipFor(4502)};"I Made;Staf;PNS;1.02.01\n`,
        'tidak ditutup',
      ],
      [
        `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nipFor(4503)};=HYPERLINK("x");Staf;PNS;1.02.01\n`,
        'di tengah isian',
      ],
    ]) {
      const broken = await upload('/api/v1/asn/import?dryRun=true', csv);
      expect(broken.status).toBe(400);
      expect(broken.body.details[0].reason).toContain(words);
      expect(broken.body.details[0].reason).not.toMatch(/Quote|field|line/);
    }
    expect(await head()).toBe(before);
  });

  it('answers a missing file, a missing column and a non-CSV clearly', async () => {
    expect(
      (await request(t.server).post('/api/v1/asn/import').set('Authorization', hr.auth)).body.code,
    ).toBe('FILE_REQUIRED');
    // With an Idempotency-Key too, on both import routes and twice over: the answer is about the file, not
    // about a key "still in progress" (a body that is not multipart is the middleware's, never also the
    // upload interceptor's).
    for (const path of ['/api/v1/asn/import', '/api/v1/opds/import', '/api/v1/asn/import']) {
      const keyed = await request(t.server)
        .post(path)
        .set('Authorization', hr.auth)
        .set('Idempotency-Key', 'no-file-1')
        .send({});
      expect([keyed.status, keyed.body.code]).toEqual([400, 'FILE_REQUIRED']);
    }
    for (const empty of ['', 'NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n']) {
      const none = await upload('/api/v1/asn/import?dryRun=true', empty);
      expect(none.status).toBe(400);
      expect(none.body.details).toEqual([
        expect.objectContaining({ field: 'file', code: 'FILE_EMPTY' }),
      ]);
    }
    const noColumn = await upload('/api/v1/asn/import', 'NIP,Nama\n198503122010011002,X\n');
    expect(noColumn.status).toBe(400);
    expect(noColumn.body.details[0].reason).toBe(
      'kolom wajib tidak ada; baris judul berkas ini: "NIP", "Nama"; kolom yang diharapkan: NIP, Nama, Jabatan, Jenis ASN, Kode OPD',
    );
    const binary = await upload(
      '/api/v1/asn/import',
      Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x22, 0x0a, 0x22]),
    );
    expect(binary.status).toBe(400);
    expect(binary.body.details[0]).toMatchObject({
      field: 'file',
      code: 'NOT_TEXT',
      reason: expect.stringContaining('bukan berkas CSV (teks)') as string,
    });
  });

  it("checks the header row and each row's cell count, reporting a short first row on its own line", async () => {
    const before = await head();
    const header = 'NIP,Nama,Jabatan,Jenis ASN,Kode OPD';
    const short = await upload(
      '/api/v1/asn/import?dryRun=true',
      [
        header,
        `${nipFor(7001)},I Made Uji,Analis,PNS`,
        `${nipFor(7002)},"Uji, S.Kom",Analis,PNS,4.01.01,x`,
      ].join('\n'),
    );
    expect(short.status).toBe(400);
    expect(
      short.body.details.map((d: { line: number; column: string; code: string }) => [
        d.line,
        d.column,
        d.code,
      ]),
    ).toEqual([
      [2, 'Jumlah kolom', 'ROW_TOO_SHORT'],
      [3, 'Jumlah kolom', 'ROW_TOO_LONG'],
    ]);
    expect(short.body.details[0].reason).toBe(
      'baris ini berisi 4 isian, baris judul 5 (tidak ada isian untuk Kode OPD): periksa tanda pemisah yang hilang, atau tanda kutip yang menggabungkan dua isian',
    );
    // A column read twice: which one counts? Refused on the header, with both places named.
    const twice = await upload(
      '/api/v1/asn/import?dryRun=true',
      `${header},nama\n${nipFor(7001)},I Made Uji,Analis,PNS,4.01.01,I Made Lain\n`,
    );
    expect(twice.status).toBe(400);
    expect(twice.body.details).toEqual([
      expect.objectContaining({
        field: 'file',
        code: 'COLUMNS_DUPLICATE',
        reason: expect.stringContaining('"Nama" (kolom ke-2, ke-6)') as string,
      }),
    ]);
    // A header alone that also lacks a column: the column is what to fix first.
    const headerOnly = await upload('/api/v1/asn/import?dryRun=true', 'NIP,Nama\n');
    expect(headerOnly.body.details).toEqual([
      expect.objectContaining({ field: 'file', code: 'COLUMNS_MISSING' }),
    ]);
    expect(await head()).toBe(before);
  });

  it('reports every problem of an OPD row at once: a missing name and an unknown parent code', async () => {
    const res = await upload(
      '/api/v1/opds/import?dryRun=true',
      ['Kode OPD,Nama OPD,Jenis,Kode Induk,ID OPD', '9.02.01,,Dinas,9.99.99,'].join('\n'),
    );
    expect(res.status).toBe(400);
    expect(reasonsOf(res)).toEqual([
      'baris 2: Nama OPD: wajib diisi',
      'baris 2: Kode Induk: OPD induk dengan kode "9.99.99" tidak ada di berkas maupun di registri',
    ]);
  });

  it('reads Nama, Jabatan and Nama OPD as the API reads them: blank, control characters, no letter', async () => {
    const before = await head();
    const asn = await upload(
      '/api/v1/asn/import?dryRun=true',
      [
        'NIP,Nama,Jabatan,Jenis ASN,Kode OPD',
        `${nipFor(5101)},\u200b\u200b,Guru,PNS,1.01.01`,
        `${nipFor(5102)},Ni Made Ayu,Guru\u001b[31m,PNS,1.01.01`,
        `${nipFor(5103)},0,-1,PNS,1.01.01`,
        `${nipFor(5104)},Ni Ketut Sari,Guru Ahli Muda,PNS,1.01.01`,
      ].join('\n'),
    );
    expect(asn.status).toBe(400);
    const details = asn.body.details as { line: number; column: string; code: string }[];
    expect(details[0]).toMatchObject({ line: 2, column: 'Nama', reason: 'wajib diisi' });
    expect(details.slice(1).map((d) => `${d.line}:${d.column}:${d.code}`)).toEqual([
      '3:Jabatan:controlCharacter',
      '4:Nama:hasLetter',
      '4:Jabatan:hasLetter',
    ]);
    const opds = await upload(
      '/api/v1/opds/import?dryRun=true',
      ['Kode OPD,Nama OPD,Jenis', '9.03.01,123,Dinas', '9.03.02,Dinas Uji Huruf,Dinas'].join('\n'),
    );
    expect(opds.status).toBe(400);
    expect(reasonsOf(opds)).toEqual([
      'baris 2: Nama OPD: harus berisi huruf: tulis namanya, bukan hanya angka atau tanda baca (kolom tergeser?)',
    ]);
    expect(await head()).toBe(before);
  });

  it('runs from the CLI on the same store (import asn --dry-run, then for real)', async () => {
    const file = join(t.dataDir, 'cli.csv');
    writeFileSync(
      file,
      `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nipFor(5151)};I Wayan Cli;Pranata Komputer;PNS;2.16.01\n`,
    );
    const cli = runCommand(registerImportCommands, { NETRAL_DATA_DIR: t.dataDir });
    expect((await cli('import', 'asn', file, '--dry-run')).output).toContain(
      '1 ASN akan didaftarkan',
    );
    expect((await cli('import', 'asn', file)).output).toContain('1 ASN telah didaftarkan');
    const events = [];
    for await (const e of t.app.get(EventStore).readStream(`asn-${nipFor(5151)}`)) {
      events.push(e);
    }
    expect(events.map((e) => e.type)).toEqual(['AsnEnrolled']);
  });

  it('refuses, from the CLI, a row past the first read that is not UTF-8, naming its line and cell', async () => {
    // The file is read in 64 KB chunks: its head is UTF-8, the last row (in Latin-1) comes later.
    const rows = Array.from(
      { length: 1200 },
      (_, i) => `${nipFor(6000 + i)};I Wayan Baris ${i};Pranata Komputer;PNS;2.16.01`,
    );
    const file = join(t.dataDir, 'cli-latin1.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${rows.join('\n')}\n${nipFor(7300)};Jos`),
        Buffer.from([0xe9]),
        Buffer.from(';Staf;PNS;2.16.01\n'),
      ]),
    );
    const cli = runCommand(registerImportCommands, { NETRAL_DATA_DIR: t.dataDir });
    const { code, output } = await cli('import', 'asn', file, '--dry-run');
    expect(code).not.toBe(0);
    expect(output).toMatch(/1202\D[^\n]*Nama[^\n]*bukan UTF-8/);
  });

  it('refuses to write from the CLI while the service holds the data directory; a dry run still runs', async () => {
    const nip = nipFor(5252);
    const file = join(t.dataDir, 'cli-busy.csv');
    writeFileSync(
      file,
      `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${nip};I Made Sibuk;Analis;PNS;2.16.01\n`,
    );
    const cli = runCommand(registerImportCommands, { NETRAL_DATA_DIR: t.dataDir });
    const service = DataDirLock.tryAcquire(t.dataDir)!; // as main.ts holds it while the service runs
    try {
      const dryRun = await cli('import', 'asn', file, '--dry-run');
      expect(dryRun).toMatchObject({
        code: 0,
        output: expect.stringContaining('1 ASN akan didaftarkan'),
      });
      const refused = await cli('import', 'asn', file);
      expect(refused.code).toBe(EXIT_CODES.busy);
      expect(refused.output).toContain(`Direktori data ${t.dataDir} sedang dipakai`);
      expect(refused.output).toContain('POST /api/v1/asn/import');
    } finally {
      service.release();
    }
    expect(await t.app.get(AggregateStore).exists(`asn-${nip}`)).toBe(false);
  });
});
