import { Module } from '@nestjs/common';
import { ReadSideModule } from '../compliance/read-side.module';
import { AuditApiController } from './audit.api.controller';
import { AuditLog } from './audit-log.service';
import { AuditQueries } from './audit.queries';
import { AuditWebController } from './audit.web.controller';

/** Bawaslu's audit: the transparency log, its checkpoints and proofs, history and export. */
@Module({
  imports: [ReadSideModule],
  controllers: [AuditApiController, AuditWebController],
  providers: [AuditLog, AuditQueries],
  exports: [AuditLog],
})
export class AuditModule {}
