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

  const postStaff = async (nips: string[], scan?: { bytes: Buffer; name: string }) => {
    const page = await head.get('/opd/staf?electionId=pilkada-2024').expect(200);
    let pending = head
      .post(`/opd/staf?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .redirects(0)
      .field('electionId', 'pilkada-2024')
      .field('place', 'Bangli')
      .field('signedAt', '2024-09-20');
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
    // Two elections: the page shows the first listed unless the link names another.
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
    expect(page.text).toContain('1 tercatat; 1 gagal');
    expect(page.text).toContain(foreign);
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
    await head.get(batch.headers.location).expect(200); // the batch's report, shown once
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
});
