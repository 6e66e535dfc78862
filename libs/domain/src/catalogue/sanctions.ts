import type { DisciplineLevel, EthicsSanctionKind, SanctionTrack } from '../events';

export interface SanctionKind {
  code: string;
  track: SanctionTrack;
  /** PP 94/2021 level for discipline sanctions. */
  level?: Exclude<DisciplineLevel, 'PTDH'>;
  description: string;
  legalBasis: string;
}

export const SANCTION_CATALOGUE_VERSION = 'PP94-2021';

export const SANCTION_KINDS: readonly SanctionKind[] = [
  {
    code: 'MORAL_TERTUTUP',
    track: 'ETHICS',
    description: 'Sanksi moral pernyataan secara tertutup',
    legalBasis: 'PP 42/2004 Pasal 16',
  },
  {
    code: 'MORAL_TERBUKA',
    track: 'ETHICS',
    description: 'Sanksi moral pernyataan secara terbuka',
    legalBasis: 'PP 42/2004 Pasal 16',
  },
  {
    code: 'TEGURAN_LISAN',
    track: 'DISCIPLINE',
    level: 'RINGAN',
    description: 'Teguran lisan',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (2)',
  },
  {
    code: 'TEGURAN_TERTULIS',
    track: 'DISCIPLINE',
    level: 'RINGAN',
    description: 'Teguran tertulis',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (2)',
  },
  {
    code: 'PERNYATAAN_TIDAK_PUAS',
    track: 'DISCIPLINE',
    level: 'RINGAN',
    description: 'Pernyataan tidak puas secara tertulis',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (2)',
  },
  {
    code: 'POTONG_TUKIN_6',
    track: 'DISCIPLINE',
    level: 'SEDANG',
    description: 'Pemotongan tunjangan kinerja 25% selama 6 bulan',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (3)',
  },
  {
    code: 'POTONG_TUKIN_9',
    track: 'DISCIPLINE',
    level: 'SEDANG',
    description: 'Pemotongan tunjangan kinerja 25% selama 9 bulan',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (3)',
  },
  {
    code: 'POTONG_TUKIN_12',
    track: 'DISCIPLINE',
    level: 'SEDANG',
    description: 'Pemotongan tunjangan kinerja 25% selama 12 bulan',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (3)',
  },
  {
    code: 'TURUN_JABATAN_12',
    track: 'DISCIPLINE',
    level: 'BERAT',
    description: 'Penurunan jabatan setingkat lebih rendah selama 12 bulan',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (4)',
  },
  {
    code: 'JADI_PELAKSANA_12',
    track: 'DISCIPLINE',
    level: 'BERAT',
    description: 'Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (4)',
  },
  {
    code: 'PDHTAPS',
    track: 'DISCIPLINE',
    level: 'BERAT',
    description: 'Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS',
    legalBasis: 'PP 94/2021 Pasal 8 ayat (4)',
  },
  {
    code: 'PTDH',
    track: 'DISMISSAL',
    description: 'Pemberhentian tidak dengan hormat',
    legalBasis: 'UU 20/2023 Pasal 52',
  },
  {
    code: 'PPPK_PUTUS_KONTRAK',
    track: 'DISMISSAL',
    description: 'Pemutusan hubungan perjanjian kerja PPPK',
    legalBasis: 'UU 20/2023 Pasal 52',
  },
];

export const findSanction = (code: string): SanctionKind | undefined =>
  SANCTION_KINDS.find((kind) => kind.code === code);

export const ETHICS_KINDS: readonly EthicsSanctionKind[] = ['MORAL_TERTUTUP', 'MORAL_TERBUKA'];
