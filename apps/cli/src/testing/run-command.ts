import { type Command, CommanderError } from 'commander';
import { CliError, exitFor, netralProgram } from '../cli-error';

export interface CommandRun {
  /** The exit code the CLI would end with (main.ts's exitFor): 0, or the one the command's error maps to. */
  code: number;
  /** What it printed (console.log and console.error, in order), and its error's message last. */
  output: string;
}

/** The run in progress: console, stderr and the environment are the process's, so runs take turns. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * For the CLI's tests: runs `netral <args…>` in this process with the commands `register` adds, capturing
 * what it prints (the progress bars on stderr are silenced), with `env` set for the run only. Commander's
 * own usage errors are in the output by their message (untranslated: the translation is what it prints).
 *
 * Runs started together (a table of cases, each a pending run) take turns: overlapping, the second would
 * save the first one's silenced stderr as "the original" and put it back last, silencing Jest's own report
 * (its PASS and FAIL lines) for every suite after, in the same process.
 */
export const runCommand =
  (register: (program: Command) => void, env: Record<string, string> = {}) =>
  (...args: string[]): Promise<CommandRun> => {
    const run = previous.then(() => runAlone(register, env, args));
    previous = run.catch(() => undefined);
    return run;
  };

const runAlone = async (
  register: (program: Command) => void,
  env: Record<string, string>,
  args: string[],
): Promise<CommandRun> => {
  const program = netralProgram(); // as main.ts sets it up: same argument checks, same words
  register(program);
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => void lines.push(parts.join(' '));
  const saved = {
    log: console.log,
    error: console.error,
    write: process.stderr.write.bind(process.stderr),
  };
  const savedEnv = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  console.log = capture;
  console.error = capture;
  process.stderr.write = () => true;
  Object.assign(process.env, env);
  try {
    await program.parseAsync(['node', 'netral', ...args]);
    return { code: 0, output: lines.join('\n') };
  } catch (error) {
    if (error instanceof CliError || error instanceof CommanderError) {
      return { code: exitFor(error).code, output: [...lines, error.message].join('\n') };
    }
    throw error;
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    process.stderr.write = saved.write;
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
};
