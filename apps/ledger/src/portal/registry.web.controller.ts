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
import { conflict, DomainError, type OpdKind } from '@netral/domain';
import type { Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  REVOCATION_REASON_MAX_LENGTH,
  RevokeCertificateDto,
} from '../certificates/certificate.dto';
import { CertificateService } from '../certificates/certificate.service';
import { repoRoot } from '../common/paths';
import { ReadSide } from '../compliance/read-side';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { AsnCommands, normaliseNip, OpdCommands } from '../registry/registry.commands';
import type { UploadedFileBytes } from '../common/upload';
import {
  ChangeAsnDetailsDto,
  EnrollAsnDto,
  OPD_KINDS,
  RegisterOpdDto,
  ReasonDto,
  RenameOpdDto,
  TransferAsnDto,
} from '../registry/registry.dto';
import {
  type ImportReport,
  problemKinds,
  RosterImport,
  slugify,
  SUMMARY_AFTER,
} from '../registry/roster-import';
import { setFlash, takeFlash } from './flash';
import {
  answer,
  formNamed,
  PAGE_SIZE,
  pageNumber,
  pager,
  QueryText,
  QueryTexts,
  submission,
  summaryOfForm,
  text,
  type FieldErrors,
  type Form,
  type Submission,
  validateAs,
} from './form';

/** The forms of an ASN's page: a new name or position, a move to another OPD, a departure, and the
 * appointment as head of their OPD. */
const ASN_FORMS = ['data', 'mutasi', 'keluar', 'kepala'] as const;
type AsnForm = (typeof ASN_FORMS)[number];

/** OPD kinds as the registry form offers them. */
const OPD_KIND_LABELS: Record<OpdKind, string> = {
  SEKRETARIAT_DAERAH: 'Sekretariat Daerah',
  SEKRETARIAT_DPRD: 'Sekretariat DPRD',
  INSPEKTORAT: 'Inspektorat',
  DINAS: 'Dinas',
  BADAN: 'Badan',
  KECAMATAN: 'Kecamatan',
  KELURAHAN: 'Kelurahan',
  RSUD: 'RSUD',
  SATPOL_PP: 'Satpol PP',
  LAINNYA: 'Lainnya',
};

/** The forms of an OPD's page (its ASN list): enrol one ASN, a new name, the dissolution. */
const OPD_FORMS = ['asn', 'nama', 'bubar'] as const;
type OpdForm = (typeof OPD_FORMS)[number];

/** A posted ASN or OPD form: its write answers with the new event's position. */
type RegistrySubmission = Submission<{ position: string | null }>;

/** Where the import page lists the bad rows (the error summary links to it). */
const PROBLEMS_ANCHOR = 'baris-bermasalah';

const IMPORTS = {
  asn: {
    label: 'Daftar ASN',
    columns: 'NIP; Nama; Jabatan; Jenis ASN (PNS/PPPK); Kode OPD',
    header: 'NIP;Nama;Jabatan;Jenis ASN;Kode OPD',
    sample: 'asn-bangli.csv',
  },
  opd: {
    label: 'Daftar OPD',
    columns: 'Kode OPD; Nama OPD; Jenis; Kode Induk (opsional); ID OPD (opsional)',
    header: 'Kode OPD;Nama OPD;Jenis;Kode Induk;ID OPD',
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
    private readonly asnCommands: AsnCommands,
    private readonly opdCommands: OpdCommands,
  ) {}

  @Get('registri')
  @Roles('HR', 'ADMIN')
  async opds(
    @Query('minPosition', QueryText) minPosition: string | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(minPosition);
    this.renderOpds(req, res, actor);
  }

  /** A new OPD from the registry page: the API's DTO and command; the id is made from the name when left
   * empty, as the OPD import does. */
  @Post('registri/opd')
  @Roles('HR', 'ADMIN')
  async registerOpd(
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const fields = body ?? {};
    const values = {
      code: text(fields, 'code'),
      name: text(fields, 'name'),
      kind: text(fields, 'kind'),
      opdId: text(fields, 'opdId'),
      parentOpdId: text(fields, 'parentOpdId'),
    };
    const { parentOpdId, ...rest } = values;
    const checked = validateAs(RegisterOpdDto, {
      ...rest,
      opdId: values.opdId || slugify(values.name),
      ...(parentOpdId ? { parentOpdId } : {}),
    });
    if (checked.errors && !values.opdId && checked.errors.name) {
      // An id made from a name left empty is not a second mistake: the name's error says it.
      delete checked.errors.opdId;
    }
    return answer(
      res,
      submission(values, `${values.name} (${values.code}) didaftarkan.`, checked, (dto) =>
        this.opdCommands.register(dto, actor),
      ),
      ({ position }) => `/registri?minPosition=${position ?? ''}`,
      (errors, message, status = 400) =>
        this.renderOpds(req, res, actor, { values, errors, message, status }),
    );
  }

  private renderOpds(
    req: Request,
    res: Response,
    actor: ActorContext,
    failed?: { values: Form; errors: FieldErrors; message: string; status: number },
  ) {
    const opds = this.read.for(actor).opds();
    const values = failed?.values ?? {};
    res.status(failed?.status ?? 200).render('registry', {
      title: 'Registri OPD',
      flash: takeFlash(req, res),
      opds,
      values,
      kinds: OPD_KINDS.map((kind) => ({
        value: kind,
        label: OPD_KIND_LABELS[kind],
        selected: kind === values.kind,
      })),
      parents: opds
        .filter((o) => o.status === 'ACTIVE')
        .map((o) => ({
          value: o.opdId,
          label: `${o.name} (${o.code})`,
          selected: o.opdId === values.parentOpdId,
        })),
      errors: failed?.errors,
      formError: failed?.message,
    });
  }

  @Get('registri/asn')
  @Roles('HR', 'ADMIN')
  async asn(
    @Query(QueryTexts) query: Record<string, string | undefined>,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(query.minPosition);
    this.renderAsnList(req, res, actor, query);
  }

  /**
   * One of an OPD's forms (on its ASN list): enrol one ASN, rename the OPD, dissolve it. Checked with the
   * API routes' DTOs and written by the same commands; errors and refusals are shown on the page.
   */
  @Post('registri/opd/:opdId/:form')
  @Roles('HR', 'ADMIN')
  async submitOpdForm(
    @Param('opdId') opdId: string,
    @Param('form') name: string,
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const form = formNamed(OPD_FORMS, name);
    const opd = this.read.for(actor).opd(opdId);
    if (!opd) {
      throw new NotFoundException({
        code: 'OPD_NOT_FOUND',
        message: `OPD ${opdId} tidak ada di registri.`,
      });
    }
    const fields = body ?? {};
    const posted = ((): RegistrySubmission => {
      switch (form) {
        case 'asn': {
          const values = {
            nip: text(fields, 'nip'),
            name: text(fields, 'name'),
            position: text(fields, 'position'),
            employmentType: text(fields, 'employmentType'),
          };
          return submission(
            values,
            `${values.name} (${values.nip}) didaftarkan di ${opd.name}.`,
            validateAs(EnrollAsnDto, { ...values, opdId: opd.opdId }),
            (dto) => this.asnCommands.enroll(dto, actor),
          );
        }
        case 'nama': {
          const values = { name: text(fields, 'name') };
          return submission(
            values,
            `Nama OPD diubah menjadi ${values.name}.`,
            validateAs(RenameOpdDto, values),
            async (dto) => {
              const result = await this.opdCommands.rename(opd.opdId, dto.name, actor);
              // The API answers a rename to the same name with nothing written (position null); the page
              // says so, as it does for ASN details that change nothing, rather than "renamed".
              if (result.position === null) {
                throw conflict(
                  'OPD_NAME_UNCHANGED',
                  `Nama OPD sudah ${dto.name}: tidak ada yang diubah.`,
                  [
                    {
                      field: 'name',
                      reason: 'sama dengan nama sekarang',
                      code: 'OPD_NAME_UNCHANGED',
                    },
                  ],
                );
              }
              return result;
            },
          );
        }
        case 'bubar': {
          const values = { reason: text(fields, 'reason') };
          return submission(
            values,
            `${opd.name} dibubarkan.`,
            validateAs(ReasonDto, values),
            (dto) => this.opdCommands.dissolve(opd.opdId, dto.reason, actor),
          );
        }
      }
    })();
    return answer(
      res,
      posted,
      ({ position }) =>
        `/registri/asn?${new URLSearchParams({ opdId: opd.opdId, minPosition: position ?? '' }).toString()}`,
      (errors, message, status) =>
        this.renderAsnList(
          req,
          res,
          actor,
          { opdId: opd.opdId },
          { form, values: posted.values, errors, message, status },
        ),
    );
  }

  private renderAsnList(
    req: Request,
    res: Response,
    actor: ActorContext,
    query: Record<string, string | undefined>,
    failed?: { form: OpdForm; values: Form; errors: FieldErrors; message: string; status?: number },
  ) {
    const queries = this.read.for(actor);
    const opd = query.opdId ? queries.opd(query.opdId) : undefined;
    const q = query.q?.trim() ?? '';
    const page = pageNumber(query.page);
    const result = queries.asnList(
      { ...(opd ? { opdId: opd.opdId } : {}), ...(q ? { q } : {}) },
      { page, pageSize: PAGE_SIZE },
    );
    const link = (p: number) =>
      `/registri/asn?${new URLSearchParams({ ...(opd ? { opdId: opd.opdId } : {}), ...(q ? { q } : {}), page: String(p) }).toString()}`;
    const form = (name: OpdForm) => ({
      values: failed?.form === name ? failed.values : {},
      errors: failed?.form === name ? failed.errors : undefined,
    });
    res.status(failed ? (failed.status ?? 400) : 200).render('registry-asn', {
      title: opd ? `ASN ${opd.name}` : 'Cari ASN',
      flash: takeFlash(req, res),
      opd: opd && { ...opd, active: opd.status === 'ACTIVE' },
      q,
      total: result.total,
      items: result.items.map((a) => ({
        ...a,
        opdName: opd?.name ?? queries.opd(a.opdId)?.name ?? a.opdId,
      })),
      ...pager(result.total, page, PAGE_SIZE, link),
      asnForm: {
        ...form('asn'),
        types: ['PNS', 'PPPK'].map((value) => ({
          value,
          label: value,
          selected: form('asn').values.employmentType === value,
        })),
      },
      namaForm: form('nama'),
      bubarForm: form('bubar'),
      formError: failed?.message,
      errors: summaryOfForm(failed),
    });
  }

  @Get('registri/asn/:nip')
  @Roles('HR', 'ADMIN')
  async asnDetail(
    @Param('nip') nip: string,
    @Query('minPosition', QueryText) minPosition: string | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(minPosition);
    this.renderAsn(req, res, actor, nip);
  }

  private currentAsn(actor: ActorContext, nip: string) {
    const asn = this.read.for(actor).asn(normaliseNip(nip));
    if (!asn) {
      throw new NotFoundException({
        code: 'ASN_NOT_FOUND',
        message: `ASN dengan NIP ${nip} tidak ada di registri.`,
      });
    }
    return asn;
  }

  private renderAsn(
    req: Request,
    res: Response,
    actor: ActorContext,
    nip: string,
    failed?: { form: AsnForm; values: Form; errors: FieldErrors; message: string; status?: number },
  ) {
    const queries = this.read.for(actor);
    const asn = this.currentAsn(actor, nip);
    const value = (form: AsnForm, key: string, fallback = ''): string => {
      const given = failed?.form === form ? failed.values[key] : undefined;
      return typeof given === 'string' ? given : fallback;
    };
    const errorsOf = (form: AsnForm) => (failed?.form === form ? failed.errors : undefined);
    const toOpdId = value('mutasi', 'toOpdId');
    const opd = queries.opd(asn.opdId);
    res.status(failed ? (failed.status ?? 400) : 200).render('registry-asn-detail', {
      title: `ASN ${asn.name}`,
      flash: takeFlash(req, res),
      asn: {
        ...asn,
        opdName: opd?.name ?? asn.opdId,
        active: asn.status === 'ACTIVE',
        // The head in office (the read model clears it when their term ends): a move or a departure
        // leaves the post vacant, which the forms say before it happens.
        head: asn.status === 'ACTIVE' && opd?.headNip === asn.nip,
      },
      // Whom an appointment of this ASN would replace (none: the post is vacant).
      sittingHead: opd?.headNip && opd.headNip !== asn.nip ? queries.asn(opd.headNip) : undefined,
      data: {
        values: {
          name: value('data', 'name', asn.name),
          position: value('data', 'position', asn.position),
          reason: value('data', 'reason'),
        },
        errors: errorsOf('data'),
      },
      mutasi: {
        options: queries
          .opds()
          .filter((o) => o.status === 'ACTIVE' && o.opdId !== asn.opdId)
          .map((o) => ({
            value: o.opdId,
            label: `${o.name} (${o.code})`,
            selected: o.opdId === toOpdId,
          })),
        errors: errorsOf('mutasi'),
      },
      keluar: { values: { reason: value('keluar', 'reason') }, errors: errorsOf('keluar') },
      formError: failed?.message,
      errors: summaryOfForm(failed),
    });
  }

  /**
   * One of the ASN page's forms, checked like its API route (the same DTO) and written by the same command;
   * errors and refusals are shown on the page, success goes back to it once the read model has the change.
   */
  @Post('registri/asn/:nip/:form')
  @Roles('HR', 'ADMIN')
  async submitAsnForm(
    @Param('nip') nip: string,
    @Param('form') name: string,
    // Undefined when the post has no body a parser knows.
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const form = formNamed(ASN_FORMS, name);
    const posted = this.submissionOf(form, this.currentAsn(actor, nip), body ?? {}, actor);
    return answer(
      res,
      posted,
      ({ position }) =>
        `/registri/asn/${encodeURIComponent(normaliseNip(nip))}?minPosition=${position ?? ''}`,
      (errors, message, status) =>
        this.renderAsn(req, res, actor, nip, {
          form,
          values: posted.values,
          errors,
          message,
          status,
        }),
    );
  }

  /** What a form's fields mean: the values to show again, the DTO's verdict, and the command to run. */
  private submissionOf(
    form: AsnForm,
    asn: { nip: string; name: string; position: string; opdId: string },
    fields: Form,
    actor: ActorContext,
  ): RegistrySubmission {
    switch (form) {
      case 'data': {
        const values = {
          name: text(fields, 'name'),
          position: text(fields, 'position'),
          reason: text(fields, 'reason'),
        };
        // The form shows both values; only an edited one is a change (neither: the DTO says to fill one).
        const change = {
          ...(values.name === asn.name ? {} : { name: values.name }),
          ...(values.position === asn.position ? {} : { position: values.position }),
          reason: values.reason,
        };
        return submission(
          values,
          `Data ${asn.nip} diperbarui.`,
          validateAs(ChangeAsnDetailsDto, change),
          (dto) => this.asnCommands.changeDetails(asn.nip, dto, actor),
        );
      }
      case 'mutasi': {
        const values = { toOpdId: text(fields, 'toOpdId') };
        return submission(
          values,
          `${asn.nip} dipindahkan.`,
          validateAs(TransferAsnDto, values),
          (dto) => this.asnCommands.transfer(asn.nip, dto.toOpdId, actor),
        );
      }
      case 'kepala':
        // No fields: the ASN and their OPD are the page's; the rules (active there) are the command's.
        return submission({}, `${asn.name} ditetapkan sebagai kepala OPD.`, { value: {} }, () =>
          this.opdCommands.appointHead(asn.opdId, asn.nip, actor),
        );
      case 'keluar': {
        const values = { reason: text(fields, 'reason') };
        return submission(
          values,
          `${asn.nip} dicatat keluar.`,
          validateAs(ReasonDto, values),
          (dto) => this.asnCommands.recordLeft(asn.nip, dto.reason, actor),
        );
      }
    }
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
      dryRun?: boolean;
      errors?: FieldErrors;
      report?: ImportReport;
    } = {},
  ) {
    const all = state.report?.errors ?? [];
    // A problem of the file as a whole (not text, not the columns of this import) is said on its field: it
    // is not "1 of 0 rows". Rows are listed in the table, every one (so one round of fixes is enough).
    const fileProblems = all.filter((p) => p.file);
    const problems = all.filter((p) => !p.file);
    const badLines = new Set(problems.map((p) => p.line)).size;
    const kind = state.kind ?? 'asn';
    const fieldErrors: FieldErrors | undefined =
      fileProblems.length > 0
        ? { [`file-${kind}`]: fileProblems.map((p) => p.reason).join('; ') }
        : state.errors;
    const errors: FieldErrors | undefined =
      all.length > 0
        ? {
            ...fieldErrors,
            ...(problems.length > 0
              ? {
                  [PROBLEMS_ANCHOR]: `${problems.length} masalah pada ${badLines} baris; lihat tabel di bawah.`,
                }
              : {}),
          }
        : state.errors;
    res.status(errors ? 400 : 200).render('registry-import', {
      title: 'Impor CSV',
      flash: state.flash,
      imports: Object.entries(IMPORTS).map(([name, info]) => ({
        kind: name,
        ...info,
        errors: kind === name ? fieldErrors : undefined,
        dryRun: kind === name && state.dryRun === true,
      })),
      errors,
      formError: errors
        ? all.length > 0
          ? `Berkas ${IMPORTS[kind].label} tidak diimpor: tidak ada data yang disimpan. ${problems.length > 0 ? 'Perbaiki setiap baris yang disebut lalu unggah lagi.' : 'Perbaiki berkasnya lalu unggah lagi.'}`
          : 'Periksa isian yang ditandai.'
        : undefined,
      report: problems.length > 0 ? state.report : undefined,
      problems,
      badLines,
      kinds: problems.length > SUMMARY_AFTER ? problemKinds(problems) : undefined,
    });
  }

  @Post('registri/impor/:kind')
  @Roles('HR', 'ADMIN')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 50 * 1024 * 1024, files: 1 } }))
  async import(
    @Param('kind') kind: string,
    // Undefined when the post has no body a parser knows (e.g. not multipart).
    @Body() form: Form | undefined,
    @UploadedFile() file: UploadedFileBytes | undefined,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    if (kind !== 'asn' && kind !== 'opd') {
      res.redirect(303, '/registri/impor');
      return;
    }
    const dryRun = form?.dryRun === 'ya';
    if (!file || file.size === 0) {
      return this.renderImport(res, {
        kind,
        dryRun,
        errors: {
          [`file-${kind}`]: file ? 'berkas kosong' : 'pilih berkas CSV terlebih dahulu',
        },
      });
    }
    const input = Readable.from([file.buffer]);
    const options = { dryRun };
    const report =
      kind === 'asn'
        ? await this.roster.importAsn(input, actor, options)
        : await this.roster.importOpds(input, actor, options);
    if (report.errors.length > 0) {
      return this.renderImport(res, { kind, dryRun, report });
    }
    const counts = `${report.rows} baris: ${report.created} baru${report.transferred ? `, ${report.transferred} pindah OPD` : ''}${report.updated ? `, ${report.updated} ganti jabatan` : ''}, ${report.unchanged} tidak berubah`;
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
  revokeForm(
    @Param('certificateId') certificateId: string,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    this.renderRevoke(res, actor, certificateId, '');
  }

  private renderRevoke(
    res: Response,
    actor: ActorContext,
    certificateId: string,
    reason: string,
    errors?: FieldErrors,
  ) {
    const queries = this.read.for(actor);
    const row = this.certificates.row(certificateId);
    res.status(errors ? 400 : 200).render('certificate-revoke', {
      title: `Cabut ${certificateId}`,
      certificate: row,
      subject:
        row.subject_type === 'OPD'
          ? (queries.opd(row.subject_id)?.name ?? row.subject_id)
          : (queries.asn(row.subject_id)?.name ?? row.subject_id),
      values: { reason },
      errors,
      formError: errors ? 'Periksa isian yang ditandai.' : undefined,
    });
  }

  @Post('sertifikat/:certificateId/pencabutan')
  @Roles('HR')
  async revoke(
    @Param('certificateId') certificateId: string,
    // Undefined when the post has no body a parser knows.
    @Body() form: Form | undefined,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    const reason = text(form ?? {}, 'reason');
    // The API's own DTO: the page accepts exactly what POST /api/v1/certificates/:id/revocation accepts.
    const checked = validateAs(RevokeCertificateDto, { reason });
    if (checked.errors) {
      return this.renderRevoke(res, actor, certificateId, reason, {
        reason: reason
          ? `paling panjang ${REVOCATION_REASON_MAX_LENGTH} karakter (sekarang ${reason.length})`
          : 'wajib diisi',
      });
    }
    const back = (position?: string | null) => {
      const electionId = this.certificates.row(certificateId).election_id;
      return `/kepatuhan?electionId=${encodeURIComponent(electionId)}${position ? `&minPosition=${position}` : ''}`;
    };
    try {
      const result = await this.certificates.revoke(certificateId, checked.value.reason, actor);
      setFlash(res, { kind: 'success', message: `Sertifikat ${certificateId} dicabut.` });
      res.redirect(303, back(result.position));
    } catch (error) {
      // An unknown certificate is a 404 page; any other refusal (already revoked, e.g. by a confirmed case
      // meanwhile) is told on the compliance page, where the certificate's current status shows.
      if (error instanceof DomainError && error.kind !== 'NOT_FOUND') {
        setFlash(res, { kind: 'error', message: error.message });
        res.redirect(303, back());
        return;
      }
      throw error;
    }
  }
}
