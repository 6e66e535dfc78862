import { CliLogger } from './cli-logger';

describe('CliLogger', () => {
  const written = { stdout: '', stderr: '' };
  const saved = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  const into =
    (stream: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array): boolean => {
      written[stream] += String(chunk);
      return true;
    };
  beforeEach(() => {
    written.stdout = written.stderr = '';
    process.stdout.write = into('stdout');
    process.stderr.write = into('stderr');
  });
  afterEach(() => {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
  });

  it("writes warnings to stderr, never into stdout where a command's report is read", () => {
    new CliLogger().warn('Transparency log stopped: disk full', 'TransparencyLogBuilder');
    expect(written.stdout).toBe('');
    expect(written.stderr).toContain('Transparency log stopped: disk full');
  });

  it('keeps colors off when stderr is not a terminal (a pipe, a log file)', () => {
    const tty = process.stderr.isTTY;
    process.stderr.isTTY = false;
    try {
      new CliLogger().error('boom', undefined, 'X');
    } finally {
      process.stderr.isTTY = tty;
    }
    expect(written.stderr).toContain('boom');
    expect(written.stderr).not.toContain('\x1b[');
  });

  it("drops the service's boot hint to create the first administrator, and nothing else", () => {
    new CliLogger().warn(
      'No user exists yet. Create the first administrator with `npm run cli -- users create-admin`.',
      'UserCommands',
    );
    new CliLogger().log('started', 'NestApplication');
    expect(written.stderr + written.stdout).toBe('');
    new CliLogger().warn('No user exists yet.', 'SomethingElse');
    expect(written.stderr).toContain('No user exists yet.');
  });

  it('says once that EventStoreDB does not answer, not once per follower and retry', () => {
    const logger = new CliLogger();
    const drop = (delay: number) =>
      `EventStoreDB subscription dropped (14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:2113); resubscribing after position start in ${delay} ms`;
    for (const delay of [84, 63, 189, 410]) {
      logger.warn(drop(delay), 'EventStoreDB');
      logger.warn(drop(delay), 'TransparencyLog'); // relayed from the log's thread
    }
    logger.warn('EventStoreDB: closing with 1 append(s) still unanswered', 'EventStoreDB');
    const lines = written.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('EventStoreDB tidak menjawab; mencoba lagi…');
    expect(lines[0]).toContain('ECONNREFUSED 127.0.0.1:2113');
    expect(lines[1]).toContain('closing with 1 append(s) still unanswered');
  });
});
