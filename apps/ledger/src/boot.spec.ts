import { ensureDevelopmentPki } from '@netral/certificates';
import { ConfigValidationError } from '@netral/config';
import forge from 'node-forge';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CONFIG, loadCheckedConfig, loadConfigOrExit } from './boot';

describe('boot', () => {
  it('stops with exit code 78 and a message naming the variable and what is allowed', () => {
    const messages: string[] = [];
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    expect(() =>
      loadConfigOrExit({ NETRAL_SQLITE_SYNC: 'OFF' }, exit, (m) => messages.push(m)),
    ).toThrow('exit 78');
    expect(exit).toHaveBeenCalledWith(EXIT_CONFIG);
    expect(messages[0]).toMatch(/^Netral cannot start\. Invalid configuration:/);
    expect(messages[0]).toContain('NETRAL_SQLITE_SYNC="OFF"');
    expect(messages[0]).toMatch(/FULL.*NORMAL/);
  });

  it.each(['foo', 'esdb://', 'esdb://localhost:abc'])(
    'stops with exit code 78 on the EventStoreDB connection string %j, naming the expected form',
    (value) => {
      const messages: string[] = [];
      const exit = jest.fn((code: number): never => {
        throw new Error(`exit ${code}`);
      });
      expect(() =>
        loadConfigOrExit({ EVENTSTORE_CONNECTION_STRING: value }, exit, (m) => messages.push(m)),
      ).toThrow('exit 78');
      expect(exit).toHaveBeenCalledWith(EXIT_CONFIG);
      expect(messages[0]).toContain(`EVENTSTORE_CONNECTION_STRING=${JSON.stringify(value)}`);
      expect(messages[0]).toContain('esdb://localhost:2113?tls=false');
    },
  );

  it('names PORT once, with the allowed range', () => {
    const messages: string[] = [];
    expect(() =>
      loadConfigOrExit(
        { PORT: 'abc' },
        () => {
          throw new Error('exit');
        },
        (m) => messages.push(m),
      ),
    ).toThrow('exit');
    expect(messages[0].match(/PORT/g)).toHaveLength(1);
    expect(messages[0]).toContain('PORT="abc": must be a whole number from 0 to 65535');
  });

  it('returns the configuration when it is valid', () => {
    expect(loadConfigOrExit({ PORT: '8080' }, () => undefined as never).port).toBe(8080);
  });

  describe('configured keys', () => {
    let dir: string;
    const file = (name: string) => join(dir, name);
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadCheckedConfig({ NETRAL_DATA_DIR: join(dir, 'data'), ...env });
      } catch (error) {
        if (error instanceof ConfigValidationError) {
          return error.problems;
        }
        throw error;
      }
      throw new Error('expected the keys to be refused');
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'netral-keys-'));
      ensureDevelopmentPki(dir);
      const key = readFileSync(file('pki/signer-key.pem'), 'utf8');
      const cert = readFileSync(file('pki/signer.pem'), 'utf8');
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      writeFileSync(file('other-key.pem'), other.export({ format: 'pem', type: 'pkcs8' }));
      writeFileSync(
        file('encrypted-key.pem'),
        forge.pki.encryptRsaPrivateKey(forge.pki.privateKeyFromPem(key), 'sandi-kunci'),
      );
      const p12 = forge.pkcs12.toPkcs12Asn1(
        forge.pki.privateKeyFromPem(key),
        [forge.pki.certificateFromPem(cert)],
        'sandi-p12',
        { algorithm: '3des' },
      );
      writeFileSync(file('signer.p12'), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
      writeFileSync(file('not-a-key.pem'), 'bukan kunci\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads a PEM key and its certificate, a passphrase-protected PEM key, and a PKCS#12 file', () => {
      const pem = { NETRAL_SIGNER_CERT_PATH: file('pki/signer.pem') };
      expect(
        loadCheckedConfig({
          NETRAL_DATA_DIR: dir,
          ...pem,
          NETRAL_SIGNER_KEY_PATH: file('pki/signer-key.pem'),
        }).signer.keyPath,
      ).toBe(file('pki/signer-key.pem'));
      expect(
        loadCheckedConfig({
          NETRAL_DATA_DIR: dir,
          ...pem,
          NETRAL_SIGNER_KEY_PATH: file('encrypted-key.pem'),
          NETRAL_SIGNER_KEY_PASSPHRASE: 'sandi-kunci',
        }).signer.keyPassphrase,
      ).toBe('sandi-kunci');
      expect(
        loadCheckedConfig({
          NETRAL_DATA_DIR: dir,
          NETRAL_SIGNER_P12_PATH: file('signer.p12'),
          NETRAL_SIGNER_P12_PASSPHRASE: 'sandi-p12',
        }).signer.p12Path,
      ).toBe(file('signer.p12'));
    });

    it.each([
      [
        "a key that is not the certificate's",
        { NETRAL_SIGNER_KEY_PATH: 'other-key.pem', NETRAL_SIGNER_CERT_PATH: 'pki/signer.pem' },
        'NETRAL_SIGNER_KEY_PATH',
        /^is not the private key of the signer certificate/,
      ],
      [
        'an encrypted key without its passphrase',
        { NETRAL_SIGNER_KEY_PATH: 'encrypted-key.pem', NETRAL_SIGNER_CERT_PATH: 'pki/signer.pem' },
        'NETRAL_SIGNER_KEY_PATH',
        /if it is encrypted, set NETRAL_SIGNER_KEY_PASSPHRASE/,
      ],
      [
        'a certificate file with no certificate',
        { NETRAL_SIGNER_KEY_PATH: 'pki/signer-key.pem', NETRAL_SIGNER_CERT_PATH: 'not-a-key.pem' },
        'NETRAL_SIGNER_CERT_PATH',
        /^holds no PEM certificate/,
      ],
      [
        'a PKCS#12 file with the wrong passphrase',
        { NETRAL_SIGNER_P12_PATH: 'signer.p12', NETRAL_SIGNER_P12_PASSPHRASE: 'salah' },
        'NETRAL_SIGNER_P12_PATH',
        /^cannot be opened as PKCS#12 with NETRAL_SIGNER_P12_PASSPHRASE: a wrong passphrase/,
      ],
      [
        'a checkpoint key that is not Ed25519',
        { NETRAL_CHECKPOINT_KEY_PATH: 'other-key.pem' },
        'NETRAL_CHECKPOINT_KEY_PATH',
        /^cannot be used as the Ed25519 checkpoint key \(checkpoint key must be Ed25519, got rsa\)/,
      ],
      [
        'a checkpoint key file that holds no key',
        { NETRAL_CHECKPOINT_KEY_PATH: 'not-a-key.pem' },
        'NETRAL_CHECKPOINT_KEY_PATH',
        /^cannot be used as the Ed25519 checkpoint key/,
      ],
    ])('refuses %s, naming the variable to fix', (_, env, variable, reason) => {
      const inDir = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, /PATH$/.test(k) ? file(v) : v]),
      );
      expect(problemsOf(inDir)).toEqual([{ variable, reason: expect.stringMatching(reason) }]);
    });

    it('stops the service with exit code 78 on a key it cannot use, before touching data', () => {
      const messages: string[] = [];
      expect(() =>
        loadConfigOrExit(
          {
            NETRAL_DATA_DIR: join(dir, 'data'),
            NETRAL_SIGNER_P12_PATH: file('signer.p12'),
            NETRAL_SIGNER_P12_PASSPHRASE: 'salah',
          },
          (code) => {
            throw new Error(`exit ${code}`);
          },
          (m) => messages.push(m),
        ),
      ).toThrow('exit 78');
      expect(messages[0]).toMatch(
        /^Netral cannot start\. Invalid configuration:\n {2}- NETRAL_SIGNER_P12_PATH: /,
      );
      expect(messages[0]).not.toContain('salah');
    });
  });
});
