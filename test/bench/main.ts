import { type BenchSuite, printTable, writeResults } from './bench-kit';

/** `npm run bench -- <suite> [args]`: runs one suite (or all with no name), prints a table, writes JSON
 * under bench-results/. Ratios are always against a baseline measured in the same process. */
const suites: Record<string, () => Promise<BenchSuite>> = {
  'event-store': async () => (await import('./event-store.bench')).eventStoreBench,
  commands: async () => (await import('./commands.bench')).commandsBench,
  audit: async () => (await import('./audit.bench')).auditBench,
  projections: async () => (await import('./projections.bench')).projectionsBench,
  certificates: async () => (await import('./certificates.bench')).certificatesBench,
};

const main = async (): Promise<void> => {
  const [name, ...args] = process.argv.slice(2);
  const selected = name ? [name] : Object.keys(suites);
  for (const key of selected) {
    const load = suites[key];
    if (!load) {
      console.error(`Unknown bench suite "${key}". Available: ${Object.keys(suites).join(', ')}`);
      process.exitCode = 2;
      return;
    }
    const suite = await load();
    console.log(`\n== ${suite.name}: ${suite.description}`);
    const rows = await suite.run(args);
    printTable(suite.name, rows);
    console.log(`\nresults: ${writeResults(suite.name, rows)}`);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
