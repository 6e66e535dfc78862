import type { Command } from 'commander';
import { EXIT_CODES_HELP, exitFor, netralProgram } from './cli-error';
import { registerAuditCommands } from './commands/audit';
import { registerBackupCommands } from './commands/backup';
import { registerImportCommands } from './commands/import';
import { registerProjectionCommands } from './commands/projections';
import { registerUserCommands } from './commands/users';

/**
 * `netral`, the admin CLI: `npm run cli -- <command>`. Each command lives in ./commands and registers itself
 * on the program; they open the same event store and read models as the service.
 */
const program = netralProgram()
  .description(
    'CLI admin Netral: pengguna, impor registri, verifikasi audit, tampilan baca, cadangan',
  )
  .addHelpText('after', EXIT_CODES_HELP);

const registrations: ((program: Command) => void)[] = [
  registerUserCommands,
  registerImportCommands,
  registerAuditCommands,
  registerProjectionCommands,
  registerBackupCommands,
];

for (const register of registrations) {
  register(program);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  const { code, message } = exitFor(error);
  if (message !== undefined) {
    console.error(message);
  }
  process.exitCode = code;
});
