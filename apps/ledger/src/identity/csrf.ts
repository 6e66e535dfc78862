import { ForbiddenException, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { NextFunction, Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { jwtSecret } from './auth.service';
import { BROWSER_COOKIE, isApiRequest, secureCookies } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CSRF_MESSAGE = 'Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi.';

/**
 * CSRF protection for every HTML form (double-submit cookie, HMAC-bound to a per-browser id, csrf-csrf).
 * Forms carry the token in a hidden `_csrf` field; multipart forms put it in the action URL (`?_csrf=`)
 * because their body is parsed after this check. The JSON API is exempt: it authenticates by bearer token
 * only, which a cross-site form cannot send.
 */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  private readonly csrf: DoubleCsrfUtilities;
  private readonly secure: boolean;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const secret = `${jwtSecret(config)}:csrf`;
    this.secure = secureCookies(config.publicBaseUrl);
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => (req.cookies as Record<string, string>)[BROWSER_COOKIE] ?? '',
      cookieName: this.secure ? '__Host-netral.csrf' : 'netral_csrf',
      cookieOptions: { sameSite: 'strict', secure: this.secure, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const body = req.body as Record<string, unknown> | undefined;
        const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
        const fromQuery = typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
        return fromBody ?? fromQuery ?? req.headers['x-csrf-token'];
      },
      skipCsrfProtection: (req) => isApiRequest(req),
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (isApiRequest(req)) {
      next();
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      this.ensureBrowserId(req, res);
      if (!this.csrf.validateRequest(req)) {
        // Thrown, not passed to next(): Nest's exception filters then answer (a page, or JSON).
        throw new ForbiddenException({ code: 'CSRF_INVALID', message: CSRF_MESSAGE });
      }
    }
    // Every page can render forms: the views get a token, made when a page first reads it (a health
    // check, an asset or a redirect needs neither the HMAC nor the cookies).
    let token: string | undefined;
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      configurable: true,
      get: () => {
        if (token === undefined) {
          this.ensureBrowserId(req, res);
          token = this.csrf.generateCsrfToken(req, res);
        }
        return token;
      },
    });
    next();
  }

  /** The random per-browser id tokens are bound to, set on the first page a browser gets. */
  private ensureBrowserId(req: Request, res: Response): void {
    const cookies = req.cookies as Record<string, string | undefined>;
    if (!cookies[BROWSER_COOKIE]) {
      const id = randomBytes(18).toString('base64url');
      cookies[BROWSER_COOKIE] = id;
      res.cookie(BROWSER_COOKIE, id, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.secure,
        path: '/',
      });
    }
  }
}
