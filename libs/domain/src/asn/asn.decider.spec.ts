import type { AsnEvent } from '../events';
import { meta, NIP } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import { asnDecider, type EnrollAsn } from './asn.decider';

const data = {
  nip: NIP,
  name: 'I Komang Adi Saputra',
  position: 'Analis Kebijakan',
  employmentType: 'PNS' as const,
  opdId: 'dinas-kesehatan',
};
const enrolled: AsnEvent = { type: 'AsnEnrolled', data };
const enroll = (over: Partial<EnrollAsn> = {}): EnrollAsn => ({
  type: 'EnrollAsn',
  data,
  context: { opd: 'active' },
  metadata: meta(),
  ...over,
});

describe('ASN decider', () => {
  it('enrolls an ASN with a valid NIP in an active OPD', () => {
    given(asnDecider, []).when(enroll()).then([enrolled]);
  });
  it('refuses an invalid NIP with the reason code', () => {
    const error = given(asnDecider, [])
      .when(enroll({ data: { ...data, nip: '198503122010013002' } }))
      .thenFails('NIP_GENDER', 'INVALID');
    expect(error.details).toEqual([expect.objectContaining({ field: 'nip', code: 'NIP_GENDER' })]);
  });
  it('refuses a NIP whose appointment is after next year (a birth date in the future puts it there too)', () => {
    // meta() is 2024-10-01: a TMT CPNS of January 2026 cannot have been issued yet; one of 2025 can.
    const error = given(asnDecider, [])
      .when(enroll({ data: { ...data, nip: '198503122026011002' } }))
      .thenFails('NIP_IN_FUTURE', 'INVALID');
    expect(error.details).toEqual([
      expect.objectContaining({ field: 'nip', code: 'NIP_IN_FUTURE' }),
    ]);
    given(asnDecider, [])
      .when(enroll({ data: { ...data, nip: '198503122025011002' } }))
      .then([{ type: 'AsnEnrolled', data: { ...data, nip: '198503122025011002' } }]);
  });
  it('refuses a second enrolment, and an unknown or dissolved OPD', () => {
    given(asnDecider, [enrolled]).when(enroll()).thenFails('ASN_ALREADY_ENROLLED', 'CONFLICT');
    // Named as officials know the OPD when the command brings its name.
    const again = given(asnDecider, [enrolled])
      .when(enroll({ context: { opd: 'active', enrolledIn: 'Dinas Kesehatan' } }))
      .thenFails('ASN_ALREADY_ENROLLED', 'CONFLICT');
    expect(again.message).toBe(
      `ASN dengan NIP ${NIP} sudah terdaftar di Dinas Kesehatan (dinas-kesehatan).`,
    );
    given(asnDecider, [])
      .when(enroll({ context: { opd: 'none' } }))
      .thenFails('OPD_NOT_FOUND', 'NOT_FOUND');
    given(asnDecider, [])
      .when(enroll({ context: { opd: 'dissolved' } }))
      .thenFails('OPD_DISSOLVED', 'CONFLICT');
  });
  it('transfers to another active OPD', () => {
    given(asnDecider, [enrolled])
      .when({
        type: 'TransferAsn',
        data: { toOpdId: 'inspektorat' },
        context: { opd: 'active' },
        metadata: meta(),
      })
      .then([
        {
          type: 'AsnTransferred',
          data: {
            nip: NIP,
            fromOpdId: 'dinas-kesehatan',
            toOpdId: 'inspektorat',
            transferredAt: meta().now,
          },
        },
      ]);
    const already = given(asnDecider, [enrolled])
      .when({
        type: 'TransferAsn',
        data: { toOpdId: 'dinas-kesehatan' },
        context: { opd: 'active', opdName: 'Dinas Kesehatan' },
        metadata: meta(),
      })
      .thenFails('ASN_ALREADY_IN_OPD');
    expect(already.message).toBe(`ASN ${NIP} sudah berada di Dinas Kesehatan (dinas-kesehatan).`);
  });
  it('records leaving, after which nothing changes', () => {
    const left: AsnEvent = {
      type: 'AsnLeft',
      data: { nip: NIP, opdId: 'dinas-kesehatan', reason: 'pensiun', leftAt: meta().now },
    };
    given(asnDecider, [enrolled])
      .when({ type: 'RecordAsnLeft', data: { reason: 'pensiun' }, metadata: meta() })
      .then([left]);
    given(asnDecider, [enrolled, left])
      .when({ type: 'RecordAsnLeft', data: { reason: 'x' }, metadata: meta() })
      .thenFails('ASN_LEFT');
    given(asnDecider, [])
      .when({ type: 'RecordAsnLeft', data: { reason: 'x' }, metadata: meta() })
      .thenFails('ASN_NOT_FOUND', 'NOT_FOUND');
    // Enrolling the NIP again says it has left, not that it is enrolled in the OPD it left.
    const again = given(asnDecider, [enrolled, left])
      .when(enroll({ context: { opd: 'active', enrolledIn: 'Dinas Kesehatan' } }))
      .thenFails('ASN_LEFT', 'CONFLICT');
    expect(again.message).toBe(
      `ASN dengan NIP ${NIP} sudah tercatat keluar (terakhir di Dinas Kesehatan (dinas-kesehatan)): riwayatnya tetap di ledger, dan NIP ini tidak dapat didaftarkan ulang.`,
    );
  });
  describe('changing name or position', () => {
    const change = (over: { name?: string; position?: string; reason?: string }) => ({
      type: 'ChangeAsnDetails' as const,
      data: { reason: 'kenaikan jabatan, SK 821/123/2024', ...over },
      metadata: meta(),
    });
    const promoted: AsnEvent = {
      type: 'AsnDetailsChanged',
      data: {
        nip: NIP,
        name: data.name,
        position: 'Kepala Seksi Surveilans',
        previous: { name: data.name, position: data.position },
        reason: 'kenaikan jabatan, SK 821/123/2024',
        changedAt: meta().now,
      },
    };
    it('records the new values next to the ones they replace; an omitted value stays', () => {
      given(asnDecider, [enrolled])
        .when(change({ position: 'Kepala Seksi Surveilans' }))
        .then([promoted]);
    });
    it('folds into the state the next decision sees', () => {
      expect([enrolled, promoted].reduce(asnDecider.evolve, asnDecider.initialState())).toEqual(
        expect.objectContaining({ position: 'Kepala Seksi Surveilans', name: data.name }),
      );
    });
    it('corrects one who has left, who stays left', () => {
      const left: AsnEvent = {
        type: 'AsnLeft',
        data: { nip: NIP, opdId: 'dinas-kesehatan', reason: 'pensiun', leftAt: meta().now },
      };
      const corrected: AsnEvent = {
        type: 'AsnDetailsChanged',
        data: {
          nip: NIP,
          name: 'I Komang Adhi Saputra',
          position: data.position,
          previous: { name: data.name, position: data.position },
          reason: 'salah ketik pada pendaftaran',
          changedAt: meta().now,
        },
      };
      given(asnDecider, [enrolled, left])
        .when(change({ name: 'I Komang Adhi Saputra', reason: 'salah ketik pada pendaftaran' }))
        .then([corrected]);
      expect(
        [enrolled, left, corrected].reduce(asnDecider.evolve, asnDecider.initialState()),
      ).toEqual(expect.objectContaining({ status: 'left', name: 'I Komang Adhi Saputra' }));
    });
    it('refuses a change that changes nothing and an unknown ASN', () => {
      given(asnDecider, [enrolled])
        .when(change({ name: data.name, position: data.position }))
        .thenFails('ASN_DETAILS_UNCHANGED', 'CONFLICT');
      given(asnDecider, [enrolled]).when(change({})).thenFails('ASN_DETAILS_UNCHANGED');
      given(asnDecider, [])
        .when(change({ name: 'X' }))
        .thenFails('ASN_NOT_FOUND', 'NOT_FOUND');
    });
  });
});
