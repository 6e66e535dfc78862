// A projection runner in its own process, for the crash test: it catches up on the store and is killed
// with SIGKILL at a random moment. `node -r register-ts.js runner-child.ts <events.sqlite> <readmodels.sqlite>`
import { SqliteEventStore } from '../../../event-store/src/sqlite-event-store';
import { ledgerProjection } from '../read-models/ledger.projection';
import { ProjectionRunner } from '../runner';

const [eventsFile, readModelsFile] = process.argv.slice(2);
const store = new SqliteEventStore({ file: eventsFile, synchronous: 'NORMAL' });
const runner = new ProjectionRunner(store, readModelsFile, [ledgerProjection], { batchSize: 200 });
process.stdout.write('started\n');
void runner.start().then(() => {
  process.stdout.write('caught-up\n');
  process.exit(0);
});
