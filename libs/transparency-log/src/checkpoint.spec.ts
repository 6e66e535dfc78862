import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  checkpointBody,
  keyId,
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
    expect(verifyCheckpoint(forged, verifier)).toMatchObject({ ok: false });
    expect(verifyCheckpoint('netral\n12\n', verifier).ok).toBe(false);
  });

  it('refuses malformed verifier keys', () => {
    expect(() => parseVerifierKey('a+b')).toThrow();
    expect(() =>
      parseVerifierKey(
        `${name}+00000000+${Buffer.concat([Buffer.from([1]), publicKey]).toString('base64')}`,
      ),
    ).toThrow(/key id/);
  });
});
