import { VersioningType } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import hbs from 'hbs';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tanggal } from '@netral/domain';
import { AppConfig } from '@netral/config';
import { keepParserErrors, refuseDeepJson, refuseNonUtf8 } from './common/api-exception.filter';
import { ledgerSrc } from './common/paths';
import { buildOpenApiDocument } from './openapi';
import { FORM_ASYNC_VIEW_HELPERS, FORM_VIEW_HELPERS } from './portal/form';
import { ROLE_LABELS, statusLabel } from './web/labels';

const DOCS_ALIASES = new Set(['/docs/', '/docs/index.html']);

let helpersRegistered = false;
/** Formatters for instants shown on pages, in the service's time zone (NETRAL_TIMEZONE); built once per
 * configureApp, not per value rendered. */
const instantFormatters = (timeZone: string) => ({
  dateTime: new Intl.DateTimeFormat('id-ID', { timeZone, dateStyle: 'medium', timeStyle: 'short' }),
  zone: new Intl.DateTimeFormat('id-ID', { timeZone, timeZoneName: 'short' }),
});
let viewTime = instantFormatters('UTC');

/** A calendar day (`YYYY-MM-DD`, no time zone) as officials read it, as the certificates write it:
 * "14 Februari 2029"; anything else as it is. */
const formatDay = (value: unknown): string =>
  typeof value !== 'string' ? '' : /^\d{4}-\d{2}-\d{2}$/.test(value) ? tanggal(value) : value;

/** An ISO instant as officials read it: "23 Nov 2026, 12.10 WITA" in the service's time zone; a calendar
 * day (a pledge signed on a day, not at a time) as formatDay writes it. */
const formatInstant = (value: unknown): string => {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !/T/.test(value as string)) {
    return formatDay(value);
  }
  const zone = viewTime.zone.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value;
  return `${viewTime.dateTime.format(date)}${zone ? ` ${zone}` : ''}`;
};

/** The helpers the templates call, by name. A helper shadows a view field of the same name (`{{name}}`
 * calls the helper with no argument), so templates never use one bare: web/templates.spec.ts checks. */
export const VIEW_HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  roleLabel: (role: unknown) => ROLE_LABELS[String(role)] ?? String(role),
  eq: (a: unknown, b: unknown) => a === b,
  statusLabel,
  waktu: formatInstant,
  tanggal: formatDay,
  // Block helpers receive Handlebars' options object last: drop it.
  // Like `||`: the first truthy argument (so `(or id name)` picks a value), else false.
  or: (...args: unknown[]) => args.slice(0, -1).find(Boolean) ?? false,
  concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
  urlencode: (value: unknown) => encodeURIComponent(typeof value === 'string' ? value : ''),
  ...FORM_VIEW_HELPERS,
};

/** Partials (views/partials) and the few helpers the templates need; hbs is a process-wide singleton. */
const registerViewHelpers = (): void => {
  if (helpersRegistered) {
    return;
  }
  helpersRegistered = true;
  // Synchronously, so the first request already has them (hbs.registerPartials reads asynchronously).
  const partials = join(ledgerSrc, 'web', 'views', 'partials');
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    hbs.registerPartial(file.slice(0, -4), readFileSync(join(partials, file), 'utf8'));
  }
  for (const [name, helper] of Object.entries(VIEW_HELPERS)) {
    hbs.registerHelper(name, helper);
  }
  for (const [name, helper] of Object.entries(FORM_ASYNC_VIEW_HELPERS)) {
    hbs.registerAsyncHelper(name, helper);
  }
};

/** Everything about the HTTP stack that is not a provider. main.ts and the e2e tests both call it, so the
 * tests exercise exactly what production runs. */
export const configureApp = (app: NestExpressApplication): NestExpressApplication => {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  // `/API/v1/…` is not `/api/v1/…`: one spelling per route, so no check keyed on a path can be sidestepped
  // by changing its case. The router already exists (the adapter installs middleware when created); its
  // routes are added later, at init, and take this flag.
  app.set('case sensitive routing', true);
  (
    app.getHttpAdapter().getInstance() as unknown as { router: { caseSensitive: boolean } }
  ).router.caseSensitive = true;
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        // Every asset is served by the service itself (offices may have no internet): no https: sources
        // for styles or fonts as helmet's defaults allow; inline style attributes stay (the coverage
        // bar's width), inline scripts do not.
        directives: {
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'", 'data:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.use(cookieParser());
  app.useBodyParser('json', { limit: '2mb', verify: refuseDeepJson });
  app.useBodyParser('urlencoded', { extended: true, limit: '2mb', verify: refuseNonUtf8 });
  app.use(keepParserErrors);
  // JSON API under /api/v1; HTML pages (version-neutral controllers) stay at the root.
  app.enableVersioning({ type: VersioningType.URI, prefix: 'api/v' });
  app.setBaseViewsDir(join(ledgerSrc, 'web', 'views'));
  app.setViewEngine('hbs');
  registerViewHelpers();
  viewTime = instantFormatters(app.get(AppConfig).timeZone);
  app.useStaticAssets(join(ledgerSrc, 'web', 'public'), { prefix: '/assets/', maxAge: '1h' });

  // Swagger UI's page loads its assets relative to its own address, and only `/docs` itself resolves them
  // (from `/docs/index.html`, or `/docs/` with a query, `./docs/swagger-ui.css` is `/docs/docs/…`, a 404):
  // one address for the page, the others redirect to it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && DOCS_ALIASES.has(req.path)) {
      const query = req.originalUrl.indexOf('?');
      res.redirect(301, `/docs${query === -1 ? '' : req.originalUrl.slice(query)}`);
      return;
    }
    next();
  });
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  return app;
};
