import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { ReadSideModule } from '../compliance/read-side.module';
import { LedgerWriteModule } from '../ledger-write.module';
import { PortalWebController } from './portal.web.controller';

@Module({
  imports: [ReadSideModule, LedgerWriteModule, CertificatesModule],
  controllers: [PortalWebController],
})
export class PortalModule {}
