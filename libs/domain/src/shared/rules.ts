import type { DomainErrorDetail } from './domain-error';
import { invalid } from './domain-error';

/** Collects every field problem of a command, then throws them together (a form shows them all at once). */
export class FieldProblems {
  private readonly details: DomainErrorDetail[] = [];

  add(field: string, reason: string, code: string): this {
    this.details.push({ field, reason, code });
    return this;
  }

  /** Every problem added, in order. */
  get all(): readonly DomainErrorDetail[] {
    return this.details;
  }

  /** Whether `field` already has a problem (a rule relating it to another field then has nothing to say). */
  has(field: string): boolean {
    return this.details.some((detail) => detail.field === field);
  }

  throwIfAny(message = 'Periksa kembali isian yang ditandai.'): void {
    if (this.details.length > 0) {
      throw invalid(this.details[0].code ?? 'INVALID', message, this.details);
    }
  }
}
