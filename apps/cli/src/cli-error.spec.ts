import { ConfigValidationError } from '@netral/config';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_CODES, exitFor, inBahasa } from './cli-error';

describe('exitFor', () => {
  const program = () =>
    new Command('netral')
      .exitOverride()
      .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
      .addCommand(new Command('audit').addCommand(new Command('verify')));

  const failure = (argv: string[]) =>
    program()
      .parseAsync(argv, { from: 'user' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

  it('answers a mistyped or missing command with 2 (usage), not the 1 of a failed verification', async () => {
    expect(exitFor(await failure(['audt', 'verify']))).toEqual({ code: EXIT_CODES.usage });
    expect(exitFor(await failure(['--tidak-ada']))).toEqual({ code: EXIT_CODES.usage });
    expect(exitFor(new CommanderError(1, 'commander.unknownCommand', 'x'))).toEqual({ code: 2 });
  });

  it("keeps help at 0, a command's own code, 78 for configuration and 3 for a crash", async () => {
    expect(exitFor(await failure(['--help']))).toEqual({ code: 0 });
    expect(exitFor(new CliError('GAGAL: akar berbeda', EXIT_CODES.failed))).toEqual({
      code: 1,
      message: 'GAGAL: akar berbeda',
    });
    const crash = new TypeError('boom');
    expect(exitFor(crash)).toEqual({ code: 3, message: crash });
    expect(exitFor(new ConfigValidationError([])).code).toBe(78);
  });
});

describe('inBahasa', () => {
  /** The program's output for `argv`: what it writes, to either stream. */
  const run = async (argv: string[]) => {
    let written = '';
    const program = inBahasa(new Command('netral'))
      .exitOverride()
      .configureOutput({
        writeOut: (text) => void (written += text),
        writeErr: (text) => void (written += text),
      });
    program
      .command('import')
      .description('impor registri')
      .command('asn <file>')
      .description('ASN dari ekspor SIASN')
      .option('--dry-run', 'hanya periksa');
    await program.parseAsync(argv, { from: 'user' }).catch(() => undefined);
    return written;
  };

  it('writes the help of every command in Bahasa Indonesia, its columns aligned', async () => {
    const help = await run(['import', '--help']);
    expect(help).toMatch(/^Penggunaan: netral import \[opsi\] \[perintah\]$/m);
    expect(help).toMatch(/^Opsi:$/m);
    expect(help).toMatch(/^ {2}-h, --help {9}tampilkan bantuan perintah ini$/m);
    expect(help).toMatch(/^Perintah:$/m);
    expect(help).toMatch(/^ {2}asn \[opsi\] <file> {2}ASN dari ekspor SIASN$/m);
    expect(help).toMatch(/^ {2}help \[perintah\] {4}tampilkan bantuan sebuah perintah$/m);
    expect(help).not.toMatch(/Usage|Options|Commands|display help|\[options\]/);
  });

  it('says what was mistyped in Bahasa Indonesia, with the help after it', async () => {
    expect(await run(['impor'])).toMatch(
      /^galat: perintah 'impor' tidak dikenal\n\(Maksud Anda import\?\)/,
    );
    expect(await run(['import', 'asn'])).toMatch(
      /^galat: argumen 'file' wajib diisi\n\nPenggunaan: netral import asn \[opsi\] <file>/,
    );
    expect(await run(['import', 'asn', 'a.csv', '--dry-rn'])).toMatch(
      /^galat: opsi '--dry-rn' tidak dikenal\n\(Maksud Anda --dry-run\?\)\n\nPenggunaan:/,
    );
  });
});
