/**
 * @netral/testing — builders and harnesses for tests only (never imported by apps or other libs at runtime).
 */
export { closedPort, createTestApp, tempDir, type TestApp } from './test-app';
export { createUser, csrfFrom, login, TEST_PASSWORD, type TestUser, webLogin } from './auth';
export {
  confirmedCase,
  ELECTION,
  expectStatus,
  findingReport,
  nipFor,
  post,
  postRaw,
  seedLedger,
  streamEvents,
} from './ledger';
export { runTool } from './tools';
