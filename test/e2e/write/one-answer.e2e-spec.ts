import { addDays } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import {
  confirmedCase,
  createTestApp,
  createUser,
  ELECTION,
  findingReport,
  post,
  seedLedger,
  type TestApp,
  type TestUser,
} from '@netral/testing';
import type request from 'supertest';
import { Clock } from '../../../apps/ledger/src/common/clock';

/**
 * A body with problems of shape (a missing field, a wrong format) and of the rules its own fields can
 * answer (a day in the future, a code no catalogue has) hears of both in one 400, and nothing is written
 * (docs/write-api.md, "Routes"). A rule is told only for a field that is well-formed; the rules that
 * need the ledger (an ASN not enrolled, the case's act) still follow once the shape is right.
 */
describe('one answer for shape and rules', () => {
  let t: TestApp;
  let admin: TestUser;
  let hr: TestUser;
  let bawaslu: TestUser;
  let headOfHealth: string;

  const today = () => t.app.get(Clock).today();
  const tomorrow = () => addDays(today(), 1);
  const head = () => t.app.get(EventStore).headPosition();

  /** The 400's details as `field code` pairs, after checking that the store's head did not move. */
  const refusal = async (write: () => request.Test): Promise<string[]> => {
    const before = await head();
    const res = await write();
    expect(await head()).toBe(before);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const details = res.body.details as { field: string; code: string; reason: string }[];
    return details.map(({ field, code }) => `${field} ${code}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    bawaslu = await createUser(t, 'BAWASLU');
    const roster = await seedLedger(t, { admin, hr });
    headOfHealth = roster['dinas-kesehatan'].head;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('POST /pledges', () => {
    const pledge = (over: object) =>
      post(t, hr, '/api/v1/pledges', {
        electionId: ELECTION.electionId,
        nip: headOfHealth,
        signedAt: '2024-09-20',
        place: 'Bangli',
        ...over,
      });

    it('tells a day in the future and an unknown text version beside a missing place', async () => {
      const res = await pledge({ place: undefined, signedAt: tomorrow(), textVersion: 'v9' });
      // The message names each of them with its reason, as the details do.
      expect(res.body.message).toMatch(
        /^Isian tidak valid: place \(.+\); textVersion \(versi naskah v9 tidak dikenal\); signedAt \(tanggal penandatanganan tidak boleh di masa depan\)$/,
      );
      expect(
        await refusal(() => pledge({ place: undefined, signedAt: tomorrow(), textVersion: 'v9' })),
      ).toEqual([
        'place isNotEmpty',
        'textVersion PAKTA_TEXT_UNKNOWN',
        'signedAt SIGNED_AT_IN_FUTURE',
      ]);
    });

    it('judges the day against the election the body names (years before its monitoring)', async () => {
      expect(await refusal(() => pledge({ nip: '123', signedAt: '2021-01-04' }))).toEqual([
        'nip NIP_FORMAT',
        'signedAt SIGNED_AT_BEFORE_ELECTION',
      ]);
    });

    it('tells no day rule for a day that is not well-formed, nor for an election that does not exist', async () => {
      expect(await refusal(() => pledge({ place: '', signedAt: '2024-02-30' }))).toEqual([
        'signedAt DATE_INVALID',
        'place isNotEmpty',
      ]);
      expect(
        await refusal(() => pledge({ place: '', electionId: 'pemilu-2099', signedAt: tomorrow() })),
      ).toEqual(['place isNotEmpty']);
    });

    it('tells the day rule beside a text the pipe refuses before the DTO (a control character)', async () => {
      expect(await refusal(() => pledge({ place: 'Bang\u0007li', signedAt: tomorrow() }))).toEqual([
        'place controlCharacter',
        'signedAt SIGNED_AT_IN_FUTURE',
      ]);
    });

    it('answers the rule alone, as before, when the shape is right', async () => {
      expect(await refusal(() => pledge({ signedAt: tomorrow() }))).toEqual([
        'signedAt SIGNED_AT_IN_FUTURE',
      ]);
    });
  });

  describe('POST /cases', () => {
    it('tells an unknown act and a day in the future beside a bad evidence hash', async () => {
      expect(
        await refusal(() =>
          post(
            t,
            bawaslu,
            '/api/v1/cases',
            findingReport(headOfHealth, {
              actCode: 'N99',
              occurredAt: tomorrow(),
              evidence: [{ sha256: 'abc', description: 'Tangkapan layar' }],
            }),
          ),
        ),
      ).toEqual([
        'evidence.0.sha256 matches',
        'actCode ACT_UNKNOWN',
        'occurredAt OCCURRED_AT_IN_FUTURE',
      ]);
    });
  });

  describe('POST /cases/:id/sanctions', () => {
    it("tells a kind outside its track, days out of order and a decree dated tomorrow beside a missing decree number; the case's own rules come once the shape is right", async () => {
      const { caseId } = await confirmedCase(t, bawaslu, {
        nip: headOfHealth,
        recommendation: { discipline: 'BERAT' },
      });
      const body = {
        track: 'ETHICS',
        kind: 'TEGURAN_TERTULIS',
        decidedBy: 'Bupati Bangli',
        decidedAt: tomorrow(),
        effectiveFrom: '2024-12-01',
        effectiveUntil: '2024-11-01',
      };
      expect(await refusal(() => post(t, hr, `/api/v1/cases/${caseId}/sanctions`, body))).toEqual([
        'decreeNumber isNotEmpty',
        'kind SANCTION_TRACK_MISMATCH',
        'effectiveUntil DATE_ORDER',
        'decidedAt DECIDED_AT_IN_FUTURE',
      ]);
      // A level outside the act's needs the case: told once the body is whole.
      expect(
        await refusal(() =>
          post(t, hr, `/api/v1/cases/${caseId}/sanctions`, {
            ...body,
            track: 'DISCIPLINE',
            decreeNumber: undefined,
            decidedAt: today(),
            effectiveUntil: undefined,
          }),
        ),
      ).toEqual(['decreeNumber isNotEmpty']);
    });
  });

  describe('POST /elections', () => {
    it('tells monitoring after voting day and an implausible year beside a missing name', async () => {
      expect(
        await refusal(() =>
          post(t, admin, '/api/v1/elections', {
            electionId: 'pemilu-2029',
            kind: 'PEMILU',
            votingDay: '2029-02-14',
            monitoringFrom: '2029-02-20',
            monitoringUntil: '2209-03-14',
          }),
        ),
      ).toEqual([
        'name isNotEmpty',
        'monitoringUntil DATE_IMPLAUSIBLE',
        'monitoringFrom MONITORING_AFTER_VOTING',
      ]);
    });
  });
});
