import { ConfigValidationError, loadConfig } from './app-config';

const problemsOf = (env: Record<string, string>): ConfigValidationError['problems'] => {
  try {
    loadConfig(env, '/srv/netral');
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
    const config = loadConfig({}, '/srv/netral');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/srv/netral/data',
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
});
