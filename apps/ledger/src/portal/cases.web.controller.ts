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
import {
  type CaseEvent,
  checkOccurredDay,
  checkSanctionFields,
  EVENT_TYPE_LABELS,
  findAct,
  findSanction,
  isCalendarDay,
  type LedgerEventType,
  SANCTION_KINDS,
  streams,
  VIOLATION_ACTS,
  type ViolationAct,
} from '@netral/domain';
import { EventStore, StreamNotFoundError } from '@netral/event-store';
import type { Request, Response } from 'express';
import {
  ConfirmViolationDto,
  ImposeSanctionDto,
  ReportViolationDto,
  VerifyCaseDto,
} from '../cases/case.dto';
import { Clock } from '../common/clock';
import { CaseCommands } from '../cases/case.commands';
import { ReadSide } from '../compliance/read-side';
import { DOCUMENT_MAX_BYTES, DocumentStore, documentProblem } from '../documents/document-store';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { assertOpdScope } from '../identity/opd-scope';
import { Roles } from '../identity/roles.decorator';
import type { UploadedFileBytes } from '../common/upload';
import { setFlash, takeFlash } from './flash';
import {
  addRuleReasons,
  formRefusal,
  PAGE_SIZE,
  pageNumber,
  pager,
  QueryText,
  QueryTexts,
  ruleReason,
  submitForm,
  text,
  type FieldErrors,
  type Form,
  validateAs,
} from './form';
import { CASE_STATUS_LABELS } from '@netral/domain';

const CLOCK_LABELS: Record<string, string> = {
  VERIFICATION: 'Verifikasi awal',
  REVIEW: 'Kajian Bawaslu',
  FOLLOW_UP: 'Tindak lanjut PPK',
};

const SOURCES = [
  { value: 'BAWASLU_FINDING', label: 'Temuan Bawaslu' },
  { value: 'PUBLIC_REPORT', label: 'Laporan masyarakat' },
  { value: 'INTERNAL', label: 'Laporan internal instansi' },
];

const AUTHORITIES = [
  { value: 'KASN', label: 'KASN' },
  { value: 'BKN', label: 'BKN' },
  { value: 'OTHER', label: 'Lainnya' },
];

/** A recommended discipline level (ViolationConfirmed.recommendation.discipline) and an act's level in
 * the catalogue, in words. */
const DISCIPLINE_LEVEL_LABELS: Record<string, string> = {
  RINGAN: 'sanksi disiplin tingkat ringan',
  SEDANG: 'sanksi disiplin tingkat sedang',
  BERAT: 'sanksi disiplin tingkat berat',
  PTDH: 'pemberhentian tidak dengan hormat (PTDH)',
};

const labelOf = (values: readonly { value: string; label: string }[], code: string) =>
  values.find((v) => v.value === code)?.label ?? code;

const sanctionLabel = (code: string) => findSanction(code)?.description ?? code;

/** "Sanksi moral pernyataan secara terbuka · sanksi disiplin tingkat sedang". */
const recommendationLabel = (recommendation: { ethics?: string; discipline?: string }) =>
  [
    recommendation.ethics ? sanctionLabel(recommendation.ethics) : undefined,
    recommendation.discipline
      ? (DISCIPLINE_LEVEL_LABELS[recommendation.discipline] ?? recommendation.discipline)
      : undefined,
  ]
    .filter(Boolean)
    .join(' · ');

/** The evidence kinds DocumentStore keeps, and the file extension a download is named with. */
const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

const options = <T extends string>(
  values: readonly { value: T; label: string }[],
  selected: string,
) => values.map((o) => ({ ...o, selected: o.value === selected }));

const actOptions = (selected: string) =>
  options(
    VIOLATION_ACTS.map((a: ViolationAct) => ({
      value: a.code,
      label: `${a.code} — ${a.description}`,
    })),
    selected,
  );

const FILE_AGAIN = 'Pilih berkas bukti lagi: berkas tidak dapat disimpan sebelum isian lain benar.';

/** The SLA badge of a case as the list and detail pages show it. */
const slaBadge = (sla: { clock: string | null; dueBy: string | null; overdue: boolean }) =>
  sla.clock
    ? {
        label: CLOCK_LABELS[sla.clock] ?? sla.clock,
        dueBy: sla.dueBy,
        overdue: sla.overdue,
      }
    : undefined;

/**
 * Bawaslu's case pages (report with evidence, list by SLA, detail with timeline, verification, confirmation,
 * dismissal) and HR's record of the PPK's sanction decision. The same CaseCommands as the API write.
 */
@ApiExcludeController()
@Controller('kasus')
export class CasesWebController {
  constructor(
    private readonly read: ReadSide,
    private readonly cases: CaseCommands,
    private readonly documents: DocumentStore,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('BAWASLU', 'HR', 'ADMIN')
  async list(
    @Query(QueryTexts) query: Record<string, string | undefined>,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(query.minPosition);
    const queries = this.read.for(actor);
    const status = Object.hasOwn(CASE_STATUS_LABELS, query.status ?? '') ? query.status : undefined;
    const overdue = query.overdue === 'ya';
    const sanctionPending = query.sanctionPending === 'ya';
    const page = pageNumber(query.page);
    const result = queries.cases(
      {
        ...(status ? { status } : {}),
        ...(overdue ? { overdue: true } : {}),
        ...(sanctionPending ? { sanctionPending: true } : {}),
      },
      this.read.today(),
      { page, pageSize: PAGE_SIZE },
    );
    const link = (p: number) =>
      `/kasus?${new URLSearchParams({
        ...(status ? { status } : {}),
        ...(overdue ? { overdue: 'ya' } : {}),
        ...(sanctionPending ? { sanctionPending: 'ya' } : {}),
        page: String(p),
      }).toString()}`;
    res.render('cases', {
      title: 'Kasus pelanggaran',
      flash: takeFlash(req, res),
      total: result.total,
      alerts: queries.caseAlerts(this.read.today()),
      cases: result.items.map((c) => ({
        ...c,
        opdName: queries.opd(c.opdId)?.name ?? c.opdId,
        actDescription: findAct(c.actCode)?.description,
        badge: slaBadge(c.sla),
      })),
      statuses: options(
        Object.entries(CASE_STATUS_LABELS).map(([value, label]) => ({ value, label })),
        status ?? '',
      ),
      overdue,
      sanctionPending,
      ...pager(result.total, page, PAGE_SIZE, link),
    });
  }

  @Get('baru')
  @Roles('BAWASLU')
  reportForm(
    @Query('q', QueryText) q: string | undefined,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    this.renderReport(res, actor, { q: q ?? '', occurredAt: this.read.today() });
  }

  private renderReport(
    res: Response,
    actor: ActorContext,
    values: Form,
    errors?: FieldErrors,
    formError?: string,
    status = 400,
  ) {
    const queries = this.read.for(actor);
    const q = typeof values.q === 'string' ? values.q.trim() : '';
    const matches =
      q.length >= 3
        ? queries.asnList({ q, activeOnly: true }, { page: 1, pageSize: 20 })
        : undefined;
    const chosen = typeof values.nip === 'string' ? values.nip : '';
    const elections = queries.elections();
    res.status(errors ? status : 200).render('case-report', {
      title: 'Laporkan pelanggaran',
      values,
      errors,
      formError,
      searched: q.length > 0,
      tooShort: q.length > 0 && q.length < 3,
      matches: matches?.items.map((m) => ({
        ...m,
        opdName: queries.opd(m.opdId)?.name ?? m.opdId,
        checked: m.nip === chosen,
      })),
      moreMatches: matches ? matches.total > matches.items.length : false,
      // A NIP chosen from an earlier search stays chosen; a typed one with a problem stays editable.
      chosen:
        chosen && !errors?.nip && !matches?.items.some((m) => m.nip === chosen)
          ? chosen
          : undefined,
      elections: options(
        elections.map((e) => ({ value: e.electionId, label: e.name })),
        typeof values.electionId === 'string'
          ? values.electionId
          : (queries.electionFor(this.read.today())?.electionId ?? ''),
      ),
      acts: actOptions(typeof values.actCode === 'string' ? values.actCode : ''),
      sources: options(SOURCES, typeof values.source === 'string' ? values.source : ''),
      maxMb: DOCUMENT_MAX_BYTES / 1024 / 1024,
    });
  }

  @Post()
  @Roles('BAWASLU')
  @UseInterceptors(
    FileInterceptor('evidence', { limits: { fileSize: DOCUMENT_MAX_BYTES + 1, files: 1 } }),
  )
  async report(
    @Body() form: Form,
    @UploadedFile() file: UploadedFileBytes | undefined,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    const values = {
      q: text(form, 'q'),
      electionId: text(form, 'electionId'),
      nip: text(form, 'nip'),
      source: text(form, 'source'),
      actCode: text(form, 'actCode'),
      occurredAt: text(form, 'occurredAt'),
      summary: text(form, 'summary'),
      evidenceDescription: text(form, 'evidenceDescription'),
    };
    const checked = validateAs(ReportViolationDto, {
      electionId: values.electionId,
      nip: values.nip,
      source: values.source,
      actCode: values.actCode,
      occurredAt: values.occurredAt,
      summary: values.summary,
    });
    const errors: FieldErrors = { ...checked.errors };
    if (!values.nip) {
      errors.nip = 'Cari lalu pilih ASN yang dilaporkan (atau ketik NIP-nya).';
    }
    // The day's rules too (as the decider asks them), so every problem of the report is told at once.
    const dayRule =
      !errors.occurredAt && isCalendarDay(values.occurredAt)
        ? ruleReason((p) => checkOccurredDay(p, values.occurredAt, this.read.today()))
        : undefined;
    if (dayRule) {
      errors.occurredAt = dayRule;
    }
    const problem = file ? documentProblem(file.buffer) : undefined;
    if (problem) {
      errors.evidence = `${problem} Pilih berkas lagi.`;
    }
    if (file && !problem && !values.evidenceDescription) {
      errors.evidenceDescription = 'Jelaskan isi bukti yang dilampirkan.';
    }
    if (!file && values.evidenceDescription) {
      // A description alone would be recorded as nothing: say so rather than drop it.
      errors.evidence =
        'Keterangan bukti diisi tetapi belum ada berkas: pilih berkas bukti, atau kosongkan keterangan bukti.';
    }
    // A browser cannot keep a chosen file across the re-rendered form: a good file sent with other
    // problems must be chosen again, or the next submission would record the case without it.
    const chooseAgain = file && !problem ? FILE_AGAIN : undefined;
    if (Object.keys(errors).length > 0 || !checked.value) {
      return this.renderReport(
        res,
        actor,
        values,
        chooseAgain ? { ...errors, evidence: chooseAgain } : errors,
        'Periksa isian yang ditandai.',
      );
    }
    try {
      const evidence = file ? this.documents.put(file.buffer) : undefined;
      const result = await this.cases.report(
        {
          ...checked.value,
          ...(evidence
            ? {
                evidence: [{ sha256: evidence.sha256, description: values.evidenceDescription }],
              }
            : {}),
        },
        actor,
      );
      setFlash(res, {
        kind: 'success',
        message: `Kasus ${result.caseId} tercatat.${evidence ? ` Bukti disimpan (SHA-256 ${evidence.sha256.slice(0, 12)}…).` : ''}`,
      });
      res.redirect(303, `/kasus/${result.caseId}?minPosition=${result.position ?? ''}`);
    } catch (error) {
      const refusal = formRefusal(error);
      if (refusal) {
        return this.renderReport(
          res,
          actor,
          values,
          chooseAgain ? { ...refusal.errors, evidence: chooseAgain } : refusal.errors,
          refusal.message,
          refusal.status,
        );
      }
      throw error;
    }
  }

  @Get(':caseId')
  @Roles('BAWASLU', 'HR', 'ADMIN')
  async detail(
    @Param('caseId') caseId: string,
    @Query('minPosition', QueryText) minPosition: string | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(minPosition);
    await this.renderDetail(req, res, actor, caseId);
  }

  private async renderDetail(
    req: Request,
    res: Response,
    actor: ActorContext,
    caseId: string,
    failed?: { values: Form; errors: FieldErrors; message: string; status?: number },
  ) {
    const queries = this.read.for(actor);
    const detail = queries.caseDetail(caseId, this.read.today());
    const events = await this.caseEvents(caseId);
    if (!detail || events.length === 0) {
      throw new NotFoundException({
        code: 'CASE_NOT_FOUND',
        message: `Kasus ${caseId} tidak ditemukan.`,
      });
    }
    const history = events.map((e) => ({ type: e.type, data: e.data }) as CaseEvent);
    const reported = history[0].data as Partial<
      Extract<CaseEvent, { type: 'ViolationReported' }>['data']
    >;
    const confirmed = history.find((e) => e.type === 'ViolationConfirmed')?.data;
    const dismissed = history.find((e) => e.type === 'ViolationDismissed')?.data;
    const sanctions = history.flatMap((e) => (e.type === 'SanctionImposed' ? [e.data] : []));
    const asn = queries.asn(detail.nip);
    const bawaslu = actor.role === 'BAWASLU';
    const values = failed?.values ?? {};
    const formValue = (key: string, fallback = '') =>
      typeof values[key] === 'string' ? values[key] : fallback;
    const forms = {
      verify: bawaslu && detail.status === 'REPORTED',
      confirm: bawaslu && detail.status === 'VERIFIED',
      dismiss: bawaslu && detail.status === 'VERIFIED',
      sanction:
        actor.role === 'HR' &&
        (detail.status === 'CONFIRMED' || detail.status === 'SANCTIONED') &&
        detail.sanctionPending,
    };
    const act = findAct(detail.actCode);
    res.status(failed ? (failed.status ?? 400) : 200).render('case-detail', {
      title: `Kasus ${caseId}`,
      flash: takeFlash(req, res),
      c: {
        ...detail,
        badge: slaBadge(detail.sla),
        actDescription: act?.description,
        actLevel: act?.discipline ? DISCIPLINE_LEVEL_LABELS[act.discipline] : undefined,
        occurredAt: reported.occurredAt,
        sourceLabel: labelOf(SOURCES, detail.source),
        recommendationLabel: confirmed ? recommendationLabel(confirmed.recommendation) : undefined,
      },
      confirmed: confirmed && {
        ...confirmed,
        authorityLabel: labelOf(AUTHORITIES, confirmed.authority),
      },
      dismissed,
      sanctions: sanctions.map((s) => ({
        ...s,
        kindLabel: sanctionLabel(s.kind),
        trackLabel:
          s.track === 'ETHICS'
            ? 'Sanksi etik'
            : s.track === 'DISMISSAL'
              ? 'Pemberhentian'
              : 'Sanksi disiplin',
      })),
      asn,
      opd: queries.opd(detail.opdId),
      evidence: reported.evidence ?? [],
      timeline: events.map((e) => ({
        label: EVENT_TYPE_LABELS[e.type as LedgerEventType] ?? e.type,
        type: e.type,
        position: String(e.position),
        recorded: e.created.toISOString(),
        actor: e.metadata,
        details: Object.entries(e.data as Record<string, unknown>)
          .filter(([key]) => !['caseId', 'nip', 'opdId', 'electionId', 'evidence'].includes(key))
          .map(([key, value]) => ({
            key,
            value: typeof value === 'string' ? value : JSON.stringify(value),
          })),
      })),
      forms,
      formError: failed?.message,
      errors: failed?.errors,
      values: {
        note: formValue('note'),
        findings: formValue('findings'),
        reason: formValue('reason'),
        decreeNumber: formValue('decreeNumber'),
        decidedBy: formValue('decidedBy', 'Bupati'),
        decidedAt: formValue('decidedAt', this.read.today()),
        effectiveFrom: formValue('effectiveFrom', this.read.today()),
        effectiveUntil: formValue('effectiveUntil'),
        legalBasis: formValue('legalBasis'),
      },
      authorities: options(AUTHORITIES, formValue('authority')),
      ethicsOptions: options(
        SANCTION_KINDS.filter((k) => k.track === 'ETHICS').map((k) => ({
          value: k.code,
          label: k.description,
        })),
        formValue('ethics'),
      ),
      disciplineOptions: options(
        [
          { value: 'RINGAN', label: 'Ringan' },
          { value: 'SEDANG', label: 'Sedang' },
          { value: 'BERAT', label: 'Berat' },
          { value: 'PTDH', label: 'Pemberhentian tidak dengan hormat (PTDH)' },
        ],
        formValue('discipline'),
      ),
      sanctionKinds: options(
        SANCTION_KINDS.map((k) => ({
          value: k.code,
          label: `${k.description} (${k.track === 'ETHICS' ? 'etik' : k.level ? `disiplin ${k.level.toLowerCase()}` : 'pemberhentian'}; ${k.legalBasis})`,
        })),
        formValue('kind'),
      ),
    });
  }

  /** The case's own stream: every event with who recorded it (the audit trail of this case). */
  private async caseEvents(caseId: string) {
    const events = [];
    try {
      for await (const event of this.store.readStream(streams.case(caseId))) {
        events.push(event);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) {
        throw error;
      }
    }
    return events;
  }

  @Get(':caseId/bukti/:sha256')
  @Roles('BAWASLU', 'HR', 'ADMIN')
  async evidence(
    @Param('caseId') caseId: string,
    @Param('sha256') sha256: string,
    @Actor() actor: ActorContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const [reported] = await this.caseEvents(caseId);
    const data = reported?.data as { opdId?: string; evidence?: { sha256: string }[] } | undefined;
    if (data?.opdId) {
      // Scoped here too, not only by @Roles: widening the roles must not open other OPDs' evidence.
      assertOpdScope(actor, data.opdId);
    }
    const listed = data?.evidence;
    const kept = listed?.some((e) => e.sha256 === sha256) ? this.documents.get(sha256) : undefined;
    if (!kept) {
      throw new NotFoundException({
        code: 'EVIDENCE_NOT_FOUND',
        message: `Bukti ${sha256} tidak tercatat pada kasus ${caseId} atau berkasnya tidak tersedia.`,
      });
    }
    res.setHeader('Content-Type', kept.mediaType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="bukti-${caseId}-${sha256.slice(0, 12)}${EXTENSIONS[kept.mediaType] ?? ''}"`,
    );
    return new StreamableFile(kept.bytes);
  }

  /** Runs a case command from a form: PRG to the detail on success, the form again with errors if not. */
  private async act(
    req: Request,
    res: Response,
    actor: ActorContext,
    caseId: string,
    values: Form,
    run: () => Promise<{ position: string | null }>,
    done: string,
    errors: FieldErrors = {},
  ) {
    if (Object.keys(errors).length > 0) {
      return this.renderDetail(req, res, actor, caseId, {
        values,
        errors,
        message: 'Periksa isian yang ditandai.',
      });
    }
    return submitForm(
      res,
      run,
      ({ position }) => ({
        message: done,
        location: `/kasus/${encodeURIComponent(caseId)}?minPosition=${position ?? ''}`,
      }),
      // A refusal because of the case's state is a conflict, as on the API.
      (errors, message, status) =>
        this.renderDetail(req, res, actor, caseId, { values, errors, message, status }),
    );
  }

  @Post(':caseId/verifikasi')
  @Roles('BAWASLU')
  verify(
    @Param('caseId') caseId: string,
    @Body() form: Form,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = { note: text(form, 'note') };
    const checked = validateAs(VerifyCaseDto, values.note ? values : {});
    return this.act(
      req,
      res,
      actor,
      caseId,
      values,
      () => this.cases.verify(caseId, checked.value!, actor),
      'Kasus diverifikasi; tenggat kajian Bawaslu berjalan.',
      checked.errors,
    );
  }

  @Post(':caseId/konfirmasi')
  @Roles('BAWASLU')
  confirm(
    @Param('caseId') caseId: string,
    @Body() form: Form,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = {
      findings: text(form, 'findings'),
      authority: text(form, 'authority'),
      ethics: text(form, 'ethics'),
      discipline: text(form, 'discipline'),
    };
    const checked = validateAs(ConfirmViolationDto, {
      findings: values.findings,
      authority: values.authority,
      recommendation: {
        ...(values.ethics ? { ethics: values.ethics } : {}),
        ...(values.discipline ? { discipline: values.discipline } : {}),
      },
    });
    const errors: FieldErrors = {};
    for (const [field, message] of Object.entries(checked.errors ?? {})) {
      errors[field.replace(/^recommendation\./, '')] = message;
    }
    if (!values.ethics && !values.discipline) {
      errors.ethics = 'Pilih rekomendasi sanksi etik, disiplin, atau keduanya.';
    }
    return this.act(
      req,
      res,
      actor,
      caseId,
      values,
      () => this.cases.confirm(caseId, checked.value!, actor),
      'Pelanggaran dinyatakan terbukti; rekomendasi dicatat dan tenggat tindak lanjut PPK berjalan.',
      errors,
    );
  }

  @Post(':caseId/penghentian')
  @Roles('BAWASLU')
  dismiss(
    @Param('caseId') caseId: string,
    @Body() form: Form,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = { reason: text(form, 'reason') };
    return this.act(
      req,
      res,
      actor,
      caseId,
      values,
      () => this.cases.dismiss(caseId, values.reason, actor),
      'Kasus dihentikan.',
      values.reason ? {} : { reason: 'Alasan penghentian wajib diisi.' },
    );
  }

  @Post(':caseId/sanksi')
  @Roles('HR')
  sanction(
    @Param('caseId') caseId: string,
    @Body() form: Form,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = Object.fromEntries(
      [
        'kind',
        'decreeNumber',
        'decidedBy',
        'decidedAt',
        'effectiveFrom',
        'effectiveUntil',
        'legalBasis',
      ].map((key) => [key, text(form, key)]),
    );
    const kind = SANCTION_KINDS.find((k) => k.code === values.kind);
    const checked = validateAs(
      ImposeSanctionDto,
      Object.fromEntries(
        Object.entries({ ...values, track: kind?.track ?? '' }).filter(
          ([key, value]) => value !== '' || !['effectiveUntil', 'legalBasis'].includes(key),
        ),
      ),
    );
    const errors: FieldErrors = { ...checked.errors };
    delete errors.track;
    if (!kind) {
      errors.kind = 'Pilih jenis sanksi dari katalog.';
    }
    addRuleReasons<ImposeSanctionDto>(errors, values, (fields, problems) => {
      const { today, utcOffsetMinutes } = this.clock.moment();
      checkSanctionFields(problems, fields, today, utcOffsetMinutes);
    });
    return this.act(
      req,
      res,
      actor,
      caseId,
      values,
      () => this.cases.imposeSanction(caseId, checked.value!, actor),
      'Keputusan sanksi PPK dicatat.',
      errors,
    );
  }
}
