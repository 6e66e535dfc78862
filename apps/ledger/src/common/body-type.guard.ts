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
import { echoed } from './echo';

const UPLOAD_ROUTE = 'netral:uploadRoute';
const NO_BODY_ROUTE = 'netral:noBodyRoute';

/** Marks an API route that reads a multipart upload (and so takes its Idempotency-Key itself). */
export const UploadRoute = (): MethodDecorator => SetMetadata(UPLOAD_ROUTE, true);

/** Marks an API write that reads no body (it acts on its path alone): one sent is refused, not ignored. */
export const NoBodyRoute = (): MethodDecorator => SetMetadata(NO_BODY_ROUTE, true);

/** `identity` (or no header) is the only Content-Encoding multer reads: it does not inflate. */
const isEncoded = (req: Request): boolean => {
  const encoding = req.headers['content-encoding'];
  return (
    encoding !== undefined &&
    encoding
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .some((part) => part !== '' && part !== 'identity')
  );
};

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
 * - A route marked NoBodyRoute takes no body (`{}` aside): a caller's fields would be ignored silently.
 * - A multipart body, on the API or a page's form, sent compressed (Content-Encoding: gzip, deflate, br)
 *   would be read by multer as plain multipart, garbage: refused, 415, naming the header. JSON and
 *   urlencoded bodies are inflated by body-parser and are fine.
 * The pages' forms (urlencoded, multipart) are otherwise not API routes and are left alone.
 */
@Injectable()
export class BodyTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!hasBody(req)) {
      return true;
    }
    if (req.is('multipart/form-data') && isEncoded(req)) {
      throw new UnsupportedMediaTypeException({
        code: 'CONTENT_ENCODING_NOT_ACCEPTED',
        message: `Content-Encoding "${echoed(String(req.headers['content-encoding']))}" tidak diterima untuk unggahan berkas (multipart/form-data): kirim tanpa header Content-Encoding, berkasnya tidak dikompres.`,
        details: [
          {
            field: 'Content-Encoding',
            reason: 'unggahan berkas tidak boleh dikompres: hapus header ini',
            code: 'CONTENT_ENCODING_NOT_ACCEPTED',
          },
        ],
      });
    }
    if (!isApiRequest(req)) {
      return true;
    }
    if (this.reflector.get<boolean | undefined>(NO_BODY_ROUTE, context.getHandler()) === true) {
      refuseBody(req);
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
        message: `Content-Type ${req.headers['content-type'] ? `"${echoed(req.headers['content-type'])}"` : 'tidak ada'}: kirim isi permintaan sebagai JSON dengan Content-Type: application/json.`,
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

/** On a NoBodyRoute: nothing but `{}` in JSON; the fields sent are named (a body of another type, not
 * parsed, is named as a whole). */
const refuseBody = (req: Request): void => {
  const body: unknown = req.body;
  const object =
    req.is('application/json') && body !== null && typeof body === 'object' && !Array.isArray(body);
  const fields = object ? Object.keys(body) : ['body'];
  if (object && fields.length === 0) {
    return;
  }
  const named = fields.slice(0, 20).map(echoed);
  throw new BadRequestException({
    code: 'BODY_NOT_EXPECTED',
    message: object
      ? `Rute ini tidak menerima isi permintaan: kirim tanpa isi (atau {}). Kolom yang tidak diharapkan: ${named.join(', ')}${fields.length > named.length ? ', …' : ''}.`
      : 'Rute ini tidak menerima isi permintaan: kirim tanpa isi (atau {}).',
    details: named.map((field) => ({
      field,
      reason: 'rute ini tidak menerima isi permintaan: hapus kolom ini',
      code: 'BODY_NOT_EXPECTED',
    })),
  });
};
