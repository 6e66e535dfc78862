import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE, ModuleRef } from '@nestjs/core';
import { AppConfig, ConfigModule } from '@netral/config';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { rulesBesideShape } from './common/rules-beside-shape';
import { createValidationPipe } from './common/validation';
import { AuditModule } from './audit/audit.module';
import { CertificatesModule } from './certificates/certificates.module';
import { ClockModule } from './common/clock.module';
import { ReadSideModule } from './compliance/read-side.module';
import { HealthModule } from './health/health.module';
import { IdempotencyMiddleware } from './common/idempotency/idempotency.middleware';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { CsrfMiddleware } from './identity/csrf';
import { IdentityModule } from './identity/identity.module';
import { DemoModule } from './demo/demo.module';
import { LedgerWriteModule } from './ledger-write.module';
import { PortalModule } from './portal/portal.module';
import { EventStoreModule } from './infrastructure/event-store.module';
import { StartupGate, StartupModule } from './infrastructure/startup';
import { LoggingModule } from './infrastructure/logging.module';
import { HttpMetricsMiddleware, MetricsModule } from './metrics/metrics.module';

/** The whole service. `forRoot(config)` is used by main.ts and by every e2e test, so tests run the real
 * stack with their own data directory. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        StartupModule,
        ClockModule,
        EventStoreModule,
        IdentityModule,
        IdempotencyModule,
        LedgerWriteModule,
        DemoModule,
        AuditModule,
        ReadSideModule,
        CertificatesModule,
        PortalModule,
        HealthModule,
        MetricsModule,
      ],
      providers: [
        {
          provide: APP_PIPE,
          useFactory: (moduleRef: ModuleRef) => createValidationPipe(rulesBesideShape(moduleRef)),
          inject: [ModuleRef],
        },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }

  /** Every request's middleware, in order, after the logger (nestjs-pino's, which gives the request its
   * correlation id): one list, because Nest orders middleware of different modules by their depth. Metrics
   * first, so every answer is counted, the startup gate's 503 too; then the gate, CSRF for the forms, and
   * the idempotency middleware last, so a replay or a 409 is still gated, counted and logged. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpMetricsMiddleware, StartupGate, CsrfMiddleware, IdempotencyMiddleware)
      .forRoutes('{*path}');
  }
}
