import { EventStore } from '@netral/event-store';
import {
  confirmedCase,
  createTestApp,
  createUser,
  ELECTION,
  expectStatus,
  post,
  seedLedger,
  type TestApp,
  type TestUser,
  webLogin,
} from '@netral/testing';
import {
  leafHash,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@netral/transparency-log';
import canonicalize from 'canonicalize';
import { get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AuditLog } from '../../../apps/ledger/src/audit/audit-log.service';
import { Clock } from '../../../apps/ledger/src/common/clock';

describe('audit API', () => {
  let t: TestApp;
  let bawaslu: TestUser;
  let hr: TestUser;
  let admin: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  const settle = async () => {
    const head = await t.app.get(EventStore).headPosition();
    await t.app.get(AuditLog).includes(head!);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    roster = await seedLedger(t, { admin, hr }, { staffPerOpd: 4 });
    await settle();
  });

  afterAll(async () => {
    await t.close();
  });

  const get = (path: string, user?: TestUser) => {
    const req = request(t.server).get(path);
    return user ? req.set('Authorization', user.auth) : req;
  };

  it('serves a signed checkpoint that verifies with the published key', async () => {
    const key = await get('/api/v1/audit/public-key');
    expect(key.status).toBe(200);
    expect(key.headers['content-type']).toMatch(/^text\/plain/);
    expect(key.text.trim()).toMatch(/^netral\.local\/51\.06\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const checkpoint = await get('/api/v1/audit/checkpoint');
    expect(checkpoint.headers['content-type']).toMatch(/^text\/plain/);
    const check = verifyCheckpoint(checkpoint.text, parseVerifierKey(key.text));
    expect(check.ok).toBe(true);
    expect(check.ok && check.checkpoint.treeSize).toBe(t.app.get(AuditLog).log.size);
  });

  it('proves inclusion of an exported leaf, and consistency between two checkpoints', async () => {
    const key = parseVerifierKey((await get('/api/v1/audit/public-key')).text);
    const first = verifyCheckpoint((await get('/api/v1/audit/checkpoint')).text, key);
    if (!first.ok) {
      throw new Error(first.reason);
    }
    const { treeSize, rootHash } = first.checkpoint;
    const exported = await get(`/api/v1/audit/export?from=5&to=6`, bawaslu);
    const line = exported.text.trimEnd();
    const proof = (await get(`/api/v1/audit/proofs/inclusion?index=5&treeSize=${treeSize}`)).body;
    expect(proof).toMatchObject({
      index: 5,
      treeSize,
      leafHash: leafHash(Buffer.from(line)).toString('base64'),
    });
    expect(
      verifyInclusion(
        5,
        treeSize,
        leafHash(Buffer.from(line)),
        proof.hashes.map((h: string) => Buffer.from(h, 'base64')),
        rootHash,
      ),
    ).toBe(true);

    await request(t.server)
      .post('/api/v1/elections')
      .set('Authorization', admin.auth)
      .send({
        electionId: 'pemilu-2029',
        name: 'Pemilu 2029',
        kind: 'PEMILU',
        votingDay: '2029-02-14',
        monitoringFrom: '2029-01-01',
        monitoringUntil: '2029-03-01',
      })
      .expect(201);
    await settle();
    const second = t.app.get(AuditLog).checkpointNow()!;
    expect(second.treeSize).toBe(treeSize + 1);
    const consistency = (
      await get(`/api/v1/audit/proofs/consistency?from=${treeSize}&to=${second.treeSize}`)
    ).body;
    expect(consistency).toEqual({
      from: treeSize,
      to: second.treeSize,
      hashes: expect.arrayContaining([expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/)]),
    });
    expect(
      verifyConsistency(
        treeSize,
        second.treeSize,
        consistency.hashes.map((h: string) => Buffer.from(h, 'base64')),
        rootHash,
        Buffer.from(second.rootHash, 'base64'),
      ),
    ).toBe(true);
    const history = (await get('/api/v1/audit/checkpoints')).body.items;
    expect(history.map((c: { treeSize: number }) => c.treeSize).slice(0, 2)).toEqual([
      second.treeSize,
      treeSize,
    ]);
  });

  it('signs on demand for Bawaslu, and pages the whole checkpoint history by tree size', async () => {
    await request(t.server)
      .post('/api/v1/elections')
      .set('Authorization', admin.auth)
      .send({ ...ELECTION, electionId: 'pemilu-2034' })
      .expect(201);
    // No wait for the builder: the route itself waits until everything written is a leaf.
    const signed = await request(t.server)
      .post('/api/v1/audit/checkpoints')
      .set('Authorization', bawaslu.auth)
      .expect(201);
    expect(signed.body.treeSize).toBe(Number(await t.app.get(EventStore).headPosition()));
    expect(signed.body.note).toContain(`\n${signed.body.treeSize}\n`);
    const all: number[] = [];
    let before: number | null = null;
    do {
      const page = (
        await get(`/api/v1/audit/checkpoints?limit=1${before ? `&before=${before}` : ''}`)
      ).body as { items: { treeSize: number }[]; next: number | null };
      all.push(...page.items.map((c) => c.treeSize));
      before = page.next;
    } while (before !== null);
    const everything = (await get('/api/v1/audit/checkpoints?limit=1000')).body;
    expect(all).toEqual(everything.items.map((c: { treeSize: number }) => c.treeSize));
    expect(all[0]).toBe(signed.body.treeSize);
    expect(everything.next).toBeNull();
    expect((await get('/api/v1/audit/checkpoints?limit=0')).status).toBe(400);
  });

  it('exports line i as exactly the canonical bytes of leaf i', async () => {
    const res = await get('/api/v1/audit/export', bawaslu);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = res.text.trimEnd().split('\n');
    expect(lines).toHaveLength(t.app.get(AuditLog).log.size);
    lines.forEach((line, i) => {
      const doc = JSON.parse(line) as {
        v: number;
        index: number;
        revision: string;
        recorded: string;
      };
      expect(canonicalize(doc)).toBe(line);
      expect(doc).toMatchObject({ v: 1, index: i });
      expect(typeof doc.revision).toBe('string');
      expect(leafHash(Buffer.from(line)).equals(t.app.get(AuditLog).log.leafHash(i))).toBe(true);
    });
    const slice = await get('/api/v1/audit/export?from=3&to=5', bawaslu);
    expect(slice.text.trimEnd().split('\n')).toEqual(lines.slice(3, 5));
  });

  it('stops reading the log when the client goes away mid-download', async () => {
    const audit = t.app.get(AuditLog);
    let closed = false;
    // An endless export: only the client leaving can end it.
    const spy = jest.spyOn(audit, 'exportLines').mockImplementation(async function* () {
      try {
        for (;;) {
          yield Buffer.alloc(64 * 1024, 'a');
        }
      } finally {
        closed = true;
      }
    });
    const server = t.server as unknown as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = httpGet(
          {
            port,
            host: '127.0.0.1',
            path: '/api/v1/audit/export',
            headers: { authorization: bawaslu.auth },
          },
          (res) => res.once('data', () => req.destroy()),
        );
        req.on('error', () => undefined);
        req.on('close', () => resolve());
        req.on('timeout', () => reject(new Error('no answer')));
      });
      for (let i = 0; i < 100 && !closed; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(closed).toBe(true);
    } finally {
      spy.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('filters the history by stream, type, OPD, actor and time, with each leaf index', async () => {
    const byType = (await get('/api/v1/audit/events?type=OpdRegistered', bawaslu)).body;
    expect(byType.items.map((e: { type: string }) => e.type)).toEqual([
      'OpdRegistered',
      'OpdRegistered',
    ]);
    // A type the ledger never writes ("Pledge" for PledgeSigned) is named, with the types it has, not an
    // empty history that reads as "nothing happened".
    const unknown = await get('/api/v1/audit/events?type=Pledge', bawaslu);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([
      expect.objectContaining({
        field: 'type',
        code: 'isIn',
        reason: expect.stringMatching(
          /^jenis event yang tidak ada di ledger: salah satu dari ElectionScheduled, .*PledgeSigned/,
        ),
      }),
    ]);
    expect(byType.items[0]).toMatchObject({
      leafIndex: expect.any(Number),
      position: expect.any(String),
      streamId: 'opd-dinas-kesehatan',
    });
    const stream = (await get('/api/v1/audit/events?stream=opd-dinas-kesehatan', bawaslu)).body;
    expect(stream.items.map((e: { type: string }) => e.type)).toEqual([
      'OpdRegistered',
      'OpdHeadAppointed',
    ]);
    const byOpd = (await get('/api/v1/audit/events?opdId=dinas-pendidikan&limit=1000', bawaslu))
      .body;
    expect(byOpd.items.length).toBeGreaterThan(5);
    expect(byOpd.items.every((e: { streamId: string }) => !e.streamId.startsWith('user-'))).toBe(
      true,
    );
    const byActor = (await get(`/api/v1/audit/events?actorId=${admin.userId}`, bawaslu)).body;
    expect(byActor.items.map((e: { type: string }) => e.type)).toContain('ElectionScheduled');
    const future = (await get('/api/v1/audit/events?from=2999-01-01T00:00:00Z', bawaslu)).body;
    expect(future.items).toEqual([]);
    const past = (await get('/api/v1/audit/events?to=2000-01-01T00:00:00Z', bawaslu)).body;
    expect(past.items).toEqual([]);
    // Only an instant filters by what was typed: ISO's week and ordinal forms and an hour alone pass a
    // plain ISO 8601 check but cannot be read (the whole history came back), a time without a zone
    // would be read in the server's zone, and a bare day is ambiguous. Each is a 400 naming the field.
    for (const value of [
      '2024-W05',
      '2024-100',
      '20240901',
      '2024-09-01T10',
      '2024-09-01T10:00',
      '2024-09-01',
      '2024-02-30T00:00:00Z',
    ]) {
      for (const field of ['from', 'to']) {
        const res = await get(`/api/v1/audit/events?${field}=${value}`, bawaslu);
        expect({ value, field, status: res.status, details: res.body.details }).toEqual({
          value,
          field,
          status: 400,
          details: [
            expect.objectContaining({ field, reason: expect.stringContaining('zona waktu') }),
          ],
        });
      }
    }
    expect(
      (await get('/api/v1/audit/events?from=2999-01-01T08:00:00%2B08:00', bawaslu)).body.items,
    ).toEqual([]);
    const firstEvent = (await get('/api/v1/audit/events?limit=1', bawaslu)).body.items[0] as {
      recorded: string;
    };
    // `to` is exclusive ("recorded before"): up to the first event's instant plus a millisecond.
    const justAfter = new Date(Date.parse(firstEvent.recorded) + 1).toISOString();
    const untilFirst = (await get(`/api/v1/audit/events?to=${justAfter}&limit=1000`, bawaslu)).body
      .items as { recorded: string }[];
    expect(untilFirst.length).toBeGreaterThan(0);
    expect(untilFirst.every((e) => e.recorded <= firstEvent.recorded)).toBe(true);
    const byPrefix = (await get('/api/v1/audit/events?streamPrefix=asn-&limit=1000', bawaslu)).body;
    expect(byPrefix.items.length).toBe(10); // 2 OPDs × (head + 4 staff)
    expect(byPrefix.items.every((e: { streamId: string }) => e.streamId.startsWith('asn-'))).toBe(
      true,
    );
    const page = (await get('/api/v1/audit/events?limit=2', bawaslu)).body;
    const next = (
      await get(`/api/v1/audit/events?limit=2&fromPosition=${page.nextPosition}`, bawaslu)
    ).body;
    expect(next.items[0].leafIndex).toBe(page.items[1].leafIndex + 1);
  });

  it('filters by OPD every event of a case, though only the report names the OPD', async () => {
    const nip = roster['dinas-kesehatan'].staff[0];
    const { caseId } = await confirmedCase(t, bawaslu, {
      nip,
      recommendation: { discipline: 'SEDANG' },
    });
    await expectStatus(
      post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
        track: 'DISCIPLINE',
        kind: 'POTONG_TUKIN_6',
        decreeNumber: '800/7/2024',
        decidedBy: 'Bupati Bangli',
        // The decree follows the confirmation, made today.
        decidedAt: t.app.get(Clock).today(),
        effectiveFrom: t.app.get(Clock).today(),
      }),
      201,
    );
    const caseEvents = async (query: string) =>
      (
        (await get(`/api/v1/audit/events?${query}&limit=1000`, bawaslu)).body.items as {
          streamId: string;
          type: string;
          position: string;
        }[]
      ).filter((e) => e.streamId === `case-${caseId}`);
    const all = await caseEvents('opdId=dinas-kesehatan');
    expect(all.map((e) => e.type)).toEqual([
      'ViolationReported',
      'CaseVerified',
      'ViolationConfirmed',
      'SanctionImposed',
    ]);
    // A page that starts after the report still knows whose case it is.
    const later = await caseEvents(`opdId=dinas-kesehatan&fromPosition=${all[1].position}`);
    expect(later.map((e) => e.type)).toEqual([
      'CaseVerified',
      'ViolationConfirmed',
      'SanctionImposed',
    ]);
    expect(await caseEvents('opdId=dinas-pendidikan')).toEqual([]);
  });

  it('answers impossible proof requests and bad filters with a 400 naming the field', async () => {
    // The log's size once it holds everything written so far (the earlier tests' last events may still be
    // on their way into it, and a size read too early would make `size + 1` a valid range a moment later).
    await settle();
    const size = t.app.get(AuditLog).log.size;
    expect(
      (await get(`/api/v1/audit/proofs/inclusion?index=${size}&treeSize=${size}`)).body.details[0]
        .field,
    ).toBe('index');
    expect(
      (await get(`/api/v1/audit/proofs/inclusion?index=0&treeSize=${size + 10}`)).body.details[0]
        .field,
    ).toBe('treeSize');
    expect((await get('/api/v1/audit/proofs/inclusion?index=abc&treeSize=1')).status).toBe(400);
    // Only plain decimal digits are numbers: nothing silently means 0, 16 or 100.
    for (const index of ['', '%20', '0x10', '1e2', '-1', '1.5']) {
      const res = await get(`/api/v1/audit/proofs/inclusion?index=${index}&treeSize=${size}`);
      expect({ index, status: res.status, field: res.body.details?.[0]?.field }).toEqual({
        index,
        status: 400,
        field: 'index',
      });
    }
    expect((await get('/api/v1/audit/export?from=&to=', bawaslu)).status).toBe(400);
    const fields = async (path: string, user?: TestUser) => {
      const res = await get(path, user);
      return {
        status: res.status,
        fields: (res.body.details as { field: string }[]).map((d) => d.field),
        message: res.body.message as string,
      };
    };
    expect(await fields('/api/v1/audit/export?from=10&to=5', bawaslu)).toEqual({
      status: 400,
      fields: ['from'],
      message: expect.stringContaining('from harus ≤ to') as string,
    });
    expect(await fields(`/api/v1/audit/export?to=${size + 1}`, bawaslu)).toEqual({
      status: 400,
      fields: ['to'],
      message: expect.stringContaining(`Log baru berisi ${size} daun`) as string,
    });
    expect(await fields(`/api/v1/audit/export?from=${size + 1}`, bawaslu)).toMatchObject({
      status: 400,
      fields: ['from'],
    });
    // The whole log and an empty range at its end are still fine.
    expect((await get(`/api/v1/audit/export?from=${size}&to=${size}`, bawaslu)).status).toBe(200);
    expect((await get(`/api/v1/audit/export?to=${size}`, bawaslu)).status).toBe(200);
    expect(await fields('/api/v1/audit/proofs/consistency?from=5&to=2')).toMatchObject({
      status: 400,
      fields: ['from'],
    });
    expect(await fields(`/api/v1/audit/proofs/consistency?from=1&to=${size + 1}`)).toEqual({
      status: 400,
      fields: ['to'],
      message: expect.stringContaining(`to=${size + 1} belum ada`) as string,
    });
    expect((await get('/api/v1/audit/events?from=kemarin', bawaslu)).body.details[0].field).toBe(
      'from',
    );
    // A range that ends before it starts holds nothing: refused, naming the end.
    expect(
      await fields(
        '/api/v1/audit/events?from=2024-10-02T00:00:00Z&to=2024-10-01T00:00:00Z',
        bawaslu,
      ),
    ).toMatchObject({ status: 400, fields: ['to'] });
    // Past what a position can be (a signed 64-bit integer): a 400, not the store's refusal as a 500.
    expect(
      await fields('/api/v1/audit/events?fromPosition=9999999999999999999', bawaslu),
    ).toMatchObject({ status: 400, fields: ['fromPosition'] });
    expect(
      (await get('/api/v1/audit/events?fromPosition=9223372036854775807', bawaslu)).body.items,
    ).toEqual([]);
    // Two stream filters would have one silently ignored: the caller chooses.
    expect(
      await fields('/api/v1/audit/events?stream=opd-dinas-kesehatan&streamPrefix=asn-', bawaslu),
    ).toMatchObject({ status: 400, fields: ['streamPrefix'] });
  });

  it('the explorer page refuses a reversed date range on its date fields', async () => {
    const page = await webLogin(t, bawaslu.username);
    const reversed = await page.get('/audit?from=2024-10-02&to=2024-10-01').expect(400);
    expect(reversed.text).toContain('id="from-error"');
    expect(reversed.text).toContain('id="to-error"');
    expect(reversed.text).toContain(
      '<a href="#to">Sampai tanggal: tidak boleh sebelum &quot;Dari tanggal&quot;</a>',
    );
    expect(reversed.text).not.toContain('Tidak ada event yang cocok');
    // One day, from and to alike, is a range.
    await page.get('/audit?from=2024-10-01&to=2024-10-01').expect(200);
  });

  it('keeps the history and export for Bawaslu and admins', async () => {
    expect((await get('/api/v1/audit/export', hr)).status).toBe(403);
    expect((await get('/api/v1/audit/events')).status).toBe(401);
  });
});
