import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError, EXIT_CODES } from './cli-error';

/**
 * Reads a password without echoing it; from the environment variable `envVar` or piped stdin when not a
 * terminal. Input that ends before a line (an empty pipe, `< /dev/null`, Ctrl-D) is unusable input
 * (exit 2), never a silent exit 0 that a script would take for work done; `nothingDone` says what was not.
 */
export const readPassword = async (
  prompt: string,
  { envVar, nothingDone }: { envVar: string; nothingDone: string },
): Promise<string> => {
  const given = process.env[envVar];
  if (given) {
    return given;
  }
  // The prompt goes straight to stderr; what readline echoes of the typing goes nowhere.
  const output = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
  process.stderr.write(prompt);
  try {
    // 'line', not rl.question: a piped password without a final newline still arrives as a line.
    return await new Promise<string>((resolve, reject) => {
      let answered = false;
      rl.once('line', (answer) => {
        answered = true;
        process.stderr.write('\n');
        resolve(answer);
      });
      rl.once('SIGINT', () => {
        answered = true;
        process.stderr.write('\n');
        reject(new CliError(`Dibatalkan (Ctrl-C): ${nothingDone}`, EXIT_CODES.interrupted));
      });
      rl.once('close', () => {
        if (answered) {
          return;
        }
        process.stderr.write('\n');
        reject(
          new CliError(
            `Tidak ada kata sandi: masukan berakhir tanpa satu baris pun; ${nothingDone} ` +
              `Ketik kata sandinya, kirim lewat pipa (satu baris), atau isi ${envVar}.`,
            EXIT_CODES.usage,
          ),
        );
      });
    });
  } finally {
    rl.close();
  }
};
