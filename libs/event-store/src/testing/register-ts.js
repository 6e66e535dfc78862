// Lets plain `node` (a child process or a worker thread) load the repository's TypeScript sources, as Jest
// does: `.ts` files compiled by swc with the repo's .swcrc (legacy decorators and their metadata, so the
// Nest service itself runs), `@netral/<lib>` resolved to `libs/<lib>/src` as tsconfig's paths say.
// Used where tests start code outside Jest's module system: `node -r ./register-ts.js crash-appender.ts …`,
// and the transparency log's builder thread when the service runs from its sources.
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const LIBS = join(__dirname, '..', '..', '..');
const swcrc = JSON.parse(readFileSync(join(LIBS, '..', '.swcrc'), 'utf8'));
delete swcrc.$schema;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@netral\/([a-z-]+)$/.exec(request);
  return resolve.call(this, lib ? join(LIBS, lib[1], 'src', 'index.ts') : request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    ...swcrc,
    filename,
    swcrc: false,
  });
  module._compile(code, filename);
};
