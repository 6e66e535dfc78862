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
import {
  checkSignedDay,
  CURRENT_PAKTA_VERSION,
  DomainError,
  findAct,
  findPakta,
  isCalendarDay,
} from '@netral/domain';
import type { Request, Response } from 'express';
import { CertificateService } from '../certificates/certificate.service';
import { DOCUMENT_MAX_BYTES, DocumentStore, documentProblem } from '../documents/document-store';
import type { UploadedFileBytes } from '../common/upload';
import { ReadSide } from '../compliance/read-side';
import type { ScopedQueries } from '../compliance/scoped-queries';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { PledgeCommands } from '../pledges/pledge.commands';
import { complianceCsv } from '../compliance/csv';
import { coverageChart } from './chart';
import { setFlash, takeFlash } from './flash';
import { formRefusal, QueryText, QueryTexts, ruleReason, text, texts, type Form } from './form';

const SCAN_UPLOAD = FileInterceptor('document', {
  limits: { fileSize: DOCUMENT_MAX_BYTES + 1, files: 1 },
});

const scanNote = (sha256: string | undefined) =>
  sha256 ? ` Dokumen pindaian disimpan (SHA-256 ${sha256.slice(0, 12)}…).` : '';

type Election = NonNullable<ReturnType<ScopedQueries['election']>>;

/**
 * The election selector of a page: a plain GET form (no JavaScript) listing every election by name, the
 * shown one selected, carrying the page's other query parameters along (but not `minPosition`, which only
 * a redirect's first view needs). Shown only when there is a choice to make.
 */
const electionPicker = (
  action: string,
  elections: readonly Election[],
  shown: Election | undefined,
  query: Record<string, string | undefined> = {},
) =>
  elections.length > 1
    ? {
        action,
        options: elections.map((e) => ({
          value: e.electionId,
          label: e.name,
          selected: e.electionId === shown?.electionId,
        })),
        keep: Object.entries(query)
          .filter(
            (entry): entry is [string, string] =>
              entry[0] !== 'electionId' && entry[0] !== 'minPosition' && entry[1] !== undefined,
          )
          .map(([name, value]) => ({ name, value })),
      }
    : undefined;

/** Refusals that concern the batch form itself (its date, its election), not one of the people ticked:
 * the same for every signer, so the form is shown again rather than a list of identical failures. */
const refusesTheForm = (error: DomainError): boolean =>
  error.code === 'ELECTION_NOT_FOUND' ||
  (error.details ?? []).some((detail) => detail.field !== 'nip');

/** A person's refusal without the `ASN {nip}` the rule's message starts with (the list names them). */
const reasonFor = (nip: string, error: DomainError): string =>
  (error.message.startsWith(`ASN ${nip} `)
    ? error.message.slice(`ASN ${nip} `.length)
    : error.message
  ).replace(/\.$/, '');

/** The flash travels in a cookie (about 4 KB at most): a long list names the first ones and counts the
 * rest, which the dashboard's list of who has not signed shows anyway. */
const FLASH_LISTED = 10;
const listed = (items: readonly string[]): string =>
  items.length > FLASH_LISTED
    ? `${items.slice(0, FLASH_LISTED).join('; ')}; dan ${items.length - FLASH_LISTED} lainnya`
    : items.join('; ');

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

  /**
   * Where and when a pakta was signed, as both pledge forms ask it: the cells, then the rules on the day
   * (`checkSignedDay`, as the decider asks them, for the election the form names), so an official hears
   * of every problem of the form at once rather than of the day's only once the rest is right.
   */
  private checkPlaceAndDay(
    values: { place: string; signedAt: string },
    errors: Record<string, string>,
    actor: ActorContext,
    electionId: string,
  ): void {
    // Reasons only: the error summary puts the field's label before them.
    if (!values.place) {
      errors.place = 'wajib diisi';
    }
    if (!values.signedAt) {
      errors.signedAt = 'wajib diisi';
      return;
    }
    if (!isCalendarDay(values.signedAt)) {
      errors.signedAt = 'harus tanggal yang sah (YYYY-MM-DD)';
      return;
    }
    const election = this.read
      .for(actor)
      .elections()
      .find((e) => e.electionId === electionId);
    const dayRule = election
      ? ruleReason((p) => checkSignedDay(p, values.signedAt, election, this.read.today()))
      : undefined;
    if (dayRule) {
      errors.signedAt = dayRule;
    }
  }

  /** The requested election, else the current one (`ScopedQueries.electionFor`). */
  private election(queries: ScopedQueries, requested?: string) {
    return queries.electionFor(this.read.today(), requested);
  }

  @Get('opd')
  @Roles('OPD_HEAD')
  async dashboard(
    @Actor() actor: ActorContext,
    @Query(QueryTexts) query: Record<string, string | undefined>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(query.minPosition);
    const queries = this.read.for(actor);
    const election = this.election(queries, query.electionId);
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
      picker: electionPicker('/opd', queries.elections(), election, query),
      row,
      opd: queries.opd(opdId),
      missing: missing.items,
      missingTotal: missing.total,
      late: late.items,
      cases: cases.items.map((c) => ({ ...c, actDescription: findAct(c.actCode)?.description })),
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
    status = 400,
  ) {
    const queries = this.read.for(actor);
    const election = electionId ? queries.election(electionId) : undefined;
    const opd = queries.opd(actor.opdId!);
    // The appointed head while they still work here: a transfer does not clear the appointment.
    const appointed = opd?.headNip ? this.read.unscoped.asn(opd.headNip) : undefined;
    const head = appointed?.opdId === actor.opdId ? appointed : undefined;
    const existing = election && head ? queries.pledge(election.electionId, head.nip) : undefined;
    res.status(errors ? status : 200).render('own-pledge', {
      title: 'Pakta integritas Kepala OPD',
      election,
      picker: electionPicker('/opd/pakta', queries.elections(), election),
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
    this.checkPlaceAndDay(values, errors, actor, electionId);
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
      const refusal = formRefusal(error);
      if (refusal) {
        return this.renderOwnPledge(
          res,
          actor,
          electionId,
          values,
          refusal.errors,
          refusal.message,
          refusal.status,
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
    status = 400,
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
    res.status(errors ? status : 200).render('staff-pledges', {
      title: 'Pakta integritas staf',
      election,
      picker: electionPicker('/opd/staf', queries.elections(), election),
      opd,
      missing: missing
        .filter((m) => m.nip !== opd?.headNip)
        .map((m) => ({ ...m, checked: values.nips.includes(m.nip) })),
      values,
      errors,
      formError,
    });
  }

  /** The name of an ASN of the head's own OPD; none for anyone else (the form never tells who works in
   * another OPD). */
  private staffName(actor: ActorContext, nip: string): string | undefined {
    try {
      return this.read.for(actor).asn(nip)?.name;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'OPD_SCOPE') {
        return undefined;
      }
      throw error;
    }
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
    this.checkPlaceAndDay(values, errors, actor, electionId);
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
    const recorded: string[] = [];
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
        recorded.push(nip);
      } catch (error) {
        const refusal = formRefusal(error);
        if (!refusal) {
          throw error;
        }
        if (!(error instanceof DomainError) || refusesTheForm(error)) {
          // The same answer awaits every other signer (the store out of reach too): the form again, its
          // values kept and only those not yet recorded ticked.
          return this.renderStaff(
            res,
            actor,
            electionId,
            { ...values, nips: nips.filter((n) => !recorded.includes(n)) },
            refusal.errors,
            recorded.length > 0
              ? `${recorded.length} pakta integritas staf telah tercatat; yang lain belum: ${refusal.message}`
              : refusal.message,
            refusal.status,
          );
        }
        const name = this.staffName(actor, nip);
        failed.push(`${name ? `${name} (NIP ${nip})` : `NIP ${nip}`}: ${reasonFor(nip, error)}`);
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
            message: `${
              recorded.length > 0
                ? `${recorded.length} pakta integritas staf telah tercatat`
                : 'Tidak ada pakta integritas staf yang tercatat'
            }; ${failed.length} tidak dapat dicatat: ${listed(failed)}.`,
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
    @Query(QueryTexts) query: Record<string, string | undefined>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(query.minPosition);
    const queries = this.read.for(actor);
    const election = this.election(queries, query.electionId);
    // Worst first, as on the API.
    const rows = election ? queries.complianceTable(election.electionId, this.read.today()) : [];
    // At most one valid certificate per OPD and election (CertificateService.issue): its number stands
    // where the issue button would be.
    const valid = new Map(
      election
        ? queries
            .certificates(
              { electionId: election.electionId, subjectType: 'OPD', status: 'VALID' },
              { page: 1, pageSize: 1000 },
            )
            .items.map((c) => [c.subject_id, c.certificate_id])
        : [],
    );
    res.render('compliance', {
      title: 'Kepatuhan OPD',
      flash: takeFlash(req, res),
      election,
      picker: electionPicker('/kepatuhan', queries.elections(), election, query),
      rows: rows.map((r) => ({ ...r, validCertificate: valid.get(r.opdId) })),
      summary: election ? queries.summary(election.electionId, this.read.today()) : undefined,
      chart: coverageChart([...rows].sort((a, b) => a.opdName.localeCompare(b.opdName))),
      certificates: election
        ? queries
            .certificates({ electionId: election.electionId }, { page: 1, pageSize: 50 })
            .items.map((c) => ({ ...c, subjectName: this.subjectName(queries, c) }))
        : [],
    });
  }

  /** Who a certificate is for, by name: the OPD, or the ASN with their NIP. */
  private subjectName(
    queries: ScopedQueries,
    certificate: { subject_type: string; subject_id: string },
  ): string {
    if (certificate.subject_type === 'OPD') {
      return queries.opd(certificate.subject_id)?.name ?? certificate.subject_id;
    }
    const asn = queries.asn(certificate.subject_id); // the bare NIP (certificateSubjectKey)
    return asn ? `${asn.name} (NIP ${asn.nip})` : `NIP ${certificate.subject_id}`;
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
