import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from './app-config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netral-config-'));
  writeFileSync(join(dir, 'key.pem'), 'not checked here');
  mkdirSync(join(dir, 'a-directory'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problemsOf = (env: Record<string, string>): ConfigValidationError['problems'] => {
  try {
    loadConfig(env, dir);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration', () => {
  it('has working defaults and resolves a relative data directory', () => {
    const config = loadConfig({}, dir);
    expect(config).toMatchObject({
      port: 3000,
      dataDir: join(dir, 'data'),
      publicBaseUrl: 'http://localhost:3000',
      sqliteSync: 'FULL',
      regionCode: '51.06',
      timeZone: 'Asia/Makassar',
      checkpoint: { origin: 'netral.local/51.06', everyEvents: 1000, everySeconds: 5 },
      sla: { verificationDays: 7, reviewWorkingDays: 3, followUpDays: 30 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable, its value and what is allowed', () => {
    const problems = problemsOf({
      PORT: 'delapan',
      NETRAL_SQLITE_SYNC: 'OFF',
      NETRAL_TIMEZONE: 'Bali/Denpasar',
      NETRAL_CHECKPOINT_ORIGIN: 'netral+bangli',
    });
    expect([...new Set(problems.map((p) => p.variable))].sort()).toEqual([
      'NETRAL_CHECKPOINT_ORIGIN',
      'NETRAL_SQLITE_SYNC',
      'NETRAL_TIMEZONE',
      'PORT',
    ]);
    expect(problems.find((p) => p.variable === 'NETRAL_SQLITE_SYNC')).toMatchObject({
      value: 'OFF',
      reason: expect.stringMatching(/FULL.*NORMAL/),
    });
    expect(problems.find((p) => p.variable === 'NETRAL_TIMEZONE')!.reason).toContain(
      'IANA time zone',
    );
  });

  it.each([
    ['PORT', 'abc', 'must be a whole number from 0 to 65535'],
    ['PORT', '70000', 'must be a whole number from 0 to 65535'],
    ['PORT', '', 'must be a whole number from 0 to 65535'],
    ['NETRAL_JWT_TTL_SECONDS', '1.5', 'must be a whole number from 30 to 86400'],
    ['NETRAL_CHECKPOINT_EVERY_EVENTS', '0', 'must be a whole number of at least 1'],
    ['HOST', '', 'must be an address to listen on, such as 0.0.0.0, 127.0.0.1 or ::'],
    ['NETRAL_DATA_DIR', '', 'must be a directory path such as ./data or /var/lib/netral'],
    [
      'PUBLIC_BASE_URL',
      'netral.banglikab.go.id',
      'must be an http:// or https:// URL such as https://netral.banglikab.go.id',
    ],
    ['NETRAL_BOOTSTRAP_ADMIN_PASSWORD', 'x'.repeat(201), 'must be 10 to 200 characters'],
  ])('gives %s=%j one reason that says what is allowed', (variable, value, reason) => {
    expect(problemsOf({ [variable]: value })).toEqual([
      expect.objectContaining({ variable, reason }),
    ]);
  });

  it.each([
    'esdb://localhost:2113?tls=false',
    'esdb://node1:2113,node2:2113,node3:2113?tls=false&nodePreference=leader',
    'esdb://admin:changeit@localhost:2113?tls=false',
    'esdb+discover://cluster.example.go.id:2113',
    'kurrentdb://localhost:2113?tls=false',
    'kurrentdb+discover://cluster.example.go.id:2113',
    'esdb://localhost',
  ])('accepts the EventStoreDB connection string %s', (value) => {
    expect(loadConfig({ EVENTSTORE_CONNECTION_STRING: value }).eventStoreConnectionString).toBe(
      value,
    );
  });

  it.each([
    [
      'foo',
      /^must start with esdb:\/\/, esdb\+discover:\/\/, kurrentdb:\/\/ or kurrentdb\+discover:\/\//,
    ],
    ['http://localhost:2113', /^must start with esdb:\/\//],
    ['esdb://', /^names no host/],
    ['esdb:///', /^names no host/],
    ['esdb://localhost:abc?tls=false', /^is refused by the EventStoreDB client \(.*port number\)/],
    [
      'esdb://localhost:2113?tls=maybe',
      /^is refused by the EventStoreDB client \(.*true or false\)/,
    ],
    [
      'esdb://localhost:2113?throwOnAppendFailure=false',
      /^must not set throwOnAppendFailure=false/,
    ],
  ])('refuses the EventStoreDB connection string %j, naming the expected form', (value, reason) => {
    const problems = problemsOf({ EVENTSTORE_CONNECTION_STRING: value });
    expect(problems).toEqual([
      { variable: 'EVENTSTORE_CONNECTION_STRING', value, reason: expect.stringMatching(reason) },
    ]);
    if (!/throwOnAppendFailure/.test(value)) {
      expect(problems[0].reason).toContain('esdb://localhost:2113?tls=false');
    }
  });

  it('never echoes the password inside a connection string', () => {
    const [problem] = problemsOf({ EVENTSTORE_CONNECTION_STRING: 'esdb://admin:geheim@host:x' });
    expect(problem.value).toBe('esdb://admin:***@host:x');
    expect(new ConfigValidationError([problem]).message).not.toContain('geheim');
  });

  it('accepts every IANA zone, not only Area/City', () => {
    for (const zone of ['UTC', 'Asia/Jakarta', 'America/Argentina/Buenos_Aires', 'Etc/GMT-8']) {
      expect(loadConfig({ NETRAL_TIMEZONE: zone }).timeZone).toBe(zone);
    }
  });

  it('never echoes a secret back', () => {
    const [problem] = problemsOf({ NETRAL_BOOTSTRAP_ADMIN_PASSWORD: 'pendek' });
    expect(problem.variable).toBe('NETRAL_BOOTSTRAP_ADMIN_PASSWORD');
    expect(problem.value).toBeUndefined();
    expect(new ConfigValidationError([problem]).message).not.toContain('pendek');
  });

  it('refuses a NETRAL_ name it does not know, suggesting the setting meant, never showing its value', () => {
    expect(
      problemsOf({
        NETRAL_SQLITE_SYNCH: 'NORMAL',
        NETRAL_JWT_SECRT: 'x'.repeat(40),
        NETRAL_FOO: '1',
      }),
    ).toEqual([
      {
        variable: 'NETRAL_SQLITE_SYNCH',
        reason: 'is not a Netral setting; did you mean NETRAL_SQLITE_SYNC?',
      },
      {
        variable: 'NETRAL_JWT_SECRT',
        reason: 'is not a Netral setting; did you mean NETRAL_JWT_SECRET?',
      },
      {
        variable: 'NETRAL_FOO',
        reason: expect.stringMatching(/^is not a Netral setting \(the README lists them/),
      },
    ]);
    // The CLI's one-off input is not a setting, and is not refused.
    expect(loadConfig({ NETRAL_NEW_PASSWORD: 'sandi-baru-bangli' }, dir).port).toBe(3000);
  });

  it.each([
    [
      { NETRAL_SIGNER_CERT_PATH: 'key.pem' },
      'NETRAL_SIGNER_KEY_PATH',
      /^must be set too: .*\(set now: NETRAL_SIGNER_CERT_PATH\)$/,
    ],
    [
      { NETRAL_SIGNER_KEY_PATH: 'key.pem', NETRAL_SIGNER_KEY_PASSPHRASE: 'rahasia' },
      'NETRAL_SIGNER_CERT_PATH',
      /^must be set too: .*NETRAL_SIGNER_KEY_PATH, NETRAL_SIGNER_KEY_PASSPHRASE\)$/,
    ],
    [
      { NETRAL_SIGNER_P12_PATH: 'key.pem', NETRAL_SIGNER_CHAIN_PATH: 'key.pem' },
      'NETRAL_SIGNER_CHAIN_PATH',
      /^cannot be combined with NETRAL_SIGNER_P12_PATH/,
    ],
    [
      { NETRAL_SIGNER_P12_PASSPHRASE: 'rahasia' },
      'NETRAL_SIGNER_P12_PASSPHRASE',
      /^is used only with NETRAL_SIGNER_P12_PATH/,
    ],
    [
      { NETRAL_CHECKPOINT_KEY_PASSPHRASE: 'rahasia' },
      'NETRAL_CHECKPOINT_KEY_PASSPHRASE',
      /^is used only with NETRAL_CHECKPOINT_KEY_PATH/,
    ],
  ])(
    'refuses a key setting without its partner (%j), naming what to set',
    (env, variable, reason) => {
      expect(problemsOf(env)).toEqual([
        expect.objectContaining({ variable, reason: expect.stringMatching(reason) }),
      ]);
    },
  );

  it('refuses a key file that does not exist or is not a file, and resolves relative ones', () => {
    expect(problemsOf({ NETRAL_SIGNER_P12_PATH: 'tidak-ada.p12' })).toEqual([
      {
        variable: 'NETRAL_SIGNER_P12_PATH',
        value: 'tidak-ada.p12',
        reason: `names no file: ${join(dir, 'tidak-ada.p12')} does not exist`,
      },
    ]);
    expect(problemsOf({ NETRAL_CHECKPOINT_KEY_PATH: 'a-directory' })).toEqual([
      expect.objectContaining({
        variable: 'NETRAL_CHECKPOINT_KEY_PATH',
        reason: `must name a file, but ${join(dir, 'a-directory')} is not one`,
      }),
    ]);
    expect(loadConfig({ NETRAL_CHECKPOINT_KEY_PATH: 'key.pem' }, dir).checkpoint.keyPath).toBe(
      join(dir, 'key.pem'),
    );
  });

  it('refuses a data directory that is a file or sits under one', () => {
    expect(problemsOf({ NETRAL_DATA_DIR: 'key.pem' })).toEqual([
      expect.objectContaining({
        variable: 'NETRAL_DATA_DIR',
        reason: `must be a directory, but ${join(dir, 'key.pem')} is a file`,
      }),
    ]);
    expect(problemsOf({ NETRAL_DATA_DIR: 'key.pem/data' })).toEqual([
      expect.objectContaining({
        variable: 'NETRAL_DATA_DIR',
        reason: `must be a directory, but ${join(dir, 'key.pem', 'data')} cannot be created: ${join(dir, 'key.pem')} is a file`,
      }),
    ]);
    // A directory that does not exist yet is made at start, under one that is writable.
    expect(loadConfig({ NETRAL_DATA_DIR: 'belum/ada' }, dir).dataDir).toBe(
      join(dir, 'belum', 'ada'),
    );
  });
});
