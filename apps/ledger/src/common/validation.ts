import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';

export interface FieldProblem {
  field: string;
  reason: string;
  /** The failed constraint (class-validator key such as `isISO8601`, or a domain reason code). */
  code: string;
}

const CODED_REASON = /^([A-Z][A-Z0-9_]+): (.+)$/s;

/** Flattens nested class-validator errors into `{field: 'a.b.0.c', reason, code}` rows. */
export const flattenValidationErrors = (errors: ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, reason]) => {
      // Custom validators may carry a domain reason code: "NIP_GENDER: digit 15 …".
      const coded = CODED_REASON.exec(reason);
      return {
        field,
        code: code === 'whitelistValidation' ? 'unknownField' : (coded?.[1] ?? code),
        reason:
          code === 'whitelistValidation' ? 'unknown field: remove it' : (coded?.[2] ?? reason),
      };
    });
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });

export class InputValidationException extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid input: ${problems.map((p) => `${p.field} (${p.reason})`).join('; ')}`,
      details: problems,
    });
  }
}

/** The global pipe: unknown fields are rejected, payloads become DTO instances, every problem is listed. */
/** Text of spaces only is no text: it becomes '' so "required" rules refuse it (a PTDH's legal basis, a
 * reason, a place) instead of storing blanks. Bodies are at most 32 levels deep (refuseDeepJson). */
const blanksToEmpty = (value: unknown): unknown => {
  if (typeof value === 'string') {
    return value.length > 0 && value.trim().length === 0 ? '' : value;
  }
  if (Array.isArray(value)) {
    return value.map(blanksToEmpty);
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      (value as Record<string, unknown>)[key] = blanksToEmpty(inner);
    }
  }
  return value;
};

class LedgerValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return super.transform(metadata.type === 'body' ? blanksToEmpty(value) : value, metadata);
  }
}

export const createValidationPipe = () =>
  new LedgerValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InputValidationException(flattenValidationErrors(errors)),
  });
