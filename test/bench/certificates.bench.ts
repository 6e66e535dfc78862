import {
  CmsSigner,
  ensureDevelopmentPki,
  nodeKeyHandle,
  type OpdCertificateInput,
  renderOpdCertificate,
  signDocument,
  verifyPdf,
  withSignaturePlaceholder,
} from '@netral/certificates';
import { P12Signer } from '@signpdf/signer-p12';
import signpdf from '@signpdf/signpdf';
import forge from 'node-forge';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchRow, type BenchSuite, diskWorkDir, median } from './bench-kit';

const input = (i: number): OpdCertificateInput => ({
  certificateId: `SK-2024-BENCH${String(i).padStart(3, '0')}`,
  issuedAt: '2024-12-20T03:00:00.000Z',
  verificationUrl: `https://netral.banglikab.go.id/v/SK-2024-BENCH${i}`,
  electionName: 'Pilkada Serentak 2024',
  issuer: 'BKPSDM Kabupaten Bangli',
  checkpoint: { treeSize: 1842 + i, rootHash: 'Vt0zl2JmNZ6c0Ofm2H2mKVaMWHYrqL3bDzdMRIhH5jw=' },
  opd: { name: 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak', code: '2.08.01' },
  coverage: { activeAsn: 18, pledged: 18, percent: 100 },
  head: { name: 'Ni Ketut Suryani', nip: '197201152000032001', pledgedAt: '2024-09-05' },
  cases: { reported: 1, confirmed: 0, sanctioned: 0, dismissed: 1 },
});

/** The same key and chain as a PKCS#12 file, for @signpdf/signer-p12. */
const toP12 = (keyPem: string, chainPem: string[]): Buffer => {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const certs = chainPem.map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, 'bench', { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
};

/** `npm run bench -- certificates [--count=40]`: our signing path vs a new P12Signer per document. */
export const certificatesBench: BenchSuite = {
  name: 'certificates',
  description:
    'signed certificates/s (render + sign) with our CmsSigner vs @signpdf/signer-p12, and verification time',
  run: async (args) => {
    const count = Number(args.find((a) => a.startsWith('--count='))?.slice(8) ?? 40);
    const dir = diskWorkDir('netral-certificates-bench-');
    try {
      const material = ensureDevelopmentPki(dir);
      const ours = new CmsSigner(nodeKeyHandle(material.key), material.chainPem);
      const p12 = toP12(
        readFileSync(join(dir, 'pki', 'signer-key.pem'), 'utf8'),
        material.chainPem,
      );
      const options = {
        signingTime: new Date('2024-12-20T03:00:00Z'),
        reason: 'Sertifikat kepatuhan',
        location: 'Bangli',
        name: 'Netral',
      };
      const oursMs: number[] = [];
      const p12Ms: number[] = [];
      const verifyMs: number[] = [];
      const signOursMs: number[] = [];
      const signP12Ms: number[] = [];
      let last: Buffer = Buffer.alloc(0);
      // Interleaved, so drift on a shared machine hits both paths alike.
      for (let i = 0; i < count; i++) {
        let t0 = performance.now();
        last = await signDocument(await renderOpdCertificate(input(i)), ours, options);
        oursMs.push(performance.now() - t0);
        t0 = performance.now();
        await signDocument(
          await renderOpdCertificate(input(i)),
          new P12Signer(p12, { passphrase: 'bench' }),
          options,
        );
        p12Ms.push(performance.now() - t0);
        // The signing step alone, on the same prepared bytes: what the KeyHandle design changes.
        const prepared = await withSignaturePlaceholder(
          await renderOpdCertificate(input(i)),
          options,
        );
        t0 = performance.now();
        await signpdf.sign(prepared, ours, options.signingTime);
        signOursMs.push(performance.now() - t0);
        t0 = performance.now();
        await signpdf.sign(
          prepared,
          new P12Signer(p12, { passphrase: 'bench' }),
          options.signingTime,
        );
        signP12Ms.push(performance.now() - t0);
        t0 = performance.now();
        const result = verifyPdf(last, [material.rootPem]);
        verifyMs.push(performance.now() - t0);
        if (!result.signatureValid) {
          throw new Error('bench certificate did not verify');
        }
      }
      const ratio = median(p12Ms) / median(oursMs);
      const rows: BenchRow[] = [
        {
          metric: 'render + sign, our CmsSigner (median)',
          value: median(oursMs),
          unit: 'ms',
          target: '≤ 15',
          met: median(oursMs) <= 15,
        },
        {
          metric: 'render + sign, our CmsSigner',
          value: 1000 / median(oursMs),
          unit: 'certificates/s',
        },
        {
          metric: 'render + sign, new P12Signer per document (median)',
          value: median(p12Ms),
          unit: 'ms',
        },
        { metric: 'render + sign, P12Signer', value: 1000 / median(p12Ms), unit: 'certificates/s' },
        { metric: 'ours / P12Signer', value: ratio, unit: '×', target: '≥ 10', met: ratio >= 10 },
        {
          metric: 'signing step only, our CmsSigner (median)',
          value: median(signOursMs),
          unit: 'ms',
          note: `P12Signer ${median(signP12Ms).toFixed(1)} ms: ${(median(signP12Ms) / median(signOursMs)).toFixed(1)}× slower`,
        },
        {
          metric: 'verification of a signed certificate (median)',
          value: median(verifyMs),
          unit: 'ms',
          target: '≤ 5',
          met: median(verifyMs) <= 5,
        },
      ];
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
