import { EventStore, type RecordedEvent } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  csrfFrom,
  ELECTION,
  expectStatus,
  post,
  seedLedger,
  type TestApp,
  webLogin,
} from '@netral/testing';
import { createHash } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';
import { DocumentStore } from '../../../apps/ledger/src/documents/document-store';

/** A scanned sheet as a phone camera produces it (JPEG magic bytes are what the upload check reads). */
const SCAN = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('pindaian pakta')]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** A page's text as it reads, without markup (attribute values such as ids are not read). */
const visibleText = (html: string) => html.replace(/<[^>]*>/g, ' ');
/** A day a month from now: always in the future, whenever the suite runs. */
const nextMonth = () => new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10);

describe('pledge pages with a scanned document (OPD head)', () => {
  let t: TestApp;
  let head: TestAgent;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  const pledgeEvents = async () => {
    const events: RecordedEvent[] = [];
    for await (const e of t.app
      .get(EventStore)
      .readAll({ filter: { eventTypeRegex: '^PledgeSigned$' } })) {
      events.push(e);
    }
    return events;
  };

  const postStaff = async (
    nips: string[],
    scan?: { bytes: Buffer; name: string },
    signedAt = '2024-09-20',
  ) => {
    const page = await head.get('/opd/staf?electionId=pilkada-2024').expect(200);
    let pending = head
      .post(`/opd/staf?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .redirects(0)
      .field('electionId', 'pilkada-2024')
      .field('place', 'Bangli')
      .field('signedAt', signedAt);
    for (const nip of nips) {
      pending = pending.field('nip', nip);
    }
    return scan ? pending.attach('document', scan.bytes, scan.name) : pending;
  };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    roster = await seedLedger(t, { admin, hr }, { staffPerOpd: 3 });
    const second = await expectStatus(
      post(t, admin, '/api/v1/elections', {
        ...ELECTION,
        electionId: 'pilkada-2029',
        name: 'Pilkada Serentak 2029',
        votingDay: '2029-11-28',
        monitoringFrom: '2029-09-24',
        monitoringUntil: '2029-12-14',
      }),
      201,
    );
    await t.app
      .get(ReadSide)
      .runner.waitFor(BigInt((second.body as { position: string }).position), 5_000);
    const headUser = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-kesehatan' });
    head = await webLogin(t, headUser.username);
  });
  afterAll(() => t.close());

  it('reads a repeated or bracketed query parameter as the page’s text, not as a list', async () => {
    // Two elections: the page shows the current one unless the link names another.
    const plain = await head.get('/opd/staf').expect(200);
    const electionOf = (html: string) => /name="electionId" value="([^"]*)"/.exec(html)?.[1];
    const shown = electionOf(plain.text);
    const other = shown === 'pilkada-2024' ? 'pilkada-2029' : 'pilkada-2024';
    const repeated = await head
      .get(`/opd/staf?electionId=${other}&electionId=${shown}`)
      .expect(200);
    expect(electionOf(repeated.text)).toBe(other);
    // `electionId[x]=…` is no text: the page shows the first election, as without the name.
    const bracketed = await head.get(`/opd/staf?electionId[x]=${other}`).expect(200);
    expect(electionOf(bracketed.text)).toBe(shown);
  });

  it('refuses a file that is not a scan next to the field, keeps the choices, and writes nothing', async () => {
    const [first] = roster['dinas-kesehatan'].staff;
    const res = await postStaff([first], { bytes: Buffer.from('just text'), name: 'catatan.txt' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="document-error">Berkas harus PDF, JPG, atau PNG/);
    expect(res.text).toContain(`value="${first}" checked`);
    expect(res.text).toContain('value="Bangli"');
    expect(await pledgeEvents()).toHaveLength(0);
  });

  it('shows the batch form again when the rule refuses its date: the reason next to the field and in the summary, the ticks kept, nothing written', async () => {
    const [first, second] = roster['dinas-kesehatan'].staff;
    const future = nextMonth();
    const res = await postStaff([first], undefined, future);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(
      /id="signedAt-error">tanggal penandatanganan tidak boleh di masa depan</,
    );
    expect(res.text).toMatch(
      /id="ringkasan-kesalahan"[\s\S]*href="#signedAt">Tanggal penandatanganan: tanggal penandatanganan tidak boleh di masa depan/,
    );
    expect(res.text).toContain(`value="${first}" checked`);
    expect(res.text).not.toContain(`value="${second}" checked`);
    expect(res.text).toContain('value="Bangli"');
    expect(res.text).toContain(`value="${future}"`);
    expect(res.text).not.toContain(`${first}: Periksa kembali`);
    expect(await pledgeEvents()).toHaveLength(0);
  });

  it('shows the form again naming the field when nothing is ticked or the place is empty', async () => {
    const page = await head.get('/opd/staf?electionId=pilkada-2024').expect(200);
    const res = await head
      .post(`/opd/staf?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .redirects(0)
      .field('electionId', 'pilkada-2024')
      .field('place', '')
      .field('signedAt', '2024-09-20');
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#nip">ASN yang menandatangani: Pilih minimal satu ASN.');
    // In the order the form shows them: the signers, then the place.
    expect(res.text).toMatch(/href="#nip">[\s\S]*href="#place">Tempat: /);
    expect(res.text).toContain('id="place-error">wajib diisi');
    expect(res.text).toContain('href="#place">Tempat: wajib diisi');
    expect(res.text).toContain('value="2024-09-20"');
    expect(await pledgeEvents()).toHaveLength(0);
  });

  it('tells every problem of a pledge form at once: an empty place and a day in the future together', async () => {
    const [first] = roster['dinas-kesehatan'].staff;
    const future = nextMonth();
    for (const form of ['staf', 'pakta'] as const) {
      const page = await head.get(`/opd/${form}?electionId=pilkada-2024`).expect(200);
      const sent = head
        .post(`/opd/${form}?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
        .redirects(0)
        .field('electionId', 'pilkada-2024')
        .field('place', '')
        .field('signedAt', future);
      const res = await (form === 'staf'
        ? sent.field('nip', first)
        : sent.field('statement', 'ya'));
      expect([form, res.status]).toEqual([form, 400]);
      expect(res.text).toContain('href="#place">Tempat: wajib diisi');
      expect(res.text).toMatch(
        /href="#signedAt">Tanggal( penandatanganan)?: tanggal penandatanganan tidak boleh di masa depan/,
      );
      expect(res.text).toContain(`value="${future}"`);
    }
    expect(await pledgeEvents()).toHaveLength(0);
  });

  it('records the scan’s SHA-256 on every pledge of the batch and keeps the file', async () => {
    const nips = roster['dinas-kesehatan'].staff.slice(0, 2);
    const res = await postStaff(nips, { bytes: SCAN, name: 'pakta-staf.jpg' });
    expect(res.status).toBe(303);
    const events = await pledgeEvents();
    expect(events.map((e) => (e.data as { nip: string }).nip).sort()).toEqual([...nips].sort());
    for (const e of events) {
      expect(e.data).toMatchObject({ documentSha256: sha256(SCAN) });
      expect(e.metadata).toMatchObject({ actorRole: 'OPD_HEAD', opdId: 'dinas-kesehatan' });
    }
    expect(t.app.get(DocumentStore).get(sha256(SCAN))?.bytes.equals(SCAN)).toBe(true);
  });

  it('never signs for an ASN of another OPD, even in a batch with its own staff, and says which', async () => {
    const foreign = roster['dinas-pendidikan'].staff[0];
    const own = roster['dinas-kesehatan'].head;
    const res = await postStaff([foreign, own]);
    expect(res.status).toBe(303);
    const signed = (await pledgeEvents()).map((e) => (e.data as { nip: string }).nip);
    expect(signed).not.toContain(foreign);
    expect(signed).toContain(own);
    const page = await head.get(res.headers.location).expect(200);
    expect(page.text).toContain('1 pakta integritas staf telah tercatat; 1 tidak dapat dicatat: ');
    // Who works in another OPD stays unsaid: the NIP as typed, no name.
    const foreignName = t.app.get(ReadSide).unscoped.asn(foreign)!.name;
    expect(page.text).toContain(`NIP ${foreign}: tidak terdaftar aktif di OPD Anda`);
    expect(page.text).not.toContain(foreignName);
    expect(page.text).not.toContain('Periksa kembali isian yang ditandai');
  });

  it('names the first ten refused signers in the report and counts the rest', async () => {
    // NIPs of nobody in this OPD: each refused for itself, nothing written.
    const strangers = Array.from(
      { length: 12 },
      (_, i) => `1980010120100110${String(i + 10).padStart(2, '0')}`,
    );
    const before = (await pledgeEvents()).length;
    const res = await postStaff(strangers);
    expect(res.status).toBe(303);
    const page = await head.get(res.headers.location).expect(200);
    expect(page.text).toContain(
      'Tidak ada pakta integritas staf yang tercatat; 12 tidak dapat dicatat: ',
    );
    expect(page.text).toContain(`NIP ${strangers[9]}: tidak terdaftar aktif di OPD Anda`);
    expect(page.text).not.toContain(`NIP ${strangers[10]}`);
    expect(page.text).toContain('; dan 2 lainnya.');
    expect(await pledgeEvents()).toHaveLength(before);
  });

  it('signs without a scan too', async () => {
    const nip = roster['dinas-kesehatan'].staff[2];
    expect((await postStaff([nip])).status).toBe(303);
    const signed = (await pledgeEvents()).find((e) => (e.data as { nip: string }).nip === nip);
    expect(signed?.data).not.toHaveProperty('documentSha256');
  });

  it('shows the dashboard in words and calendar days, not codes and ISO dates', async () => {
    // Every ASN of the OPD, the head included, signs on 20 September 2024 (those who signed above are
    // refused in the batch as already signed).
    const { head: headNip, staff } = roster['dinas-kesehatan'];
    const batch = await postStaff([headNip, ...staff]);
    expect(batch.status).toBe(303);
    // The batch's report, shown once: each refused signer by name and NIP, with the rule's reason.
    const report = await head.get(batch.headers.location).expect(200);
    const headName = t.app.get(ReadSide).unscoped.asn(headNip)!.name;
    expect(report.text).toContain(
      `${headName} (NIP ${headNip}): sudah menandatangani pakta integritas untuk pemilihan ini pada 20 September 2024;`,
    );
    expect(report.text).toMatch(
      /Tidak ada pakta integritas staf yang tercatat; 4 tidak dapat dicatat: /,
    );
    const headPosition = await t.app.get(EventStore).headPosition();
    const page = await head
      .get(`/opd?electionId=pilkada-2024&minPosition=${headPosition}`)
      .expect(200);
    expect(page.text).toContain('<span class="status status-PATUH">Patuh</span>');
    expect(page.text).toContain('pemungutan suara 27 November 2024');
    expect(page.text).toContain('pengawasan mulai 25 September 2024');
    expect(page.text).toContain('sudah ditandatangani (20 September 2024)');
    expect(page.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('lets the head choose the election on the dashboard and both pledge pages, by name, without JavaScript', async () => {
    // By default the next election (pilkada-2029 is coming; pilkada-2024 is over).
    const dashboard = await head.get('/opd').expect(200);
    expect(dashboard.text).toContain('Pilkada Serentak 2029 · pemungutan suara 28 November 2029');
    expect(dashboard.text).toMatch(
      /<form method="get" action="\/opd"[^>]*>[\s\S]*<select id="pilih-pemilihan" name="electionId">/,
    );
    expect(dashboard.text).toContain(
      '<option value="pilkada-2029" selected>Pilkada Serentak 2029</option>',
    );
    expect(dashboard.text).toContain('<option value="pilkada-2024">Pilkada Serentak 2024</option>');
    // The earlier one is a choice away, and stays chosen; the transient minPosition is not carried on.
    const earlier = await head.get('/opd?electionId=pilkada-2024&minPosition=0').expect(200);
    expect(earlier.text).toContain('<option value="pilkada-2024" selected>');
    expect(earlier.text).toContain('Pilkada Serentak 2024 · pemungutan suara');
    expect(earlier.text).not.toContain('name="minPosition"');

    const own = await head.get('/opd/pakta?electionId=pilkada-2029').expect(200);
    expect(own.text).toContain('untuk <strong>Pilkada Serentak 2029</strong>');
    expect(own.text).toContain('<option value="pilkada-2029" selected>');
    expect(own.text).toContain('name="electionId" value="pilkada-2029"');
    expect(visibleText(own.text)).not.toContain('pilkada-2029');
    // A rule's refusal names the election by its name too.
    const refused = await head
      .post(`/opd/pakta?_csrf=${encodeURIComponent(csrfFrom(own.text))}`)
      .field('electionId', 'pilkada-2029')
      .field('statement', 'ya')
      .field('place', 'Bangli')
      .field('signedAt', '2026-01-01');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('sebelum pengawasan Pilkada Serentak 2029 dimulai');
    expect(visibleText(refused.text)).not.toContain('pilkada-2029');
    expect(refused.text).toContain('value="2026-01-01"');

    const staff = await head.get('/opd/staf?electionId=pilkada-2029').expect(200);
    expect(staff.text).toContain('untuk <strong>Pilkada Serentak 2029</strong>');
    expect(staff.text).toContain('<option value="pilkada-2029" selected>');
  });
});
