import { streams } from '@netral/domain';
import { EventStore, type RecordedEvent } from '@netral/event-store';
import {
  confirmedCase,
  createTestApp,
  createUser,
  csrfFrom,
  ELECTION,
  expectStatus,
  post,
  runTool,
  seedLedger,
  type TestApp,
  type TestUser,
  webLogin,
} from '@netral/testing';
import { leafHash, verifyInclusion } from '@netral/transparency-log';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { registerAuditCommands } from '../../../apps/cli/src/commands/audit';
import { runCommand } from '../../../apps/cli/src/testing/run-command';
import { RevocationReactor } from '../../../apps/ledger/src/certificates/revocation.reactor';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';

const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

const collect = async (events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  for await (const event of events) {
    all.push(event);
  }
  return all;
};

describe('certificates', () => {
  let t: TestApp;
  let hr: TestUser;
  let bawaslu: TestUser;
  let headKes: TestUser;
  let headPend: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  const settle = async () => {
    const head = await t.app.get(EventStore).headPosition();
    await t.app.get(ReadSide).ready(String(head));
  };
  const pdfOf = async (certificateId: string, user: TestUser = hr): Promise<Buffer> =>
    (
      await request(t.server)
        .get(`/api/v1/certificates/${certificateId}/pdf`)
        .set('Authorization', user.auth)
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
  const verifyUpload = (bytes: Buffer) =>
    request(t.server).post('/api/v1/certificates/verify').attach('file', bytes, 'sertifikat.pdf');

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr }, { staffPerOpd: 2 });
    headKes = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-kesehatan' });
    headPend = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-pendidikan' });
    for (const nip of [
      roster['dinas-kesehatan'].head,
      ...roster['dinas-kesehatan'].staff,
      roster['dinas-pendidikan'].head,
    ]) {
      await expectStatus(
        post(t, hr, '/api/v1/pledges', {
          electionId: 'pilkada-2024',
          nip,
          signedAt: '2024-09-10',
          place: 'Bangli',
        }),
        201,
      );
    }
    await settle();
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses an OPD that is not PATUH, listing the reasons', async () => {
    const res = await post(t, hr, '/api/v1/certificates', {
      subjectType: 'OPD',
      subjectId: 'dinas-pendidikan',
      electionId: 'pilkada-2024',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CERTIFICATE_NOT_QUALIFIED');
    expect(res.body.details.map((d: { reason: string }) => d.reason).join(' ')).toContain(
      'belum menandatangani',
    );
  });

  let opdCertificate: { certificateId: string; pdfSha256: string; verificationUrl: string };

  it('issues a signed certificate for a PATUH OPD that poppler and the verify route accept', async () => {
    const res = await post(t, hr, '/api/v1/certificates', {
      subjectType: 'OPD',
      subjectId: 'dinas-kesehatan',
      electionId: 'pilkada-2024',
    });
    expect(res.status).toBe(201);
    opdCertificate = res.body;
    expect(opdCertificate.certificateId).toMatch(/^SK-\d{4}-[0-9A-Z]{8}$/);
    expect(opdCertificate.verificationUrl).toBe(
      `${t.config.publicBaseUrl}/v/${opdCertificate.certificateId}`,
    );
    await settle();
    const bytes = await pdfOf(opdCertificate.certificateId);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(opdCertificate.pdfSha256);
    const file = join(t.dataDir, 'download.pdf');
    writeFileSync(file, bytes);
    const sig = runTool('pdfsig', [file], { allowFailure: true });
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Total document signed');
    const checked = await verifyUpload(bytes);
    expect(checked.body).toEqual(
      expect.objectContaining({
        valid: true,
        checks: { signature: true, coversWholeFile: true, matchesLedger: true, notRevoked: true },
        certificateId: opdCertificate.certificateId,
      }),
    );
    const flipped = Buffer.from(bytes);
    flipped[1200] ^= 0x01;
    expect((await verifyUpload(flipped)).body).toMatchObject({
      valid: false,
      checks: { signature: false },
    });
  });

  it('refuses a second valid certificate for the same OPD and election, naming the one that stands', async () => {
    const again = await post(t, hr, '/api/v1/certificates', {
      subjectType: 'OPD',
      subjectId: 'dinas-kesehatan',
      electionId: 'pilkada-2024',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CERTIFICATE_ALREADY_VALID');
    expect(again.body.message).toContain(
      `Sertifikat ${opdCertificate.certificateId} untuk dinas kesehatan (Pilkada Serentak 2024) masih berlaku`,
    );
    expect(again.body.message).toContain('cabut dulu');
    await settle();
    const listed = (
      await request(t.server)
        .get('/api/v1/certificates?electionId=pilkada-2024&opdId=dinas-kesehatan&status=VALID')
        .set('Authorization', hr.auth)
    ).body.items as { certificateId: string }[];
    expect(listed.map((c) => c.certificateId)).toEqual([opdCertificate.certificateId]);

    // On the compliance page the valid certificate stands where the issue button was, by the OPD's name.
    const agent = await webLogin(t, hr.username);
    const page = await agent.get('/kepatuhan?electionId=pilkada-2024').expect(200);
    const row = /<tr>\s*<td>dinas kesehatan<br>[\s\S]*?<\/tr>/.exec(page.text)![0];
    expect(row).toContain(`Berlaku: <a href="/v/${opdCertificate.certificateId}">`);
    expect(row).toContain(
      `href="/sertifikat/${opdCertificate.certificateId}/cabut">cabut dulu</a>`,
    );
    expect(row).not.toContain('Terbitkan');
    expect(page.text).toContain(`${opdCertificate.certificateId}</a> — dinas kesehatan — berlaku`);
    expect(page.text).not.toContain('— OPD dinas-kesehatan —');
    // A stale page's button: refused with the same words, nothing issued.
    const posted = await agent
      .post('/sertifikat')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        electionId: 'pilkada-2024',
        subjectType: 'OPD',
        subjectId: 'dinas-kesehatan',
      })
      .redirects(0);
    expect(posted.status).toBe(303);
    const after = await agent.get(posted.headers.location).expect(200);
    expect(after.text).toMatch(
      new RegExp(
        `flash-error[^>]*>Sertifikat ${opdCertificate.certificateId} untuk dinas kesehatan`,
      ),
    );
  });

  it('answers other files clearly, never with a 500', async () => {
    const notPdf = await verifyUpload(Buffer.from('ini bukan pdf'));
    expect(notPdf.status).toBe(200);
    expect(notPdf.body).toMatchObject({
      valid: false,
      checks: { signature: false, matchesLedger: false },
    });
    expect(notPdf.body.problems[0]).toContain('bukan PDF');
    const bytes = await pdfOf(opdCertificate.certificateId);
    const truncated = await verifyUpload(bytes.subarray(0, bytes.length - 2000));
    expect(truncated.body.valid).toBe(false);
    expect((await request(t.server).post('/api/v1/certificates/verify')).body.code).toBe(
      'FILE_REQUIRED',
    );
    // A field beside the file is refused by name, as on the imports, never silently ignored.
    const extra = await request(t.server)
      .post('/api/v1/certificates/verify')
      .field('certificateId', opdCertificate.certificateId)
      .attach('file', bytes, 'sertifikat.pdf');
    expect(extra.status).toBe(400);
    expect(extra.body).toMatchObject({
      code: 'FIELD_UNKNOWN',
      details: [{ field: 'certificateId', code: 'FIELD_UNKNOWN' }],
    });
  });

  it('shows the public verification page and JSON with an inclusion proof that verifies', async () => {
    const json = (
      await request(t.server)
        .get(`/api/v1/certificates/${opdCertificate.certificateId}/verification`)
        .expect(200)
    ).body;
    expect(json).toMatchObject({
      status: 'VALID',
      valid: true,
      subject: { type: 'OPD', opdId: 'dinas-kesehatan' },
    });
    const proof = json.inclusionProof;
    expect(
      verifyInclusion(
        proof.index,
        proof.treeSize,
        Buffer.from(proof.leafHash, 'base64'),
        proof.hashes.map((h: string) => Buffer.from(h, 'base64')),
        Buffer.from(proof.rootHash, 'base64'),
      ),
    ).toBe(true);
    // Saved as it is, the proof and its checkpoint are what the offline verifier takes (docs/certificates.md).
    const saved = (name: string, text: string) => {
      writeFileSync(join(t.dataDir, name), text);
      return join(t.dataDir, name);
    };
    const publicKey = await request(t.server).get('/api/v1/audit/public-key').expect(200);
    const offline = await runCommand(registerAuditCommands)(
      'audit',
      'inclusion',
      '--proof',
      saved('proof.json', JSON.stringify(proof)),
      '--checkpoint',
      saved('checkpoint.txt', proof.checkpoint as string),
      '--key',
      saved('netral.key', publicKey.text),
    );
    expect(offline).toEqual({
      code: 0,
      output: expect.stringContaining(
        `OK: daun ${proof.index} termasuk dalam checkpoint`,
      ) as string,
    });
    const exported = await request(t.server)
      .get(`/api/v1/audit/export?from=${proof.index}&to=${proof.index + 1}`)
      .set('Authorization', bawaslu.auth);
    expect(leafHash(Buffer.from(exported.text.trimEnd())).toString('base64')).toBe(proof.leafHash);
    const page = await request(t.server).get(`/v/${opdCertificate.certificateId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('SAH');
    expect(page.text).toContain(`event ke-${proof.index} di log transparansi`);
    // When it was issued, as a visitor reads it (the service's time zone), not an ISO instant.
    expect(page.text).toMatch(
      /<dt>Diterbitkan<\/dt><dd>\d{1,2} \w{3} \d{4}, \d{2}\.\d{2} \w+<\/dd>/,
    );
    expect((await request(t.server).get('/v/SK-0000-TIDAKADA')).status).toBe(404);
  });

  it('lets an OPD head download their own certificate only', async () => {
    expect((await pdfOf(opdCertificate.certificateId, headKes)).length).toBeGreaterThan(1000);
    expect(
      (
        await request(t.server)
          .get(`/api/v1/certificates/${opdCertificate.certificateId}/pdf`)
          .set('Authorization', headPend.auth)
      ).status,
    ).toBe(403);
    const list = (
      await request(t.server).get('/api/v1/certificates').set('Authorization', headPend.auth)
    ).body;
    expect(list.items).toEqual([]);
  });

  it('issues an ASN certificate with the NIP masked on the public page, and refuses an ASN without a pledge', async () => {
    const nip = roster['dinas-kesehatan'].staff[0];
    // Typed as printed on a decree; the ledger keys the certificate by the registry's bare NIP.
    const printed = `${nip.slice(0, 8)} ${nip.slice(8, 14)} ${nip.slice(14, 15)} ${nip.slice(15)}`;
    const res = await post(t, hr, '/api/v1/certificates', {
      subjectType: 'ASN',
      subjectId: printed,
      electionId: 'pilkada-2024',
    });
    expect(res.status).toBe(201);
    await settle();
    const listed = (
      await request(t.server)
        .get('/api/v1/certificates?subjectType=ASN')
        .set('Authorization', hr.auth)
    ).body.items as { certificateId: string; subjectId: string }[];
    expect(listed).toEqual([
      expect.objectContaining({ certificateId: res.body.certificateId, subjectId: nip }),
    ]);
    const twice = await post(t, hr, '/api/v1/certificates', {
      subjectType: 'ASN',
      subjectId: nip,
      electionId: 'pilkada-2024',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('CERTIFICATE_ALREADY_VALID');
    const json = (
      await request(t.server).get(`/api/v1/certificates/${res.body.certificateId}/verification`)
    ).body;
    expect(json.subject.nip).toBe(`${nip.slice(0, 8)}********${nip.slice(-2)}`);
    const refused = await post(t, hr, '/api/v1/certificates', {
      subjectType: 'ASN',
      subjectId: roster['dinas-pendidikan'].staff[0],
      electionId: 'pilkada-2024',
    });
    expect(refused.status).toBe(409);
  });

  it('revokes the ASN and OPD certificates automatically when a violation of that ASN is confirmed', async () => {
    const nip = roster['dinas-kesehatan'].staff[0];
    const confirmed = await confirmedCase(t, bawaslu, {
      nip,
      occurredAt: '2024-10-01',
      recommendation: { discipline: 'BERAT' },
    });
    const { caseId } = confirmed;
    await t.app.get(RevocationReactor).waitFor(BigInt(confirmed.position));
    await settle();
    const certificates = (
      await request(t.server)
        .get('/api/v1/certificates?electionId=pilkada-2024')
        .set('Authorization', hr.auth)
    ).body.items as { certificateId: string; status: string; revokedCaseId: string | null }[];
    expect(certificates.map((c) => [c.status, c.revokedCaseId])).toEqual([
      ['REVOKED', caseId],
      ['REVOKED', caseId],
    ]);
    // No person revoked them: the audit history says the system did, caused by the confirmation.
    const [confirmation] = await collect(
      t.app
        .get(EventStore)
        .readStream(streams.case(caseId), { direction: 'backwards', maxCount: 1 }),
    );
    for (const { certificateId } of certificates) {
      const [revoked] = await collect(
        t.app.get(EventStore).readStream(streams.certificate(certificateId), {
          direction: 'backwards',
          maxCount: 1,
        }),
      );
      expect(revoked.type).toBe('CertificateRevoked');
      expect(revoked.metadata).toMatchObject({
        actorId: 'system',
        actorRole: 'SYSTEM',
        causationId: confirmation.id,
        correlationId: confirmation.metadata.correlationId,
      });
    }
    const page = await request(t.server).get(`/v/${opdCertificate.certificateId}`);
    expect(page.text).toContain('DICABUT');
    const revoked = (await verifyUpload(await pdfOf(opdCertificate.certificateId))).body;
    expect(revoked.checks.notRevoked).toBe(false);
    // The answer says why it is not valid, as the page does.
    expect(revoked.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Sertifikat ${opdCertificate.certificateId} sudah dicabut: .+ \\(kasus ${caseId}\\)$`,
        ),
      ),
    ]);
  });

  it('lets HR revoke with a reason, once', async () => {
    await expectStatus(
      post(t, hr, '/api/v1/pledges', {
        electionId: 'pilkada-2024',
        nip: roster['dinas-pendidikan'].staff[1],
        signedAt: '2024-09-10',
        place: 'Bangli',
      }),
      201,
    );
    await settle();
    const { certificateId } = (
      await expectStatus(
        post(t, hr, '/api/v1/certificates', {
          subjectType: 'ASN',
          subjectId: roster['dinas-pendidikan'].staff[1],
          electionId: 'pilkada-2024',
        }),
        201,
      )
    ).body;
    await settle();
    expect(
      (
        await post(t, hr, `/api/v1/certificates/${certificateId}/revocation`, {
          reason: 'Diterbitkan untuk NIP yang salah',
        })
      ).status,
    ).toBe(200);
    expect(
      (await post(t, hr, `/api/v1/certificates/${certificateId}/revocation`, { reason: 'lagi' }))
        .body.code,
    ).toBe('CERTIFICATE_ALREADY_REVOKED');
    // Once revoked, with its reason on the record, a new one may be issued: one, even on two clicks at once.
    await settle();
    const both = await Promise.all(
      [1, 2].map(() =>
        post(t, hr, '/api/v1/certificates', {
          subjectType: 'ASN',
          subjectId: roster['dinas-pendidikan'].staff[1],
          electionId: 'pilkada-2024',
        }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.code).toBe('CERTIFICATE_ALREADY_VALID');
  });

  it('serves the root CA and verifies an upload through the public web form', async () => {
    expect((await request(t.server).get('/api/v1/certificates/root-ca.pem')).text).toContain(
      'BEGIN CERTIFICATE',
    );
    const agent = request.agent(t.server);
    const form = await agent.get('/verifikasi');
    const action = /action="(\/verifikasi\?_csrf=[^"]+)"/.exec(form.text)![1];
    const res = await agent.post(action).attach('file', Buffer.from('%PDF-1.7 palsu'), 'palsu.pdf');
    expect(res.status).toBe(200);
    expect(res.text).toContain('TIDAK SAH');
    // A PDF the ledger does not know: its signature fails, its revocation cannot be looked up.
    expect(res.text).toContain('<li>✘ Tanda tangan elektronik sah');
    expect(res.text).toContain(
      '<li>— Sertifikat tidak dicabut <span class="muted">(tidak dapat diperiksa: berkas ini tidak tercatat di ledger)</span></li>',
    );
  });

  it('shows checks it could not make on a file that is no PDF as not applicable, not as failed', async () => {
    const agent = request.agent(t.server);
    const form = await agent.get('/verifikasi');
    const action = /action="(\/verifikasi\?_csrf=[^"]+)"/.exec(form.text)![1];
    const res = await agent.post(action).attach('file', Buffer.from('ini bukan pdf'), 'foto.jpg');
    expect(res.status).toBe(200);
    expect(res.text).toContain('TIDAK SAH');
    expect(res.text).toContain(
      '<li>— Tanda tangan elektronik sah dan berasal dari penanda tangan Netral <span class="muted">(tidak dapat diperiksa: berkas bukan PDF)</span></li>',
    );
    expect(res.text).toContain('<li>— Tanda tangan mencakup seluruh berkas <span class="muted">');
    // The one check that could be made, and failed.
    expect(res.text).toContain('<li>✘ SHA-256 berkas cocok dengan yang tercatat di ledger</li>');
    expect(res.text).toContain('<li>— Sertifikat tidak dicabut <span class="muted">');
    expect(res.text).not.toContain('✘ Sertifikat tidak dicabut');
    // The API says the same: false cannot vouch, and notChecked says why.
    const json = (await verifyUpload(Buffer.from('ini bukan pdf'))).body;
    expect(json.notChecked).toEqual({
      signature: 'tidak dapat diperiksa: berkas bukan PDF',
      coversWholeFile: 'tidak dapat diperiksa: berkas bukan PDF',
      notRevoked: 'tidak dapat diperiksa: berkas ini tidak tercatat di ledger',
    });
  });

  it('shows compliance with labels, rounded coverage and an election selector that keeps the other parameters', async () => {
    // dinas-pendidikan: its head and one of two staff signed, 2 of 3 = 66.7% (not a truncated 66.6%).
    const today = t.app.get(ReadSide).today();
    const day = (offset: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const admin = await createUser(t, 'ADMIN');
    for (const election of [
      {
        electionId: 'pilkada-2029',
        name: 'Pilkada Serentak 2029',
        votingDay: '2029-11-28',
        monitoringFrom: '2029-09-24',
        monitoringUntil: '2029-12-14',
      },
      {
        electionId: 'pilkada-ulang',
        name: 'Pemungutan Suara Ulang',
        votingDay: day(10),
        monitoringFrom: day(-10),
        monitoringUntil: day(20),
      },
    ]) {
      await expectStatus(post(t, admin, '/api/v1/elections', { ...ELECTION, ...election }), 201);
    }
    await settle();
    const agent = await webLogin(t, hr.username);
    // Without a choice, the election monitored today, though a later one is scheduled.
    const current = await agent.get('/kepatuhan').expect(200);
    expect(current.text).toContain(
      '<option value="pilkada-ulang" selected>Pemungutan Suara Ulang</option>',
    );
    expect(current.text).toContain('<option value="pilkada-2029">Pilkada Serentak 2029</option>');
    expect(current.text).toContain('<option value="pilkada-2024">Pilkada Serentak 2024</option>');
    expect(current.text).toMatch(/<form method="get" action="\/kepatuhan"/);
    // Other parameters go along with the choice; the transient minPosition does not.
    const kept = await agent.get('/kepatuhan?electionId=pilkada-2024&urut=nama&minPosition=0');
    expect(kept.text).toContain('<input type="hidden" name="urut" value="nama">');
    expect(kept.text).not.toContain('name="minPosition"');

    const page = await agent.get('/kepatuhan?electionId=pilkada-2024').expect(200);
    expect(page.text).toContain('<option value="pilkada-2024" selected>');
    expect(page.text).toContain('<td>2/3 (66.7%)</td>');
    expect(page.text).toContain('>66.7%</text>'); // the chart's bar label
    expect(page.text).not.toContain('66.6');
    expect(page.text).toMatch(/Patuh \d+, Perlu tindak lanjut \d+, Tidak patuh \d+/);
    expect(page.text).not.toMatch(/PATUH \d|PERLU TINDAK LANJUT|TIDAK PATUH \d/);
    const csv = await agent.get('/kepatuhan.csv?electionId=pilkada-2024').expect(200);
    const line = csv.text.split('\r\n').find((l) => l.includes('dinas pendidikan'))!;
    expect(line.split(',')[7]).toBe('66.7');
    // The OPD head's dashboard reads the same figure, in words and in the bar.
    const own = await webLogin(t, headPend.username);
    const dashboard = await own.get('/opd?electionId=pilkada-2024').expect(200);
    expect(dashboard.text).toContain('<span data-testid="coverage">2 dari 3 ASN (66.7%)</span>');
    expect(dashboard.text).toContain('style="width: 66.7%"');
  });
});
