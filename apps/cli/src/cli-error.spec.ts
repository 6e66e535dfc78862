import { ConfigValidationError } from '@netral/config';
import { Command, CommanderError } from 'commander';
import {
  CliError,
  EXIT_CODES,
  EXIT_CODES_HELP,
  exitFor,
  inBahasa,
  netralProgram,
} from './cli-error';

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

describe('netralProgram', () => {
  /** What `netral <argv>` prints and the exit code main.ts would end with. */
  const run = async (argv: string[]) => {
    let written = '';
    const program = netralProgram().configureOutput({
      writeOut: (text) => void (written += text),
      writeErr: (text) => void (written += text),
    });
    const imported: string[] = [];
    const importCommand = program.command('import');
    importCommand
      .command('asn <file>')
      .option('--dry-run', 'hanya memeriksa')
      .option('--format <f>', 'format', 'csv')
      .action((file: string) => void imported.push(file));
    const code = await program.parseAsync(argv, { from: 'user' }).then(
      () => 0,
      (error: unknown) => exitFor(error).code,
    );
    return { code, written, imported };
  };

  it('refuses arguments a command does not take (exit 2) instead of silently using the first', async () => {
    const { code, written, imported } = await run(['import', 'asn', 'a.csv', 'b.csv']);
    expect(code).toBe(EXIT_CODES.usage);
    expect(written).toMatch(
      /^galat: terlalu banyak argumen: 1 yang diharapkan, 2 yang diberikan\./,
    );
    expect(imported).toEqual([]);
    expect((await run(['import', 'asn', 'a.csv'])).imported).toEqual(['a.csv']);
    expect((await run(['help', 'import', 'asn'])).code).toBe(0);
  });

  it('shows option defaults in Bahasa Indonesia', async () => {
    const { written } = await run(['import', 'asn', '--help']);
    expect(written).toMatch(/--format <f> +format \(bawaan: "csv"\)/);
    expect(written).not.toContain('default');
  });

  it('lists every exit code for the root help, each with its meaning', () => {
    for (const code of Object.values(EXIT_CODES)) {
      expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
    }
  });
});
