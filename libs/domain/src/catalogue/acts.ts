import type { DisciplineLevel } from '../events';

export interface ViolationAct {
  code: string;
  description: string;
  /** The discipline track (PP 94/2021 level or PTDH); null for ethics-only acts. Every act also carries
   * the ethics track (PP 42/2004, sanksi moral). */
  discipline: DisciplineLevel | null;
}

/** Violation acts, SKB MenPAN-RB, Mendagri, BKN, KASN and Bawaslu 2022, Lampiran II. Versioned data: a
 * new version of the decree is a new catalogue, old cases keep the version they were reported under. */
export const ACT_CATALOGUE_VERSION = 'SKB-2022';

export const VIOLATION_ACTS: readonly ViolationAct[] = [
  {
    code: 'N01',
    description: 'Memasang spanduk/baliho/alat peraga kampanye bakal calon atau calon',
    discipline: 'BERAT',
  },
  {
    code: 'N02',
    description: 'Sosialisasi/kampanye melalui media sosial untuk bakal calon atau calon',
    discipline: 'BERAT',
  },
  {
    code: 'N03',
    description: 'Melakukan pendekatan ke partai politik sebagai bakal calon',
    discipline: 'SEDANG',
  },
  {
    code: 'N04',
    description: 'Menghadiri deklarasi/kampanye dan memberi dukungan secara aktif',
    discipline: 'BERAT',
  },
  { code: 'N05', description: 'Menjadi anggota atau pengurus partai politik', discipline: 'PTDH' },
  {
    code: 'N06',
    description:
      'Mengunggah, mengomentari, membagikan, menyukai atau mengikuti akun kampanye calon',
    discipline: 'BERAT',
  },
  {
    code: 'N07',
    description: 'Memposting foto bersama calon atau dengan simbol partai/calon',
    discipline: 'BERAT',
  },
  {
    code: 'N08',
    description: 'Kegiatan yang mengarah pada keberpihakan kepada calon',
    discipline: 'SEDANG',
  },
  {
    code: 'N09',
    description: 'Menjadi tim ahli, tim pemenangan atau konsultan calon',
    discipline: 'BERAT',
  },
  {
    code: 'N10',
    description: 'Membuat surat dukungan atau mengumpulkan fotokopi KTP untuk calon',
    discipline: 'BERAT',
  },
  {
    code: 'N11',
    description: 'Membuat keputusan/tindakan yang menguntungkan atau merugikan calon',
    discipline: 'BERAT',
  },
  {
    code: 'E01',
    description: 'Ikut dalam kegiatan kampanye atau sosialisasi calon',
    discipline: null,
  },
  {
    code: 'E02',
    description:
      'Menghadiri kampanye pasangan (suami/istri) calon tanpa cuti di luar tanggungan negara',
    discipline: null,
  },
];

/** Every act catalogue shipped, by version: a case is judged by the one it was reported under, so a new
 * decree (a new entry here, and a new ACT_CATALOGUE_VERSION) never changes the rules of an older case. */
export const ACT_CATALOGUES: Readonly<Record<string, readonly ViolationAct[]>> = {
  [ACT_CATALOGUE_VERSION]: VIOLATION_ACTS,
};

/** The act `code` in catalogue `version` (by default the current one, for new reports). */
export const findAct = (
  code: string,
  version: string = ACT_CATALOGUE_VERSION,
): ViolationAct | undefined => ACT_CATALOGUES[version]?.find((act) => act.code === code);
