import { EventStore } from '@netral/event-store';
import { CredentialsStore } from '../../../ledger/src/identity/credentials.store';
import { tempDir } from '@netral/testing';
import { rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { withLedger } from '../app-context';
import { EXIT_CODES } from '../cli-error';
import { runCommand } from '../testing/run-command';
import { registerUserCommands } from './users';

/** `netral users …` with the password piped in, as a provisioning script does it. */
describe('netral users: the password from stdin', () => {
  const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  let dataDir: string;
  let cli: ReturnType<typeof runCommand>;
  const piped = (text: string) =>
    Object.defineProperty(process, 'stdin', {
      value: Readable.from(text === '' ? [] : [text]),
      configurable: true,
    });
  /** `work` on the ledger in `dir`, opened the way the CLI opens it. */
  const inLedger = async <T>(
    dir: string,
    work: (store: EventStore, credentials: CredentialsStore) => Promise<T>,
  ): Promise<T> => {
    const saved = process.env.NETRAL_DATA_DIR;
    process.env.NETRAL_DATA_DIR = dir;
    try {
      return await withLedger((app) => work(app.get(EventStore), app.get(CredentialsStore)));
    } finally {
      process.env.NETRAL_DATA_DIR = saved;
    }
  };
  /** Whether the user's password is temporary (to be replaced at their next sign-in). */
  const temporary = (dir: string, userId: string) =>
    inLedger(dir, (_store, credentials) =>
      Promise.resolve(credentials.passwordState(userId).temporary),
    );
  /** The store's head. */
  const head = () => inLedger(dataDir, (store) => store.headPosition());

  beforeAll(() => {
    dataDir = tempDir();
    cli = runCommand(registerUserCommands, { NETRAL_DATA_DIR: dataDir });
  });
  afterEach(() => Object.defineProperty(process, 'stdin', stdin));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('an empty pipe (or < /dev/null): exit 2 saying no password came, nothing created (was a silent 0)', async () => {
    piped('');
    const run = await cli('users', 'create', 'bkpsdm2', '--role', 'HR', '--display-name', 'BKPSDM');
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.output).toContain('Tidak ada kata sandi');
    expect(run.output).toContain('tidak ada yang dibuat atau diubah');
    expect(await head()).toBeNull();
  }, 60_000);

  it('a piped password without a final newline is the password', async () => {
    piped('kata-sandi-bkpsdm');
    const run = await cli('users', 'create', 'bkpsdm', '--role', 'HR', '--display-name', 'BKPSDM');
    expect(run).toEqual({
      code: 0,
      output:
        'Pengguna bkpsdm (HR) dibuat pada posisi 1. Kata sandi itu sementara: pengguna wajib menggantinya saat masuk.',
    });
    // Someone else's password (the operator typed it): they choose their own at the first sign-in.
    expect(await temporary(dataDir, 'bkpsdm')).toBe(true);
  }, 60_000);

  it('set-password: temporary unless --no-temporary, saying which', async () => {
    piped('kata-sandi-bkpsdm-baru');
    const final = await cli('users', 'set-password', 'bkpsdm', '--no-temporary');
    expect(final).toEqual({ code: 0, output: 'Kata sandi bkpsdm telah diganti.' });
    expect(await temporary(dataDir, 'bkpsdm')).toBe(false);
    piped('kata-sandi-bkpsdm-lagi');
    const reset = await cli('users', 'set-password', 'bkpsdm');
    expect(reset).toEqual({
      code: 0,
      output:
        'Kata sandi bkpsdm telah diganti. Kata sandi itu sementara: pengguna wajib menggantinya saat masuk.',
    });
    expect(await temporary(dataDir, 'bkpsdm')).toBe(true);
  }, 60_000);

  it('creates only the user it is asked for, even with NETRAL_BOOTSTRAP_ADMIN_PASSWORD set for the service', async () => {
    const own = tempDir();
    try {
      piped('kata-sandi-admin-baru\n');
      const run = await runCommand(registerUserCommands, {
        NETRAL_DATA_DIR: own,
        NETRAL_BOOTSTRAP_ADMIN_PASSWORD: 'sandi-bootstrap-2024',
      })('users', 'create-admin', '--username', 'admin.bkpsdm');
      expect(run.code).toBe(0);
      const users = await inLedger(own, async (store) => {
        const written: unknown[][] = [];
        for await (const e of store.readAll()) {
          written.push([e.type, e.data.username]);
        }
        return written;
      });
      expect(users).toEqual([['UserRegistered', 'admin.bkpsdm']]);
      // The operator's own account, as the first administrator usually is: not temporary.
      expect(await temporary(own, 'admin.bkpsdm')).toBe(false);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  }, 60_000);

  it('stores the names without the spaces around them, as the API does', async () => {
    piped('kata-sandi-petugas\n');
    const run = await cli(
      'users',
      'create',
      ' petugas.cli ',
      '--role',
      'HR',
      '--display-name',
      '  Petugas CLI ',
      '--no-temporary',
    );
    expect(run.output).toMatch(/^Pengguna petugas\.cli \(HR\) dibuat pada posisi \d+\.$/);
    expect(await temporary(dataDir, 'petugas.cli')).toBe(false);
    const registered = await inLedger(dataDir, async (store) => {
      for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) {
        return e.data;
      }
    });
    expect(registered).toMatchObject({ username: 'petugas.cli', displayName: 'Petugas CLI' });
  }, 60_000);

  it('a wrong role or an OPD head without --opd: exit 2 before the password is read', async () => {
    const input = Readable.from(['kata-sandi-kepala\n']);
    Object.defineProperty(process, 'stdin', { value: input, configurable: true });
    const noOpd = await cli(
      'users',
      'create',
      'kadis',
      '--role',
      'OPD_HEAD',
      '--display-name',
      'K',
    );
    expect(noOpd).toEqual({
      code: EXIT_CODES.usage,
      output:
        'Peran OPD_HEAD wajib menyebut OPD-nya: tambahkan --opd <opdId> (ID OPD di registri).',
    });
    const role = await cli('users', 'create', 'kadis', '--role', 'hr', '--display-name', 'K');
    expect(role).toEqual({
      code: EXIT_CODES.usage,
      output: '--role harus salah satu dari ADMIN, OPD_HEAD, BAWASLU, HR, bukan "hr".',
    });
    expect(input.readableDidRead).toBe(false);
  }, 60_000);

  it('checks the display name as the API does (letters, no control characters), before the password is read', async () => {
    const input = Readable.from(['kata-sandi-kepala\n']);
    Object.defineProperty(process, 'stdin', { value: input, configurable: true });
    const before = await head();
    const digits = await cli('users', 'create', 'hr2', '--role', 'HR', '--display-name', '007');
    expect(digits).toEqual({
      code: EXIT_CODES.usage,
      output:
        'Isian tidak valid; tidak ada yang dibuat:\n  - --display-name: harus berisi huruf: tulis namanya, bukan hanya angka atau tanda baca (kolom tergeser?)',
    });
    const escape = await cli('users', 'create-admin', '--display-name', 'Admin\u001b[31m');
    expect(escape.code).toBe(EXIT_CODES.usage);
    expect(escape.output).toContain('--display-name: berisi karakter kendali');
    expect(input.readableDidRead).toBe(false);
    expect(await head()).toBe(before);
  }, 60_000);
});
