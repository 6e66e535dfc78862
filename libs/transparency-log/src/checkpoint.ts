import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) in the signed-note format
 * (https://c2sp.org/signed-note), Ed25519:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n
 *   \n
 *   — <key name> <base64(4-byte key id || 64-byte signature over the body)>\n
 *
 * Outside verifiers (Go's golang.org/x/mod/sumdb/note, transparency-dev tooling) parse these bytes, so every
 * rule of both specs is enforced on output and checked on input.
 */
const ALG_ED25519 = 0x01;
const EM_DASH = '\u2014';
/** The note spec asks verifiers to cap signatures (at least 16 must be accepted). */
const MAX_SIGNATURES = 100;

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

/** Key names (and, by recommendation, origins): non-empty, no Unicode space, no '+'. */
export const isValidKeyName = (name: string): boolean =>
  name.length > 0 && !/[\s\u0085+]/u.test(name) && !hasControlCharacter(name);

// eslint-disable-next-line no-control-regex -- the note spec forbids exactly these characters
const hasControlCharacter = (text: string): boolean => /[\u0000-\u0009\u000b-\u001f]/.test(text);

export const checkpointBody = ({ origin, treeSize, rootHash }: Checkpoint): string => {
  if (!isValidKeyName(origin)) {
    throw new Error(
      `checkpoint origin ${JSON.stringify(origin)} must be non-empty, without spaces or '+'`,
    );
  }
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || rootHash.length !== 32) {
    throw new Error('a checkpoint needs a non-negative integer tree size and a 32-byte root');
  }
  return `${origin}\n${treeSize}\n${rootHash.toString('base64')}\n`;
};

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
export const verifierKey = (name: string, publicKey: Buffer): string => {
  if (!isValidKeyName(name)) {
    throw new Error(`key name ${JSON.stringify(name)} must be non-empty, without spaces or '+'`);
  }
  const data = Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64');
  return `${name}+${keyId(name, publicKey).toString('hex')}+${data}`;
};

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
    throw new Error('kunci verifikasi harus berbentuk <nama>+<id kunci hex>+<kunci base64>');
  }
  const [, name, idHex, b64] = match;
  const raw = Buffer.from(b64, 'base64');
  if (
    !/^[0-9a-fA-F]{8}$/.test(idHex) ||
    raw.toString('base64') !== b64 ||
    raw.length !== 33 ||
    raw[0] !== ALG_ED25519
  ) {
    throw new Error(
      'kunci verifikasi bukan kunci note Ed25519 (diharapkan 8 digit hex dan base64 dari 0x01 || kunci 32 byte)',
    );
  }
  const publicKey = raw.subarray(1);
  const id = Buffer.from(idHex, 'hex');
  if (!keyId(name, publicKey).equals(id)) {
    throw new Error('id kunci verifikasi tidak cocok dengan nama dan kunci publiknya');
  }
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  return { name, keyId: id, publicKey, key };
};

/** Signs a checkpoint: the whole note text, ready to serve as text/plain. */
export const signCheckpoint = (
  checkpoint: Checkpoint,
  keyName: string,
  privateKey: KeyObject,
): string => {
  if (!isValidKeyName(keyName)) {
    throw new Error(`key name ${JSON.stringify(keyName)} must be non-empty, without spaces or '+'`);
  }
  const body = checkpointBody(checkpoint);
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
  const id = keyId(keyName, rawPublicKey(privateKey));
  return `${body}\n${EM_DASH} ${keyName} ${Buffer.concat([id, signature]).toString('base64')}\n`;
};

/**
 * Why a note is refused: `MALFORMED` it is not a checkpoint signed note at all (nothing could be checked);
 * `SIGNATURE` it is one, but no signature of the given key verifies on it.
 */
export type CheckpointCheck =
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; reason: string; problem: 'MALFORMED' | 'SIGNATURE' };

/**
 * Parses a checkpoint body (the signed text). Only meaningful once its signature has been verified; exported
 * so tools can show what a rejected note claims.
 */
export const parseCheckpointBody = (body: string): Checkpoint | string => {
  const lines = body.split('\n');
  // A body ends with a newline, so the last split element is empty.
  if (lines.length < 4 || lines[lines.length - 1] !== '') {
    return 'isinya harus <origin>\\n<ukuran pohon>\\n<root hash base64>\\n';
  }
  const [origin, size, root, ...extensions] = lines.slice(0, -1);
  if (origin.length === 0) {
    return 'baris origin kosong';
  }
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    return `ukuran pohon ${JSON.stringify(size)} bukan bilangan desimal tanpa nol di depan`;
  }
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) {
    return 'root hash bukan base64 dari 32 byte';
  }
  if (extensions.some((line) => line.length === 0)) {
    return 'baris ekstensi tidak boleh kosong';
  }
  return { origin, treeSize: Number(size), rootHash };
};

/**
 * Parses a signed checkpoint and checks it against one verifier key, following signed-note: signatures of
 * unknown keys (other name or other id) are ignored, a signature of the known key must verify, and a note
 * without a verified signature of that key is rejected.
 */
export const verifyCheckpoint = (note: string, verifier: ParsedVerifierKey): CheckpointCheck => {
  if (hasControlCharacter(note) || note.includes('\uFFFD')) {
    return {
      ok: false,
      problem: 'MALFORMED',
      reason: 'berisi karakter kontrol atau UTF-8 yang tidak sah',
    };
  }
  if (!note.endsWith('\n')) {
    return {
      ok: false,
      problem: 'MALFORMED',
      reason: 'tidak diakhiri baris baru',
    };
  }
  // The text is separated from the signatures by the last blank line (the text may hold blank lines).
  const separator = note.lastIndexOf('\n\n');
  if (separator < 0) {
    return {
      ok: false,
      problem: 'MALFORMED',
      reason: 'tidak ada baris kosong di antara teks dan tanda tangan',
    };
  }
  const body = note.slice(0, separator + 1);
  const signatureLines = note.slice(separator + 2, -1).split('\n');
  if (signatureLines.length > MAX_SIGNATURES) {
    return { ok: false, problem: 'MALFORMED', reason: `lebih dari ${MAX_SIGNATURES} tanda tangan` };
  }
  const parsed = parseCheckpointBody(body);
  if (typeof parsed === 'string') {
    return { ok: false, problem: 'MALFORMED', reason: parsed };
  }
  let verified = false;
  for (const line of signatureLines) {
    const match = new RegExp(`^${EM_DASH} (\\S+) ([A-Za-z0-9+/]+={0,2})$`).exec(line);
    if (!match) {
      return {
        ok: false,
        problem: 'MALFORMED',
        reason: `baris tanda tangan tidak sah ${JSON.stringify(line)}`,
      };
    }
    const raw = Buffer.from(match[2], 'base64');
    if (
      match[1] !== verifier.name ||
      raw.length < 4 ||
      !raw.subarray(0, 4).equals(verifier.keyId)
    ) {
      continue;
    }
    if (
      raw.length !== 68 ||
      !verify(null, Buffer.from(body, 'utf8'), verifier.key, raw.subarray(4))
    ) {
      return {
        ok: false,
        problem: 'SIGNATURE',
        reason: `tanda tangan ${verifier.name} tidak cocok: checkpoint diubah atau ditandatangani kunci lain`,
      };
    }
    verified = true;
  }
  if (!verified) {
    return {
      ok: false,
      problem: 'SIGNATURE',
      reason: `tidak ada tanda tangan kunci ${verifier.name} (${verifier.keyId.toString('hex')})`,
    };
  }
  return { ok: true, checkpoint: parsed };
};

/** Loads an Ed25519 private key from PEM (optionally encrypted). */
export const loadPrivateKey = (pem: string, passphrase?: string): KeyObject => {
  const key = createPrivateKey(passphrase ? { key: pem, passphrase } : pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`checkpoint key must be Ed25519, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
};
