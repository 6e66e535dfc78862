import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../testing/src/tools';
import {
  CmsSigner,
  certificateFingerprint,
  ensureDevelopmentPki,
  nodeKeyHandle,
  type OpdCertificateInput,
  renderOpdCertificate,
  signDocument,
  verifyPdf,
} from './index';

const input: OpdCertificateInput = {
  certificateId: 'SK-2024-7Q3M9XHD',
  issuedAt: '2024-12-20T03:00:00.000Z',
  verificationUrl: 'http://localhost:3000/v/SK-2024-7Q3M9XHD',
  electionName: 'Pilkada Serentak 2024',
  issuer: 'BKPSDM Kabupaten Bangli',
  checkpoint: { treeSize: 1842, rootHash: 'Vt0zl2JmNZ6c0Ofm2H2mKVaMWHYrqL3bDzdMRIhH5jw=' },
  opd: { name: 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak', code: '2.08.01' },
  coverage: { activeAsn: 18, pledged: 18, percent: 100 },
  head: {
    name: 'Ni Ketut Suryani',
    nip: '197201152000032001',
    pledgedAt: '2024-09-05T10:00:00+08:00',
  },
  cases: { reported: 1, confirmed: 0, sanctioned: 0, dismissed: 1 },
};

/** pdfsig exits 0 even when the digest does not match: its output is what counts. */
const pdfsig = (file: string) => runTool('pdfsig', [file], { allowFailure: true });

describe('certificate PDFs', () => {
  let dir: string;
  let signer: CmsSigner;
  let rootPem: string;
  let signed: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netral-certificates-'));
    const material = ensureDevelopmentPki(dir);
    rootPem = material.rootPem;
    signer = new CmsSigner(nodeKeyHandle(material.key), material.chainPem);
    signed = await signDocument(await renderOpdCertificate(input), signer, {
      signingTime: new Date(input.issuedAt),
      reason: 'Sertifikat kepatuhan',
      location: 'Bangli',
      name: 'Netral',
    });
    writeFileSync(join(dir, 'signed.pdf'), signed);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is signed over the whole document, as poppler sees it', () => {
    const out = pdfsig(join(dir, 'signed.pdf'));
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('Total document signed');
  });

  it('verifies with our verifier, and one flipped byte breaks both verifiers', () => {
    const ours = verifyPdf(signed, [rootPem]);
    expect(ours).toMatchObject({
      isPdf: true,
      signatureValid: true,
      coversWholeFile: true,
      signerTrusted: true,
      problems: [],
    });
    const material = ensureDevelopmentPki(dir);
    expect(ours.signerFingerprint).toBe(certificateFingerprint(material.chainPem[0]));
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('Dinas Pemberdayaan') > 0 ? tampered.indexOf('/Title') + 10 : 400;
    tampered[at] ^= 0x01;
    writeFileSync(join(dir, 'tampered.pdf'), tampered);
    expect(pdfsig(join(dir, 'tampered.pdf'))).not.toContain('Signature is Valid.');
    expect(verifyPdf(tampered, [rootPem]).signatureValid).toBe(false);
  });

  it('refuses appended bytes, a foreign root, a truncated file and a non-PDF clearly', () => {
    const appended = verifyPdf(Buffer.concat([signed, Buffer.from('\n% tambahan\n')]), [rootPem]);
    expect(appended.coversWholeFile).toBe(false);
    const other = ensureDevelopmentPki(join(dir, 'lain'));
    expect(verifyPdf(signed, [other.rootPem]).signerTrusted).toBe(false);
    const truncated = verifyPdf(signed.subarray(0, signed.length - 500), [rootPem]);
    expect(truncated.signatureValid || truncated.coversWholeFile).toBe(false);
    expect(verifyPdf(Buffer.from('bukan pdf'), [rootPem])).toMatchObject({
      isPdf: false,
      problems: ['berkas ini bukan PDF'],
    });
  });

  it('has extractable text with the OPD name and the certificate id', () => {
    const text = runTool('pdftotext', [join(dir, 'signed.pdf'), '-']);
    expect(text).toContain('Sertifikat Kepatuhan Netralitas ASN');
    expect(text).toContain('Dinas Pemberdayaan Perempuan');
    expect(text).toContain('SK-2024-7Q3M9XHD');
  });

  it('carries a QR code that decodes to the verification URL', () => {
    runTool('pdftoppm', [
      '-png',
      '-r',
      '150',
      '-singlefile',
      join(dir, 'signed.pdf'),
      join(dir, 'page'),
    ]);
    const decoded = runTool('zbarimg', ['--quiet', '--raw', join(dir, 'page.png')]).trim();
    expect(decoded).toBe(input.verificationUrl);
  });

  it('renders the same bytes for the same input', async () => {
    const a = Buffer.from(await (await renderOpdCertificate(input)).save());
    const b = Buffer.from(await (await renderOpdCertificate(input)).save());
    expect(a.equals(b)).toBe(true);
  });
});
