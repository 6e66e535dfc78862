import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { FieldProblems } from '@netral/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type BesideShape, InputValidationException } from './validation';

/** The body's top-level field a problem is about (`evidence[0].sha256` → `evidence`). */
const topField = (field: string): string => /^[^.[]*/.exec(field)![0];

/** Each body DTO's rules, declared on the rules class by `@BesideShapeOf(Dto)`. */
const RULES = new Map<Type<object>, Type<RulesBesideShape<object>>>();

/**
 * Declares the class as the rules told beside the problems of `dto`'s shape wherever the global pipe
 * validates a body of that DTO (each such DTO is the body of one API route). The class is a provider of
 * its module; the pipe asks the module graph for it only when a body of `dto` is refused.
 */
export const BesideShapeOf =
  <T extends object>(dto: Type<T>) =>
  (rules: Type<RulesBesideShape<T>>): void => {
    RULES.set(dto, rules);
  };

/** What the global pipe uses to find a refused body's rules in this app's module graph. */
export const rulesBesideShape =
  (moduleRef: ModuleRef) =>
  (dto: Type<object>): BesideShape | undefined => {
    const rules = RULES.get(dto);
    return rules ? moduleRef.get(rules, { strict: false }) : undefined;
  };

/**
 * Tells the rules a request's own fields can answer (a day in the future, a code its catalogue lacks)
 * beside the problems of its shape, so a client hears of every problem of its request in one answer
 * rather than of the rules only once the shape is right. It only adds to a 400 already being answered
 * (nothing is written either way); when the shape is right the decider asks the same rules, from the
 * same functions. Called by the global pipe, not as an interceptor: a route that validates well costs
 * nothing for it.
 *
 * A rule is told only for fields that are present and well-formed by the route's DTO, and not already
 * named: `check` receives exactly those.
 */
export abstract class RulesBesideShape<T extends object> implements BesideShape {
  /** Adds the problems the rules find in `fields` (each one present and well-formed). */
  protected abstract check(fields: Partial<T>, problems: FieldProblems): void | Promise<void>;

  async beside(
    error: InputValidationException,
    body: unknown,
    dto: Type<object>,
  ): Promise<InputValidationException> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return error;
    }
    const named = new Set(error.problems.map((p) => topField(p.field)));
    for (const invalid of validateSync(plainToInstance(dto, body), { whitelist: true })) {
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
