import forge from 'node-forge';
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** RFC 9336 id-kp-documentSigning; emailProtection is added too, as Adobe and poppler expect one of them. */
const DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

export interface SignerMaterial {
  /** The private key, loaded once into node:crypto (RSA never runs in JavaScript). */
  key: KeyObject;
  /** Signer certificate first, then the chain up to (and including) the root, PEM. */
  chainPem: string[];
  rootPem: string;
}

const newSerial = (): string => {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive INTEGER
  return bytes.toString('hex');
};

const forgeKeys = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    forgePrivate: forge.pki.privateKeyFromPem(
      privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    ),
    forgePublic: forge.pki.publicKeyFromPem(
      publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    ),
  };
};

/**
 * A development PKI generated on first start into `<dataDir>/pki`: a root CA (10 years) and a signer
 * certificate (2 years) with the document-signing and email-protection extended key usages. Import the root
 * (`GET /api/v1/certificates/root-ca.pem`) to trust it. Production keys come from configuration instead.
 */
export const ensureDevelopmentPki = (dataDir: string, commonName = 'Netral'): SignerMaterial => {
  const dir = join(dataDir, 'pki');
  const files = {
    rootCert: join(dir, 'root-ca.pem'),
    signerCert: join(dir, 'signer.pem'),
    signerKey: join(dir, 'signer-key.pem'),
  };
  if (!existsSync(files.signerKey)) {
    mkdirSync(dir, { recursive: true });
    const now = new Date();
    const subject = (cn: string) => [
      { name: 'commonName', value: cn },
      { name: 'organizationName', value: 'Netral (pengembangan)' },
      { name: 'countryName', value: 'ID' },
    ];
    const root = forgeKeys();
    const rootCert = forge.pki.createCertificate();
    rootCert.publicKey = root.forgePublic;
    rootCert.serialNumber = newSerial();
    rootCert.validity.notBefore = now;
    rootCert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
    rootCert.setSubject(subject(`${commonName} Root CA (pengembangan)`));
    rootCert.setIssuer(subject(`${commonName} Root CA (pengembangan)`));
    rootCert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    rootCert.sign(root.forgePrivate, forge.md.sha256.create());
    const signer = forgeKeys();
    const signerCert = forge.pki.createCertificate();
    signerCert.publicKey = signer.forgePublic;
    signerCert.serialNumber = newSerial();
    signerCert.validity.notBefore = now;
    signerCert.validity.notAfter = new Date(now.getTime() + 2 * 365 * 86_400_000);
    signerCert.setSubject(subject(`${commonName} Penanda Tangan Sertifikat`));
    signerCert.setIssuer(rootCert.subject.attributes);
    signerCert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      { name: 'extKeyUsage', emailProtection: true, [DOCUMENT_SIGNING]: true },
      { name: 'subjectKeyIdentifier' },
      {
        name: 'authorityKeyIdentifier',
        keyIdentifier: rootCert.generateSubjectKeyIdentifier().getBytes(),
      },
    ]);
    signerCert.sign(root.forgePrivate, forge.md.sha256.create());
    writeFileSync(files.rootCert, forge.pki.certificateToPem(rootCert));
    writeFileSync(files.signerCert, forge.pki.certificateToPem(signerCert));
    // The root's private key is not kept: the development CA issues exactly one signer certificate.
    writeFileSync(files.signerKey, signer.privatePem, { mode: 0o600 });
  }
  const rootPem = readFileSync(files.rootCert, 'utf8');
  return {
    key: createPrivateKey(readFileSync(files.signerKey, 'utf8')),
    chainPem: [readFileSync(files.signerCert, 'utf8'), rootPem],
    rootPem,
  };
};

/** Which signing setting cannot be used and why, so the operator knows the one variable to fix. */
export class SignerMaterialError extends Error {
  override readonly name = 'SignerMaterialError';
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

const CERTIFICATE_PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

/** `work`, or a SignerMaterialError naming `variable` with the library's own words as the detail. */
const attempt = <T>(variable: string, reason: string, work: () => T): T => {
  try {
    return work();
  } catch (error) {
    if (error instanceof SignerMaterialError) {
      throw error;
    }
    throw new SignerMaterialError(variable, `${reason} (${(error as Error).message})`);
  }
};

/** The certificates of a PEM file, each checked to parse; none at all is an error naming the variable. */
const certificatesIn = (variable: string, file: string): string[] => {
  const pems = readFileSync(file, 'utf8').match(CERTIFICATE_PEM) ?? [];
  if (pems.length === 0) {
    throw new SignerMaterialError(
      variable,
      'holds no PEM certificate (-----BEGIN CERTIFICATE-----)',
    );
  }
  pems.forEach((pem) =>
    attempt(variable, 'holds a certificate that cannot be read', () => new X509Certificate(pem)),
  );
  return pems;
};

/** The key must be the certificate's: a mismatch would sign documents no reader can verify. */
const checkKeyMatches = (variable: string, key: KeyObject, certPem: string): void => {
  if (!new X509Certificate(certPem).checkPrivateKey(key)) {
    throw new SignerMaterialError(
      variable,
      'is not the private key of the signer certificate (the first certificate given)',
    );
  }
};

/**
 * Production material: a PKCS#12 file, or PEM key (optionally encrypted) + certificate (+ chain). Every
 * failure is a SignerMaterialError naming the variable to fix: a missing file, a wrong passphrase, a file
 * of another kind, a key that is not the certificate's.
 */
export const loadSignerMaterial = (options: {
  p12Path?: string;
  p12Passphrase?: string;
  keyPath?: string;
  keyPassphrase?: string;
  certPath?: string;
  chainPath?: string;
}): SignerMaterial => {
  if (options.p12Path) {
    const p12Path = options.p12Path;
    const p12 = attempt(
      'NETRAL_SIGNER_P12_PATH',
      'cannot be opened as PKCS#12 with NETRAL_SIGNER_P12_PASSPHRASE: a wrong passphrase, or not a .p12/.pfx file',
      () =>
        forge.pkcs12.pkcs12FromAsn1(
          forge.asn1.fromDer(readFileSync(p12Path).toString('binary')),
          options.p12Passphrase ?? '',
        ),
    );
    const keyBag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
      forge.pki.oids.pkcs8ShroudedKeyBag
    ]?.[0];
    const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
    if (!keyBag?.key || certBags.length === 0) {
      throw new SignerMaterialError(
        'NETRAL_SIGNER_P12_PATH',
        'holds no private key or no certificate',
      );
    }
    const chainPem = certBags.map((bag) => forge.pki.certificateToPem(bag.cert!));
    const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
    checkKeyMatches('NETRAL_SIGNER_P12_PATH', key, chainPem[0]);
    return { key, chainPem, rootPem: chainPem[chainPem.length - 1] };
  }
  const { keyPath, certPath, chainPath, keyPassphrase } = options;
  if (!keyPath || !certPath) {
    throw new SignerMaterialError(
      keyPath ? 'NETRAL_SIGNER_CERT_PATH' : 'NETRAL_SIGNER_KEY_PATH',
      'must be set with NETRAL_SIGNER_KEY_PATH and NETRAL_SIGNER_CERT_PATH (or use NETRAL_SIGNER_P12_PATH)',
    );
  }
  const chainPem = [
    ...certificatesIn('NETRAL_SIGNER_CERT_PATH', certPath),
    ...(chainPath ? certificatesIn('NETRAL_SIGNER_CHAIN_PATH', chainPath) : []),
  ];
  const key = attempt(
    'NETRAL_SIGNER_KEY_PATH',
    keyPassphrase
      ? 'cannot be read as a PEM private key with NETRAL_SIGNER_KEY_PASSPHRASE: a wrong passphrase, or not a key file'
      : 'cannot be read as a PEM private key (if it is encrypted, set NETRAL_SIGNER_KEY_PASSPHRASE)',
    () => {
      const pem = readFileSync(keyPath, 'utf8');
      return createPrivateKey(keyPassphrase ? { key: pem, passphrase: keyPassphrase } : pem);
    },
  );
  checkKeyMatches('NETRAL_SIGNER_KEY_PATH', key, chainPem[0]);
  return { key, chainPem, rootPem: chainPem[chainPem.length - 1] };
};

/** SHA-256 of the signer certificate (DER), hex: recorded in CertificateIssued. */
export const certificateFingerprint = (pem: string): string =>
  createHash('sha256')
    .update(
      Buffer.from(
        forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(),
        'binary',
      ),
    )
    .digest('hex');
