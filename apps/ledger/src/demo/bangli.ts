import type { OpdKind } from '@netral/domain';

/**
 * Kabupaten Bangli (51.06), the demo regency: its perangkat daerah as organised under its Perda on
 * perangkat daerah (names simplified), and a deterministic synthetic workforce. Nothing here describes a
 * real person: names are common Balinese names combined at random, NIPs are synthetic but valid.
 */
export interface DemoOpd {
  opdId: string;
  code: string;
  name: string;
  kind: OpdKind;
  parentOpdId?: string;
}

export const BANGLI_OPDS: readonly DemoOpd[] = [
  {
    opdId: 'sekretariat-daerah',
    code: '4.01.01',
    name: 'Sekretariat Daerah',
    kind: 'SEKRETARIAT_DAERAH',
  },
  {
    opdId: 'sekretariat-dprd',
    code: '4.02.01',
    name: 'Sekretariat DPRD',
    kind: 'SEKRETARIAT_DPRD',
  },
  { opdId: 'inspektorat', code: '6.01.01', name: 'Inspektorat Daerah', kind: 'INSPEKTORAT' },
  {
    opdId: 'dinas-pendidikan',
    code: '1.01.01',
    name: 'Dinas Pendidikan, Kepemudaan dan Olahraga',
    kind: 'DINAS',
  },
  { opdId: 'dinas-kesehatan', code: '1.02.01', name: 'Dinas Kesehatan', kind: 'DINAS' },
  {
    opdId: 'rsud-bangli',
    code: '1.02.02',
    name: 'RSUD Bangli',
    kind: 'RSUD',
    parentOpdId: 'dinas-kesehatan',
  },
  {
    opdId: 'dinas-pupr',
    code: '1.03.01',
    name: 'Dinas Pekerjaan Umum dan Penataan Ruang',
    kind: 'DINAS',
  },
  {
    opdId: 'dinas-perkim',
    code: '1.04.01',
    name: 'Dinas Perumahan Rakyat dan Kawasan Permukiman',
    kind: 'DINAS',
  },
  { opdId: 'satpol-pp', code: '1.05.01', name: 'Satuan Polisi Pamong Praja', kind: 'SATPOL_PP' },
  { opdId: 'bpbd', code: '1.05.02', name: 'Badan Penanggulangan Bencana Daerah', kind: 'BADAN' },
  { opdId: 'dinas-sosial', code: '1.06.01', name: 'Dinas Sosial', kind: 'DINAS' },
  {
    opdId: 'dinas-p3a',
    code: '2.08.01',
    name: 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak',
    kind: 'DINAS',
  },
  {
    opdId: 'dinas-ketahanan-pangan',
    code: '2.09.01',
    name: 'Dinas Ketahanan Pangan',
    kind: 'DINAS',
  },
  {
    opdId: 'dinas-lingkungan-hidup',
    code: '2.11.01',
    name: 'Dinas Lingkungan Hidup',
    kind: 'DINAS',
  },
  {
    opdId: 'disdukcapil',
    code: '2.12.01',
    name: 'Dinas Kependudukan dan Pencatatan Sipil',
    kind: 'DINAS',
  },
  {
    opdId: 'dinas-pmd',
    code: '2.13.01',
    name: 'Dinas Pemberdayaan Masyarakat dan Desa',
    kind: 'DINAS',
  },
  { opdId: 'dinas-perhubungan', code: '2.15.01', name: 'Dinas Perhubungan', kind: 'DINAS' },
  {
    opdId: 'diskominfo',
    code: '2.16.01',
    name: 'Dinas Komunikasi, Informatika dan Persandian',
    kind: 'DINAS',
  },
  {
    opdId: 'dinas-koperasi',
    code: '2.17.01',
    name: 'Dinas Koperasi, UKM, Perindustrian dan Perdagangan',
    kind: 'DINAS',
  },
  {
    opdId: 'dpmptsp',
    code: '2.18.01',
    name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu',
    kind: 'DINAS',
  },
  { opdId: 'dinas-kebudayaan', code: '2.22.01', name: 'Dinas Kebudayaan', kind: 'DINAS' },
  {
    opdId: 'dinas-perpustakaan',
    code: '2.23.01',
    name: 'Dinas Perpustakaan dan Kearsipan',
    kind: 'DINAS',
  },
  { opdId: 'dinas-pariwisata', code: '3.26.01', name: 'Dinas Pariwisata', kind: 'DINAS' },
  {
    opdId: 'dinas-pertanian',
    code: '3.27.01',
    name: 'Dinas Pertanian dan Perikanan',
    kind: 'DINAS',
  },
  {
    opdId: 'bappeda',
    code: '5.01.01',
    name: 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah',
    kind: 'BADAN',
  },
  {
    opdId: 'bpkad',
    code: '5.02.01',
    name: 'Badan Pengelola Keuangan dan Aset Daerah',
    kind: 'BADAN',
  },
  { opdId: 'bapenda', code: '5.02.02', name: 'Badan Pendapatan Daerah', kind: 'BADAN' },
  {
    opdId: 'bkpsdm',
    code: '5.03.01',
    name: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia',
    kind: 'BADAN',
  },
  {
    opdId: 'kesbangpol',
    code: '8.01.01',
    name: 'Badan Kesatuan Bangsa dan Politik',
    kind: 'BADAN',
  },
  {
    opdId: 'kecamatan-bangli',
    code: '7.01.01',
    name: 'Kecamatan Bangli',
    kind: 'KECAMATAN',
    parentOpdId: 'sekretariat-daerah',
  },
  {
    opdId: 'kecamatan-susut',
    code: '7.01.02',
    name: 'Kecamatan Susut',
    kind: 'KECAMATAN',
    parentOpdId: 'sekretariat-daerah',
  },
  {
    opdId: 'kecamatan-tembuku',
    code: '7.01.03',
    name: 'Kecamatan Tembuku',
    kind: 'KECAMATAN',
    parentOpdId: 'sekretariat-daerah',
  },
  {
    opdId: 'kecamatan-kintamani',
    code: '7.01.04',
    name: 'Kecamatan Kintamani',
    kind: 'KECAMATAN',
    parentOpdId: 'sekretariat-daerah',
  },
];

const BIRTH_ORDER = [
  'Wayan',
  'Putu',
  'Gede',
  'Made',
  'Kadek',
  'Nengah',
  'Nyoman',
  'Komang',
  'Ketut',
];
const MALE = [
  'Agus',
  'Adi',
  'Budiarta',
  'Suardana',
  'Wirawan',
  'Sudarma',
  'Arsana',
  'Sutama',
  'Mahendra',
  'Dharma',
  'Putra',
  'Sudiarta',
  'Suarjana',
  'Widiana',
  'Artawan',
  'Sukadana',
  'Astawa',
  'Merta',
];
const FEMALE = [
  'Sari',
  'Ayu',
  'Dewi',
  'Lestari',
  'Suartini',
  'Kusuma',
  'Yanti',
  'Astuti',
  'Widiastuti',
  'Artini',
  'Suarni',
  'Sukmawati',
  'Purnami',
  'Wulandari',
  'Ariani',
  'Suryani',
];
/** Positions every perangkat daerah has. */
const COMMON_POSITIONS = [
  'Analis Kebijakan',
  'Pengelola Keuangan',
  'Pranata Komputer',
  'Arsiparis',
  'Pengadministrasi Umum',
  'Perencana',
  'Verifikator Keuangan',
  'Analis SDM Aparatur',
];
/** Functional positions that belong to one kind of office only: no Guru in Satpol PP, no Bidan in BPKAD. */
const OWN_POSITIONS: Record<string, readonly string[]> = {
  'dinas-pendidikan': ['Guru', 'Pengawas Sekolah', 'Penilik'],
  'dinas-kesehatan': ['Bidan', 'Perawat', 'Epidemiolog Kesehatan', 'Sanitarian'],
  'rsud-bangli': ['Dokter', 'Perawat', 'Bidan', 'Apoteker'],
  inspektorat: ['Auditor', 'Pengawas Penyelenggaraan Urusan Pemerintahan Daerah'],
  'satpol-pp': ['Polisi Pamong Praja'],
  'dinas-pertanian': ['Penyuluh Pertanian', 'Pengawas Bibit Ternak'],
  'dinas-ketahanan-pangan': ['Analis Ketahanan Pangan'],
  'dinas-sosial': ['Pekerja Sosial', 'Penyuluh Sosial'],
  'dinas-perpustakaan': ['Pustakawan'],
  'dinas-perhubungan': ['Penguji Kendaraan Bermotor'],
  'dinas-lingkungan-hidup': ['Pengendali Dampak Lingkungan'],
  'dinas-pupr': ['Teknik Jalan dan Jembatan', 'Penata Ruang'],
  bpbd: ['Analis Bencana'],
  bapenda: ['Penilai Pajak'],
  bpkad: ['Analis Keuangan Pusat dan Daerah'],
};
const positionsOf = (opdId: string): readonly string[] => [
  ...COMMON_POSITIONS,
  ...(OWN_POSITIONS[opdId] ?? []),
];

/** How the head of each kind of office is titled: a Dinas or Badan has a Kepala, the others do not. */
export const headTitle = (opd: DemoOpd): string => {
  switch (opd.kind) {
    case 'SEKRETARIAT_DAERAH':
      return 'Sekretaris Daerah';
    case 'SEKRETARIAT_DPRD':
      return 'Sekretaris DPRD';
    case 'INSPEKTORAT':
      return 'Inspektur Daerah';
    case 'RSUD':
      return `Direktur ${opd.name}`;
    case 'KECAMATAN':
      return `Camat ${opd.name.replace(/^Kecamatan /, '')}`;
    case 'KELURAHAN':
      return `Lurah ${opd.name.replace(/^Kelurahan /, '')}`;
    case 'BADAN':
      // The Bupati heads the BPBD ex officio; its daily head is the Kepala Pelaksana.
      return opd.opdId === 'bpbd' ? 'Kepala Pelaksana BPBD' : `Kepala ${opd.name}`;
    case 'DINAS':
    case 'SATPOL_PP':
    case 'LAINNYA':
      return `Kepala ${opd.name}`;
  }
};

/** A small deterministic PRNG (mulberry32): the same demo every time. */
export const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface DemoAsn {
  nip: string;
  name: string;
  position: string;
  employmentType: 'PNS' | 'PPPK';
  opdId: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** About `total` ASN spread over the OPDs (the first of each OPD becomes its head). */
/** `heads` names the head of an OPD (an OPD head's demo login is that person); the other draws stay as
 * they are, so naming one changes nobody else. */
export const demoWorkforce = (
  total = 600,
  heads: Readonly<Record<string, { name: string; female: boolean }>> = {},
): DemoAsn[] => {
  const random = prng(5106);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const people: DemoAsn[] = [];
  const sequence = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    const opd = BANGLI_OPDS[i % BANGLI_OPDS.length];
    const head = i < BANGLI_OPDS.length;
    const named = head ? heads[opd.opdId] : undefined;
    const drawnFemale = random() < 0.48;
    const female = named ? named.female : drawnFemale;
    const pppk = !head && random() < 0.2;
    // Heads are senior officials (born 1966–1978, so 20+ years of service by 2024); staff of every age.
    const year = head ? 1966 + Math.floor(random() * 13) : 1965 + Math.floor(random() * 32);
    const birth = `${year}${pad(1 + Math.floor(random() * 12), 2)}${pad(1 + Math.floor(random() * 28), 2)}`;
    const appointment = pppk
      ? `${2021 + Math.floor(random() * 4)}${pick(['21', '22', '23', '24'])}`
      : `${year + 23 + Math.floor(random() * 5)}${pad(1 + Math.floor(random() * 12), 2)}`;
    const prefix = `${birth}${appointment}${female ? 2 : 1}`;
    const next = (sequence.get(prefix) ?? 0) + 1;
    sequence.set(prefix, next);
    const given = drawnFemale ? FEMALE : MALE;
    const order = pick(BIRTH_ORDER);
    const first = pick(given);
    // A second name is never the first again ("Mahendra Mahendra"): the next one in the list instead,
    // with the same draws, so nobody else's name changes.
    const second = random() < 0.5 ? pick(given) : undefined;
    const other = second === first ? given[(given.indexOf(first) + 1) % given.length] : second;
    const drawnName = `${drawnFemale ? 'Ni' : 'I'} ${order} ${first}${other ? ` ${other}` : ''}`;
    const name = named?.name ?? drawnName;
    const position = head ? headTitle(opd) : pick(positionsOf(opd.opdId));
    people.push({
      nip: `${prefix}${pad(next, 3)}`,
      name,
      position,
      employmentType: pppk ? 'PPPK' : 'PNS',
      opdId: opd.opdId,
    });
  }
  return people;
};
