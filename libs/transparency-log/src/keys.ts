import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidKeyName, loadPrivateKey, rawPublicKey, verifierKey } from './checkpoint';

/** The part of the service configuration the log needs (AppConfig satisfies it structurally). */
export interface CheckpointSettings {
  dataDir: string;
  checkpoint: {
    keyPath?: string;
    keyPassphrase?: string;
    origin: string;
    everyEvents: number;
    everySeconds: number;
  };
}

export const CHECKPOINT_KEY_FILE = 'checkpoint-key.pem';

export interface CheckpointKey {
  privateKey: KeyObject;
  /** The origin doubles as the key name, as tlog-checkpoint recommends. */
  keyName: string;
  /** `<name>+<hex key id>+<base64(0x01 || public key)>`, what `/audit/public-key` serves. */
  verifierKey: string;
  /** Where the key came from (configured path or the generated file). */
  file: string;
}

/**
 * The configured checkpoint key, or an Ed25519 key generated once into the data directory (PEM, mode 0600).
 * It is never the PDF signing key: a leaked PDF key cannot vouch for a rewritten history, nor the reverse.
 */
export const loadCheckpointKey = (settings: CheckpointSettings): CheckpointKey => {
  const keyName = settings.checkpoint.origin;
  if (!isValidKeyName(keyName)) {
    throw new Error(
      `NETRAL_CHECKPOINT_ORIGIN ${JSON.stringify(keyName)} must be non-empty, without spaces or '+' (it is the key name of every checkpoint signature)`,
    );
  }
  let file = settings.checkpoint.keyPath;
  let passphrase = settings.checkpoint.keyPassphrase;
  if (!file) {
    file = join(settings.dataDir, CHECKPOINT_KEY_FILE);
    passphrase = undefined;
    mkdirSync(settings.dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's.
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    if ((statSync(file).mode & 0o077) !== 0) {
      chmodSync(file, 0o600);
    }
  }
  const privateKey = loadPrivateKey(readFileSync(file, 'utf8'), passphrase);
  return {
    privateKey,
    keyName,
    verifierKey: verifierKey(keyName, rawPublicKey(privateKey)),
    file,
  };
};
