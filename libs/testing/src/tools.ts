import { spawnSync } from 'node:child_process';

/** Longer than any of these tools takes on one page here (well under a second), short of stalling a run. */
const TOOL_TIMEOUT_MS = 60_000;

/**
 * Runs an outside tool for a test (poppler's pdfsig, pdftotext and pdftoppm; zbarimg) and returns what it
 * printed. A synchronous child blocks the event loop, so Jest's own test timeout cannot fire while it runs:
 * the child is bounded here instead, and a tool that hangs, is missing or is killed fails the test with its
 * name and what happened rather than stalling the whole run. A non-zero exit fails too, with the tool's
 * stderr, unless `allowFailure` (pdfsig exits 0 on a digest mismatch and 1 on a damaged file: its output is
 * what the caller reads).
 */
export const runTool = (
  command: string,
  args: readonly string[],
  { allowFailure = false }: { allowFailure?: boolean } = {},
): string => {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: TOOL_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const call = `${command} ${args.join(' ')}`;
  if (result.error) {
    throw new Error(`${call}: ${result.error.message}`); // ENOENT (not installed) or ETIMEDOUT
  }
  if (result.signal) {
    throw new Error(`${call}: ended by ${result.signal}`);
  }
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${call}: exit ${result.status}\n${result.stderr}`);
  }
  return result.stdout;
};
