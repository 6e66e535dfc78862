import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import {
  type AuthenticatedRequest,
  RequestAuthenticator,
} from '../../identity/request-authenticator';
import { isApiRequest } from '../../identity/session';
import { OUTCOME_UNKNOWN } from '../api-exception.filter';
import { ANSWERED_BEFORE_ROUTING } from '../../metrics/answered-before-routing';
import {
  IdempotencyGate,
  IDEMPOTENCY_HEADER,
  idempotencyKeyOf,
  type IdempotentRequest,
  isUpload,
} from './idempotency.gate';

const isSuccess = (status: number): boolean => status >= 200 && status < 300;
/** How /metrics counts what this middleware answers itself (before any route matched). */
const METRICS_LABEL = 'idempotency';

/**
 * Idempotency-Key on every JSON write of the API, as middleware: a request without the header costs one
 * header lookup (an interceptor would put every request through Nest's interceptor chain). With a key, the
 * caller is authenticated here (once: the AuthGuard reuses it; an anonymous request goes on to be refused
 * there), the request claims the key, and its answer (status and JSON body) is kept when it succeeds or
 * the key released when it fails. Multipart uploads are left to the IdempotencyInterceptor on their route.
 */
@Injectable()
export class IdempotencyMiddleware implements NestMiddleware {
  constructor(
    private readonly gate: IdempotencyGate,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async use(
    req: AuthenticatedRequest & IdempotentRequest,
    res: Response,
    next: NextFunction,
  ): Promise<void> {
    if (
      req.method !== 'POST' ||
      req.headers[IDEMPOTENCY_HEADER] === undefined ||
      !isApiRequest(req) ||
      isUpload(req)
    ) {
      next();
      return;
    }
    try {
      await this.take(req, res, next);
    } catch (error) {
      res.locals[ANSWERED_BEFORE_ROUTING] = METRICS_LABEL; // a malformed, reused or running key
      throw error;
    }
  }

  private async take(
    req: AuthenticatedRequest & IdempotentRequest,
    res: Response,
    next: NextFunction,
  ): Promise<void> {
    const scope = (await this.authenticator.actorOf(req, res))?.userId;
    const key = scope === undefined ? undefined : idempotencyKeyOf(req);
    if (scope === undefined || key === undefined) {
      next();
      return;
    }
    const pass = await this.gate.enter(scope, key, this.gate.fingerprint(req));
    if (pass.replay) {
      const { status, body } = pass.replay;
      res.locals[ANSWERED_BEFORE_ROUTING] = METRICS_LABEL;
      // Rows kept before the status was stored replay a write's usual 201.
      res.status(status ?? 201).setHeader('Idempotent-Replayed', 'true');
      if (body === null) {
        res.end();
      } else {
        res.json(body);
      }
      return;
    }
    const settle = (body: unknown): void => {
      if (isSuccess(res.statusCode)) {
        pass.complete(res.statusCode, body);
      } else if ((body as { code?: unknown } | null)?.code === OUTCOME_UNKNOWN) {
        pass.abandon();
      } else {
        pass.release();
      }
    };
    // The answer is whatever reaches res.json: the route's result or the exception filter's error.
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      settle(body);
      return json(body);
    };
    // An answer without a JSON body (204) settles when it is sent (only the first settling counts); a
    // call whose client went away stays claimed until its handler answers, so a retry cannot run it twice.
    res.on('finish', () => settle(null));
    next();
  }
}
