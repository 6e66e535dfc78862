import { ConfigValidationError } from '@netral/config';
import { EXIT_DATA_DIR_BUSY } from '../../ledger/src/infrastructure/data-dir-lock';
import { Command, CommanderError, Help } from 'commander';

/**
 * Exit codes of every `netral` command, for scripts:
 * 0 done · 1 a verification failed (`audit`, `backup verify`) · 2 unusable input: bad arguments, a file
 * that is missing or unreadable · 3 the tool itself failed (a crash: never a verdict) · 4 input refused:
 * rows of an import, or a command the ledger's rules refused, and nothing was written · 69 the event store
 * did not answer (nothing was done: start it, or check EVENTSTORE_CONNECTION_STRING; for `audit archive`,
 * the service answered 5xx) · 75 the data directory is in use by the service or another import or rebuild
 * (nothing was done) · 78 configuration invalid · 130 cancelled with Ctrl-C at the password prompt (nothing
 * was done; the shell's code for SIGINT).
 */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  usage: 2,
  crashed: 3,
  rejected: 4,
  unavailable: 69,
  busy: EXIT_DATA_DIR_BUSY,
  config: 78,
  interrupted: 130,
} as const;

/** What each exit code means, for the program's help (the README's CLI section says the same). */
const EXIT_CODE_MEANINGS: [number, string][] = [
  [EXIT_CODES.ok, 'selesai'],
  [EXIT_CODES.failed, 'verifikasi gagal (audit, backup): berkasnya terbaca dan tidak cocok'],
  [
    EXIT_CODES.usage,
    'masukan tidak bisa dipakai: argumen salah, berkas tidak ada atau tidak terbaca',
  ],
  [EXIT_CODES.crashed, 'alat ini sendiri gagal (bukan putusan atas ledger): ulangi atau laporkan'],
  [EXIT_CODES.rejected, 'masukan ditolak: baris impor, atau aturan ledger menolak perintahnya'],
  [
    EXIT_CODES.unavailable,
    'penyimpanan event (atau, untuk audit archive, layanan) tidak menjawab (tidak ada yang dikerjakan)',
  ],
  [EXIT_CODES.busy, 'direktori data sedang dipakai layanan atau perintah lain'],
  [EXIT_CODES.config, 'konfigurasi (NETRAL_*) tidak sah'],
  [
    EXIT_CODES.interrupted,
    'dibatalkan dengan Ctrl-C saat kata sandi ditanyakan (tidak ada yang dikerjakan)',
  ],
];

export const EXIT_CODES_HELP = `\nKode keluar (sama untuk setiap perintah):\n${EXIT_CODE_MEANINGS.map(
  ([code, meaning]) => `  ${String(code).padEnd(3)} ${meaning}`,
).join('\n')}\n`;

/** An error the CLI reports as one clear line and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.failed,
  ) {
    super(message);
  }
}

/**
 * The exit code for an error that ended a command, and the line to print (undefined: commander has printed
 * its own). A usage error anywhere (a mistyped command, an unknown option, a missing argument) is 2, never
 * the 1 of a failed verification that an auditor's script reads; help is 0; a crash is 3.
 */
export const exitFor = (error: unknown): { code: number; message?: unknown } => {
  if (error instanceof CommanderError) {
    return { code: error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage };
  }
  if (error instanceof CliError) {
    return { code: error.exitCode, message: error.message };
  }
  if (error instanceof ConfigValidationError) {
    return { code: EXIT_CODES.config, message: error.message };
  }
  return { code: EXIT_CODES.crashed, message: error };
};

/** Commander's own words (help headings and placeholders, usage errors) in Bahasa Indonesia, like every
 * description and message of the commands; its layout and exit codes are kept. */
const COMMANDER_WORDS: [RegExp, string][] = [
  [/^Usage:/m, 'Penggunaan:'],
  [/^Arguments:/m, 'Argumen:'],
  [/^Options:/m, 'Opsi:'],
  [/^Commands:/m, 'Perintah:'],
  [/^error: unknown command '(.*)'/m, "galat: perintah '$1' tidak dikenal"],
  [/^error: unknown option '(.*)'/m, "galat: opsi '$1' tidak dikenal"],
  [/^error: missing required argument '(.*)'/m, "galat: argumen '$1' wajib diisi"],
  [/^error: option '(.*)' argument missing/m, "galat: opsi '$1' perlu nilai"],
  [/^error: required option '(.*)' not specified/m, "galat: opsi '$1' wajib diisi"],
  [
    /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\./m,
    'galat: terlalu banyak argumen: $2 yang diharapkan, $3 yang diberikan.',
  ],
  [/\(Did you mean (.*)\?\)/, '(Maksud Anda $1?)'],
];
const placeholders = (term: string): string =>
  term.replace(/\[options\]/g, '[opsi]').replace(/\[command\]/g, '[perintah]');
const translate = (text: string): string =>
  COMMANDER_WORDS.reduce((out, [words, bahasa]) => out.replace(words, bahasa), text);

/**
 * Sets `program` up to speak Bahasa Indonesia: the help option and help command, the help text, and the
 * usage errors commander prints. Call it before adding commands: they inherit all of it.
 */
export const inBahasa = (program: Command): Command =>
  program
    .helpOption('-h, --help', 'tampilkan bantuan perintah ini')
    .helpCommand('help [perintah]', 'tampilkan bantuan sebuah perintah')
    .configureHelp({
      // The placeholders where commander writes them, so the columns are measured on the words shown.
      subcommandTerm(this: Help, cmd) {
        return placeholders(Help.prototype.subcommandTerm.call(this, cmd));
      },
      commandUsage(this: Help, cmd) {
        return placeholders(Help.prototype.commandUsage.call(this, cmd));
      },
      optionDescription(this: Help, option) {
        return Help.prototype.optionDescription
          .call(this, option)
          .replace('(default: ', '(bawaan: ');
      },
      argumentDescription(this: Help, argument) {
        return Help.prototype.argumentDescription
          .call(this, argument)
          .replace('(default: ', '(bawaan: ');
      },
      formatHelp: (cmd, helper) => translate(Help.prototype.formatHelp.call(helper, cmd, helper)),
    })
    .configureOutput({ outputError: (text, write) => write(translate(text)) })
    .showHelpAfterError();

/**
 * The `netral` program, as main.ts runs it and the CLI's tests run it: in Bahasa Indonesia, errors thrown
 * for exitFor, and a command given more arguments than it takes refuses them (exit 2) instead of ignoring
 * the rest (`import asn a.csv b.csv` imported a.csv alone and said nothing of b.csv).
 */
export const netralProgram = (): Command =>
  inBahasa(new Command('netral')).allowExcessArguments(false).exitOverride();
