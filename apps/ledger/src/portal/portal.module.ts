import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { ReadSideModule } from '../compliance/read-side.module';
import { DocumentsModule } from '../documents/document-store';
import { IdentityModule } from '../identity/identity.module';
import { LedgerWriteModule } from '../ledger-write.module';
import { CasesWebController } from './cases.web.controller';
import { ElectionsWebController } from './elections.web.controller';
import { PortalWebController } from './portal.web.controller';
import { RegistryWebController } from './registry.web.controller';
import { UsersWebController } from './users.web.controller';

@Module({
  imports: [IdentityModule, ReadSideModule, LedgerWriteModule, CertificatesModule, DocumentsModule],
  controllers: [
    PortalWebController,
    CasesWebController,
    RegistryWebController,
    UsersWebController,
    ElectionsWebController,
  ],
})
export class PortalModule {}
