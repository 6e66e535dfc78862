import { ConfigValidationError } from '@netral/config';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error';
import { registerAuditCommands } from './commands/audit';
import { registerImportCommands } from './commands/import';
import { registerProjectionCommands } from './commands/projections';
import { registerUserCommands } from './commands/users';

/**
 * `netral`, the admin CLI: `npm run cli -- <command>`. Each command lives in ./commands and registers itself
 * on the program; they open the same event store and read models as the service.
 */
const program = new Command('netral')
  .description('Netral admin CLI: import, rebuild, export, verify, users')
  .showHelpAfterError()
  .exitOverride();

const registrations: ((program: Command) => void)[] = [
  registerUserCommands,
  registerImportCommands,
  registerAuditCommands,
  registerProjectionCommands,
];

for (const register of registrations) {
  register(program);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
    return;
  }
  if (error instanceof CliError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
    return;
  }
  if (error instanceof ConfigValidationError) {
    console.error(error.message);
    process.exitCode = 78;
    return;
  }
  // Not a verdict: a crash must never read as "verification failed" (1) in an auditor's script.
  console.error(error);
  process.exitCode = 3;
});
