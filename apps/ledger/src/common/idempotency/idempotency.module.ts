import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IdempotencyGate } from './idempotency.gate';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';
import { UploadRouteGuard } from './upload-route';

/** Idempotency-Key on every POST of the API: a middleware for JSON writes (placed in AppModule's
 * pipeline), an interceptor on the upload routes, one gate behind both; multipart bodies only on the
 * upload routes, so no keyed write slips between the two. */
@Global()
@Module({
  providers: [
    IdempotencyStore,
    IdempotencyGate,
    IdempotencyInterceptor,
    { provide: APP_GUARD, useClass: UploadRouteGuard },
  ],
  exports: [IdempotencyGate, IdempotencyInterceptor],
})
export class IdempotencyModule {}
