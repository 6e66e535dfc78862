import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError } from '@netral/domain';
import type { Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CertificateService } from '../certificates/certificate.service';
import { repoRoot } from '../common/paths';
import { ReadSide } from '../compliance/read-side';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import type { UploadedCsvFile } from '../registry/registry.api.controller';
import { type ImportReport, RosterImport } from '../registry/roster-import';
import { setFlash, takeFlash } from './flash';
import { type Form, text } from './form';

const PAGE_SIZE = 50;
/** Bad rows listed on the page at most (the count says how many there are in all). */
const ROWS_SHOWN = 500;

const IMPORTS = {
  asn: {
    label: 'Daftar ASN',
    columns: 'NIP; Nama; Jabatan; Jenis ASN (PNS/PPPK); Kode OPD',
    sample: 'asn-bangli.csv',
  },
  opd: {
    label: 'Daftar OPD',
    columns: 'Kode OPD; Nama OPD; Jenis; Kode Induk (opsional); ID OPD (opsional)',
    sample: 'opd-bangli.csv',
  },
} as const;
type ImportKind = keyof typeof IMPORTS;

/**
 * HR's registry pages: OPDs and their ASN, the SIASN-style CSV import that lists every bad row and writes
 * nothing unless the whole file is clean, and certificate revocation with a reason.
 */
@ApiExcludeController()
@Controller()
export class RegistryWebController {
  constructor(
    private readonly read: ReadSide,
    private readonly roster: RosterImport,
    private readonly certificates: CertificateService,
  ) {}

  @Get('registri')
  @Roles('HR', 'ADMIN')
  async opds(
    @Query('minPosition') minPosition: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.ready(minPosition && /^\d+$/.test(minPosition) ? minPosition : undefined);
    res.render('registry', {
      title: 'Registri OPD',
      flash: takeFlash(req, res),
      opds: this.read.queries.opds(),
    });
  }

  @Get('registri/asn')
  @Roles('HR', 'ADMIN')
  asn(@Query() query: Record<string, string | undefined>, @Res() res: Response) {
    const opd = query.opdId ? this.read.queries.opd(query.opdId) : undefined;
    const q = query.q?.trim() ?? '';
    const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
    const result = this.read.queries.asnList(
      { ...(opd ? { opdId: opd.opdId } : {}), ...(q ? { q } : {}) },
      { page, pageSize: PAGE_SIZE },
    );
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const link = (p: number) =>
      `/registri/asn?${new URLSearchParams({ ...(opd ? { opdId: opd.opdId } : {}), ...(q ? { q } : {}), page: String(p) }).toString()}`;
    res.render('registry-asn', {
      title: opd ? `ASN ${opd.name}` : 'Cari ASN',
      opd,
      q,
      total: result.total,
      items: result.items.map((a) => ({
        ...a,
        opdName: opd?.name ?? this.read.queries.opd(a.opdId)?.name ?? a.opdId,
      })),
      page,
      pages,
      previous: page > 1 ? link(page - 1) : undefined,
      next: page < pages ? link(page + 1) : undefined,
    });
  }

  @Get('registri/impor')
  @Roles('HR', 'ADMIN')
  importForm(@Req() req: Request, @Res() res: Response) {
    this.renderImport(res, { flash: takeFlash(req, res) });
  }

  private renderImport(
    res: Response,
    state: {
      flash?: ReturnType<typeof takeFlash>;
      kind?: ImportKind;
      errors?: Record<string, string>;
      report?: ImportReport;
    } = {},
  ) {
    const failed = state.errors !== undefined || (state.report?.errors.length ?? 0) > 0;
    res.status(failed ? 400 : 200).render('registry-import', {
      title: 'Impor CSV',
      flash: state.flash,
      imports: Object.entries(IMPORTS).map(([kind, info]) => ({
        kind,
        ...info,
        errors: state.kind === kind ? state.errors : undefined,
      })),
      formError: failed
        ? state.report
          ? `${state.report.errors.length} masalah pada berkas ${state.kind === 'asn' ? 'ASN' : 'OPD'}; tidak ada data yang disimpan. Perbaiki baris yang disebut lalu unggah lagi.`
          : 'Periksa isian yang ditandai.'
        : undefined,
      report: state.report?.errors.length ? state.report : undefined,
      problems: state.report?.errors.slice(0, ROWS_SHOWN),
      moreProblems: Math.max(0, (state.report?.errors.length ?? 0) - ROWS_SHOWN),
    });
  }

  @Post('registri/impor/:kind')
  @Roles('HR', 'ADMIN')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 50 * 1024 * 1024, files: 1 } }))
  async import(
    @Param('kind') kind: string,
    @Body() form: Form,
    @UploadedFile() file: UploadedCsvFile | undefined,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    if (kind !== 'asn' && kind !== 'opd') {
      res.redirect(303, '/registri/impor');
      return;
    }
    if (!file || file.size === 0) {
      return this.renderImport(res, {
        kind,
        errors: { [`file-${kind}`]: 'Pilih berkas CSV terlebih dahulu.' },
      });
    }
    const dryRun = form.dryRun === 'ya';
    const input = Readable.from([file.buffer]);
    const options = { dryRun };
    const report =
      kind === 'asn'
        ? await this.roster.importAsn(input, actor, options)
        : await this.roster.importOpds(input, actor, options);
    if (report.errors.length > 0) {
      return this.renderImport(res, { kind, report });
    }
    const counts = `${report.rows} baris: ${report.created} baru${report.transferred ? `, ${report.transferred} pindah OPD` : ''}, ${report.unchanged} tidak berubah`;
    setFlash(res, {
      kind: 'success',
      message: dryRun
        ? `Pemeriksaan ${file.originalname} selesai tanpa masalah (${counts}). Belum ada yang disimpan.`
        : `${file.originalname} diimpor (${counts}).`,
    });
    res.redirect(
      303,
      dryRun ? '/registri/impor' : `/registri?minPosition=${report.position ?? ''}`,
    );
  }

  /** The sample files the import page links to (the same as `samples/` in the repository). */
  @Get('registri/contoh/:file')
  @Roles('HR', 'ADMIN')
  sample(@Param('file') file: string, @Res({ passthrough: true }) res: Response): StreamableFile {
    const known = Object.values(IMPORTS).find((i) => i.sample === file);
    if (!known) {
      throw new NotFoundException({
        code: 'SAMPLE_NOT_FOUND',
        message: `Tidak ada contoh ${file}.`,
      });
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${known.sample}"`);
    return new StreamableFile(readFileSync(join(repoRoot, 'samples', known.sample)));
  }

  @Get('sertifikat/:certificateId/cabut')
  @Roles('HR')
  revokeForm(@Param('certificateId') certificateId: string, @Res() res: Response) {
    this.renderRevoke(res, certificateId, '');
  }

  private renderRevoke(
    res: Response,
    certificateId: string,
    reason: string,
    errors?: Record<string, string>,
    formError?: string,
  ) {
    const row = this.certificates.row(certificateId);
    res.status(errors ? 400 : 200).render('certificate-revoke', {
      title: `Cabut ${certificateId}`,
      certificate: row,
      subject:
        row.subject_type === 'OPD'
          ? (this.read.queries.opd(row.subject_id)?.name ?? row.subject_id)
          : (this.read.queries.asn(row.subject_id)?.name ?? row.subject_id),
      values: { reason },
      errors,
      formError,
    });
  }

  @Post('sertifikat/:certificateId/pencabutan')
  @Roles('HR')
  async revoke(
    @Param('certificateId') certificateId: string,
    @Body() form: Form,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    const reason = text(form, 'reason');
    if (!reason) {
      return this.renderRevoke(
        res,
        certificateId,
        reason,
        { reason: 'Alasan pencabutan wajib diisi.' },
        'Periksa isian yang ditandai.',
      );
    }
    try {
      const result = await this.certificates.revoke(certificateId, reason, actor);
      setFlash(res, { kind: 'success', message: `Sertifikat ${certificateId} dicabut.` });
      const electionId = this.certificates.row(certificateId).election_id;
      res.redirect(
        303,
        `/kepatuhan?electionId=${encodeURIComponent(electionId)}&minPosition=${result.position ?? ''}`,
      );
    } catch (error) {
      if (error instanceof DomainError) {
        return this.renderRevoke(res, certificateId, reason, {}, error.message);
      }
      throw error;
    }
  }
}
