import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig } from '@netral/config';
import {
  addDays,
  DomainError,
  EVENT_TYPE_LABELS,
  isCalendarDay,
  LEDGER_EVENT_TYPES,
  type LedgerEventType,
} from '@netral/domain';
import type { Response } from 'express';
import { Roles } from '../identity/roles.decorator';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { utcOffsetMinutes } from '../common/clock';
import { ID_MAX_LENGTH } from '../common/validation';
import { type FieldErrors, validateAs } from '../portal/form';
import { ReadSide } from '../compliance/read-side';
import { AuditEventsQuery } from './audit.dto';
import { AuditLog, streamExport } from './audit-log.service';
import { AuditQueries } from './audit.queries';

/** The instant a calendar day starts in `timeZone` (Indonesia has no daylight saving: one offset a day). */
export const startOfDay = (day: string, timeZone: string): string => {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  return new Date(utcMidnight - utcOffsetMinutes(utcMidnight, timeZone) * 60_000).toISOString();
};

const FILTERS = ['stream', 'streamPrefix', 'type', 'opdId', 'actorId', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number] | 'fromPosition', string>>;

/**
 * Bawaslu's audit explorer: the event history with filters (one stream's timeline is the `stream` filter),
 * the export and the latest signed checkpoint to archive, and how to verify them offline.
 */
@ApiExcludeController()
@Controller('audit')
export class AuditWebController {
  constructor(
    private readonly queries: AuditQueries,
    private readonly audit: AuditLog,
    private readonly read: ReadSide,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles('BAWASLU', 'ADMIN')
  async explorer(
    @Query() raw: Record<string, unknown>,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ) {
    const values: Filters = {};
    for (const key of [...FILTERS, 'fromPosition'] as const) {
      const value = raw[key];
      if (typeof value === 'string' && value.trim() !== '') {
        values[key] = value.trim();
      }
    }
    // Dates on the form are local days; the query takes instants ("to" includes the whole day).
    const errors: FieldErrors = {};
    for (const key of ['from', 'to'] as const) {
      if (values[key] !== undefined && !isCalendarDay(values[key])) {
        errors[key] = 'tanggal tidak valid (YYYY-MM-DD)';
      }
    }
    // A reversed range finds nothing, which would read as "nothing happened then": said on both days.
    if (values.from && values.to && !errors.from && !errors.to && values.from > values.to) {
      errors.from = 'tidak boleh sesudah "Sampai tanggal"';
      errors.to = 'tidak boleh sebelum "Dari tanggal"';
    }
    const tz = this.config.timeZone;
    const checked = validateAs(AuditEventsQuery, {
      ...values,
      from: values.from && !errors.from ? startOfDay(values.from, tz) : undefined,
      to: values.to && !errors.to ? startOfDay(addDays(values.to, 1), tz) : undefined,
      limit: '50',
    });
    Object.assign(errors, checked.errors);
    let page: Awaited<ReturnType<AuditQueries['events']>> | undefined;
    if (Object.keys(errors).length === 0 && checked.value) {
      try {
        page = await this.queries.events(checked.value, actor);
      } catch (error) {
        // A rule of the query itself (stream with streamPrefix, a position too large): shown on the field,
        // as the format checks are, rather than as an error page that loses the form.
        if (!(error instanceof DomainError && error.kind === 'INVALID')) {
          throw error;
        }
        for (const detail of error.details ?? []) {
          errors[detail.field] =
            `${detail.reason.charAt(0).toUpperCase()}${detail.reason.slice(1)}.`;
        }
      }
    }
    const failed = Object.keys(errors).length > 0;
    const latest = this.audit.log.latestCheckpoint();
    const next = page?.nextPosition
      ? `/audit?${new URLSearchParams({ ...values, fromPosition: page.nextPosition }).toString()}`
      : undefined;
    res.status(failed ? 400 : 200).render('audit', {
      title: 'Penjelajah audit',
      values,
      errors: failed ? errors : undefined,
      formError: failed ? 'Periksa filter yang ditandai.' : undefined,
      typeOptions: LEDGER_EVENT_TYPES.map((type) => ({
        value: type,
        label: `${EVENT_TYPE_LABELS[type]} (${type})`,
        selected: type === values.type,
      })),
      opdOptions: this.opdOptions(actor, values.opdId),
      filtered: FILTERS.some((key) => values[key] !== undefined),
      searched: page !== undefined,
      events: page?.items.map((e) => {
        const metadata = e.metadata as { actorId?: string; actorRole?: string; opdId?: string };
        return {
          ...e,
          actorId: metadata.actorId,
          actorRole: metadata.actorRole,
          typeLabel: EVENT_TYPE_LABELS[e.type as LedgerEventType],
          json: JSON.stringify({ data: e.data, metadata: e.metadata }, null, 2),
        };
      }),
      next,
      treeSize: this.audit.log.size,
      checkpoint: latest,
      verifierKey: this.audit.verifierKey,
    });
  }

  /**
   * The OPDs to filter by, by name and code (dissolved ones too: their history stays). An id the registry
   * does not hold (from a link, or an OPD the read models have not reached yet) stays on the list as typed,
   * so the filter shown is the filter applied.
   */
  private opdOptions(actor: ActorContext, selected: string | undefined) {
    const opds = this.read.for(actor).opds();
    const options = opds.map((o) => ({
      value: o.opdId,
      label: `${o.name} (${o.code})${o.status === 'DISSOLVED' ? ', dibubarkan' : ''}`,
      selected: o.opdId === selected,
    }));
    // Longer than any id: refused on the field (AuditEventsQuery), not repeated as an option.
    return selected && selected.length <= ID_MAX_LENGTH && !opds.some((o) => o.opdId === selected)
      ? [...options, { value: selected, label: selected, selected: true }]
      : options;
  }

  /** The whole log as NDJSON, for the auditor's archive (the same bytes as `GET /api/v1/audit/export`). */
  @Get('ekspor')
  @Roles('BAWASLU', 'ADMIN')
  export(@Actor() actor: ActorContext, @Res() res: Response): Promise<void> {
    const { from, to } = this.queries.exportRange(actor);
    return streamExport(this.audit, res, from, to);
  }
}
