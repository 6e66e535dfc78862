import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { isApiRequest } from '../../identity/session';
import { isUpload } from './idempotency.gate';

const UPLOAD_ROUTE = 'netral:uploadRoute';

/** Marks an API route that reads a multipart upload (and so takes its Idempotency-Key itself). */
export const UploadRoute = (): MethodDecorator => SetMetadata(UPLOAD_ROUTE, true);

/**
 * Global guard: a multipart body is accepted only by the API's upload routes. Elsewhere nothing parses it,
 * so such a request would run with an empty body, and the IdempotencyMiddleware, which leaves multipart
 * requests to the upload routes' interceptor, would not have taken its key: a retry would write twice.
 */
@Injectable()
export class UploadRouteGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (
      !req.headers['content-type']?.toLowerCase().startsWith('multipart/') ||
      !isUpload(req) ||
      !isApiRequest(req) ||
      this.reflector.get<boolean | undefined>(UPLOAD_ROUTE, context.getHandler())
    ) {
      return true;
    }
    throw new UnsupportedMediaTypeException({
      code: 'MULTIPART_NOT_ACCEPTED',
      message:
        'Rute ini tidak menerima unggahan berkas (multipart/form-data). Kirim isi permintaan sebagai JSON (Content-Type: application/json).',
    });
  }
}
