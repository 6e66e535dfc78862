import {
  type CallHandler,
  ConflictException,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import canonicalize from 'canonicalize';
import type { Request, Response } from 'express';
import type { Hmac } from 'node:crypto';
import { from, type Observable, of, switchMap, tap } from 'rxjs';
import { InputValidationException } from '../validation';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;
/** Requests one pass has already taken charge of: an upload route runs the interceptor twice (globally and
 * after its file interceptor), and a request that is not multipart is claimed by the first pass only. */
const taken = new WeakSet<Request>();

type UploadRequest = Request & {
  file?: { buffer?: Buffer; originalname?: string };
  user?: { userId?: string };
};

/** The path of the first number JSON cannot carry (`1e999` parses to Infinity), if any. */
const nonFiniteNumber = (value: unknown, path: string): string | undefined => {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : path;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = nonFiniteNumber(inner, path ? `${path}.${key}` : key);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
};

const requestHash = (req: UploadRequest, hash: Hmac): string => {
  const field = nonFiniteNumber(req.body, '');
  if (field !== undefined) {
    // canonicalize (RFC 8785) refuses such numbers: answer what a user can fix, never a 500.
    throw new InputValidationException([
      { field: field || 'body', code: 'isFinite', reason: 'angka terlalu besar atau tidak valid' },
    ]);
  }
  // The query is part of the request: `?dryRun=true` and a real import are different requests.
  hash.update(`${req.method} ${req.originalUrl}\n`);
  hash.update(canonicalize(req.body ?? null) ?? 'null');
  if (req.file?.buffer) {
    hash.update('\nfile:');
    hash.update(req.file.buffer);
  }
  return hash.digest('hex');
};

/**
 * Idempotency-Key on writes: the same key with the same request returns the first response and writes
 * nothing; the same key with another request is a 409. Keys are scoped to the signed-in user. Applied
 * globally to POSTs; multipart routes apply it again after their file interceptor (the file is part of the
 * request hash), and the global pass leaves multipart requests to them. Whichever pass takes a request, the
 * other lets it through.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  /** Requests running in this process, so a concurrent duplicate waits for the first and replays it. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const req = context.switchToHttp().getRequest<UploadRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.headers[IDEMPOTENCY_HEADER];
    const userId = req.user?.userId;
    if (req.method !== 'POST' || key === undefined || userId === undefined || taken.has(req)) {
      return next.handle();
    }
    if (req.is('multipart/form-data') && !req.file) {
      return next.handle(); // the route-level pass sees the uploaded file
    }
    taken.add(req);
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new InputValidationException([
        {
          field: 'Idempotency-Key',
          code: 'idempotencyKeyFormat',
          reason: 'harus 1–200 karakter ASCII yang tampak, tanpa spasi (misalnya sebuah UUID)',
        },
      ]);
    }
    return from(this.run(userId, key, requestHash(req, this.store.fingerprint()), res, next)).pipe(
      switchMap((o) => o),
    );
  }

  private async run(
    scope: string,
    key: string,
    hash: string,
    res: Response,
    next: CallHandler,
  ): Promise<Observable<unknown>> {
    const mapKey = `${scope}\u0000${key}`;
    for (;;) {
      const existing = this.store.claim(scope, key, hash, Date.now());
      if (existing === null) {
        break;
      }
      if (existing.requestHash !== hash) {
        throw new ConflictException({
          code: 'IDEMPOTENCY_KEY_REUSED',
          message:
            'Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru untuk data yang berbeda.',
        });
      }
      if (existing.state === 'completed') {
        res.setHeader('Idempotent-Replayed', 'true');
        return of(JSON.parse(existing.response) as unknown);
      }
      const running = this.inFlight.get(mapKey);
      if (!running) {
        throw new ConflictException({
          code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
          message:
            'Permintaan dengan Idempotency-Key ini belum selesai atau terputus. Periksa apakah data sudah tersimpan sebelum mengirim ulang dengan kunci baru.',
        });
      }
      await running;
    }
    let settle!: () => void;
    this.inFlight.set(mapKey, new Promise<void>((resolve) => (settle = resolve)));
    const done = (): void => {
      this.inFlight.delete(mapKey);
      settle();
    };
    return next.handle().pipe(
      tap({
        next: (body) => {
          this.store.complete(scope, key, JSON.stringify(body ?? null));
          done();
        },
        error: () => {
          this.store.release(scope, key);
          done();
        },
      }),
    );
  }
}
