import { join } from 'node:path';

/** The repository's hook (libs/event-store/src/testing/register-ts.js) that lets plain `node`, a child
 * process or a worker thread, load the TypeScript sources as Jest does. Only used when running from them. */
export const TS_REGISTER = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'libs',
  'event-store',
  'src',
  'testing',
  'register-ts.js',
);
