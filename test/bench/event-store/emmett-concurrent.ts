import { openEmmett } from './contenders';
import { concurrent } from './measure';

/**
 * Child process of the event-store bench: emmett-sqlite under 64 concurrent appenders, isolated because at
 * its defaults it opens a connection per append, stalls on SQLITE_BUSY, throws from statements nobody
 * listens to and logs every failure. Reports `{rate, errors, stalled, busyLogs}` over IPC, then exits,
 * abandoning whatever is stuck.
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
  const result = await concurrent(openEmmett(dir), Number(ms), tag);
  process.send!({ ...result, errors: result.errors + uncaught, busyLogs }, () => process.exit(0));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
