import { createHash } from 'node:crypto';
import { ACT_CATALOGUE_VERSION, ACT_CATALOGUES, findAct, VIOLATION_ACTS } from './acts';
import { findPakta, PAKTA_TEXTS } from './pakta';
import { SANCTION_KINDS } from './sanctions';

describe('catalogues', () => {
  it('ships the acts N01–N11 and E01–E02, every one with a known track', () => {
    expect(VIOLATION_ACTS.map((a) => a.code)).toEqual([
      'N01',
      'N02',
      'N03',
      'N04',
      'N05',
      'N06',
      'N07',
      'N08',
      'N09',
      'N10',
      'N11',
      'E01',
      'E02',
    ]);
    expect(VIOLATION_ACTS.find((a) => a.code === 'N05')?.discipline).toBe('PTDH');
  });
  it('keeps the acts by catalogue version, the current one by default', () => {
    expect(Object.keys(ACT_CATALOGUES)).toEqual([ACT_CATALOGUE_VERSION]);
    expect(findAct('N03')).toBe(findAct('N03', 'SKB-2022'));
    expect(findAct('N03', 'SKB-2022')?.discipline).toBe('SEDANG');
    expect(findAct('N03', 'SKB-2099')).toBeUndefined();
    expect(findAct('N99')).toBeUndefined();
  });
  it('ships the PP 94/2021 sanctions by level, dismissal and the two sanksi moral', () => {
    const byLevel = (level: string) =>
      SANCTION_KINDS.filter((s) => s.level === level).map((s) => s.code);
    expect(byLevel('RINGAN')).toEqual([
      'TEGURAN_LISAN',
      'TEGURAN_TERTULIS',
      'PERNYATAAN_TIDAK_PUAS',
    ]);
    expect(byLevel('SEDANG')).toEqual(['POTONG_TUKIN_6', 'POTONG_TUKIN_9', 'POTONG_TUKIN_12']);
    expect(byLevel('BERAT')).toEqual(['TURUN_JABATAN_12', 'JADI_PELAKSANA_12', 'PDHTAPS']);
    expect(SANCTION_KINDS.filter((s) => s.track !== 'DISCIPLINE').map((s) => s.code)).toEqual([
      'MORAL_TERTUTUP',
      'MORAL_TERBUKA',
      'PTDH',
      'PPPK_PUTUS_KONTRAK',
    ]);
  });
  it('ships the pakta text v1 with its four points and the SHA-256 of the exact text', () => {
    const v1 = findPakta('v1')!;
    expect(v1.points).toHaveLength(4);
    expect(v1.text).toContain('politik uang');
    expect(v1.sha256).toBe(createHash('sha256').update(v1.text).digest('hex'));
    // The hash recorded with every v1 signature since it shipped: the text must never move under it.
    expect(v1.sha256).toBe('75bfc541d6b9fd15048a906a0df2a2845f619d7c73771be37b46dfa3c304f7e4');
    expect(new Set(PAKTA_TEXTS.map((t) => t.version)).size).toBe(PAKTA_TEXTS.length);
  });
});
