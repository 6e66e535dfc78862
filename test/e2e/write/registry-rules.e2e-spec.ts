import { EventStore } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  expectStatus,
  nipFor,
  post,
  seedLedger,
  type TestApp,
  type TestUser,
} from '@netral/testing';

/** Registry rules an official relies on: heads of real OPDs, no OPD dissolved under its staff. */
describe('registry rules', () => {
  let t: TestApp;
  let hr: TestUser;
  let roster: Awaited<ReturnType<typeof seedLedger>>;

  const head = () => t.app.get(EventStore).headPosition();
  const opd = (opdId: string, code: string) => ({ opdId, code, name: opdId, kind: 'DINAS' });

  beforeAll(async () => {
    t = await createTestApp();
    hr = await createUser(t, 'HR');
    roster = await seedLedger(t, { admin: await createUser(t, 'ADMIN'), hr });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('OPD heads', () => {
    it('appoints no head of an OPD that is not registered, naming the opdId', async () => {
      const res = await post(t, hr, '/api/v1/opds/dinas-hantu/head', {
        nip: roster['dinas-kesehatan'].staff[0],
      });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('OPD_NOT_FOUND');
      expect(res.body.message).toContain('dinas-hantu');
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
  });
});
