import type { OpdEvent } from '../events';
import { meta, NIP_HEAD } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import {
  type AppointOpdHead,
  type DissolveOpd,
  opdDecider,
  type RegisterOpd,
  vacatesHead,
} from './opd.decider';

const registered: OpdEvent = {
  type: 'OpdRegistered',
  data: {
    opdId: 'dinas-kesehatan',
    code: '1.02.01',
    name: 'Dinas Kesehatan',
    kind: 'DINAS',
    regionCode: '51.06',
  },
};
const register = (over: Partial<RegisterOpd> = {}): RegisterOpd => ({
  type: 'RegisterOpd',
  data: registered.data,
  context: { parentActive: false },
  metadata: meta(),
  ...over,
});
const appoint = (
  asn: AppointOpdHead['context']['asn'],
  sittingHead: string | null = null,
): AppointOpdHead => ({
  type: 'AppointOpdHead',
  data: { opdId: 'dinas-kesehatan', nip: NIP_HEAD },
  context: { asn, sittingHead },
  metadata: meta(),
});

const dissolve = (activeAsn: number): DissolveOpd => ({
  type: 'DissolveOpd',
  data: { opdId: 'dinas-kesehatan', reason: 'digabung' },
  context: { activeAsn },
  metadata: meta(),
});

describe('OPD decider', () => {
  it('registers an OPD once', () => {
    given(opdDecider, []).when(register()).then([registered]);
    given(opdDecider, [registered]).when(register()).thenFails('OPD_ALREADY_EXISTS', 'CONFLICT');
  });
  it('needs an existing parent when one is named', () => {
    given(opdDecider, [])
      .when(register({ data: { ...registered.data, parentOpdId: 'setda' } }))
      .thenFails('PARENT_OPD_NOT_FOUND', 'NOT_FOUND');
  });
  it('appoints a head who is enrolled and active in the OPD, remembering the previous one', () => {
    given(opdDecider, [registered])
      .when(appoint({ status: 'active', opdId: 'dinas-kesehatan' }))
      .then([
        {
          type: 'OpdHeadAppointed',
          data: { opdId: 'dinas-kesehatan', nip: NIP_HEAD, appointedAt: meta().now },
        },
      ]);
    const first: OpdEvent = {
      type: 'OpdHeadAppointed',
      data: { opdId: 'dinas-kesehatan', nip: '198001012005011001', appointedAt: 'x' },
    };
    given(opdDecider, [registered, first])
      .when(appoint({ status: 'active', opdId: 'dinas-kesehatan' }, '198001012005011001'))
      .then([
        {
          type: 'OpdHeadAppointed',
          data: {
            opdId: 'dinas-kesehatan',
            nip: NIP_HEAD,
            previousNip: '198001012005011001',
            appointedAt: meta().now,
          },
        },
      ]);
  });
  it('writes nothing to appoint the head in office again, but appoints one whose term has ended', () => {
    const appointed: OpdEvent = {
      type: 'OpdHeadAppointed',
      data: { opdId: 'dinas-kesehatan', nip: NIP_HEAD, appointedAt: 'x' },
    };
    const active = { status: 'active', opdId: 'dinas-kesehatan' } as const;
    given(opdDecider, [registered, appointed]).when(appoint(active, NIP_HEAD)).then([]);
    // Moved away and back (or the post otherwise vacant): a new appointment, replacing nobody.
    given(opdDecider, [registered, appointed])
      .when(appoint(active, null))
      .then([
        {
          type: 'OpdHeadAppointed',
          data: { opdId: 'dinas-kesehatan', nip: NIP_HEAD, appointedAt: meta().now },
        },
      ]);
  });
  it('ends a head term when the head moves to another OPD or leaves, not on other moves', () => {
    const moved = (fromOpdId: string, toOpdId: string) =>
      ({
        type: 'AsnTransferred',
        data: { nip: NIP_HEAD, fromOpdId, toOpdId, transferredAt: 'x' },
      }) as const;
    expect(vacatesHead(moved('dinas-kesehatan', 'inspektorat'), 'dinas-kesehatan')).toBe(true);
    expect(vacatesHead(moved('inspektorat', 'dinas-kesehatan'), 'dinas-kesehatan')).toBe(false);
    const left = {
      type: 'AsnLeft',
      data: { nip: NIP_HEAD, opdId: 'dinas-kesehatan', reason: 'Pensiun', leftAt: 'x' },
    } as const;
    expect(vacatesHead(left, 'dinas-kesehatan')).toBe(true);
    expect(vacatesHead(left, 'inspektorat')).toBe(false);
  });
  it('refuses a head from another OPD or not enrolled', () => {
    given(opdDecider, [registered])
      .when(appoint({ status: 'active', opdId: 'inspektorat' }))
      .thenFails('ASN_NOT_IN_OPD');
    given(opdDecider, [registered])
      .when(appoint({ status: 'none' }))
      .thenFails('ASN_NOT_IN_OPD');
  });
  it('renames, dissolves, and then refuses changes', () => {
    given(opdDecider, [registered])
      .when({
        type: 'RenameOpd',
        data: { opdId: 'dinas-kesehatan', name: 'Dinas Kesehatan Kab. Bangli' },
        metadata: meta(),
      })
      .then([
        {
          type: 'OpdRenamed',
          data: {
            opdId: 'dinas-kesehatan',
            name: 'Dinas Kesehatan Kab. Bangli',
            previousName: 'Dinas Kesehatan',
          },
        },
      ]);
    const dissolved: OpdEvent = {
      type: 'OpdDissolved',
      data: { opdId: 'dinas-kesehatan', reason: 'digabung', dissolvedAt: 'x' },
    };
    given(opdDecider, [registered])
      .when(dissolve(0))
      .then([{ ...dissolved, data: { ...dissolved.data, dissolvedAt: meta().now } }]);
    given(opdDecider, [registered, dissolved])
      .when(appoint({ status: 'active', opdId: 'dinas-kesehatan' }))
      .thenFails('OPD_DISSOLVED');
    const unknown = given(opdDecider, [])
      .when({ type: 'RenameOpd', data: { opdId: 'dinas-tidak-ada', name: 'x' }, metadata: meta() })
      .thenFails('OPD_NOT_FOUND', 'NOT_FOUND');
    expect(unknown.message).toContain('dinas-tidak-ada');
  });
  it('appoints no head in an OPD that is not registered, naming the opdId', () => {
    const error = given(opdDecider, [])
      .when({
        ...appoint({ status: 'active', opdId: 'dinas-pupr' }),
        data: { opdId: 'dinas-pupr', nip: NIP_HEAD },
      })
      .thenFails('OPD_NOT_FOUND', 'NOT_FOUND');
    expect(error.message).toContain('dinas-pupr');
  });
  it('refuses to dissolve an OPD that still has active ASN, saying how many and what to do', () => {
    const error = given(opdDecider, [registered])
      .when(dissolve(12))
      .thenFails('OPD_HAS_ACTIVE_ASN', 'CONFLICT');
    expect(error.message).toContain('12 ASN aktif');
    expect(error.message).toContain('mutasikan');
    // The OPD by its name, as officials know it, not its id.
    expect(error.details).toEqual([
      expect.objectContaining({
        field: 'opdId',
        reason: '12 ASN aktif masih terdaftar di Dinas Kesehatan',
      }),
    ]);
  });
});
