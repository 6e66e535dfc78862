import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  csrfFrom,
  seedLedger,
  post,
  type TestApp,
  type TestUser,
  webLogin,
} from '@netral/testing';
import { createHash } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { addDays, tanggal } from '@netral/domain';
import { Clock } from '../../../apps/ledger/src/common/clock';

/** A minimal valid PDF: what a scanned report looks like to the upload check. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('case pages (Bawaslu reports and decides, HR records the sanction)', () => {
  let t: TestApp;
  let bawaslu: TestAgent;
  let hr: TestAgent;
  let head: TestAgent;
  let roster: Awaited<ReturnType<typeof seedLedger>>;
  let admin: TestUser;

  const eventCount = async () => {
    let n = 0;
    for await (const _ of t.app.get(EventStore).readAll()) {
      n += 1;
    }
    return n;
  };

  /** Posts the report form (multipart, CSRF in the action URL as the page does). */
  const report = async (fields: Record<string, string>, file?: { bytes: Buffer; name: string }) => {
    const form = await bawaslu.get('/kasus/baru');
    let pending = bawaslu
      .post(`/kasus?_csrf=${encodeURIComponent(csrfFrom(form.text))}`)
      .redirects(0);
    for (const [key, value] of Object.entries(fields)) {
      pending = pending.field(key, value);
    }
    if (file) {
      pending = pending.attach('evidence', file.bytes, file.name);
    }
    return pending;
  };

  /** Posts one of the forms on a case page with the page's CSRF token. */
  const submit = async (agent: TestAgent, caseId: string, action: string, fields: object) => {
    const page = await agent.get(`/kasus/${caseId}`);
    return agent
      .post(`/kasus/${caseId}/${action}`)
      .type('form')
      .redirects(0)
      .send({ ...fields, _csrf: csrfFrom(page.text) });
  };

  /** The case page's summary card (the raw timeline below it may show codes). */
  const ringkasan = (html: string) => {
    const start = html.indexOf('<h2>Ringkasan</h2>');
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</section>', start));
  };

  /** Officials read words: no catalogue or enum codes, no ISO instants. */
  const expectNoCodes = (html: string) => {
    expect(html).not.toMatch(
      /MORAL_TER|TEGURAN_|BAWASLU_FINDING|PUBLIC_REPORT|\bSEDANG\b|\bBERAT\b|\d{4}-\d{2}-\d{2}/,
    );
  };

  const validReport = () => ({
    electionId: 'pilkada-2024',
    nip: roster['dinas-kesehatan'].staff[0],
    source: 'BAWASLU_FINDING',
    actCode: 'N06',
    occurredAt: '2024-10-02',
    summary: 'Membagikan materi kampanye di grup WhatsApp dinas',
    evidenceDescription: 'Tangkapan layar grup WhatsApp',
  });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    const hrUser = await createUser(t, 'HR');
    const bawasluUser = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr: hrUser }, { staffPerOpd: 2 });
    const headUser = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-kesehatan' });
    bawaslu = await webLogin(t, bawasluUser.username);
    hr = await webLogin(t, hrUser.username);
    head = await webLogin(t, headUser.username);
  });
  afterAll(() => t.close());

  it('finds the ASN by NIP prefix or by name on the report form', async () => {
    const nip = roster['dinas-kesehatan'].staff[0];
    const byNip = await bawaslu.get(`/kasus/baru?q=${nip.slice(0, 10)}`).expect(200);
    expect(byNip.text).toContain(`value="${nip}"`);
    const byName = await bawaslu.get(`/kasus/baru?q=ASN%20${nip.slice(-4)}`).expect(200);
    expect(byName.text).toContain(`value="${nip}"`);
    const none = await bawaslu.get('/kasus/baru?q=tidak-ada-yang-cocok').expect(200);
    expect(none.text).toContain('Tidak ada ASN aktif yang cocok');
  });

  it('shows every problem next to its field, keeps what was typed, and writes nothing', async () => {
    const before = await eventCount();
    const res = await report({
      ...validReport(),
      nip: '123',
      actCode: '',
      summary: '',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="nip-error"');
    expect(res.text).toContain('id="actCode-error"');
    expect(res.text).toContain('id="summary-error"');
    expect(res.text).toContain('ringkasan-kesalahan');
    // The summary names the ASN picker by its legend, first, as the form shows it.
    expect(res.text).toMatch(/<li><a href="#nip">ASN terlapor: [\s\S]*href="#actCode">/);
    expect(res.text).toContain('value="2024-10-02"');
    expect(res.text).toContain('Tangkapan layar grup WhatsApp');
    expect(await eventCount()).toBe(before);
  });

  it("tells the day's rule with the form's other problems: a day in the future beside an empty summary", async () => {
    const before = await eventCount();
    const future = new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10);
    const res = await report({ ...validReport(), occurredAt: future, summary: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="summary-error"');
    expect(res.text).toMatch(/id="occurredAt-error">waktu kejadian tidak boleh di masa depan/);
    expect(res.text).toContain(`value="${future}"`);
    expect(await eventCount()).toBe(before);
  });

  it('refuses evidence that is not a PDF or an image, and writes nothing', async () => {
    const before = await eventCount();
    const res = await report(validReport(), { bytes: Buffer.from('MZ not a scan'), name: 'x.exe' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="evidence-error">Berkas harus PDF, JPG, atau PNG/);
    expect(await eventCount()).toBe(before);
  });

  it('asks for the evidence file again after a refused submission that carried one', async () => {
    const before = await eventCount();
    const res = await report({ ...validReport(), nip: '123' }, { bytes: PDF, name: 'bukti.pdf' });
    expect(res.status).toBe(400);
    const again = 'Pilih berkas bukti lagi: berkas tidak dapat disimpan sebelum isian lain benar.';
    // Next to the file field, and in the summary linking to it.
    expect(res.text).toContain(`id="evidence-error">${again}</p>`);
    expect(res.text).toMatch(new RegExp(`<li><a href="#evidence">[^<]*${again}</a></li>`));
    expect(res.text).toContain('Tangkapan layar grup WhatsApp');
    expect(await eventCount()).toBe(before);
    // Without a file nothing asks for it again.
    const bare = await report({ ...validReport(), nip: '123', evidenceDescription: '' });
    expect(bare.status).toBe(400);
    expect(bare.text).not.toContain('id="evidence-error"');
  });

  it('refuses an evidence description without a file on the file field, and writes nothing', async () => {
    const before = await eventCount();
    const res = await report(validReport());
    expect(res.status).toBe(400);
    expect(res.text).toMatch(
      /id="evidence-error">Keterangan bukti diisi tetapi belum ada berkas: pilih berkas bukti/,
    );
    expect(res.text).toContain('value="Tangkapan layar grup WhatsApp"');
    expect(await eventCount()).toBe(before);
  });

  it('wraps long words in page messages (a 64-character hash on a phone)', async () => {
    const css = await bawaslu.get('/assets/netral.css').expect(200);
    expect(css.text).toMatch(/\.card\.narrow > h1 \+ p \{\s*overflow-wrap: anywhere;/);
  });

  describe('a reported case through its life', () => {
    let caseId: string;

    beforeAll(async () => {
      const res = await report(validReport(), { bytes: PDF, name: 'bukti.pdf' });
      expect(res.status).toBe(303);
      caseId = /\/kasus\/([^?]+)/.exec(res.headers.location)![1];
    });

    it('records the evidence hash in the event and keeps the file as uploaded', async () => {
      const page = await bawaslu.get(`/kasus/${caseId}`).expect(200);
      expect(page.text).toContain(sha256(PDF));
      expect(page.text).toContain('Pelanggaran dilaporkan');
      const reported = (
        await t.app.get(EventStore).readStream(`case-${caseId}`)[Symbol.asyncIterator]().next()
      ).value!;
      expect(reported.data).toMatchObject({
        evidence: [{ sha256: sha256(PDF), description: 'Tangkapan layar grup WhatsApp' }],
      });
      expect(reported.metadata).toMatchObject({ actorRole: 'BAWASLU' });
      const file = await bawaslu
        .get(`/kasus/${caseId}/bukti/${sha256(PDF)}`)
        .buffer(true)
        .expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      // Named with its kind's extension, so the official's computer opens it.
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename="bukti-${caseId}-${sha256(PDF).slice(0, 12)}.pdf"`,
      );
      expect(sha256(file.body as Buffer)).toBe(sha256(PDF));
      await bawaslu.get(`/kasus/${caseId}/bukti/${'0'.repeat(64)}`).expect(404);
    });

    it('lists the case with its SLA clock', async () => {
      const list = await bawaslu.get('/kasus').expect(200);
      expect(list.text).toContain(caseId);
      expect(list.text).toContain('Verifikasi awal s.d.');
      // The state in words (a row's field named like a template helper once rendered "[object Object]").
      expect(list.text).toContain('<span class="state">Dilaporkan</span>');
      expect(list.text).not.toContain('[object Object]');
      // The act's code with its catalogue description.
      expect(list.text).toContain(
        'N06<br><span class="muted">Mengunggah, mengomentari, membagikan, menyukai atau mengikuti akun kampanye calon</span>',
      );
    });

    it("shows the act with its catalogue description among the OPD head's cases", async () => {
      const dashboard = await head.get('/opd').expect(200);
      const section = dashboard.text.slice(dashboard.text.indexOf('Kasus terkait OPD'));
      expect(section).toContain(caseId);
      expect(section).toContain(
        'N06<br><span class="muted">Mengunggah, mengomentari, membagikan, menyukai atau mengikuti akun kampanye calon</span>',
      );
    });

    it('verifies, refuses a confirmation without a recommendation, then confirms', async () => {
      expect((await submit(bawaslu, caseId, 'verifikasi', { note: 'Lengkap' })).status).toBe(303);
      const before = await eventCount();
      const missing = await submit(bawaslu, caseId, 'konfirmasi', {
        findings: 'Terbukti dari tangkapan layar',
        authority: 'KASN',
      });
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('id="ethics-error"');
      expect(missing.text).toContain('Terbukti dari tangkapan layar');
      expect(await eventCount()).toBe(before);

      const ok = await submit(bawaslu, caseId, 'konfirmasi', {
        findings: 'Terbukti dari tangkapan layar',
        authority: 'KASN',
        ethics: 'MORAL_TERBUKA',
        discipline: 'SEDANG',
      });
      expect(ok.status).toBe(303);
      const page = await bawaslu.get(ok.headers.location).expect(200);
      expect(page.text).toContain('Terbukti');
      expect(page.text).toContain('Tindak lanjut PPK s.d.');
      // Deadlines are calendar days as officials write them ("2 Januari 2027"), not ISO dates.
      expect(page.text).toMatch(
        /<dt>Tindak lanjut PPK<\/dt><dd>s\.d\. \d{1,2} [A-Z][a-z]+ \d{4}<\/dd>/,
      );
      // The summary says how Bawaslu decided, in words: source, findings, recommendation.
      const summary = ringkasan(page.text);
      expect(summary).toContain('<dt>Sumber</dt><dd>Temuan Bawaslu</dd>');
      expect(summary).toContain('<dt>Hasil kajian</dt><dd>Terbukti dari tangkapan layar</dd>');
      expect(summary).toContain(
        '<dt>Rekomendasi</dt><dd>Sanksi moral pernyataan secara terbuka · sanksi disiplin tingkat sedang</dd>',
      );
      expect(summary).toContain('<dt>Diteruskan melalui</dt><dd>KASN</dd>');
      expect(summary).toMatch(/<dt>Dinyatakan terbukti<\/dt><dd>[^<]* WITA<\/dd>/);
      expectNoCodes(summary);
      // The state moved on: the verification form is gone, a second confirmation is a clear refusal.
      expect(page.text).not.toContain(`/kasus/${caseId}/verifikasi"`);
      const again = await bawaslu
        .post(`/kasus/${caseId}/konfirmasi`)
        .type('form')
        .send({
          findings: 'x',
          authority: 'KASN',
          ethics: 'MORAL_TERBUKA',
          _csrf: csrfFrom(page.text),
        });
      expect(again.status).toBe(409);
      expect(again.text).toContain('berstatus Terbukti');
    });

    it('lets HR record the PPK decision, with field errors first', async () => {
      const bad = await submit(hr, caseId, 'sanksi', { kind: 'MORAL_TERBUKA', decreeNumber: '' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('id="decreeNumber-error"');
      // The form says which level the act carries, and a kind outside it is refused on its field.
      expect(bad.text).toMatch(
        /Perbuatan N\d\d menurut katalog: sanksi disiplin tingkat (berat|sedang);/,
      );
      // The recommendation in words, not its codes.
      expect(bad.text).toContain(
        'Rekomendasi Bawaslu: Sanksi moral pernyataan secara terbuka · sanksi disiplin tingkat sedang.',
      );
      expect(bad.text).not.toContain('etik MORAL_TERBUKA');
      // The decree follows the confirmation, made today.
      const decree = (kind: string, decreeNumber: string) => ({
        kind,
        decreeNumber,
        decidedBy: 'Bupati Bangli',
        decidedAt: t.app.get(Clock).today(),
        effectiveFrom: t.app.get(Clock).today(),
      });
      const light = await submit(
        hr,
        caseId,
        'sanksi',
        decree('TEGURAN_LISAN', '800/122/BKPSDM/2024'),
      );
      expect(light.status).toBe(400);
      expect(light.text).toMatch(
        /id="kind-error"[^>]*>[^<]*Teguran lisan \(TEGURAN_LISAN\) adalah hukuman disiplin tingkat ringan, sedangkan perbuatan N\d\d termasuk pelanggaran tingkat (berat|sedang)/,
      );
      const before = await eventCount();
      const yesterday = addDays(t.app.get(Clock).today(), -1);
      // An end before the start names the form's field, not the API's.
      const ends = await submit(hr, caseId, 'sanksi', {
        ...decree('MORAL_TERBUKA', '800/123/BKPSDM/2024'),
        effectiveUntil: yesterday,
      });
      expect(ends.status).toBe(400);
      expect(ends.text).toContain(
        'id="effectiveUntil-error">tidak boleh sebelum tanggal berlaku mulai</p>',
      );
      expect(ends.text).not.toContain('effectiveFrom<');
      // Told beside the form's other problems too, not only once they are fixed.
      const both = await submit(hr, caseId, 'sanksi', {
        ...decree('MORAL_TERBUKA', ''),
        effectiveUntil: yesterday,
      });
      expect(both.status).toBe(400);
      expect(both.text).toContain('id="decreeNumber-error"');
      expect(both.text).toContain(
        'id="effectiveUntil-error">tidak boleh sebelum tanggal berlaku mulai</p>',
      );
      expect(await eventCount()).toBe(before);
      const ok = await submit(hr, caseId, 'sanksi', {
        ...decree('MORAL_TERBUKA', '800/123/BKPSDM/2024'),
        effectiveUntil: addDays(t.app.get(Clock).today(), 30),
      });
      expect(ok.status).toBe(303);
      const page = await hr.get(ok.headers.location).expect(200);
      expect(page.text).toContain('Keputusan sanksi PPK dicatat');
      // The summary shows the decision: kind in words, decree, who and when, the days it applies.
      const summary = ringkasan(page.text);
      expect(summary).toContain(
        '<dt>Sanksi etik</dt><dd>Sanksi moral pernyataan secara terbuka</dd>',
      );
      expect(summary).toContain('<dt>Nomor keputusan</dt><dd>800/123/BKPSDM/2024</dd>');
      expect(summary).toContain(
        `<dt>Ditetapkan oleh</dt><dd>Bupati Bangli, ${tanggal(t.app.get(Clock).today())}</dd>`,
      );
      expect(summary).toContain(
        `<dt>Berlaku</dt><dd>${tanggal(t.app.get(Clock).today())} s.d. ${tanggal(addDays(t.app.get(Clock).today(), 30))}</dd>`,
      );
      expectNoCodes(summary);
      // Sanctioned on the ethics track, the recommended discipline sanction still owed: the list of
      // cases waiting for the PPK keeps it, and says so beside its state.
      const waiting = await hr.get('/kasus?sanctionPending=ya').expect(200);
      expect(waiting.text).toContain(`href="/kasus/${caseId}"`);
      expect(waiting.text).toMatch(
        new RegExp(`${caseId}[\\s\\S]*?Disanksi</span><br><span class="muted">sanksi menunggu`),
      );
      expect(waiting.text).toContain('name="sanctionPending" value="ya" checked');
      // The list's heading counts them, linking to that filter.
      expect(waiting.text).toMatch(
        /<a href="\/kasus\?sanctionPending=ya">\d+ menunggu keputusan sanksi PPK<\/a>/,
      );
      const reported = await hr.get('/kasus?sanctionPending=ya&status=REPORTED').expect(200);
      expect(reported.text).not.toContain(`href="/kasus/${caseId}"`);
      expect(reported.text).toContain('Tidak ada kasus yang menunggu keputusan sanksi.');
    });
  });

  it('dismissal needs a reason, and the summary gives it', async () => {
    const res = await report({
      ...validReport(),
      nip: roster['dinas-pendidikan'].staff[0],
      source: 'PUBLIC_REPORT',
      evidenceDescription: '',
    });
    const caseId = /\/kasus\/([^?]+)/.exec(res.headers.location)![1];
    expect((await submit(bawaslu, caseId, 'verifikasi', {})).status).toBe(303);
    const bad = await submit(bawaslu, caseId, 'penghentian', { reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="reason-error"');
    expect(
      (await submit(bawaslu, caseId, 'penghentian', { reason: 'Tidak cukup bukti' })).status,
    ).toBe(303);
    const page = await bawaslu.get(`/kasus/${caseId}`);
    expect(page.text).toContain('Dihentikan');
    const summary = ringkasan(page.text);
    expect(summary).toContain('<dt>Sumber</dt><dd>Laporan masyarakat</dd>');
    expect(summary).toContain('<dt>Alasan penghentian</dt><dd>Tidak cukup bukti</dd>');
    expect(summary).toMatch(/<dt>Dihentikan<\/dt><dd>[^<]* WITA<\/dd>/);
    expectNoCodes(summary);
  });

  it('the audit explorer filters the history, shows one stream, and downloads the export', async () => {
    const all = await bawaslu.get('/audit').expect(200);
    expect(all.text).toContain('Riwayat event');
    expect(all.text).toContain(
      '<summary>ElectionScheduled <span class="muted">Pemilihan dijadwalkan</span>',
    );
    // The type is chosen from the ledger's own types, each in words.
    expect(all.text).toContain(
      '<option value="ViolationConfirmed">Pelanggaran dinyatakan terbukti, rekomendasi diberikan (ViolationConfirmed)</option>',
    );
    const confirmed = await bawaslu.get('/audit?type=ViolationConfirmed').expect(200);
    expect(confirmed.text).toContain('<option value="ViolationConfirmed" selected>');
    // The OPD is chosen by name and code; an id from a link the registry does not hold stays as typed.
    const byOpd = await bawaslu.get('/audit?opdId=dinas-kesehatan').expect(200);
    expect(byOpd.text).toMatch(
      /<option value="dinas-kesehatan" selected>dinas kesehatan \(1\.01\.01\)<\/option>/,
    );
    expect(byOpd.text).toContain('<option value="">Semua OPD</option>');
    const gone = await bawaslu.get('/audit?opdId=dinas-lama').expect(200);
    expect(gone.text).toContain('<option value="dinas-lama" selected>dinas-lama</option>');
    expect(gone.text).toContain('Tidak ada event yang cocok');
    const unknown = await bawaslu.get('/audit?type=Pledge').expect(400);
    expect(unknown.text).toContain(
      '<p class="field-error" id="type-error">pilih salah satu pilihan yang tersedia</p>',
    );
    const caseStream = /href="\/audit\?stream=(case-[^"]+)"/.exec(confirmed.text)![1];
    expect(confirmed.text).not.toContain('<summary>ElectionScheduled');
    const timeline = await bawaslu.get(`/audit?stream=${caseStream}`).expect(200);
    expect(timeline.text).toContain(`Linimasa ${decodeURIComponent(caseStream)}`);
    for (const type of [
      'ViolationReported',
      'CaseVerified',
      'ViolationConfirmed',
      'SanctionImposed',
    ]) {
      expect(timeline.text).toContain(`<summary>${type}`);
    }
    const today = t.app.get(Clock).today(); // the regency's day: the filter's days are local
    const none = await bawaslu.get('/audit?to=2000-01-01').expect(200);
    expect(none.text).toContain('Tidak ada event yang cocok');
    expect((await bawaslu.get(`/audit?from=${today}&type=SanctionImposed`)).text).toContain(
      '<summary>SanctionImposed',
    );
    const bad = await bawaslu.get('/audit?from=2024-13-45').expect(400);
    expect(bad.text).toContain('id="from-error"');
    // A rule of the query itself is shown on its field too, with the form and what was typed kept.
    const both = await bawaslu.get(`/audit?stream=${caseStream}&streamPrefix=pledge-`).expect(400);
    expect(both.text).toMatch(/id="streamPrefix-error"[^>]*>\s*Tidak dapat dipakai bersama stream/);
    expect(both.text).toContain('value="pledge-"');

    const exported = await bawaslu.get('/audit/ekspor').buffer(true).expect(200);
    const lines = exported.text.trimEnd().split('\n');
    expect(lines.length).toBe(Number(exported.headers['x-tree-size']));
    expect(JSON.parse(lines[0])).toMatchObject({ v: 1, index: 0 });
    await hr.get('/audit').expect(403);
    await head.get('/audit/ekspor').expect(403);
  });

  it('offers the election monitored today first on the report form, not the latest scheduled', async () => {
    const today = t.app.get(Clock).today();
    for (const [electionId, name, from, voting, until] of [
      ['pemilu-kini', 'Pemilu Kini', addDays(today, -30), addDays(today, 30), addDays(today, 60)],
      [
        'pemilu-nanti',
        'Pemilu Nanti',
        addDays(today, 400),
        addDays(today, 500),
        addDays(today, 560),
      ],
    ]) {
      const res = await post(t, admin, '/api/v1/elections', {
        electionId,
        name,
        kind: 'PEMILU',
        votingDay: voting,
        monitoringFrom: from,
        monitoringUntil: until,
      });
      expect(res.status).toBe(201);
    }
    const form = await bawaslu.get('/kasus/baru').expect(200);
    expect(form.text).toMatch(/<option value="pemilu-kini" selected>/);
  });

  it('keeps case pages from OPD heads, and answers an unknown case with 404', async () => {
    await head.get('/kasus').expect(403);
    await head.get('/kasus/baru').expect(403);
    await bawaslu.get('/kasus/K-2024-TIDAKADA').expect(404);
  });
});
