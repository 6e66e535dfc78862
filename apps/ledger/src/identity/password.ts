import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { isInvisibleText } from '../common/validation';

/** scrypt parameters (OWASP's interactive-login floor); stored with each hash so they can be raised later. */
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 64 } as const;

export interface PasswordHash {
  algorithm: 'scrypt';
  salt: string; // base64
  hash: string; // base64
  params: { N: number; r: number; p: number; keylen: number };
}

const derive = (password: string, salt: Buffer, params: PasswordHash['params']): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = {
      N: params.N,
      r: params.r,
      p: params.p,
      maxmem: 64 * 1024 * 1024,
    };
    scrypt(password.normalize('NFC'), salt, params.keylen, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

export const hashPassword = async (password: string): Promise<PasswordHash> => {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMS);
  return {
    algorithm: 'scrypt',
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
    params: { ...PARAMS },
  };
};

/** A hash of a random password: verifying against it costs what a real check costs, so an unknown
 * username takes as long to refuse as a wrong password. */
let decoy: Promise<PasswordHash> | undefined;
export const decoyHash = (): Promise<PasswordHash> =>
  (decoy ??= hashPassword(randomBytes(24).toString('base64')));

export const verifyPassword = async (password: string, stored: PasswordHash): Promise<boolean> => {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored.params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** The password policy; returns the reason (Bahasa Indonesia) or null when acceptable. */
export const passwordProblem = (password: string, username: string): string | null => {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `minimal ${PASSWORD_MIN_LENGTH} karakter`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `maksimal ${PASSWORD_MAX_LENGTH} karakter`;
  }
  if (isInvisibleText(password)) {
    return 'tidak boleh hanya berisi spasi atau karakter yang tidak terlihat';
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    return 'tidak boleh sama dengan nama pengguna';
  }
  return null;
};
