import { Global, Module } from '@nestjs/common';
import { IdempotencyGate } from './idempotency.gate';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';

/** Idempotency-Key on every POST of the API: a middleware for JSON writes (placed in AppModule's
 * pipeline), an interceptor on the upload routes, one gate behind both (the BodyTypeGuard keeps
 * multipart bodies to the upload routes, so no keyed write slips between the two). */
@Global()
@Module({
  providers: [IdempotencyStore, IdempotencyGate, IdempotencyInterceptor],
  exports: [IdempotencyGate, IdempotencyInterceptor],
})
export class IdempotencyModule {}
