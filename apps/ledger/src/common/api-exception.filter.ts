import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainError } from '@netral/domain';
import {
  EventStoreArgumentError,
  EventStoreClosedError,
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@netral/event-store';
import type { Request, Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { isApiRequest } from '../identity/session';
import { setFlash } from '../portal/flash';
import { RateLimitedException } from '../identity/throttler.guard';
import { echoed } from './echo';
import { withoutCsrfToken } from './logged-url';

/** A 503 that is a moment to wait, not a fault (a builder still catching up): answered with Retry-After
 * and logged as a warning, without a stack trace. */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    body: { code: string; message: string },
    readonly retryAfterSeconds: number,
  ) {
    super(body);
  }
}

/** The event store out of reach (EventStoreDB down, no leader, no answer in time) or closing with the
 * service: the request is not at fault, and the caller should wait a moment. */
export const isStoreUnavailable = (
  exception: unknown,
): exception is EventStoreUnavailableError | EventStoreClosedError =>
  exception instanceof EventStoreUnavailableError || exception instanceof EventStoreClosedError;
const STORE_RETRY_AFTER_SECONDS = 5;
/** The store did not answer an append that may have reached it: the request's Idempotency-Key is kept
 * claimed, so a retry with it is settled from the ledger (IdempotencyGate) rather than run twice. */
export const OUTCOME_UNKNOWN = 'EVENT_STORE_OUTCOME_UNKNOWN';
export const isOutcomeUnknown = (exception: unknown): boolean =>
  exception instanceof EventStoreUnavailableError && exception.outcomeUnknown;

/** The seconds to wait that a refusal names: a RetryLaterException's, the store's, or a 429's own
 * (LOGIN_LOCKED). */
const retryAfterOf = (exception: unknown): number | undefined => {
  if (exception instanceof RetryLaterException) {
    return exception.retryAfterSeconds;
  }
  if (isStoreUnavailable(exception)) {
    return STORE_RETRY_AFTER_SECONDS;
  }
  if (exception instanceof HttpException && exception.getStatus() === 429) {
    const seconds = (exception.getResponse() as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return typeof seconds === 'number' && seconds > 0 ? seconds : undefined;
  }
  return undefined;
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: { field: string; reason: string; code?: string }[];
  correlationId?: string;
}

export const STATUS_OF_KIND = {
  INVALID: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
} as const;
const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Maps any thrown value to the contract's error body. Domain codes keep their code; unknown errors are
 * logged with the correlation id and answered without internals. */
export const toErrorBody = (exception: unknown, correlationId?: string): ErrorBody => {
  if (exception instanceof DomainError) {
    const statusCode = STATUS_OF_KIND[exception.kind];
    return {
      statusCode,
      error: REASON[statusCode],
      code: exception.code,
      message: exception.message,
      ...(exception.details ? { details: exception.details } : {}),
    };
  }
  if (exception instanceof WrongExpectedVersionError) {
    return {
      statusCode: 409,
      error: REASON[409],
      code: 'CONCURRENT_MODIFICATION',
      message: 'Data ini baru saja diubah oleh pengguna lain. Muat ulang lalu coba lagi.',
    };
  }
  if (isStoreUnavailable(exception)) {
    const unknown = isOutcomeUnknown(exception);
    return {
      statusCode: 503,
      error: REASON[503],
      code: unknown ? OUTCOME_UNKNOWN : 'EVENT_STORE_UNAVAILABLE',
      message: unknown
        ? 'Penyimpanan data tidak menjawab tepat waktu, jadi belum pasti apakah permintaan ini sudah tercatat. ' +
          `Tunggu ${STORE_RETRY_AFTER_SECONDS} detik, periksa apakah datanya sudah ada, lalu kirim ulang bila belum.`
        : `Penyimpanan data sedang tidak dapat dihubungi; permintaan ini tidak tercatat. Coba lagi dalam ${STORE_RETRY_AFTER_SECONDS} detik.`,
    };
  }
  if (exception instanceof EventStoreArgumentError) {
    // A value the store refuses (a position that is not one of its own, an append too large).
    return {
      statusCode: 400,
      error: REASON[400],
      code: 'INVALID_ARGUMENT',
      message: `Nilai ${exception.argument} tidak dapat dipakai: ${exception.reason}`,
      details: [{ field: exception.argument, reason: exception.reason, code: 'INVALID_ARGUMENT' }],
    };
  }
  if (exception instanceof StreamNotFoundError) {
    return {
      statusCode: 404,
      error: REASON[404],
      code: 'NOT_FOUND',
      message: 'Data tidak ditemukan.',
    };
  }
  if (exception instanceof ThrottlerException) {
    return {
      statusCode: 429,
      error: REASON[429],
      code: 'RATE_LIMITED',
      message: `Terlalu banyak permintaan dari alamat ini dalam semenit terakhir. Tunggu ${
        exception instanceof RateLimitedException && exception.retryAfterSeconds > 0
          ? `${exception.retryAfterSeconds} detik`
          : 'sebentar'
      } lalu coba lagi.`,
    };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const body = (
      typeof response === 'string' ? { message: response } : response
    ) as Partial<ErrorBody> & {
      message?: string | string[];
    };
    const message = Array.isArray(body.message)
      ? body.message.join('; ')
      : (body.message ?? exception.message);
    // Nest's answer for a path no route has: "Cannot GET /api/v1/x".
    const noRoute = statusCode === 404 && /^Cannot ([A-Z]+) (.+)$/s.exec(message);
    if (noRoute) {
      return {
        statusCode,
        error: REASON[404],
        code: 'ROUTE_NOT_FOUND',
        message: `Alamat ${noRoute[1]} ${echoed(noRoute[2])} tidak ada. Periksa alamatnya; daftar rute API ada di /docs.`,
      };
    }
    const said = body.code ? undefined : frameworkMessage(message);
    if (said) {
      return { statusCode, error: REASON[statusCode] ?? 'Error', code: said[0], message: said[1] };
    }
    return {
      statusCode,
      error: REASON[statusCode] ?? body.error ?? 'Error',
      message,
      ...(body.code ? { code: body.code } : {}),
      ...(body.details ? { details: body.details } : {}),
    };
  }
  const parsing = bodyParserError(exception);
  if (parsing) {
    return parsing;
  }
  const { status } = exception as { status?: unknown };
  const said = exception instanceof Error ? frameworkMessage(exception.message) : undefined;
  if (said && typeof status === 'number' && status >= 400 && status < 500) {
    return {
      statusCode: status,
      error: REASON[status] ?? 'Error',
      code: said[0],
      message: said[1],
    };
  }
  return {
    statusCode: 500,
    error: REASON[500],
    message: 'Terjadi kesalahan pada server. Sebutkan kode korelasi ini kepada admin.',
    ...(correlationId ? { correlationId } : {}),
  };
};

/** What the router and the upload parser (multer, busboy) answer in English, said in Bahasa Indonesia:
 * [code, message], or undefined for any other message. Matched on their documented texts. */
const FRAMEWORK_MESSAGES: [RegExp, string, string][] = [
  [
    /^Failed to decode param /,
    'PATH_INVALID',
    'Alamat berisi kode persen (%) yang tidak sah. Periksa alamatnya: setiap % harus diikuti dua digit heksadesimal.',
  ],
  [
    /^Unexpected (file )?field/,
    'UPLOAD_FIELD_UNKNOWN',
    'Berkas harus dikirim pada kolom formulir "file". Kolom berkas lain tidak diterima.',
  ],
  [/^Too many files/, 'UPLOAD_TOO_MANY_FILES', 'Kirim satu berkas saja pada kolom "file".'],
  [
    /^(Too many (parts|fields)|Field (name|value) too long|Field name (nesting|array index)|Field name missing|Invalid field name)/,
    'UPLOAD_FORM_INVALID',
    'Formulir unggahan tidak dapat dibaca: kolomnya terlalu banyak, terlalu panjang atau tanpa nama. Kirim hanya kolom "file".',
  ],
  [
    /^File too large/,
    'FILE_TOO_LARGE',
    'Berkas melebihi ukuran yang diizinkan. Kirim berkas yang lebih kecil.',
  ],
  [
    /^Multipart: /,
    'UPLOAD_INCOMPLETE',
    'Unggahan tidak lengkap atau rusak (multipart/form-data tanpa batas yang sah, atau terputus). Kirim ulang berkasnya.',
  ],
];
const frameworkMessage = (message: string): [string, string] | undefined => {
  const found = FRAMEWORK_MESSAGES.find(([pattern]) => pattern.test(message));
  return found && [found[1], found[2]];
};

/** What body-parser answers before any route runs (too large, not JSON, too deeply nested…), said in
 * Bahasa Indonesia with what to fix. Its errors carry `type` and `status` (http-errors). */
const bodyParserError = (exception: unknown): ErrorBody | undefined => {
  if (!(exception instanceof Error)) {
    return undefined;
  }
  const { status, code: errorCode } = exception as Error & { status?: unknown; code?: unknown };
  // A body that does not inflate as its Content-Encoding says: zlib's error (Z_DATA_ERROR, Z_BUF_ERROR;
  // brotli's ERR__ERROR_FORMAT_…), passed on without a type.
  const type =
    typeof errorCode === 'string' && /^(Z_|ERR__)/.test(errorCode)
      ? BODY_BAD_COMPRESSION
      : (exception as Error & { type?: unknown }).type;
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) {
    return undefined;
  }
  const known: Record<string, [number, string, string]> = {
    'entity.too.large': [
      413,
      'BODY_TOO_LARGE',
      'Isi permintaan melebihi batas 2 MB. Kirim data lebih kecil.',
    ],
    'parameters.too.many': [413, 'BODY_TOO_LARGE', 'Formulir berisi terlalu banyak kolom.'],
    'entity.parse.failed': [
      400,
      'BODY_INVALID',
      'Isi permintaan bukan JSON yang sah. Periksa tanda kutip, koma dan kurung.',
    ],
    [BODY_NOT_OBJECT]: [
      400,
      'BODY_NOT_OBJECT',
      'Isi permintaan harus berupa objek JSON ({ … }) dengan kolom-kolomnya, bukan null, teks, angka atau true/false.',
    ],
    [BODY_TOO_DEEP]: [
      400,
      'BODY_TOO_DEEP',
      `Isi permintaan bersarang terlalu dalam (lebih dari ${MAX_BODY_DEPTH} tingkat).`,
    ],
    'encoding.unsupported': [415, 'BODY_ENCODING', 'Pengodean isi permintaan tidak didukung.'],
    'charset.unsupported': [415, 'BODY_ENCODING', 'Gunakan UTF-8 untuk isi permintaan.'],
    [BODY_NOT_UTF8]: [
      415,
      'BODY_ENCODING',
      'Isi permintaan bukan teks UTF-8 yang sah (mis. huruf dari pengodean Latin-1). Simpan atau kirim sebagai UTF-8.',
    ],
    [BODY_BAD_COMPRESSION]: [
      400,
      'BODY_ENCODING',
      'Isi permintaan tidak sesuai dengan Content-Encoding-nya (bukan data gzip, deflate atau br yang utuh). Kirim tanpa header itu, atau kompres isinya dengan benar.',
    ],
    'request.aborted': [400, 'BODY_INCOMPLETE', 'Permintaan terputus sebelum selesai dikirim.'],
    'request.size.invalid': [400, 'BODY_INCOMPLETE', 'Panjang isi permintaan tidak sesuai.'],
  };
  const [statusCode, code, message] = known[type] ?? [
    status,
    'BODY_INVALID',
    'Isi permintaan tidak dapat dibaca.',
  ];
  return { statusCode, error: REASON[statusCode] ?? 'Error', code, message };
};

/**
 * Express error middleware placed right after the body parsers: Nest turns a parser's SyntaxError into a
 * bare 400 carrying the engine's English message; handed on as a plain error with body-parser's `type`,
 * it reaches the filter above and is answered like every other body problem.
 */
export const keepParserErrors = (
  error: unknown,
  _req: unknown,
  _res: unknown,
  next: (error: unknown) => void,
): void => {
  if (error instanceof SyntaxError && 'type' in error) {
    const { type, status, body } = error as SyntaxError & {
      type: unknown;
      status?: unknown;
      body?: unknown;
    };
    next(
      Object.assign(new Error(error.message), {
        // `null`, `"teks"` or `5` is JSON, refused by the strict parser: not a syntax error to fix.
        type: type === 'entity.parse.failed' && isJson(body) ? BODY_NOT_OBJECT : type,
        status: status ?? 400,
      }),
    );
    return;
  }
  next(error);
};

const isJson = (text: unknown): boolean => {
  if (typeof text !== 'string') {
    return false;
  }
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** JSON nested deeper than this is refused before parsing: validation walks bodies recursively. */
export const MAX_BODY_DEPTH = 32;
export const BODY_TOO_DEEP = 'entity.too.deep';
const BODY_BAD_COMPRESSION = 'entity.bad.compression';
const BODY_NOT_OBJECT = 'entity.not.object';

export const BODY_NOT_UTF8 = 'entity.not.utf8';

/** body-parser's `verify` hook for forms: bytes that are not UTF-8 (a Latin-1 "é") would be decoded as
 * U+FFFD and stored so, silently changed: refused instead. */
export const refuseNonUtf8 = (_req: unknown, _res: unknown, buf: Buffer): void => {
  if (!isUtf8(buf)) {
    throw Object.assign(new Error('body is not UTF-8'), {
      status: 415,
      expose: true,
      type: BODY_NOT_UTF8,
    });
  }
};

/** body-parser's `verify` hook for JSON: UTF-8 as above, and bracket depth counted over the raw bytes
 * (outside strings), O(n). */
export const refuseDeepJson = (req: unknown, res: unknown, buf: Buffer): void => {
  refuseNonUtf8(req, res, buf);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) {
        i++; // the escaped character
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_BODY_DEPTH) {
        throw Object.assign(new Error('JSON nested too deeply'), {
          status: 400,
          expose: true,
          type: BODY_TOO_DEEP,
        });
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
};

const isHealthReport = (exception: unknown): exception is HttpException =>
  exception instanceof HttpException &&
  exception.getStatus() === 503 &&
  typeof exception.getResponse() === 'object' &&
  (exception.getResponse() as { status?: unknown }).status === 'error';

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const correlationId = typeof req.id === 'string' ? req.id : undefined;
    const body = toErrorBody(exception, correlationId);
    if (isHealthReport(exception)) {
      // A state reported, not a failure of this request (every probe while the service starts up): a
      // warning naming what is down, without a stack trace.
      const report = exception.getResponse() as { error?: Record<string, unknown> };
      const down = Object.keys(report.error ?? {});
      this.logger.warn(
        { down, correlationId },
        `health: ${down.join(', ') || 'down'} not up (503)`,
      );
    } else if (exception instanceof RetryLaterException) {
      this.logger.warn(
        { code: body.code, correlationId, path: withoutCsrfToken(req.originalUrl) },
        body.message,
      );
    } else if (isStoreUnavailable(exception)) {
      // An outage of the store, not a bug: a warning naming it, without a stack trace per request.
      this.logger.warn(
        {
          code: body.code,
          reason: exception.message,
          correlationId,
          path: withoutCsrfToken(req.originalUrl),
        },
        `event store unavailable (503): ${exception.message}`,
      );
    } else if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, correlationId, path: withoutCsrfToken(req.originalUrl) },
        exception instanceof Error ? exception.message : 'unknown error',
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const retryAfter = retryAfterOf(exception);
    if (retryAfter !== undefined) {
      res.setHeader('Retry-After', String(retryAfter));
    }
    if (isHealthReport(exception)) {
      // Terminus's report is the health contract: keep it whole.
      res.status(503).json(exception.getResponse());
      return;
    }
    if (!isApiRequest(req) && req.accepts(['json', 'html']) === 'html') {
      renderErrorPage(req, res, body);
      return;
    }
    res.status(body.statusCode).json(body);
  }
}

const PAGE_HEADINGS: Record<number, string> = {
  400: 'Isian tidak dapat diproses',
  403: 'Akses ditolak',
  404: 'Halaman tidak ditemukan',
  409: 'Tidak dapat dilakukan',
  413: 'Berkas terlalu besar',
  415: 'Jenis isian tidak didukung',
  429: 'Terlalu banyak permintaan',
  500: 'Terjadi kesalahan',
  503: 'Layanan belum siap',
};

/** The web variant: a person at a browser gets a page in Bahasa Indonesia (or the login page when not
 * signed in), never a JSON body. Forms re-render themselves with errors next to the fields before this. */
const renderErrorPage = (req: Request, res: Response, body: ErrorBody): void => {
  if (body.code === 'PASSWORD_CHANGE_REQUIRED' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.redirect(303, '/akun'); // the one page open to them, which says why
    return;
  }
  if (body.statusCode === 401) {
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    // A form posted after its session ended: what it carried cannot wait through a login (an upload least
    // of all), and its action is no page to come back to (often no page at all; a multipart form's carries
    // its CSRF token). The login page says so; after it, the user's own start page.
    setFlash(res, {
      kind: 'error',
      message:
        'Sesi Anda berakhir sebelum formulir terkirim, jadi belum ada yang disimpan. Masuk lagi, lalu isi dan kirim ulang formulir itu.',
    });
    res.redirect(303, '/login');
    return;
  }
  res.status(body.statusCode).render('error', {
    title: PAGE_HEADINGS[body.statusCode] ?? 'Terjadi kesalahan',
    heading: PAGE_HEADINGS[body.statusCode] ?? 'Terjadi kesalahan',
    message: body.message,
    correlationId: body.correlationId,
  });
};
