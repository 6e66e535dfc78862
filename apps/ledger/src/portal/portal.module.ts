import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { ReadSideModule } from '../compliance/read-side.module';
import { LedgerWriteModule } from '../ledger-write.module';
import { DocumentsModule } from '../documents/document-store';
import { CasesWebController } from './cases.web.controller';
import { PortalWebController } from './portal.web.controller';
import { RegistryWebController } from './registry.web.controller';

@Module({
  imports: [ReadSideModule, LedgerWriteModule, CertificatesModule, DocumentsModule],
  controllers: [PortalWebController, CasesWebController, RegistryWebController],
})
export class PortalModule {}
