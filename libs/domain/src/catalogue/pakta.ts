import { createHash } from 'node:crypto';

export interface PaktaText {
  version: string;
  title: string;
  points: readonly string[];
  text: string;
  sha256: string;
}

const build = (
  version: string,
  title: string,
  opening: string,
  points: string[],
  closing: string,
): PaktaText => {
  const text = [title, '', opening, ...points.map((p, i) => `${i + 1}. ${p}`), '', closing].join(
    '\n',
  );
  return {
    version,
    title,
    points,
    text,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
};

/** The pakta integritas texts, by version. A signature stores the version and the SHA-256 of the exact text
 * the signer saw; a changed wording is a new version, never an edit. */
export const PAKTA_TEXTS: readonly PaktaText[] = [
  build(
    'v1',
    'PAKTA INTEGRITAS NETRALITAS APARATUR SIPIL NEGARA',
    'Saya yang bertanda tangan di bawah ini, sebagai Aparatur Sipil Negara, dengan ini menyatakan:',
    [
      'Menjaga dan menegakkan prinsip netralitas ASN sebelum, selama, dan sesudah pelaksanaan pemilihan.',
      'Menghindari konflik kepentingan, tidak melakukan intimidasi atau ancaman, dan tidak memihak kepada pasangan calon, calon, atau partai politik mana pun.',
      'Menggunakan media sosial secara bijak dan tidak menyebarkan ujaran kebencian maupun berita bohong (hoaks).',
      'Menolak politik uang dan segala bentuk pemberian dalam bentuk apa pun.',
    ],
    'Demikian pakta integritas ini saya buat dengan sesungguhnya, dan saya siap menerima sanksi sesuai ketentuan peraturan perundang-undangan apabila melanggarnya.',
  ),
];

export const CURRENT_PAKTA_VERSION = 'v1';

export const findPakta = (version: string): PaktaText | undefined =>
  PAKTA_TEXTS.find((text) => text.version === version);
