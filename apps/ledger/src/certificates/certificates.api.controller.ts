import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { ActorContext } from '../identity/actor';
import { UploadRoute } from '../common/body-type.guard';
import { Actor } from '../identity/actor.decorator';
import { Public, Roles } from '../identity/roles.decorator';
import { ReadSide } from '../compliance/read-side';
import { uploadedFile, type UploadedFileBytes } from '../common/upload';
import { CertificatesQuery, IssueCertificateDto, RevokeCertificateDto } from './certificate.dto';
import { CertificateService } from './certificate.service';

const PDF_LIMIT_BYTES = 10 * 1024 * 1024;

@ApiTags('certificates')
@Controller({ path: 'certificates', version: '1' })
export class CertificatesApiController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly read: ReadSide,
  ) {}

  @Post()
  @Roles('HR')
  @ApiBearerAuth()
  @ApiCreatedResponse({ description: '{ certificateId, pdfSha256, verificationUrl, position }' })
  @ApiConflictResponse({ description: 'CERTIFICATE_NOT_QUALIFIED: details berisi setiap alasan' })
  issue(@Body() dto: IssueCertificateDto, @Actor() actor: ActorContext) {
    return this.certificates.issue(dto, actor);
  }

  @Get()
  @Roles('HR', 'ADMIN', 'BAWASLU', 'OPD_HEAD')
  @ApiBearerAuth()
  async list(@Query() q: CertificatesQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    const { total, items } = this.read.for(actor).certificates(q, {
      page: q.page ?? 1,
      pageSize: q.pageSize ?? 50,
    });
    return {
      total,
      items: items.map((c) => ({
        certificateId: c.certificate_id,
        subjectType: c.subject_type,
        subjectId: c.subject_id,
        opdId: c.opd_id,
        electionId: c.election_id,
        status: c.status,
        issuedAt: c.issued_at,
        pdfSha256: c.pdf_sha256,
        revokedReason: c.revoked_reason,
        revokedCaseId: c.revoked_case_id,
      })),
    };
  }

  @Get('root-ca.pem')
  @Public()
  @Header('Content-Type', 'application/x-pem-file')
  @Header('Content-Disposition', 'attachment; filename="netral-root-ca.pem"')
  rootCa(): string {
    return this.certificates.rootPem;
  }

  @Post('verify')
  @Public()
  @HttpCode(200)
  @UploadRoute()
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: PDF_LIMIT_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @ApiOkResponse({
    description:
      '{ valid, checks: { signature, coversWholeFile, matchesLedger, notRevoked }, certificateId?, status? }',
  })
  @ApiBadRequestResponse({
    description: 'FILE_REQUIRED; FIELD_UNKNOWN (a form field other than file)',
  })
  verify(@UploadedFile() file: UploadedFileBytes | undefined, @Body() fields: unknown) {
    return this.certificates.verifyUpload(uploadedFile(file, fields, 'PDF').buffer);
  }

  @Get(':certificateId/verification')
  @Public()
  verification(@Param('certificateId') certificateId: string) {
    return this.certificates.verification(certificateId);
  }

  @Get(':certificateId/pdf')
  @Roles('HR', 'OPD_HEAD')
  @ApiBearerAuth()
  @ApiProduces('application/pdf')
  pdf(
    @Param('certificateId') certificateId: string,
    @Actor() actor: ActorContext,
    @Res({ passthrough: true }) res: Response,
  ): StreamableFile {
    const bytes = this.certificates.pdf(certificateId, actor);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${certificateId}.pdf"`);
    return new StreamableFile(bytes);
  }

  @Post(':certificateId/revocation')
  @Roles('HR')
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiConflictResponse({ description: 'CERTIFICATE_ALREADY_REVOKED' })
  revoke(
    @Param('certificateId') certificateId: string,
    @Body() dto: RevokeCertificateDto,
    @Actor() actor: ActorContext,
  ) {
    return this.certificates.revoke(certificateId, dto.reason, actor);
  }
}
