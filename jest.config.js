/** Jest projects: unit (*.spec.ts beside the code), int (*.int-spec.ts, real SQLite files), e2e (the whole
 * app over HTTP), browser (Chromium via playwright-core). All run TypeScript through @swc/jest with the
 * repo's .swcrc (legacy decorators + metadata, as Nest needs). */
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;

const libs = [
  'domain',
  'event-store',
  'projections',
  'transparency-log',
  'certificates',
  'config',
  'testing',
];
const moduleNameMapper = Object.fromEntries(
  libs.map((lib) => [`^@netral/${lib}$`, `<rootDir>/libs/${lib}/src`]),
);

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  setupFiles: ['<rootDir>/libs/testing/src/jest-setup.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/test/int/**/*.int-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/e2e/e2e-timeout.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      // Whole journeys in a real browser: a journey-sized timeout for every test and hook (testTimeout is
      // a global option in Jest, so it is set per project here).
      setupFilesAfterEnv: ['<rootDir>/test/browser/browser-timeout.ts'],
    },
  ],
};
