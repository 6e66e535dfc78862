import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { isApiRequest } from '../identity/session';

const UPLOAD_ROUTE = 'netral:uploadRoute';

/** Marks an API route that reads a multipart upload (and so takes its Idempotency-Key itself). */
export const UploadRoute = (): MethodDecorator => SetMetadata(UPLOAD_ROUTE, true);

/** A request that carries a body (HTTP/1.1: a length above 0, or chunked). */
const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * Global guard: the API's routes take JSON, its upload routes multipart, before anything runs.
 * - A body of another type is not parsed (a JSON text sent as text/plain would be read as empty, every
 *   field "wajib diisi") or is parsed as a web form would be: refused, 415, naming Content-Type.
 * - A multipart body outside the upload routes would run with an empty body, and the IdempotencyMiddleware,
 *   which leaves multipart requests to the upload routes' interceptor, would not have taken its key.
 * - A JSON array is not an object with fields.
 * The pages' forms (urlencoded, multipart) are not API routes and are left alone.
 */
@Injectable()
export class BodyTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!hasBody(req) || !isApiRequest(req)) {
      return true;
    }
    const upload = this.reflector.get<boolean | undefined>(UPLOAD_ROUTE, context.getHandler());
    if (upload === true) {
      return true; // the route says what is missing (FILE_REQUIRED) when no file came
    }
    if (req.is('multipart/form-data')) {
      throw new UnsupportedMediaTypeException({
        code: 'MULTIPART_NOT_ACCEPTED',
        message:
          'Rute ini tidak menerima unggahan berkas (multipart/form-data). Kirim isi permintaan sebagai JSON (Content-Type: application/json).',
      });
    }
    if (!req.is('application/json')) {
      throw new UnsupportedMediaTypeException({
        code: 'CONTENT_TYPE_NOT_JSON',
        message: `Content-Type ${req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'tidak ada'}: kirim isi permintaan sebagai JSON dengan Content-Type: application/json.`,
      });
    }
    if (Array.isArray(req.body)) {
      throw new BadRequestException({
        code: 'BODY_NOT_OBJECT',
        message:
          'Isi permintaan harus berupa objek JSON ({ … }) dengan kolom-kolomnya, bukan daftar ([ … ]).',
      });
    }
    return true;
  }
}
