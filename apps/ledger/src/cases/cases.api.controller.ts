import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { ReasonDto } from '../registry/registry.dto';
import { CaseCommands } from './case.commands';
import {
  ConfirmViolationDto,
  ImposeSanctionDto,
  ReportViolationDto,
  VerifyCaseDto,
} from './case.dto';
import { IDEMPOTENCY, INVALID_INPUT } from '../common/api-responses';

const TRANSITION = 'CASE_INVALID_TRANSITION: the message names the current state';
const CASE_NOT_FOUND = 'CASE_NOT_FOUND';
const WRITTEN = {
  description: '{ caseId, position }',
  example: { caseId: 'K-2024-7Q3M9XHD', position: '1842' },
};

@ApiTags('cases')
@ApiBearerAuth()
@Controller({ path: 'cases', version: '1' })
export class CasesApiController {
  constructor(private readonly cases: CaseCommands) {}

  @Post()
  @Roles('BAWASLU')
  @ApiCreatedResponse(WRITTEN)
  @ApiBadRequestResponse({
    description:
      'NIP_*, DATE_INVALID (details code); ACT_UNKNOWN, OCCURRED_AT_IN_FUTURE, DATE_IMPLAUSIBLE ' +
      `(occurredAt before 2000-01-01); ${INVALID_INPUT}`,
  })
  @ApiNotFoundResponse({ description: 'ELECTION_NOT_FOUND, ASN_NOT_FOUND' })
  @ApiConflictResponse({ description: IDEMPOTENCY })
  report(@Body() dto: ReportViolationDto, @Actor() actor: ActorContext) {
    return this.cases.report(dto, actor);
  }

  @Post(':caseId/verification')
  @Roles('BAWASLU')
  @HttpCode(200)
  @ApiOkResponse(WRITTEN)
  @ApiBadRequestResponse({ description: INVALID_INPUT })
  @ApiNotFoundResponse({ description: CASE_NOT_FOUND })
  @ApiConflictResponse({ description: `${TRANSITION} (only a REPORTED case); ${IDEMPOTENCY}` })
  verify(
    @Param('caseId') caseId: string,
    @Body() dto: VerifyCaseDto,
    @Actor() actor: ActorContext,
  ) {
    return this.cases.verify(caseId, dto, actor);
  }

  @Post(':caseId/confirmation')
  @Roles('BAWASLU')
  @HttpCode(200)
  @ApiOkResponse(WRITTEN)
  @ApiBadRequestResponse({
    description:
      'RECOMMENDATION_REQUIRED: neither ethics nor discipline; ACT_ETHICS_ONLY: a discipline ' +
      `recommendation for an ethics-only act (E01, E02); ${INVALID_INPUT}`,
  })
  @ApiNotFoundResponse({ description: CASE_NOT_FOUND })
  @ApiConflictResponse({ description: `${TRANSITION} (only a VERIFIED case); ${IDEMPOTENCY}` })
  confirm(
    @Param('caseId') caseId: string,
    @Body() dto: ConfirmViolationDto,
    @Actor() actor: ActorContext,
  ) {
    return this.cases.confirm(caseId, dto, actor);
  }

  @Post(':caseId/dismissal')
  @Roles('BAWASLU')
  @HttpCode(200)
  @ApiOkResponse(WRITTEN)
  @ApiBadRequestResponse({ description: INVALID_INPUT })
  @ApiNotFoundResponse({ description: CASE_NOT_FOUND })
  @ApiConflictResponse({ description: `${TRANSITION} (only a VERIFIED case); ${IDEMPOTENCY}` })
  dismiss(@Param('caseId') caseId: string, @Body() dto: ReasonDto, @Actor() actor: ActorContext) {
    return this.cases.dismiss(caseId, dto.reason, actor);
  }

  @Post(':caseId/sanctions')
  @Roles('HR')
  @ApiCreatedResponse(WRITTEN)
  @ApiBadRequestResponse({
    description:
      'DATE_INVALID (details code); SANCTION_UNKNOWN, SANCTION_TRACK_MISMATCH, DATE_ORDER ' +
      '(effectiveUntil before effectiveFrom), DECIDED_AT_IN_FUTURE, DATE_IMPLAUSIBLE ' +
      '(effectiveFrom, effectiveUntil), PTDH_NOT_ALLOWED (outside N05 without legalBasis), ' +
      "SANCTION_LEVEL_MISMATCH (a discipline kind outside the act's level and the recommended one, " +
      'without legalBasis); ' +
      INVALID_INPUT,
  })
  @ApiNotFoundResponse({ description: CASE_NOT_FOUND })
  @ApiConflictResponse({
    description:
      `${TRANSITION} (only a CONFIRMED or SANCTIONED case); DECIDED_BEFORE_CONFIRMATION: ` +
      'decidedAt before the day the case was confirmed; ACT_ETHICS_ONLY, NOT_PPPK, NOT_PNS, ' +
      `SANCTION_ALREADY_IMPOSED; ${IDEMPOTENCY}`,
  })
  impose(
    @Param('caseId') caseId: string,
    @Body() dto: ImposeSanctionDto,
    @Actor() actor: ActorContext,
  ) {
    return this.cases.imposeSanction(caseId, dto, actor);
  }
}
