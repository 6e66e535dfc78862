import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { from, type Observable, of, switchMap, tap } from 'rxjs';
import type { AuthenticatedRequest } from '../../identity/request-authenticator';
import { isOutcomeUnknown } from '../api-exception.filter';
import {
  IdempotencyGate,
  idempotencyKeyOf,
  type IdempotentRequest,
  isUpload,
} from './idempotency.gate';

/**
 * Idempotency-Key on the upload routes, applied after their file interceptor: the uploaded file is part of
 * the request, and it is parsed only inside the route (the IdempotencyMiddleware leaves multipart requests
 * here). A replay answers with the route's own status.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly gate: IdempotencyGate) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<IdempotentRequest & AuthenticatedRequest>();
    if (!isUpload(req)) {
      return next.handle(); // the IdempotencyMiddleware has taken it
    }
    const key = idempotencyKeyOf(req);
    const scope = req.user?.userId;
    if (key === undefined || scope === undefined) {
      return next.handle();
    }
    const hash = this.gate.fingerprint(req);
    return from(this.gate.enter(scope, key, hash)).pipe(
      switchMap((pass) => {
        const res = context.switchToHttp().getResponse<Response>();
        if (pass.replay) {
          res.setHeader('Idempotent-Replayed', 'true');
          return of(pass.replay.body);
        }
        return next.handle().pipe(
          tap({
            next: (body) => pass.complete(res.statusCode, body),
            error: (error: unknown) => (isOutcomeUnknown(error) ? pass.abandon() : pass.release()),
          }),
        );
      }),
    );
  }
}
