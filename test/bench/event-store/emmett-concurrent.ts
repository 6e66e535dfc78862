import { openEmmett } from './contenders';
import { concurrent, type ConcurrentResult } from './measure';

/**
 * Child process of the event-store bench: emmett-sqlite under 64 concurrent appenders, isolated because at
 * its defaults it opens a connection per append, stalls on SQLITE_BUSY, throws from statements nobody
 * listens to and logs every failure. Reports `{ phase, result: {rate, errors, stalled, busyLogs} }` over
 * IPC twice: when the measured window ends (`window`), and after the bounded wait for stalled appends
 * (`settled`), then exits, abandoning whatever is stuck. Its stuck statements can block this process's
 * thread for seconds at a time, so the parent may have to kill it before `settled`: `window` is what it
 * then reports.
 */
const main = async (): Promise<void> => {
  const [dir, ms, tag] = process.argv.slice(2);
  let busyLogs = 0;
  let uncaught = 0;
  console.log = () => {
    busyLogs++;
  };
  process.on('uncaughtException', () => {
    uncaught++;
  });
  const report = (phase: 'window' | 'settled', result: ConcurrentResult, sent = () => {}) =>
    process.send!(
      { phase, result: { ...result, errors: result.errors + uncaught, busyLogs } },
      sent,
    );
  const result = await concurrent(openEmmett(dir), Number(ms), tag, (early) =>
    report('window', early),
  );
  report('settled', result, () => process.exit(0));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
