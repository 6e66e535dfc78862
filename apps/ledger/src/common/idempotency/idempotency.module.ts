import { Global, Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/identity.module';
import { IdempotencyGate } from './idempotency.gate';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyMiddleware } from './idempotency.middleware';
import { IdempotencyStore } from './idempotency.store';

/** Idempotency-Key on every POST of the API: a middleware for JSON writes (placed in AppModule's
 * pipeline), an interceptor on the upload routes, one gate behind both. */
@Global()
@Module({
  imports: [IdentityModule],
  providers: [IdempotencyStore, IdempotencyGate, IdempotencyInterceptor, IdempotencyMiddleware],
  exports: [IdempotencyGate, IdempotencyInterceptor, IdempotencyMiddleware],
})
export class IdempotencyModule {}
