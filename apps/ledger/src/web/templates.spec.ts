import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIEW_HELPERS } from '../configure-app';
import { ledgerSrc } from '../common/paths';

const templates = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? templates(join(dir, entry.name))
      : entry.name.endsWith('.hbs')
        ? [join(dir, entry.name)]
        : [],
  );

describe('page templates', () => {
  const files = templates(join(ledgerSrc, 'web', 'views'));

  it('are found', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  // `{{statusLabel}}` meant a row's field and rendered "[object Object]": a helper of the same name wins
  // and is called with no argument. A helper is only ever called with its arguments.
  it.each(Object.keys(VIEW_HELPERS))(
    'never use the helper %s bare, as if it were a field',
    (name) => {
      const bare = new RegExp(`\\{\\{\\{?~?\\s*${name}\\s*~?\\}?\\}\\}`);
      const offending = files.filter((file) => bare.test(readFileSync(file, 'utf8')));
      expect(offending.map((file) => file.slice(ledgerSrc.length + 1))).toEqual([]);
    },
  );
});
