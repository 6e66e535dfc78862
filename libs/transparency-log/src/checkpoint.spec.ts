import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  checkpointBody,
  isValidKeyName,
  keyId,
  loadPrivateKey,
  parseVerifierKey,
  rawPublicKey,
  signCheckpoint,
  verifierKey,
  verifyCheckpoint,
} from './checkpoint';

describe('signed checkpoints (C2SP signed note, Ed25519)', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const name = 'netral.local/51.06';
  const publicKey = rawPublicKey(privateKey);
  const verifier = parseVerifierKey(verifierKey(name, publicKey));
  const checkpoint = {
    origin: name,
    treeSize: 1234,
    rootHash: createHash('sha256').update('root').digest(),
  };
  const note = signCheckpoint(checkpoint, name, privateKey);

  it('has the tlog-checkpoint body, a blank line and one signature line', () => {
    const lines = note.split('\n');
    expect(lines[0]).toBe(name);
    expect(lines[1]).toBe('1234');
    expect(lines[2]).toBe(checkpoint.rootHash.toString('base64'));
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(new RegExp(`^\u2014 ${name} [A-Za-z0-9+/]+=*$`));
    expect(note.endsWith('\n')).toBe(true);
    expect(note.startsWith(checkpointBody(checkpoint))).toBe(true);
    const signature = Buffer.from(lines[4].split(' ')[2], 'base64');
    expect(signature.subarray(0, 4)).toEqual(keyId(name, publicKey));
    expect(signature).toHaveLength(68);
  });

  it('derives the key id as SHA-256(name || 0x0A || 0x01 || key)[0:4] and prints the verifier key', () => {
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from(name), Buffer.from([0x0a, 0x01]), publicKey]))
      .digest()
      .subarray(0, 4);
    expect(keyId(name, publicKey)).toEqual(expected);
    expect(verifierKey(name, publicKey)).toBe(
      `${name}+${expected.toString('hex')}+${Buffer.concat([Buffer.from([1]), publicKey]).toString('base64')}`,
    );
  });

  it('verifies, and rejects any altered byte or another key', () => {
    expect(verifyCheckpoint(note, verifier)).toEqual({ ok: true, checkpoint });
    expect(verifyCheckpoint(note.replace('1234', '1235'), verifier).ok).toBe(false);
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = signCheckpoint(checkpoint, name, other);
    expect(verifyCheckpoint(forged, verifier)).toMatchObject({ ok: false, problem: 'SIGNATURE' });
    // Not a signed note at all: a malformed input, told apart from a signature that fails.
    expect(verifyCheckpoint('netral\n12\n', verifier)).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
    });
  });

  it('ignores signatures of unknown keys and accepts co-signed notes', () => {
    const witness = generateKeyPairSync('ed25519').privateKey;
    const cosigned = `${note}${signCheckpoint(checkpoint, 'witness.example/w1', witness).split('\n\n')[1]}`;
    expect(verifyCheckpoint(cosigned, verifier)).toEqual({ ok: true, checkpoint });
    // Same name, other key id: an unknown key, ignored; alone it leaves no verified signature.
    const otherKey = signCheckpoint(checkpoint, name, witness);
    expect(verifyCheckpoint(otherKey, verifier)).toEqual({
      ok: false,
      problem: 'SIGNATURE',
      reason: expect.stringContaining('tidak ada tanda tangan kunci') as string,
    });
  });

  it('separates text and signatures at the last blank line and accepts extension lines', () => {
    const body = `${checkpointBody(checkpoint)}ext-line\n`;
    const signature = sign(null, Buffer.from(body), privateKey);
    const withExtension = `${body}\n\u2014 ${name} ${Buffer.concat([keyId(name, publicKey), signature]).toString('base64')}\n`;
    expect(verifyCheckpoint(withExtension, verifier)).toEqual({ ok: true, checkpoint });
  });

  it('rejects what the specs forbid', () => {
    const resign = (body: string) =>
      `${body}\n\u2014 ${name} ${Buffer.concat([keyId(name, publicKey), sign(null, Buffer.from(body), privateKey)]).toString('base64')}\n`;
    const root = checkpoint.rootHash.toString('base64');
    expect(verifyCheckpoint(resign(`${name}\n01234\n${root}\n`), verifier)).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
      reason: expect.stringContaining('tanpa nol di depan') as string,
    });
    expect(verifyCheckpoint(resign(`${name}\n12\n${root.slice(4)}\n`), verifier).ok).toBe(false);
    expect(verifyCheckpoint(resign(`${name}\n12\n${root}\n\n`), verifier).ok).toBe(false);
    expect(verifyCheckpoint(resign(`${name}\n12\t\n${root}\n`), verifier).ok).toBe(false);
    expect(verifyCheckpoint(note.slice(0, -1), verifier).ok).toBe(false);
    expect(verifyCheckpoint(resign(`${name}\n0\n${root}\n`), verifier)).toMatchObject({ ok: true });
    for (const bad of ['', 'a b', 'a+b', 'a\u00a0b', 'a\tb']) {
      expect(isValidKeyName(bad)).toBe(false);
      expect(() => signCheckpoint({ ...checkpoint, origin: bad }, name, privateKey)).toThrow();
      expect(() => verifierKey(bad, publicKey)).toThrow();
    }
    expect(isValidKeyName('netral.local/51.06')).toBe(true);
  });

  it('refuses malformed verifier keys', () => {
    expect(() => parseVerifierKey('a+b')).toThrow();
    expect(() =>
      parseVerifierKey(
        `${name}+00000000+${Buffer.concat([Buffer.from([1]), publicKey]).toString('base64')}`,
      ),
    ).toThrow(/id kunci verifikasi tidak cocok/);
  });

  it("agrees with Go's signed-note test vector (golang.org/x/mod/sumdb/note)", () => {
    // The published verifier key and signed note of note_test.go: same key-id rule, same key encoding,
    // same signature line (em dash, name, base64 of key id || Ed25519 signature over the text).
    const go = parseVerifierKey(
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    );
    expect(go.name).toBe('PeterNeumann');
    expect(go.keyId.toString('hex')).toBe('c74f20a3');
    expect(keyId('PeterNeumann', rawPublicKey(go.key))).toEqual(go.keyId);
    const text =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const line =
      '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
    const signature = Buffer.from(line.split(' ')[2], 'base64');
    expect(signature.subarray(0, 4)).toEqual(go.keyId);
    expect(verify(null, Buffer.from(text), go.key, signature.subarray(4))).toBe(true);
    expect(
      verify(null, Buffer.from(text.replace('answer', 'problem')), go.key, signature.subarray(4)),
    ).toBe(false);
  });

  it('loads a passphrase-protected Ed25519 key, and refuses any other kind of key', () => {
    const { privateKey: ed } = generateKeyPairSync('ed25519');
    const pem = ed.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'rahasia-kunci',
    });
    expect(rawPublicKey(loadPrivateKey(pem as string, 'rahasia-kunci'))).toEqual(rawPublicKey(ed));
    expect(() => loadPrivateKey(pem as string, 'salah')).toThrow();
    const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => loadPrivateKey(rsa.export({ format: 'pem', type: 'pkcs8' }) as string)).toThrow(
      /must be Ed25519, got rsa/,
    );
  });
});
