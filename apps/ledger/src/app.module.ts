import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AppConfig, ConfigModule } from '@netral/config';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { createValidationPipe } from './common/validation';
import { AuditModule } from './audit/audit.module';
import { CertificatesModule } from './certificates/certificates.module';
import { ClockModule } from './common/clock.module';
import { ReadSideModule } from './compliance/read-side.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { IdentityModule } from './identity/identity.module';
import { DemoModule } from './demo/demo.module';
import { LedgerWriteModule } from './ledger-write.module';
import { PortalModule } from './portal/portal.module';
import { EventStoreModule } from './infrastructure/event-store.module';
import { StartupModule } from './infrastructure/startup';
import { LoggingModule } from './infrastructure/logging.module';
import { MetricsModule } from './metrics/metrics.module';

/** The whole service. `forRoot(config)` is used by main.ts and by every e2e test, so tests run the real
 * stack with their own data directory. */
@Module({})
export class AppModule {
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
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
