/** OpenAPI text for what every write route may answer besides its own rules: the body parser's and the
 * validation pipe's 400, the idempotency gate's 409. One wording for all the write controllers. */
export const INVALID_INPUT =
  'validation: details[{ field, code, reason }] per offending field (body or Idempotency-Key); ' +
  'BODY_INVALID, BODY_NOT_OBJECT, BODY_TOO_DEEP';
export const IDEMPOTENCY = 'IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_INTERRUPTED';
