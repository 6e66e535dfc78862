import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig } from '@netral/config';
import { checkElectionDays } from '@netral/domain';
import type { Request, Response } from 'express';
import { ReadSide } from '../compliance/read-side';
import { ElectionCommands } from '../elections/election.commands';
import { ScheduleElectionDto } from '../elections/election.dto';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { takeFlash } from './flash';
import {
  addRuleReasons,
  answer,
  QueryText,
  submission,
  text,
  type FieldErrors,
  type Form,
  validateAs,
} from './form';

const KINDS = [
  { value: 'PILKADA', label: 'Pilkada (pemilihan kepala daerah)' },
  { value: 'PEMILU', label: 'Pemilu (presiden, DPR, DPD, DPRD)' },
];
const FIELDS = [
  'electionId',
  'name',
  'kind',
  'regionCode',
  'votingDay',
  'monitoringFrom',
  'monitoringUntil',
] as const;

/**
 * The administrator's elections page: every election with its voting day and monitoring period, and the
 * form that schedules a new one, checked with the API's DTO and written by ElectionCommands (the same rules:
 * the period contains the voting day, dates are real days, an id is used once).
 */
@ApiExcludeController()
@Controller()
export class ElectionsWebController {
  constructor(
    private readonly elections: ElectionCommands,
    private readonly read: ReadSide,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('pemilihan')
  @Roles('ADMIN')
  async list(
    @Query('minPosition', QueryText) minPosition: string | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.read.readyForPage(minPosition);
    this.render(req, res, actor);
  }

  @Post('pemilihan')
  @Roles('ADMIN')
  async schedule(
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = Object.fromEntries(FIELDS.map((key) => [key, text(body ?? {}, key)]));
    // A region code left empty is the service's own (NETRAL_REGION_CODE), as in the API.
    const { regionCode, ...rest } = values;
    const checked = validateAs(ScheduleElectionDto, {
      ...rest,
      ...(regionCode ? { regionCode } : {}),
    });
    if (checked.errors) {
      addRuleReasons<ScheduleElectionDto>(checked.errors, values, (days, problems) =>
        checkElectionDays(problems, days, this.read.today()),
      );
    }
    return answer(
      res,
      submission(values, `Pemilihan ${values.name} dijadwalkan.`, checked, (dto) =>
        this.elections.schedule(dto, actor),
      ),
      ({ position }) => `/pemilihan?minPosition=${position ?? ''}`,
      (errors, message, status = 400) =>
        this.render(req, res, actor, { values, errors, message, status }),
    );
  }

  private render(
    req: Request,
    res: Response,
    actor: ActorContext,
    failed?: { values: Form; errors: FieldErrors; message: string; status: number },
  ) {
    const values = failed?.values ?? { kind: 'PILKADA' };
    res.status(failed?.status ?? 200).render('elections', {
      title: 'Pemilihan',
      flash: takeFlash(req, res),
      elections: this.read.for(actor).elections(),
      regionCode: this.config.regionCode,
      values,
      kinds: KINDS.map((k) => ({ ...k, selected: k.value === values.kind })),
      errors: failed?.errors,
      formError: failed?.message,
    });
  }
}
