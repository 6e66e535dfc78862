import { ConfigValidationError } from '@netral/config';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_CODES, exitFor } from './cli-error';

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
