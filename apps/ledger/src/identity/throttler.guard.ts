import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { LOGIN_USERNAME_MAX_LENGTH } from './dto/identity.dto';

/** A request over a rate limit, with the seconds until the next is counted again (its Retry-After), so
 * the answer can tell a person how long to wait instead of naming a header. */
export class RateLimitedException extends ThrottlerException {
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

/** Rate limits per client address; on the login routes per address and username, so one office behind a
 * NAT does not lock out its colleagues while someone guessing one account is stopped. */
@Injectable()
export class NetralThrottlerGuard extends ThrottlerGuard {
  private readonly authLogger = new Logger('Auth');

  /** A login refused by a rate limit is logged like any other refused login: who and from where, never
   * the password. Other routes' 429s are not (they are counted in the metrics). */
  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    if (isLoginAttempt(context)) {
      const request = context.switchToHttp().getRequest<Request>();
      const body = request.body as { username?: unknown } | undefined;
      this.authLogger.warn(
        {
          username:
            typeof body?.username === 'string'
              ? body.username.slice(0, LOGIN_USERNAME_MAX_LENGTH)
              : undefined,
          ip: clientAddress(request as unknown as Record<string, unknown>),
          limit: detail.limit,
          retryAfterSeconds: detail.timeToBlockExpire,
        },
        'login refused: rate limited',
      );
    }
    return Promise.reject(new RateLimitedException(detail.timeToBlockExpire));
  }

  /** One count per client across every route (the library's default counts each route apart, which
   * would give the API login and the login page a limit each). */
  protected override generateKey(_context: ExecutionContext, suffix: string, name: string): string {
    return `${name}|${suffix}`;
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const ip = clientAddress(req);
    // A password attempt counts per address and username; the login page itself, like any page, per
    // address (it shared the bucket of attempts with no username, so a few empty submissions locked the
    // page out).
    if (request.method === 'POST' && isLoginPath(request)) {
      const body = request.body as { username?: unknown } | undefined;
      const username = typeof body?.username === 'string' ? body.username.toLowerCase() : '';
      return Promise.resolve(`${ip}|${username}`);
    }
    return Promise.resolve(ip);
  }
}

/** The address a client is counted by (behind the trusted loopback proxy: the forwarded one). */
export const clientAddress = (req: Record<string, unknown>): string =>
  (req as unknown as Request).ip ?? 'unknown';

const isLoginPath = (request: Request): boolean =>
  request.originalUrl.split('?')[0].toLowerCase().endsWith('/login');

/** A password submitted to the API or the login page. */
export const isLoginAttempt = (context: ExecutionContext): boolean => {
  const request = context.switchToHttp().getRequest<Request>();
  return request.method === 'POST' && isLoginPath(request);
};
