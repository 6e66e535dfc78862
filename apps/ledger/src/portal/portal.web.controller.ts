import {
  Body,
  Controller,
  Get,
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
import { CURRENT_PAKTA_VERSION, DomainError, findPakta, isCalendarDay } from '@netral/domain';
import type { Request, Response } from 'express';
import { CertificateService } from '../certificates/certificate.service';
import { DOCUMENT_MAX_BYTES, DocumentStore, documentProblem } from '../documents/document-store';
import type { UploadedCsvFile as UploadedFileBytes } from '../registry/registry.api.controller';
import { ReadSide } from '../compliance/read-side';
import type { ScopedQueries } from '../compliance/scoped-queries';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { PledgeCommands } from '../pledges/pledge.commands';
import { complianceCsv } from '../compliance/csv';
import { coverageChart } from './chart';
import { setFlash, takeFlash } from './flash';
import { domainErrors, QueryText, text, texts, type Form } from './form';

const SCAN_UPLOAD = FileInterceptor('document', {
  limits: { fileSize: DOCUMENT_MAX_BYTES + 1, files: 1 },
});

/** Where and when a pakta was signed, as both pledge forms ask it. */
const checkPlaceAndDay = (
  values: { place: string; signedAt: string },
  errors: Record<string, string>,
): void => {
  if (!values.place) {
    errors.place = 'Tempat penandatanganan wajib diisi.';
  }
  if (!isCalendarDay(values.signedAt)) {
    errors.signedAt = 'Tanggal harus tanggal yang valid (YYYY-MM-DD).';
  }
};

const scanNote = (sha256: string | undefined) =>
  sha256 ? ` Dokumen pindaian disimpan (SHA-256 ${sha256.slice(0, 12)}…).` : '';

/** Pages for OPD heads (their dashboard and pledges) and HR (compliance table, certificates). */
@ApiExcludeController()
@Controller()
export class PortalWebController {
  constructor(
    private readonly read: ReadSide,
    private readonly pledges: PledgeCommands,
    private readonly certificates: CertificateService,
    private readonly documents: DocumentStore,
  ) {}

  /** The optional scanned paper of a pledge: a field error if it cannot be kept, else kept and hashed. */
  private keepScan(
    file: UploadedFileBytes | undefined,
    errors: Record<string, string>,
  ): () => string | undefined {
    const problem = file ? documentProblem(file.buffer) : undefined;
    if (problem) {
      errors.document = `${problem} Pilih berkas lagi.`;
    }
    // Kept only once every other check has passed, just before the event that names it.
    return () => (file && !problem ? this.documents.put(file.buffer).sha256 : undefined);
  }

  /** The requested election, else the latest one (by voting day), with its monitoring period. */
  private election(queries: ScopedQueries, requested?: string) {
    const all = queries.elections();
    const chosen = all.find((e) => e.electionId === requested) ?? all[0];
    return chosen ? queries.election(chosen.electionId) : undefined;
  }

  @Get('opd')
  @Roles('OPD_HEAD')
  async dashboard(
    @Actor() actor: ActorContext,
    @Query('electionId', QueryText) electionId: string | undefined,
    @Query('minPosition', QueryText) minPosition: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(minPosition);
    const queries = this.read.for(actor);
    const election = this.election(queries, electionId);
    const opdId = actor.opdId!;
    if (!election) {
      res.render('opd-dashboard', {
        title: 'Dasbor OPD',
        flash: takeFlash(req, res),
        noElection: true,
      });
      return;
    }
    const [row] = queries.compliance(election.electionId, this.read.today(), opdId);
    const missing = queries.roster(election.electionId, opdId, 'missing', {
      page: 1,
      pageSize: 500,
    });
    const late = queries.roster(election.electionId, opdId, 'late', {
      page: 1,
      pageSize: 500,
    });
    const cases = queries.cases({ electionId: election.electionId, opdId }, this.read.today(), {
      page: 1,
      pageSize: 100,
    });
    res.render('opd-dashboard', {
      title: 'Dasbor OPD',
      flash: takeFlash(req, res),
      election,
      elections: queries.elections(),
      row,
      opd: queries.opd(opdId),
      missing: missing.items,
      missingTotal: missing.total,
      late: late.items,
      cases: cases.items,
      certificates: queries.certificates(
        { opdId, electionId: election.electionId },
        { page: 1, pageSize: 20 },
      ).items,
    });
  }

  @Get('opd/pakta')
  @Roles('OPD_HEAD')
  ownPledgeForm(
    @Actor() actor: ActorContext,
    @Query('electionId', QueryText) electionId: string | undefined,
    @Res() res: Response,
  ) {
    this.renderOwnPledge(res, actor, this.election(this.read.for(actor), electionId)?.electionId, {
      signedAt: this.read.today(),
      place: '',
    });
  }

  private renderOwnPledge(
    res: Response,
    actor: ActorContext,
    electionId: string | undefined,
    values: Form,
    errors?: Record<string, string>,
    formError?: string,
  ) {
    const queries = this.read.for(actor);
    const election = electionId ? queries.election(electionId) : undefined;
    const opd = queries.opd(actor.opdId!);
    // The appointed head while they still work here: a transfer does not clear the appointment.
    const appointed = opd?.headNip ? this.read.unscoped.asn(opd.headNip) : undefined;
    const head = appointed?.opdId === actor.opdId ? appointed : undefined;
    const existing = election && head ? queries.pledge(election.electionId, head.nip) : undefined;
    res.status(errors ? 400 : 200).render('own-pledge', {
      title: 'Pakta integritas Kepala OPD',
      election,
      opd,
      head,
      signed: existing?.status === 'SIGNED' ? existing : undefined,
      pakta: findPakta(CURRENT_PAKTA_VERSION),
      values,
      errors,
      formError,
    });
  }

  @Post('opd/pakta')
  @Roles('OPD_HEAD')
  @UseInterceptors(SCAN_UPLOAD)
  async signOwn(
    @Actor() actor: ActorContext,
    @Body() form: Form,
    @UploadedFile() file: UploadedFileBytes | undefined,
    @Res() res: Response,
  ) {
    const electionId = text(form, 'electionId');
    const values = {
      signedAt: text(form, 'signedAt'),
      place: text(form, 'place'),
      witness: text(form, 'witness'),
      statement: form.statement === 'ya',
    };
    const errors: Record<string, string> = {};
    if (!values.statement) {
      errors.statement = 'Centang pernyataan untuk menandatangani pakta integritas.';
    }
    checkPlaceAndDay(values, errors);
    const keep = this.keepScan(file, errors);
    const opd = this.read.for(actor).opd(actor.opdId!);
    if (!opd?.headNip) {
      return this.renderOwnPledge(
        res,
        actor,
        electionId,
        values,
        {},
        'OPD Anda belum memiliki Kepala OPD yang ditetapkan BKPSDM.',
      );
    }
    if (Object.keys(errors).length > 0) {
      return this.renderOwnPledge(
        res,
        actor,
        electionId,
        values,
        errors,
        'Periksa isian yang ditandai.',
      );
    }
    try {
      const documentSha256 = keep();
      const result = await this.pledges.sign(
        {
          electionId,
          nip: opd.headNip,
          signedAt: values.signedAt,
          place: values.place,
          ...(values.witness ? { witnesses: [values.witness] } : {}),
          ...(documentSha256 ? { documentSha256 } : {}),
        },
        actor,
      );
      setFlash(res, {
        kind: 'success',
        message: `Pakta integritas Anda telah tercatat.${scanNote(documentSha256)}`,
      });
      res.redirect(
        303,
        `/opd?electionId=${encodeURIComponent(electionId)}&minPosition=${result.position ?? ''}`,
      );
    } catch (error) {
      if (error instanceof DomainError) {
        return this.renderOwnPledge(
          res,
          actor,
          electionId,
          values,
          domainErrors(error),
          error.message,
        );
      }
      throw error;
    }
  }

  @Get('opd/staf')
  @Roles('OPD_HEAD')
  staffForm(
    @Actor() actor: ActorContext,
    @Query('electionId', QueryText) electionId: string | undefined,
    @Res() res: Response,
  ) {
    this.renderStaff(res, actor, this.election(this.read.for(actor), electionId)?.electionId, {
      signedAt: this.read.today(),
      place: '',
      nips: [],
    });
  }

  private renderStaff(
    res: Response,
    actor: ActorContext,
    electionId: string | undefined,
    values: { signedAt: string; place: string; nips: string[] },
    errors?: Record<string, string>,
    formError?: string,
  ) {
    const queries = this.read.for(actor);
    const election = electionId ? queries.election(electionId) : undefined;
    const missing = election
      ? queries.roster(election.electionId, actor.opdId!, 'missing', {
          page: 1,
          pageSize: 1000,
        }).items
      : [];
    const opd = queries.opd(actor.opdId!);
    res.status(errors ? 400 : 200).render('staff-pledges', {
      title: 'Pakta integritas staf',
      election,
      opd,
      missing: missing
        .filter((m) => m.nip !== opd?.headNip)
        .map((m) => ({ ...m, checked: values.nips.includes(m.nip) })),
      values,
      errors,
      formError,
    });
  }

  @Post('opd/staf')
  @Roles('OPD_HEAD')
  @UseInterceptors(SCAN_UPLOAD)
  async signStaff(
    @Actor() actor: ActorContext,
    @Body() form: Form,
    @UploadedFile() file: UploadedFileBytes | undefined,
    @Res() res: Response,
  ) {
    const electionId = text(form, 'electionId');
    const nips = texts(form, 'nip');
    const values = { signedAt: text(form, 'signedAt'), place: text(form, 'place'), nips };
    const errors: Record<string, string> = {};
    if (nips.length === 0) {
      errors.nip = 'Pilih minimal satu ASN.';
    }
    checkPlaceAndDay(values, errors);
    const keep = this.keepScan(file, errors);
    if (Object.keys(errors).length > 0) {
      return this.renderStaff(
        res,
        actor,
        electionId,
        values,
        errors,
        'Periksa isian yang ditandai.',
      );
    }
    let last: string | null = null;
    const failed: string[] = [];
    // One scanned sheet may carry the whole batch's signatures: each pledge records its hash.
    const documentSha256 = keep();
    for (const nip of nips) {
      try {
        last =
          (
            await this.pledges.sign(
              {
                electionId,
                nip,
                signedAt: values.signedAt,
                place: values.place,
                ...(documentSha256 ? { documentSha256 } : {}),
              },
              actor,
            )
          ).position ?? last;
      } catch (error) {
        if (!(error instanceof DomainError)) {
          throw error;
        }
        failed.push(`${nip}: ${error.message}`);
      }
    }
    setFlash(
      res,
      failed.length === 0
        ? {
            kind: 'success',
            message: `${nips.length} pakta integritas staf telah tercatat.${scanNote(documentSha256)}`,
          }
        : {
            kind: 'error',
            message: `${nips.length - failed.length} tercatat; ${failed.length} gagal: ${failed.join('; ')}`,
          },
    );
    res.redirect(
      303,
      `/opd?electionId=${encodeURIComponent(electionId)}${last ? `&minPosition=${last}` : ''}`,
    );
  }

  @Get('kepatuhan')
  @Roles('HR', 'ADMIN', 'BAWASLU')
  async compliance(
    @Actor() actor: ActorContext,
    @Query('electionId', QueryText) electionId: string | undefined,
    @Query('minPosition', QueryText) minPosition: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(minPosition);
    const queries = this.read.for(actor);
    const election = this.election(queries, electionId);
    // Worst first, as on the API.
    const rows = election ? queries.complianceTable(election.electionId, this.read.today()) : [];
    res.render('compliance', {
      title: 'Kepatuhan OPD',
      flash: takeFlash(req, res),
      election,
      elections: queries.elections(),
      rows,
      summary: election ? queries.summary(election.electionId, this.read.today()) : undefined,
      chart: coverageChart([...rows].sort((a, b) => a.opdName.localeCompare(b.opdName))),
      certificates: election
        ? queries.certificates({ electionId: election.electionId }, { page: 1, pageSize: 50 }).items
        : [],
    });
  }

  @Get('kepatuhan.csv')
  @Roles('HR', 'ADMIN', 'BAWASLU')
  complianceExport(
    @Actor() actor: ActorContext,
    @Query('electionId', QueryText) electionId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): string {
    const queries = this.read.for(actor);
    const election = this.election(queries, electionId);
    const rows = election ? queries.compliance(election.electionId, this.read.today()) : [];
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="kepatuhan-${election?.electionId ?? 'kosong'}-${this.read.today()}.csv"`,
    );
    return complianceCsv(rows);
  }

  @Get('sertifikat/:certificateId/pdf')
  @Roles('HR', 'OPD_HEAD')
  certificatePdf(
    @Param('certificateId') certificateId: string,
    @Actor() actor: ActorContext,
    @Res({ passthrough: true }) res: Response,
  ): StreamableFile {
    const bytes = this.certificates.pdf(certificateId, actor);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${certificateId}.pdf"`);
    return new StreamableFile(bytes);
  }

  @Post('sertifikat')
  @Roles('HR')
  async issueCertificate(@Actor() actor: ActorContext, @Body() form: Form, @Res() res: Response) {
    const electionId = text(form, 'electionId');
    const subjectType = text(form, 'subjectType') === 'ASN' ? 'ASN' : 'OPD';
    try {
      const issued = await this.certificates.issue(
        { subjectType, subjectId: text(form, 'subjectId'), electionId },
        actor,
      );
      setFlash(res, {
        kind: 'success',
        message: `Sertifikat ${issued.certificateId} diterbitkan.`,
      });
      res.redirect(
        303,
        `/kepatuhan?electionId=${encodeURIComponent(electionId)}&minPosition=${issued.position ?? ''}`,
      );
    } catch (error) {
      if (error instanceof DomainError || (error instanceof Error && 'getStatus' in error)) {
        setFlash(res, {
          kind: 'error',
          message:
            error instanceof DomainError ? error.message : 'Sertifikat tidak dapat diterbitkan.',
        });
        res.redirect(303, `/kepatuhan?electionId=${encodeURIComponent(electionId)}`);
        return;
      }
      throw error;
    }
  }
}
