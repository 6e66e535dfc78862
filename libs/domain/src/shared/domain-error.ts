/** How a rule violation surfaces: the HTTP layer maps INVALID→400, FORBIDDEN→403, NOT_FOUND→404, CONFLICT→409. */
export type DomainErrorKind = 'INVALID' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

export interface DomainErrorDetail {
  field: string;
  reason: string;
  code?: string;
}

/**
 * A business rule said no. `code` is stable (clients and translations key on it, e.g. PLEDGE_ALREADY_SIGNED);
 * `message` is for people and says what to fix.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: DomainErrorDetail[],
  ) {
    super(message);
  }
}

export const invalid = (code: string, message: string, details?: DomainErrorDetail[]) =>
  new DomainError(code, 'INVALID', message, details);
export const forbidden = (code: string, message: string) =>
  new DomainError(code, 'FORBIDDEN', message);
export const notFound = (code: string, message: string) =>
  new DomainError(code, 'NOT_FOUND', message);
export const conflict = (code: string, message: string, details?: DomainErrorDetail[]) =>
  new DomainError(code, 'CONFLICT', message, details);

export const assertNever = (value: never): never => {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
};
