import { createHash } from 'node:crypto';

export interface PaktaText {
  version: string;
  title: string;
  points: readonly string[];
  text: string;
  sha256: string;
}

/** Builds a version's exact text and checks it against the SHA-256 it shipped with: signatures already
 * recorded carry that hash, so an edited wording must fail loudly here (it is a new version instead). */
const build = (
  version: string,
  shippedSha256: string,
  title: string,
  opening: string,
  points: string[],
  closing: string,
): PaktaText => {
  const text = [title, '', opening, ...points.map((p, i) => `${i + 1}. ${p}`), '', closing].join(
    '\n',
  );
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  if (sha256 !== shippedSha256) {
    throw new Error(
      `pakta text ${version} differs from the text shipped (SHA-256 ${shippedSha256}): add a new version instead of editing it`,
    );
  }
  return { version, title, points, text, sha256 };
};

/** The pakta integritas texts, by version. A signature stores the version and the SHA-256 of the exact text
 * the signer saw; a changed wording is a new version, never an edit. */
export const PAKTA_TEXTS: readonly PaktaText[] = [
  build(
    'v1',
    '75bfc541d6b9fd15048a906a0df2a2845f619d7c73771be37b46dfa3c304f7e4',
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
