import type { CallHandler, ExecutionContext, NestInterceptor, Type } from '@nestjs/common';
import { FieldProblems } from '@netral/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request } from 'express';
import { catchError, type Observable } from 'rxjs';
import { InputValidationException } from './validation';

/** The body's top-level field a problem is about (`evidence[0].sha256` → `evidence`). */
const topField = (field: string): string => /^[^.[]*/.exec(field)![0];

/**
 * Tells the rules a request's own fields can answer (a day in the future, a code its catalogue lacks)
 * beside the problems of its shape, so a client hears of every problem of its request in one answer
 * rather than of the rules only once the shape is right. It only adds to a 400 already being answered
 * (nothing is written either way); when the shape is right the decider asks the same rules, from the
 * same functions.
 *
 * A rule is told only for fields that are present and well-formed by the route's DTO, and not already
 * named: `check` receives exactly those.
 */
export abstract class RulesBesideShape<T extends object> implements NestInterceptor {
  protected constructor(private readonly dto: Type<T>) {}

  /** Adds the problems the rules find in `fields` (each one present and well-formed). */
  protected abstract check(fields: Partial<T>, problems: FieldProblems): void | Promise<void>;

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body: unknown = context.switchToHttp().getRequest<Request>().body;
    return next.handle().pipe(
      catchError(async (error: unknown) => {
        throw error instanceof InputValidationException ? await this.beside(error, body) : error;
      }),
    );
  }

  private async beside(
    error: InputValidationException,
    body: unknown,
  ): Promise<InputValidationException> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return error;
    }
    const named = new Set(error.problems.map((p) => topField(p.field)));
    for (const invalid of validateSync(plainToInstance(this.dto, body), { whitelist: true })) {
      named.add(invalid.property);
    }
    const fields = Object.fromEntries(
      Object.entries(body).filter(([field, value]) => value !== undefined && !named.has(field)),
    ) as Partial<T>;
    const problems = new FieldProblems();
    await this.check(fields, problems);
    return problems.all.length === 0
      ? error
      : new InputValidationException([
          ...error.problems,
          ...problems.all.map(({ field, reason, code }) => ({
            field,
            reason,
            code: code ?? 'INVALID',
          })),
        ]);
  }
}
