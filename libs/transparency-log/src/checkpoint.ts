import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/**
 * C2SP tlog-checkpoint in the signed-note format, Ed25519 (https://github.com/C2SP/C2SP/blob/main/signed-note.md):
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n
 *   \n
 *   — <key name> <base64(4-byte key id || 64-byte signature over the body)>\n
 */
const ALG_ED25519 = 0x01;
const EM_DASH = '\u2014';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

export const checkpointBody = ({ origin, treeSize, rootHash }: Checkpoint): string =>
  `${origin}\n${treeSize}\n${rootHash.toString('base64')}\n`;

/** The raw 32-byte Ed25519 public key of a key object. */
export const rawPublicKey = (key: KeyObject): Buffer => {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error('checkpoint keys must be Ed25519');
  }
  return Buffer.from(jwk.x, 'base64url');
};

/** Key id: the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || public key). */
export const keyId = (name: string, publicKey: Buffer): Buffer =>
  createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, ALG_ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);

/** The verifier key in note format: `<name>+<hex key id>+<base64(0x01 || public key)>`. */
export const verifierKey = (name: string, publicKey: Buffer): string =>
  `${name}+${keyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64')}`;

export interface ParsedVerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
  key: KeyObject;
}

export const parseVerifierKey = (text: string): ParsedVerifierKey => {
  // Names never contain '+'; base64 key data may, so split on the first two only.
  const match = /^([^+\s]+)\+([^+]*)\+(\S+)$/.exec(text.trim());
  if (!match) {
    throw new Error('verifier key must look like <name>+<hex key id>+<base64 key>');
  }
  const [, name, idHex, b64] = match;
  const raw = Buffer.from(b64, 'base64');
  if (!/^[0-9a-f]{8}$/.test(idHex) || raw.length !== 33 || raw[0] !== ALG_ED25519) {
    throw new Error(
      'verifier key is not an Ed25519 note key (expected 8 hex digits and 0x01 || 32-byte key)',
    );
  }
  const publicKey = raw.subarray(1);
  if (!keyId(name, publicKey).equals(Buffer.from(idHex, 'hex'))) {
    throw new Error('verifier key id does not match its name and public key');
  }
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  return { name, keyId: Buffer.from(idHex, 'hex'), publicKey, key };
};

/** Signs a checkpoint: the whole note text, ready to serve as text/plain. */
export const signCheckpoint = (
  checkpoint: Checkpoint,
  keyName: string,
  privateKey: KeyObject,
): string => {
  const body = checkpointBody(checkpoint);
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
  const id = keyId(keyName, rawPublicKey(privateKey));
  return `${body}\n${EM_DASH} ${keyName} ${Buffer.concat([id, signature]).toString('base64')}\n`;
};

export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

/** Parses a signed checkpoint and checks its signature against a verifier key. */
export const verifyCheckpoint = (note: string, verifier: ParsedVerifierKey): CheckpointCheck => {
  const separator = note.indexOf('\n\n');
  if (separator < 0) {
    return { ok: false, reason: 'not a signed note: no blank line between body and signatures' };
  }
  const body = note.slice(0, separator + 1);
  const lines = body.split('\n');
  if (lines.length < 4 || !/^\d+$/.test(lines[1]) || lines[0].length === 0) {
    return { ok: false, reason: 'body must be <origin>\\n<tree size>\\n<base64 root hash>\\n' };
  }
  const rootHash = Buffer.from(lines[2], 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== lines[2]) {
    return { ok: false, reason: 'root hash is not 32 bytes of base64' };
  }
  const signatures = note
    .slice(separator + 2)
    .split('\n')
    .filter(Boolean);
  for (const line of signatures) {
    const match = new RegExp(`^${EM_DASH} (\\S+) (\\S+)$`).exec(line);
    if (!match || match[1] !== verifier.name) {
      continue;
    }
    const raw = Buffer.from(match[2], 'base64');
    if (raw.length !== 68 || !raw.subarray(0, 4).equals(verifier.keyId)) {
      continue;
    }
    if (verify(null, Buffer.from(body, 'utf8'), verifier.key, raw.subarray(4))) {
      return { ok: true, checkpoint: { origin: lines[0], treeSize: Number(lines[1]), rootHash } };
    }
    return {
      ok: false,
      reason: `signature by ${verifier.name} does not verify: the checkpoint was altered or signed by another key`,
    };
  }
  return {
    ok: false,
    reason: `no signature by key ${verifier.name} (${verifier.keyId.toString('hex')})`,
  };
};

/** Loads an Ed25519 private key from PEM (optionally encrypted). */
export const loadPrivateKey = (pem: string, passphrase?: string): KeyObject => {
  const key = createPrivateKey(passphrase ? { key: pem, passphrase } : pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`checkpoint key must be Ed25519, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
};
