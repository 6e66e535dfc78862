import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file whether it runs from `apps/` (ts) or `dist/apps/` (js), so
 * views, fonts and static assets are served from their sources without a copy step. */
export const repoRoot = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`package.json not found above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
})();

export const ledgerSrc = join(repoRoot, 'apps', 'ledger', 'src');
