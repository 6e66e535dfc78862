import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import { createHash, sign as cryptoSign, type KeyObject } from 'node:crypto';

/**
 * Where the private-key operation happens: node:crypto with a key loaded once, by default; an HSM, a cloud
 * KMS or BSrE's signing service can implement the same one method.
 */
export interface KeyHandle {
  /** RSA PKCS#1 v1.5 signature with SHA-256 over `data`. */
  signSha256(data: Buffer): Promise<Buffer>;
}

export const nodeKeyHandle = (key: KeyObject): KeyHandle => ({
  signSha256: (data) => Promise.resolve(cryptoSign('sha256', data, key)),
});

const { asn1 } = forge;
const oid = (value: string) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const seq = (items: forge.asn1.Asn1[]) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: forge.asn1.Asn1[]) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const int = (hexOrBytes: string, hex = false) =>
  asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.INTEGER,
    false,
    hex ? forge.util.hexToBytes(hexOrBytes.length % 2 ? `0${hexOrBytes}` : hexOrBytes) : hexOrBytes,
  );
const octets = (bytes: Buffer) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
const nullValue = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const utcTime = (date: Date) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};

/**
 * `adbe.pkcs7.detached` CMS SignedData over the PDF's signed byte ranges, assembled with node-forge's ASN.1
 * (structure only) while the RSA operation goes through the KeyHandle. Unlike `@signpdf/signer-p12`, one
 * instance signs any number of documents and RSA runs natively.
 */
export class CmsSigner extends Signer {
  private readonly certificates: forge.pki.Certificate[];

  constructor(
    private readonly key: KeyHandle,
    chainPem: string[],
  ) {
    super();
    this.certificates = chainPem.map((pem) => forge.pki.certificateFromPem(pem));
  }

  override async sign(pdfBuffer: Buffer, signingTime: Date = new Date()): Promise<Buffer> {
    const signer = this.certificates[0];
    const digest = createHash('sha256').update(pdfBuffer).digest();
    const attributes = [
      seq([oid(OID.contentType), set([oid(OID.data)])]),
      seq([oid(OID.signingTime), set([utcTime(signingTime)])]),
      seq([oid(OID.messageDigest), set([octets(digest)])]),
    ];
    // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4).
    const signedAttrsDer = Buffer.from(asn1.toDer(set(attributes)).getBytes(), 'binary');
    const signature = await this.key.signSha256(signedAttrsDer);
    const algorithm = (id: string) => seq([oid(id), nullValue()]);
    const signerInfo = seq([
      int(String.fromCharCode(1)),
      seq([forge.pki.distinguishedNameToAsn1(signer.issuer), int(signer.serialNumber, true)]),
      algorithm(OID.sha256),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
      algorithm(OID.rsaEncryption),
      octets(signature),
    ]);
    const signedData = seq([
      int(String.fromCharCode(1)),
      set([algorithm(OID.sha256)]),
      seq([oid(OID.data)]),
      asn1.create(
        asn1.Class.CONTEXT_SPECIFIC,
        0,
        true,
        this.certificates.map((c) => forge.pki.certificateToAsn1(c)),
      ),
      set([signerInfo]),
    ]);
    const contentInfo = seq([
      oid(OID.signedData),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]),
    ]);
    return Buffer.from(asn1.toDer(contentInfo).getBytes(), 'binary');
  }
}
