import type { Request, Response } from 'express';

/** The web session: an httpOnly, SameSite=Lax cookie holding a signed token (the API uses bearer tokens
 * only, so cookies never authenticate an API call and CSRF cannot reach the API). */
export const SESSION_COOKIE = 'netral_session';
/** A random, pre-login identifier the CSRF tokens are bound to (so the login form is protected too). */
export const BROWSER_COOKIE = 'netral_browser';
/** Web sessions last a working day, renewed while in use. */
export const SESSION_TTL_SECONDS = 8 * 3600;

// originalUrl, not path: inside mounted middleware `path` is relative to the mount point. Routing is case
// sensitive (configureApp), but a check that decides how a caller authenticates must not depend on it.
export const isApiRequest = (req: Request): boolean => /^\/api\//i.test(req.originalUrl);

export const secureCookies = (publicBaseUrl: string): boolean =>
  publicBaseUrl.startsWith('https://');

export const setSessionCookie = (res: Response, token: string, secure: boolean): void => {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_TTL_SECONDS * 1000,
  });
};

export const clearSessionCookie = (res: Response): void => {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
};

export const bearerToken = (req: Request): string | undefined => {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
};
