import { Logger } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { EventStore, EventStoreUnavailableError } from '@netral/event-store';
import {
  createTestApp,
  createUser,
  csrfFrom,
  ELECTION,
  post,
  seedLedger,
  type TestApp,
  type TestUser,
  webLogin,
} from '@netral/testing';
import type TestAgent from 'supertest/lib/agent';
import { openEventStore } from '../../../apps/ledger/src/infrastructure/event-store.module';

/**
 * The event store out of reach while the service runs (EventStoreDB down, no leader, no answer in time:
 * the adapter's EventStoreUnavailableError): a 503 with Retry-After that says whether anything may have
 * been recorded, never a 500; a form shown again with what the user typed.
 */
describe('writes while the event store is out of reach', () => {
  let t: TestApp;
  let hr: TestUser;
  let head: TestAgent;
  let roster: Awaited<ReturnType<typeof seedLedger>>;
  /** Appends that still succeed before the store goes; then each fails with `outage` until cleared,
   * after writing when `answerLost` (the server had it; its answer never came). */
  let appendsLeft = Infinity;
  let outage: EventStoreUnavailableError | undefined;
  let answerLost = false;

  /** The real store, its appends failing on cue. */
  const failingOnCue = (store: EventStore): EventStore =>
    new Proxy(store, {
      get(target, key) {
        if (key === 'appendToStream') {
          return (...args: Parameters<EventStore['appendToStream']>) => {
            const failure = outage;
            if (failure && appendsLeft-- <= 0) {
              return answerLost
                ? target.appendToStream(...args).then(() => Promise.reject(failure))
                : Promise.reject(failure);
            }
            return target.appendToStream(...args);
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  const goDown = (outcomeUnknown: boolean, after = 0) => {
    appendsLeft = after;
    outage = new EventStoreUnavailableError(
      '14 UNAVAILABLE: No connection established',
      outcomeUnknown,
    );
  };
  const comeBack = () => {
    outage = undefined;
    answerLost = false;
    appendsLeft = Infinity;
  };
  const pledges = async () => {
    let count = 0;
    for await (const _ of t.app
      .get(EventStore)
      .readAll({ filter: { eventTypeRegex: '^PledgeSigned$' } })) {
      count += 1;
    }
    return count;
  };
  const pledge = (nip: string) => ({
    electionId: ELECTION.electionId,
    nip,
    signedAt: '2024-09-20',
    place: 'Bangli',
  });

  beforeAll(async () => {
    t = await createTestApp(
      {},
      {
        override: (module) =>
          module.overrideProvider(EventStore).useFactory({
            inject: [AppConfig],
            factory: (config: AppConfig) => failingOnCue(openEventStore(config)),
          }),
      },
    );
    const admin = await createUser(t, 'ADMIN');
    hr = await createUser(t, 'HR');
    roster = await seedLedger(t, { admin, hr }, { staffPerOpd: 3 });
    const headUser = await createUser(t, 'OPD_HEAD', { opdId: 'dinas-kesehatan' });
    head = await webLogin(t, headUser.username);
  });
  afterEach(comeBack);
  afterAll(() => t.close());

  it('answers an API write 503 EVENT_STORE_UNAVAILABLE with Retry-After, logged as a warning; the key is not kept, so the retry lands', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const error = jest.spyOn(Logger.prototype, 'error');
    const nip = roster['dinas-kesehatan'].staff[0];
    try {
      goDown(false);
      const before = await pledges();
      const res = await post(t, hr, '/api/v1/pledges', pledge(nip)).set(
        'Idempotency-Key',
        'k-outage-1',
      );
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'EVENT_STORE_UNAVAILABLE',
        message: expect.stringMatching(
          /tidak dapat dihubungi; permintaan ini tidak tercatat\. Coba lagi dalam 5 detik\.$/,
        ),
      });
      expect(await pledges()).toBe(before);
      expect(error).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ code: 'EVENT_STORE_UNAVAILABLE', path: '/api/v1/pledges' }),
        expect.stringMatching(/^event store unavailable \(503\): 14 UNAVAILABLE/),
      );

      comeBack();
      const retried = await post(t, hr, '/api/v1/pledges', pledge(nip)).set(
        'Idempotency-Key',
        'k-outage-1',
      );
      expect(retried.status).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect(await pledges()).toBe(before + 1);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it('says so when the answer was lost after the request may have reached the store, and settles a retry with its key from the ledger', async () => {
    const nip = roster['dinas-pendidikan'].staff[0];
    const send = () =>
      post(t, hr, '/api/v1/pledges', pledge(nip)).set('Idempotency-Key', 'k-outage-2');
    goDown(true);
    const before = await pledges();
    const res = await send();
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.code).toBe('EVENT_STORE_OUTCOME_UNKNOWN');
    expect(res.body.message).toMatch(/belum pasti apakah permintaan ini sudah tercatat/);
    expect(res.body.message).toMatch(/periksa apakah datanya sudah ada/);
    comeBack();
    // Nothing of it reached the store: the retry runs.
    expect((await send()).status).toBe(201);
    expect(await pledges()).toBe(before + 1);
  });

  it('never writes twice when the lost answer’s write did land: the retry with its key is a 409 naming it', async () => {
    const nip = roster['dinas-pendidikan'].staff[1];
    const send = () =>
      post(t, hr, '/api/v1/pledges', pledge(nip)).set('Idempotency-Key', 'k-outage-3');
    goDown(true);
    answerLost = true;
    const before = await pledges();
    expect((await send()).body.code).toBe('EVENT_STORE_OUTCOME_UNKNOWN');
    expect(await pledges()).toBe(before + 1);
    comeBack();
    const retried = await send();
    expect(retried.status).toBe(409);
    expect(retried.body).toMatchObject({
      code: 'IDEMPOTENCY_KEY_INTERRUPTED',
      message: expect.stringContaining(`pledge-${ELECTION.electionId}-${nip}`),
    });
    expect(await pledges()).toBe(before + 1);
  });

  it('shows the head’s own pledge form again with what they typed, 503, instead of an error page', async () => {
    const page = await head.get(`/opd/pakta?electionId=${ELECTION.electionId}`).expect(200);
    goDown(false);
    const before = await pledges();
    const res = await head
      .post(`/opd/pakta?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .redirects(0)
      .field('electionId', ELECTION.electionId)
      .field('statement', 'ya')
      .field('place', 'Kantor Dinas Kesehatan Bangli')
      .field('signedAt', '2024-09-18');
    expect(res.status).toBe(503);
    expect(res.text).toContain('permintaan ini tidak tercatat');
    expect(res.text).toContain('value="Kantor Dinas Kesehatan Bangli"');
    expect(res.text).toContain('value="2024-09-18"');
    expect(res.text).toMatch(/name="statement" value="ya" checked/);
    expect(await pledges()).toBe(before);
  });

  it('tells a staff batch cut off by the outage how many were recorded, and ticks only the others', async () => {
    const staff = roster['dinas-kesehatan'].staff.slice(1); // the first signed in the first test
    const page = await head.get(`/opd/staf?electionId=${ELECTION.electionId}`).expect(200);
    goDown(false, 1);
    const before = await pledges();
    let pending = head
      .post(`/opd/staf?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .redirects(0)
      .field('electionId', ELECTION.electionId)
      .field('place', 'Bangli')
      .field('signedAt', '2024-09-20');
    for (const nip of staff) {
      pending = pending.field('nip', nip);
    }
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.text).toContain('1 pakta integritas staf telah tercatat; yang lain belum:');
    expect(await pledges()).toBe(before + 1);
    expect(res.text).not.toContain(`value="${staff[0]}" checked`);
    expect(res.text).toContain(`value="${staff[1]}" checked`);
  });
});
