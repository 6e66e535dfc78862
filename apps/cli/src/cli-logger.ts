import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Hints the service logs at boot for whoever starts it, which say nothing (or the opposite: "create the first
 * administrator" while `users create-admin` is doing it) to someone running a CLI command.
 */
const SERVICE_ONLY_HINTS: { context: string; startsWith: string }[] = [
  { context: 'UserCommands', startsWith: 'No user exists yet' },
];

/** How each of the command's followers (read models, the transparency log in its thread, the user
 * directory…) says its EventStoreDB subscription dropped and is retried, under its own context: a line per
 * follower and retry, dozens while a command waits for a server that is down. */
const SUBSCRIPTION_DROPPED = 'EventStoreDB subscription dropped';

/**
 * The Nest logger of a CLI command: errors and warnings only, all on stderr (Nest writes warnings to stdout,
 * where they would land in the output a script reads or a report redirected to a file), colored only on a
 * terminal, without the service's boot hints. Of the subscription drops, the first is said once, in words
 * for whoever runs the command (what happens next); the command's own message tells how the wait ended.
 */
export class CliLogger extends ConsoleLogger {
  private toldOfDrop = false;

  constructor() {
    super({ logLevels: ['error', 'warn'], colors: Boolean(process.stderr.isTTY) });
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    const hint = SERVICE_ONLY_HINTS.some(
      (h) =>
        h.context === context && typeof message === 'string' && message.startsWith(h.startsWith),
    );
    if (hint) {
      return;
    }
    if (typeof message === 'string' && message.startsWith(SUBSCRIPTION_DROPPED)) {
      if (!this.toldOfDrop) {
        this.toldOfDrop = true;
        super.warn(`EventStoreDB tidak menjawab; mencoba lagi… (${message})`, ...rest);
      }
      return;
    }
    super.warn(message, ...rest);
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
