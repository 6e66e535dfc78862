import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Hints the service logs at boot for whoever starts it, which say nothing (or the opposite: "create the first
 * administrator" while `users create-admin` is doing it) to someone running a CLI command.
 */
const SERVICE_ONLY_HINTS: { context: string; startsWith: string }[] = [
  { context: 'UserCommands', startsWith: 'No user exists yet' },
];

/**
 * The Nest logger of a CLI command: errors and warnings only, all on stderr (Nest writes warnings to stdout,
 * where they would land in the output a script reads or a report redirected to a file), colored only on a
 * terminal, without the service's boot hints.
 */
export class CliLogger extends ConsoleLogger {
  constructor() {
    super({ logLevels: ['error', 'warn'], colors: Boolean(process.stderr.isTTY) });
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    const hint = SERVICE_ONLY_HINTS.some(
      (h) =>
        h.context === context && typeof message === 'string' && message.startsWith(h.startsWith),
    );
    if (!hint) {
      super.warn(message, ...rest);
    }
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}
