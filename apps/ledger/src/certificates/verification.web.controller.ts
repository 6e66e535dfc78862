import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { UploadedFileBytes } from '../common/upload';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../identity/roles.decorator';
import { CertificateService } from './certificate.service';

/** The checks of an uploaded PDF, in the order a reader follows them. */
const CHECK_LABELS = {
  signature: 'Tanda tangan elektronik sah dan berasal dari penanda tangan Netral',
  coversWholeFile: 'Tanda tangan mencakup seluruh berkas',
  matchesLedger: 'SHA-256 berkas cocok dengan yang tercatat di ledger',
  notRevoked: 'Sertifikat tidak dicabut',
} as const;

/** The page a certificate's QR code opens: anyone, no login, no JavaScript needed. */
@ApiExcludeController()
@Controller()
export class VerificationWebController {
  constructor(private readonly certificates: CertificateService) {}

  @Get('verifikasi')
  @Public()
  uploadForm(@Res() res: Response) {
    res.render('verify-upload', { title: 'Verifikasi sertifikat PDF' });
  }

  @Post('verifikasi')
  @Public()
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 10 * 1024 * 1024, files: 1 } }))
  upload(@UploadedFile() file: UploadedFileBytes | undefined, @Res() res: Response) {
    if (!file) {
      res.status(400).render('verify-upload', {
        title: 'Verifikasi sertifikat PDF',
        formError: 'Pilih berkas PDF sertifikat terlebih dahulu.',
        errors: { file: 'Pilih berkas PDF.' },
      });
      return;
    }
    const result = this.certificates.verifyUpload(file.buffer);
    res.render('verify-upload', {
      title: 'Verifikasi sertifikat PDF',
      result,
      checks: (Object.keys(CHECK_LABELS) as (keyof typeof CHECK_LABELS)[]).map((check) => ({
        label: CHECK_LABELS[check],
        passed: result.checks[check],
        notChecked: result.notChecked[check],
      })),
      fileName: file.originalname,
    });
  }

  @Get('v/:certificateId')
  @Public()
  page(@Param('certificateId') certificateId: string, @Res() res: Response) {
    try {
      const v = this.certificates.verification(certificateId);
      res.render('verification', {
        title: `Verifikasi ${certificateId}`,
        v,
        proofJson: v.inclusionProof
          ? JSON.stringify(
              {
                index: v.inclusionProof.index,
                treeSize: v.inclusionProof.treeSize,
                leafHash: v.inclusionProof.leafHash,
                hashes: v.inclusionProof.hashes,
              },
              null,
              2,
            )
          : null,
      });
    } catch (error) {
      if (error instanceof NotFoundException) {
        res.status(404).render('verification', {
          title: 'Sertifikat tidak ditemukan',
          notFound: true,
          certificateId,
        });
        return;
      }
      throw error;
    }
  }
}
