import { EventStore, type RecordedEvent } from '@netral/event-store';
import request from 'supertest';
import type { TestUser } from './auth';
import type { TestApp } from './test-app';

/** Valid synthetic NIPs: PNS layout, birth 1970-01-01 + n days, TMT 2000-01, gender 1, sequence. */
export const nipFor = (n: number): string => {
  const birth = new Date(Date.UTC(1970, 0, 1 + (n % 9000)));
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const tmtYear = birth.getUTCFullYear() + 25;
  return `${ymd}${tmtYear}01${(n % 2) + 1}${String((n % 999) + 1).padStart(3, '0')}`;
};

/** Throws with the body when a setup call does not answer what it should. */
export const expectStatus = async (
  pending: request.Test,
  status: number,
): Promise<request.Response> => {
  const res = await pending;
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res;
};

export const post = (t: TestApp, user: TestUser, path: string, body: object) =>
  request(t.server).post(path).set('Authorization', user.auth).send(body);

/** A POST of exactly these bytes with these headers (superagent would serialise a Buffer sent as JSON
 * into JSON of its bytes): for bodies no client library would send. */
export const postRaw = (
  t: TestApp,
  user: TestUser,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
) => {
  const req = request(t.server).post(path).set('Authorization', user.auth);
  for (const [name, value] of Object.entries(headers)) {
    req.set(name, value);
  }
  return req.serialize((b: unknown) => b as string).send(body);
};

export const ELECTION = {
  electionId: 'pilkada-2024',
  name: 'Pilkada Serentak 2024',
  kind: 'PILKADA' as const,
  votingDay: '2024-11-27',
  monitoringFrom: '2024-09-25',
  monitoringUntil: '2024-12-15',
};

/** A Bawaslu finding (N06, social-media campaigning) against `nip` in ELECTION: a report's body. */
export const findingReport = (nip: string, over: object = {}) => ({
  electionId: ELECTION.electionId,
  nip,
  source: 'BAWASLU_FINDING' as const,
  actCode: 'N06',
  occurredAt: '2024-09-28',
  summary: 'Membagikan materi kampanye di media sosial',
  ...over,
});

/** An election, two OPDs with a head each and `staffPerOpd` staff, written through the real API. */
export const seedLedger = async (
  t: TestApp,
  users: { admin: TestUser; hr: TestUser },
  options: { staffPerOpd?: number; opds?: string[] } = {},
) => {
  const opds = options.opds ?? ['dinas-kesehatan', 'dinas-pendidikan'];
  const staffPerOpd = options.staffPerOpd ?? 3;
  await expectStatus(post(t, users.admin, '/api/v1/elections', ELECTION), 201);
  const roster: Record<string, { head: string; staff: string[] }> = {};
  let n = 1;
  for (const [i, opdId] of opds.entries()) {
    await expectStatus(
      post(t, users.hr, '/api/v1/opds', {
        opdId,
        code: `1.0${i + 1}.01`,
        name: opdId.replace('-', ' '),
        kind: 'DINAS',
      }),
      201,
    );
    const nips = Array.from({ length: staffPerOpd + 1 }, () => nipFor((n += 1)));
    for (const nip of nips) {
      await expectStatus(
        post(t, users.hr, '/api/v1/asn', {
          nip,
          name: `ASN ${nip.slice(-4)}`,
          position: 'Pelaksana',
          employmentType: 'PNS',
          opdId,
        }),
        201,
      );
    }
    await expectStatus(
      post(t, users.hr, `/api/v1/opds/${opdId}/head`, { nip: nips[0] }).set('X-Test', '1'),
      200,
    );
    roster[opdId] = { head: nips[0], staff: nips.slice(1) };
  }
  return roster;
};

/** Every event of one stream, in order. */
export const streamEvents = async (t: TestApp, stream: string): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of t.app.get(EventStore).readStream(stream)) {
    events.push(e);
  }
  return events;
};

/**
 * A Bawaslu finding (N06, social-media campaigning) reported, verified and confirmed through the API, ready
 * for a sanction. Returns the case id and the confirmation's position.
 */
export const confirmedCase = async (
  t: TestApp,
  bawaslu: TestUser,
  options: {
    nip: string;
    recommendation: { ethics?: string; discipline?: string };
    actCode?: string;
    authority?: string;
    occurredAt?: string;
    electionId?: string;
  },
): Promise<{ caseId: string; position: string }> => {
  const reported = await expectStatus(
    post(
      t,
      bawaslu,
      '/api/v1/cases',
      findingReport(options.nip, {
        ...(options.electionId ? { electionId: options.electionId } : {}),
        ...(options.actCode ? { actCode: options.actCode } : {}),
        ...(options.occurredAt ? { occurredAt: options.occurredAt } : {}),
      }),
    ),
    201,
  );
  const { caseId } = reported.body as { caseId: string };
  await expectStatus(post(t, bawaslu, `/api/v1/cases/${caseId}/verification`, {}), 200);
  const confirmed = await expectStatus(
    post(t, bawaslu, `/api/v1/cases/${caseId}/confirmation`, {
      findings: 'Terbukti',
      authority: options.authority ?? 'BKN',
      recommendation: options.recommendation,
    }),
    200,
  );
  return { caseId, position: (confirmed.body as { position: string }).position };
};
