import { EventStore } from '@netral/event-store';
import { TRANSPARENCY_LOG_FILE, TransparencyLog } from '@netral/transparency-log';
import {
  createTestApp,
  createUser,
  ELECTION,
  post,
  seedLedger,
  type TestApp,
} from '@netral/testing';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import request from 'supertest';
import { AuditLog } from '../../../apps/ledger/src/audit/audit-log.service';
import { ReadSide } from '../../../apps/ledger/src/compliance/read-side';

/** The transparency log builder inside the running service: its cadence and what happens when it must stop. */
describe('transparency log builder', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({
      NETRAL_CHECKPOINT_EVERY_EVENTS: '4',
      NETRAL_CHECKPOINT_EVERY_SECONDS: '1',
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const signedSizes = async () =>
    (
      (await request(t.server).get('/api/v1/audit/checkpoints')).body.items as {
        treeSize: number;
      }[]
    ).map((c) => c.treeSize);
  const until = async (what: () => Promise<boolean>, ms = 4000) => {
    for (const started = Date.now(); Date.now() - started < ms;) {
      if (await what()) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('condition not met in time');
  };
  const settled = async () => {
    const head = await t.app.get(EventStore).headPosition();
    await t.app.get(AuditLog).includes(head!);
  };

  it('signs after N events at once, and within T seconds after fewer', async () => {
    const admin = await createUser(t, 'ADMIN'); // user created: 1 event
    await settled();
    const started = Date.now();
    await until(async () => (await signedSizes()).includes(1));
    expect(Date.now() - started).toBeLessThan(2500); // T = 1 s, plus delivery and polling
    for (const electionId of ['e-satu', 'e-dua', 'e-tiga', 'e-empat']) {
      await post(t, admin, '/api/v1/elections', { ...ELECTION, electionId }).expect(201);
    }
    await settled();
    // 1 + 4 events: the count rule signs size 5 without waiting for the timer.
    await until(async () => (await signedSizes())[0] === 5, 500);
    const health = await request(t.server).get('/health').expect(200);
    expect(health.body.info.transparencyLog).toMatchObject({
      status: 'up',
      treeSize: 5,
      latestCheckpoint: { treeSize: 5 },
    });
  });

  it("builds the leaves off the service's thread, which only adopts and signs them", async () => {
    const append = jest.spyOn(TransparencyLog.prototype, 'append');
    try {
      const admin = await createUser(t, 'ADMIN');
      await post(t, admin, '/api/v1/elections', ELECTION).expect(201);
      await settled();
      const size = Number(await t.app.get(EventStore).headPosition());
      expect(t.app.get(AuditLog).log.size).toBe(size);
      const proof = await request(t.server)
        .get(`/api/v1/audit/proofs/inclusion?index=${size - 1}&treeSize=${size}`)
        .expect(200);
      expect(proof.body.leafHash).toEqual(expect.any(String));
      expect(append).not.toHaveBeenCalled();
    } finally {
      append.mockRestore();
    }
  });

  it('stops rather than log doubtfully, and /health says so', async () => {
    const admin = await createUser(t, 'ADMIN');
    await settled();
    await until(async () => (await signedSizes()).length > 0);
    // Damage the log's file from outside: the next leaf's node row already exists.
    const size = t.app.get(AuditLog).log.size;
    const raw = new Database(join(t.dataDir, TRANSPARENCY_LOG_FILE));
    raw
      .prepare('INSERT INTO nodes (level, idx, hash) VALUES (0, ?, ?)')
      .run(size, Buffer.alloc(32));
    raw.close();
    await post(t, admin, '/api/v1/elections', ELECTION).expect(201);
    await until(async () => (await request(t.server).get('/health')).status === 503);
    const health = await request(t.server).get('/health');
    expect(health.body.error.transparencyLog).toMatchObject({
      status: 'down',
      treeSize: size,
      reason: expect.stringContaining('UNIQUE'),
    });
    expect(health.body.info.eventStore.status).toBe('up');
    // What was logged before is still served; nothing new is signed.
    expect((await request(t.server).get('/api/v1/audit/checkpoint')).status).toBe(200);
    const refused = await post(t, admin, '/api/v1/audit/checkpoints', {});
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('TRANSPARENCY_LOG_STOPPED');
  });

  it('answers a builder still catching up with 503 and Retry-After, and still issues a certificate', async () => {
    const admin = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    const roster = await seedLedger(t, { admin, hr }, { staffPerOpd: 1 });
    const nip = roster['dinas-kesehatan'].staff[0];
    const pledge = {
      electionId: ELECTION.electionId,
      nip,
      signedAt: '2024-09-10',
      place: 'Bangli',
    };
    await post(t, hr, '/api/v1/pledges', pledge).expect(201);
    await settled();
    await t.app.get(ReadSide).ready(String(await t.app.get(EventStore).headPosition()));
    // The builder held back, as after a large import: the store runs ahead of the log.
    await t.app.get(AuditLog).suspend();
    await post(t, admin, '/api/v1/elections', { ...ELECTION, electionId: 'e-menyusul' }).expect(
      201,
    );
    const [checkpoint, certificate] = await Promise.all([
      post(t, admin, '/api/v1/audit/checkpoints', {}),
      post(t, hr, '/api/v1/certificates', {
        subjectType: 'ASN',
        subjectId: nip,
        electionId: ELECTION.electionId,
      }),
    ]);
    expect(checkpoint.status).toBe(503);
    expect(checkpoint.headers['retry-after']).toBe('5');
    expect(checkpoint.body).toMatchObject({
      code: 'TRANSPARENCY_LOG_BEHIND',
      message: expect.stringContaining('masih menyusul'),
    });
    // The certificate is recorded: a late log only means a later checkpoint signs it.
    expect(certificate.status).toBe(201);
    await t.app.get(AuditLog).resume();
    const signed = await post(t, admin, '/api/v1/audit/checkpoints', {});
    expect(signed.status).toBe(201);
    // Signed once every event, the certificate's among them, is a leaf.
    const log = t.app.get(AuditLog).log;
    expect(log.position).toBe(await t.app.get(EventStore).headPosition());
    expect(signed.body.treeSize).toBe(log.size);
  });
});
