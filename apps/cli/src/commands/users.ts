import { DomainError, ROLES, type Role } from '@netral/domain';
import type { Command } from 'commander';
import {
  createValidationPipe,
  InputValidationException,
} from '../../../ledger/src/common/validation';
import { CreateUserDto } from '../../../ledger/src/identity/dto/identity.dto';
import { systemActor, UserCommands } from '../../../ledger/src/identity/user.commands';
import { withLedger } from '../app-context';
import { CliError, EXIT_CODES } from '../cli-error';
import { readPassword as readSecret } from '../read-password';

/** A new password: from NETRAL_NEW_PASSWORD, piped stdin or the terminal (see readPassword). */
const readPassword = (prompt: string): Promise<string> =>
  readSecret(prompt, {
    envVar: 'NETRAL_NEW_PASSWORD',
    nothingDone: 'tidak ada yang dibuat atau diubah.',
  });

const explain = (error: unknown): never => {
  if (error instanceof DomainError) {
    const details = (error.details ?? []).map((d) => `\n  - ${d.field}: ${d.reason}`).join('');
    // A conflict is input the ledger refused (4), not a crash (3); anything else is unusable input (2).
    throw new CliError(
      `${error.message}${details}`,
      error.kind === 'CONFLICT' ? EXIT_CODES.rejected : EXIT_CODES.usage,
    );
  }
  throw error;
};

export const registerUserCommands = (program: Command): void => {
  const users = program
    .command('users')
    .description('pengguna: buat admin, buat pengguna, atur ulang kata sandi');

  users
    .command('create-admin')
    .description('membuat administrator (kata sandi ditanyakan, atau dari NETRAL_NEW_PASSWORD)')
    .option('--username <username>', 'nama pengguna', 'admin')
    .option('--display-name <name>', 'nama tampilan', 'Administrator')
    .option('--temporary', TEMPORARY_HELP)
    .action(async (options: { username: string; displayName: string; temporary?: true }) => {
      await createUser(options.username, options.displayName, 'ADMIN', {
        temporary: options.temporary === true,
      });
    });

  users
    .command('create <username>')
    .description('membuat pengguna dengan peran tertentu')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .requiredOption('--display-name <name>', 'nama tampilan')
    .option('--opd <opdId>', 'OPD (wajib untuk OPD_HEAD)')
    .option('--no-temporary', NOT_TEMPORARY_HELP)
    .action(
      async (
        username: string,
        options: { role: string; displayName: string; opd?: string; temporary: boolean },
      ) => {
        // Checked before the password is asked for: a slip in the options costs no typing.
        if (!ROLES.includes(options.role as Role)) {
          throw new CliError(
            `--role harus salah satu dari ${ROLES.join(', ')}, bukan "${options.role}".`,
            EXIT_CODES.usage,
          );
        }
        if (options.role === 'OPD_HEAD' && !options.opd) {
          throw new CliError(
            'Peran OPD_HEAD wajib menyebut OPD-nya: tambahkan --opd <opdId> (ID OPD di registri).',
            EXIT_CODES.usage,
          );
        }
        await createUser(username, options.displayName, options.role as Role, {
          ...(options.opd === undefined ? {} : { opdId: options.opd }),
          temporary: options.temporary,
        });
      },
    );

  users
    .command('set-password <username>')
    .description('mengatur ulang kata sandi pengguna aktif')
    .option('--no-temporary', NOT_TEMPORARY_HELP)
    .action(async (username: string, options: { temporary: boolean }) => {
      const password = await readPassword(`Kata sandi baru untuk ${username}: `);
      await withLedger(async (app) => {
        await app
          .get(UserCommands)
          .setPassword(username, password, undefined, options.temporary)
          .catch(explain);
      });
      console.log(`Kata sandi ${username} telah diganti.${temporaryNote(options.temporary)}`);
    });
};

/** The options as the CLI names them, for the fields of CreateUserDto. */
const OPTION_OF_FIELD: Record<string, string> = {
  username: 'nama pengguna',
  displayName: '--display-name',
  role: '--role',
  opdId: '--opd',
};

/** The checks `POST /api/v1/users` makes of the same fields (its DTO through the API's pipe: a name with
 * letters, no control characters, lengths, the OPD id's form), before the password is asked for. */
const checkUserFields = async (fields: Omit<CreateUserDto, 'password'>): Promise<void> => {
  try {
    await createValidationPipe().transform(fields, { type: 'body', metatype: CreateUserDto });
  } catch (error) {
    if (!(error instanceof InputValidationException)) {
      throw error;
    }
    const problems = error.problems.filter((problem) => problem.field !== 'password');
    if (problems.length > 0) {
      throw new CliError(
        `Isian tidak valid; tidak ada yang dibuat:${problems
          .map((p) => `\n  - ${OPTION_OF_FIELD[p.field] ?? p.field}: ${p.reason}`)
          .join('')}`,
        EXIT_CODES.usage,
      );
    }
  }
};

const TEMPORARY_HELP =
  'kata sandi sementara: pengguna wajib menggantinya saat pertama masuk (bawaan: tidak, untuk admin sendiri)';
const NOT_TEMPORARY_HELP =
  'kata sandi tetap, bukan sementara (bawaan: sementara, pengguna wajib menggantinya saat masuk)';

const temporaryNote = (temporary: boolean): string =>
  temporary ? ' Kata sandi itu sementara: pengguna wajib menggantinya saat masuk.' : '';

const createUser = async (
  typedUsername: string,
  typedDisplayName: string,
  role: Role,
  options: { opdId?: string; temporary: boolean },
): Promise<void> => {
  // Without the spaces around them, as the API stores them (its pipe trims what it checks).
  const username = typedUsername.trim();
  const displayName = typedDisplayName.trim();
  const opdId = options.opdId?.trim();
  await checkUserFields({ username, displayName, role, ...(opdId ? { opdId } : {}) });
  const password = await readPassword(`Kata sandi untuk ${username} (minimal 10 karakter): `);
  await withLedger(async (app) => {
    const result = await app
      .get(UserCommands)
      .register(
        { username, displayName, password, role, ...(opdId ? { opdId } : {}) },
        systemActor(),
        { temporary: options.temporary },
      )
      .catch(explain);
    console.log(
      `Pengguna ${result.userId} (${role}) dibuat pada posisi ${result.position}.` +
        temporaryNote(options.temporary),
    );
  });
};
