import type { OpdCodeEvent } from '../events';
import { meta } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import {
  type ClaimOpdCode,
  normaliseOpdCode,
  opdCodeDecider,
  type RegisteredOpd,
} from './opd-code.decider';

const kesehatan: RegisteredOpd = {
  opdId: 'dinas-kesehatan',
  code: '1.02.01',
  name: 'Dinas Kesehatan',
  status: 'active',
};
const registry = (...opds: RegisteredOpd[]) => new Map(opds.map((o) => [o.opdId, o]));
const claim = (
  code: string,
  opdId: string,
  opds: ReadonlyMap<string, RegisteredOpd> = registry(),
): ClaimOpdCode => ({
  type: 'ClaimOpdCode',
  data: { code, opdId },
  context: { registry: opds },
  metadata: meta(),
});
const claimed = (code: string, opdId: string): OpdCodeEvent => ({
  type: 'OpdCodeClaimed',
  data: { code, opdId, claimedAt: meta().now },
});

describe('OPD code decider', () => {
  it('compares codes as officials do: without surrounding spaces or case', () => {
    expect(normaliseOpdCode(' dlh-01 ')).toBe('DLH-01');
    expect(normaliseOpdCode('1.02.01')).toBe('1.02.01');
  });

  it('claims a free code, in its compared form', () => {
    given(opdCodeDecider, [])
      .when(claim(' dlh-01', 'dinas-lh'))
      .then([claimed('DLH-01', 'dinas-lh')]);
  });

  it('refuses a code an active OPD holds, naming the code and the OPD', () => {
    const error = given(opdCodeDecider, [])
      .when(claim('1.02.01 ', 'dinas-kesehatan-baru', registry(kesehatan)))
      .thenFails('OPD_CODE_TAKEN', 'CONFLICT');
    expect(error.message).toContain('1.02.01');
    expect(error.message).toContain('Dinas Kesehatan (dinas-kesehatan)');
    expect(error.details).toEqual([
      expect.objectContaining({
        field: 'code',
        reason: 'kode 1.02.01 sudah dipakai Dinas Kesehatan (dinas-kesehatan)',
      }),
    ]);
  });

  it('refuses a code claimed by a registration still in flight, but lets that OPD go on', () => {
    given(opdCodeDecider, [claimed('7.07.07', 'dinas-a')])
      .when(claim('7.07.07', 'dinas-b'))
      .thenFails('OPD_CODE_TAKEN', 'CONFLICT');
    given(opdCodeDecider, [claimed('7.07.07', 'dinas-a')])
      .when(claim('7.07.07', 'dinas-a'))
      .then([]);
  });

  it('gives the code of a dissolved OPD, or of a claim that lost its id to another code, to a new one', () => {
    given(opdCodeDecider, [claimed('1.02.01', 'dinas-kesehatan')])
      .when(claim('1.02.01', 'dinas-baru', registry({ ...kesehatan, status: 'dissolved' })))
      .then([claimed('1.02.01', 'dinas-baru')]);
    given(opdCodeDecider, [claimed('9.9', 'dinas-kesehatan')])
      .when(claim('9.9', 'dinas-baru', registry(kesehatan)))
      .then([claimed('9.9', 'dinas-baru')]);
  });
});
