import forge from 'node-forge';
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';

export interface PdfVerification {
  isPdf: boolean;
  /** The CMS signature is intact and its digest matches the signed bytes. */
  signatureValid: boolean;
  /** The signed ranges cover the whole file except the signature itself (nothing appended or hidden). */
  coversWholeFile: boolean;
  /** The signer certificate chains to one of the trusted roots. */
  signerTrusted: boolean;
  sha256: string;
  signerFingerprint: string | null;
  signerSubject: string | null;
  problems: string[];
}

const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

/** An `[0]` context-specific node (certificates in SignedData, signed attributes in SignerInfo). */
const isContextZero = (node: forge.asn1.Asn1): boolean =>
  (node.tagClass as number) === (forge.asn1.Class.CONTEXT_SPECIFIC as number) &&
  (node.type as number) === 0;

/** The last signature dictionary's ByteRange and Contents, located by text (PDF signatures are textual). */
const locateSignature = (pdf: Buffer) => {
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  if (at < 0) {
    return undefined;
  }
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(
    text.slice(at, at + 200),
  );
  if (!range) {
    return undefined;
  }
  const [a, b, c, d] = range.slice(1, 5).map(Number);
  return { byteRange: [a, b, c, d] as const };
};

/**
 * Verifies a signed PDF the way a careful reader does, each check reported separately: is it a PDF, is the
 * CMS signature intact over the signed ranges, do those ranges cover the whole file, does the signer chain
 * to a trusted root. Never throws for bad input: problems are listed.
 */
export const verifyPdf = (
  input: Uint8Array,
  trustedRootsPem: readonly string[],
): PdfVerification => {
  const pdf = Buffer.from(input);
  const result: PdfVerification = {
    isPdf: pdf.subarray(0, 5).toString('latin1') === '%PDF-',
    signatureValid: false,
    coversWholeFile: false,
    signerTrusted: false,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    signerFingerprint: null,
    signerSubject: null,
    problems: [],
  };
  if (!result.isPdf) {
    result.problems.push('berkas ini bukan PDF');
    return result;
  }
  const located = locateSignature(pdf);
  if (!located) {
    result.problems.push('PDF ini tidak bertanda tangan elektronik');
    return result;
  }
  const [a, b, c, d] = located.byteRange;
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) {
    result.problems.push('rentang tanda tangan (ByteRange) tidak sah atau berkas terpotong');
    return result;
  }
  const gap = pdf.subarray(b, c).toString('latin1');
  result.coversWholeFile = c + d === pdf.length && /^<[0-9a-fA-F]*>$/.test(gap);
  if (!result.coversWholeFile) {
    result.problems.push(
      'tanda tangan tidak mencakup seluruh berkas: ada bagian yang ditambahkan atau disisipkan',
    );
  }
  try {
    const hex = gap.replace(/^<|>$/g, '');
    const der = forge.util.hexToBytes(hex.length % 2 ? `${hex}0` : hex);
    const content = forge.asn1.fromDer(der, { parseAllBytes: false, strict: false } as never);
    const signedData = ((content.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0];
    const parts = signedData.value as forge.asn1.Asn1[];
    const certNode = parts.find((p) => isContextZero(p));
    const certificates = ((certNode?.value as forge.asn1.Asn1[] | undefined) ?? []).map(
      (node) => new X509Certificate(Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary')),
    );
    const signerInfo = (parts[parts.length - 1].value as forge.asn1.Asn1[])[0]
      .value as forge.asn1.Asn1[];
    const serial = Buffer.from(
      (signerInfo[1].value as forge.asn1.Asn1[])[1].value as string,
      'binary',
    )
      .toString('hex')
      .replace(/^0+/, '')
      .toUpperCase();
    const signer = certificates.find(
      (cert) => cert.serialNumber.replace(/^0+/, '').toUpperCase() === serial,
    );
    const attrsNode = signerInfo.find((p) => isContextZero(p));
    if (!signer || !attrsNode) {
      throw new Error('sertifikat penanda tangan atau atribut bertanda tangan tidak ada');
    }
    result.signerFingerprint = createHash('sha256').update(signer.raw).digest('hex');
    result.signerSubject = signer.subject.replace(/\n/g, ', ');
    const attributes = attrsNode.value as forge.asn1.Asn1[];
    const digestAttr = attributes.find(
      (attr) =>
        forge.asn1.derToOid((attr.value as forge.asn1.Asn1[])[0].value as string) ===
        MESSAGE_DIGEST,
    );
    const claimed = digestAttr
      ? Buffer.from(
          ((digestAttr.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0]
            .value as string,
          'binary',
        )
      : undefined;
    const actual = createHash('sha256')
      .update(pdf.subarray(a, a + b))
      .update(pdf.subarray(c, c + d))
      .digest();
    const signedAttrs = Buffer.from(
      forge.asn1
        .toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attributes))
        .getBytes(),
      'binary',
    );
    const signature = Buffer.from(signerInfo[signerInfo.length - 1].value as string, 'binary');
    const digestOk = claimed !== undefined && claimed.equals(actual);
    const signatureOk = cryptoVerify('sha256', signedAttrs, signer.publicKey, signature);
    result.signatureValid = digestOk && signatureOk;
    if (!digestOk) {
      result.problems.push('isi berkas berubah setelah ditandatangani (digest tidak cocok)');
    } else if (!signatureOk) {
      result.problems.push('tanda tangan kriptografis tidak sah');
    }
    const roots = trustedRootsPem.map((pem) => new X509Certificate(pem));
    const chain = [signer, ...certificates.filter((cert) => cert !== signer)];
    result.signerTrusted = chain.some((cert, i) => {
      const issuedBy = roots.find(
        (root) =>
          root.raw.equals(cert.raw) || (cert.checkIssued(root) && cert.verify(root.publicKey)),
      );
      return (
        issuedBy !== undefined &&
        chain
          .slice(0, i)
          .every(
            (inner, j) => inner.checkIssued(chain[j + 1]) && inner.verify(chain[j + 1].publicKey),
          )
      );
    });
    if (!result.signerTrusted) {
      result.problems.push('penanda tangan tidak berantai ke root CA yang dipercaya');
    }
  } catch (error) {
    result.problems.push(
      `tanda tangan tidak dapat dibaca: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return result;
};
