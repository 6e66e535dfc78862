import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  checkpointBody,
  isValidKeyName,
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

  it('ignores signatures of unknown keys and accepts co-signed notes', () => {
    const witness = generateKeyPairSync('ed25519').privateKey;
    const cosigned = `${note}${signCheckpoint(checkpoint, 'witness.example/w1', witness).split('\n\n')[1]}`;
    expect(verifyCheckpoint(cosigned, verifier)).toEqual({ ok: true, checkpoint });
    // Same name, other key id: an unknown key, ignored; alone it leaves no verified signature.
    const otherKey = signCheckpoint(checkpoint, name, witness);
    expect(verifyCheckpoint(otherKey, verifier)).toEqual({
      ok: false,
      reason: expect.stringContaining('no signature by key') as string,
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
      reason: expect.stringContaining('leading zeros') as string,
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
    ).toThrow(/key id/);
  });
});
