import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReadSideModule } from '../compliance/read-side.module';
import { CertificateService } from './certificate.service';
import { CertificatesApiController } from './certificates.api.controller';
import { RevocationReactor } from './revocation.reactor';
import { VerificationWebController } from './verification.web.controller';

/** Signed PDF certificates: issue, download, revoke (by HR or automatically), verify (anyone). */
@Module({
  imports: [AuditModule, ReadSideModule],
  controllers: [CertificatesApiController, VerificationWebController],
  providers: [CertificateService, RevocationReactor],
  exports: [CertificateService, RevocationReactor],
})
export class CertificatesModule {}
