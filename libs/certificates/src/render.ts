import fontkit from '@pdf-lib/fontkit';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import signpdf from '@signpdf/signpdf';
import type { Signer } from '@signpdf/utils';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { tanggal } from '@netral/domain';

// Fonts are read from the source tree whether this runs from libs/ (ts) or dist/libs/ (js): no copy step.
const FONT_DIR = join(
  __dirname.replace(/[\\/]dist([\\/]libs[\\/])/, '$1'),
  '..',
  'assets',
  'fonts',
);
let fonts: { regular: Buffer; bold: Buffer } | undefined;

/**
 * fontkit parses a 700 KB TrueType file on every embed; the parsed font is read-only afterwards (layout and
 * subsetting create their own objects), so one parse per font per process is shared by every document.
 */
const parsed = new Map<Uint8Array, ReturnType<typeof fontkit.create>>();
const cachingFontkit: typeof fontkit = {
  ...fontkit,
  create: (buffer: Uint8Array, postscriptName?: string) => {
    let font = parsed.get(buffer);
    if (!font) {
      font = fontkit.create(buffer, postscriptName);
      parsed.set(buffer, font);
    }
    return font;
  },
};
const fontBytes = () =>
  (fonts ??= {
    regular: readFileSync(join(FONT_DIR, 'DejaVuSans.ttf')),
    bold: readFileSync(join(FONT_DIR, 'DejaVuSans-Bold.ttf')),
  });

export interface CertificateCommon {
  certificateId: string;
  issuedAt: string; // ISO instant
  verificationUrl: string;
  electionName: string;
  issuer: string; // e.g. "BKPSDM Kabupaten Bangli"
  checkpoint: { treeSize: number; rootHash: string };
}

export interface OpdCertificateInput extends CertificateCommon {
  opd: { name: string; code: string };
  coverage: { activeAsn: number; pledged: number; percent: number };
  head: { name: string | null; nip: string | null; pledgedAt: string | null };
  cases: { reported: number; confirmed: number; sanctioned: number; dismissed: number };
}

export interface AsnCertificateInput extends CertificateCommon {
  asn: { name: string; nip: string; position: string; opdName: string };
  pledgedAt: string;
}

const A4 = { width: 595.28, height: 841.89 };
const INK = rgb(0.1, 0.12, 0.14);
const BRAND = rgb(0.04, 0.33, 0.58);
const MUTED = rgb(0.35, 0.38, 0.42);

interface Canvas {
  page: PDFPage;
  regular: PDFFont;
  bold: PDFFont;
  y: number;
}

const centered = (c: Canvas, text: string, size: number, font: PDFFont, color = INK) => {
  const width = font.widthOfTextAtSize(text, size);
  c.page.drawText(text, { x: (A4.width - width) / 2, y: c.y, size, font, color });
  c.y -= size * 1.5;
};

/** Wraps text to a width (names and OPD names can be long). */
const paragraph = (
  c: Canvas,
  text: string,
  size: number,
  font: PDFFont,
  x = 70,
  width = A4.width - 140,
) => {
  const words = text.split(/\s+/);
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      c.page.drawText(line, { x, y: c.y, size, font, color: INK });
      c.y -= size * 1.45;
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) {
    c.page.drawText(line, { x, y: c.y, size, font, color: INK });
    c.y -= size * 1.45;
  }
};

const row = (c: Canvas, label: string, value: string) => {
  c.page.drawText(label, { x: 70, y: c.y, size: 10.5, font: c.regular, color: MUTED });
  const start = c.y;
  paragraph(c, value, 10.5, c.bold, 235, A4.width - 305);
  c.y = Math.min(c.y, start - 16);
};

/** The QR code as vector squares: sharp at any zoom and in print. */
const drawQr = (page: PDFPage, text: string, x: number, y: number, size: number) => {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 4;
  const cell = size / (count + quiet * 2);
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  for (let r = 0; r < count; r++) {
    for (let col = 0; col < count; col++) {
      if (qr.modules.get(r, col)) {
        page.drawRectangle({
          x: x + (col + quiet) * cell,
          y: y + size - (r + quiet + 1) * cell,
          width: cell,
          height: cell,
          color: rgb(0, 0, 0),
        });
      }
    }
  }
};

const frame = async (
  title: string,
  subtitle: string,
  input: CertificateCommon,
  body: (c: Canvas) => void,
): Promise<PDFDocument> => {
  // Deterministic: every date in the file comes from the input, nothing from the clock.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  // Latin text needs no OpenType shaping; turning the features off skips fontkit's lookups on every string.
  const features = {
    liga: false,
    clig: false,
    calt: false,
    kern: false,
    ccmp: false,
    locl: false,
    mark: false,
    mkmk: false,
    rlig: false,
  };
  const regular = await doc.embedFont(fontBytes().regular, { subset: true, features });
  const bold = await doc.embedFont(fontBytes().bold, { subset: true, features });
  const issued = new Date(input.issuedAt);
  doc.setTitle(`${title} ${input.certificateId}`);
  doc.setAuthor(input.issuer);
  doc.setSubject(subtitle);
  doc.setCreator('Netral');
  doc.setProducer('Netral (pdf-lib)');
  doc.setLanguage('id-ID');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  const page = doc.addPage([A4.width, A4.height]);
  page.drawRectangle({
    x: 28,
    y: 28,
    width: A4.width - 56,
    height: A4.height - 56,
    borderColor: BRAND,
    borderWidth: 2,
  });
  page.drawRectangle({
    x: 34,
    y: 34,
    width: A4.width - 68,
    height: A4.height - 68,
    borderColor: BRAND,
    borderWidth: 0.5,
  });
  const c: Canvas = { page, regular, bold, y: A4.height - 95 };
  centered(c, input.issuer.toUpperCase(), 11, bold, BRAND);
  c.y -= 8;
  centered(c, title, 20, bold);
  centered(c, subtitle, 11, regular, MUTED);
  centered(c, `Nomor: ${input.certificateId}`, 11, bold);
  c.y -= 14;
  body(c);
  // Footer: the ledger checkpoint and the QR code to the public verification page.
  const qrSize = 118;
  drawQr(page, input.verificationUrl, A4.width - 70 - qrSize, 62, qrSize);
  const foot: Canvas = { page, regular, bold, y: 170 };
  const lines = [
    `Diterbitkan: ${tanggal(input.issuedAt)}`,
    `Tercatat pada ledger Netral, checkpoint ukuran ${input.checkpoint.treeSize}`,
    `Akar Merkle: ${input.checkpoint.rootHash}`,
    'Verifikasi keaslian: pindai kode QR atau buka',
    input.verificationUrl,
    'Dokumen ini ditandatangani secara elektronik; perubahan apa pun membatalkan tanda tangannya.',
  ];
  for (const line of lines) {
    paragraph(foot, line, 8, regular, 70, A4.width - 70 - qrSize - 90);
  }
  return doc;
};

export const renderOpdCertificate = async (input: OpdCertificateInput): Promise<PDFDocument> =>
  frame('Sertifikat Kepatuhan Netralitas ASN', input.electionName, input, (c) => {
    paragraph(
      c,
      `Dengan ini dinyatakan bahwa perangkat daerah berikut telah memenuhi kewajiban netralitas Aparatur Sipil Negara pada ${input.electionName}, berdasarkan catatan ledger Netral pada saat sertifikat ini diterbitkan:`,
      11,
      c.regular,
    );
    c.y -= 10;
    row(c, 'Perangkat daerah', input.opd.name);
    row(c, 'Kode OPD', input.opd.code);
    row(c, 'Pemilihan', input.electionName);
    row(
      c,
      'Cakupan pakta integritas',
      `${input.coverage.pledged} dari ${input.coverage.activeAsn} ASN aktif (${input.coverage.percent}%)`,
    );
    row(
      c,
      'Pakta Kepala OPD',
      input.head.pledgedAt
        ? `${input.head.name ?? input.head.nip ?? ''}, ditandatangani ${tanggal(input.head.pledgedAt)}`
        : 'belum ada',
    );
    row(
      c,
      'Kasus netralitas',
      `${input.cases.reported} dilaporkan, ${input.cases.confirmed} terbukti, ${input.cases.sanctioned} sudah dijatuhi sanksi, ${input.cases.dismissed} dihentikan`,
    );
    c.y -= 6;
    paragraph(c, 'Status kepatuhan: PATUH', 13, c.bold);
  });

export const renderAsnCertificate = async (input: AsnCertificateInput): Promise<PDFDocument> =>
  frame('Surat Keterangan Netralitas', input.electionName, input, (c) => {
    paragraph(
      c,
      `Dengan ini diterangkan bahwa Aparatur Sipil Negara berikut telah menandatangani pakta integritas netralitas dan tidak tercatat melakukan pelanggaran netralitas yang terbukti pada ${input.electionName}:`,
      11,
      c.regular,
    );
    c.y -= 10;
    row(c, 'Nama', input.asn.name);
    row(c, 'NIP', input.asn.nip);
    row(c, 'Jabatan', input.asn.position);
    row(c, 'Perangkat daerah', input.asn.opdName);
    row(c, 'Pakta integritas', `ditandatangani ${tanggal(input.pledgedAt)}`);
    row(c, 'Pelanggaran terbukti', 'tidak ada');
  });

export const SIGNATURE_LENGTH = 16_384;

/** Adds a signature placeholder (room for a long production chain) and serialises the document. */
export const withSignaturePlaceholder = async (
  doc: PDFDocument,
  options: { signingTime: Date; reason: string; location: string; name: string },
): Promise<Buffer> => {
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: options.reason,
    contactInfo: '',
    name: options.name,
    location: options.location,
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_LENGTH,
    appName: 'Netral',
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
};

/** Signs the whole file (everything but the signature itself). */
export const signDocument = async (
  doc: PDFDocument,
  signer: Signer,
  options: { signingTime: Date; reason: string; location: string; name: string },
): Promise<Buffer> =>
  signpdf.sign(await withSignaturePlaceholder(doc, options), signer, options.signingTime);
