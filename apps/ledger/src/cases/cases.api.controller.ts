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

const TRANSITION = 'CASE_INVALID_TRANSITION: the message names the current state';

@ApiTags('cases')
@ApiBearerAuth()
@Controller({ path: 'cases', version: '1' })
export class CasesApiController {
  constructor(private readonly cases: CaseCommands) {}

  @Post()
  @Roles('BAWASLU')
  @ApiCreatedResponse({ description: '{ caseId, position }' })
  @ApiBadRequestResponse({ description: 'NIP_*, ACT_UNKNOWN, OCCURRED_AT_IN_FUTURE' })
  @ApiNotFoundResponse({ description: 'ELECTION_NOT_FOUND, ASN_NOT_FOUND' })
  report(@Body() dto: ReportViolationDto, @Actor() actor: ActorContext) {
    return this.cases.report(dto, actor);
  }

  @Post(':caseId/verification')
  @Roles('BAWASLU')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ caseId, position }' })
  @ApiConflictResponse({ description: TRANSITION })
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
  @ApiBadRequestResponse({ description: 'RECOMMENDATION_REQUIRED, ACT_ETHICS_ONLY' })
  @ApiConflictResponse({ description: TRANSITION })
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
  @ApiConflictResponse({ description: TRANSITION })
  dismiss(@Param('caseId') caseId: string, @Body() dto: ReasonDto, @Actor() actor: ActorContext) {
    return this.cases.dismiss(caseId, dto.reason, actor);
  }

  @Post(':caseId/sanctions')
  @Roles('HR')
  @ApiCreatedResponse({ description: '{ caseId, position }' })
  @ApiBadRequestResponse({
    description: 'SANCTION_UNKNOWN, SANCTION_TRACK_MISMATCH, PTDH_NOT_ALLOWED, DATE_ORDER',
  })
  @ApiConflictResponse({
    description: `${TRANSITION}; SANCTION_ALREADY_IMPOSED, NOT_PPPK, NOT_PNS, ACT_ETHICS_ONLY`,
  })
  impose(
    @Param('caseId') caseId: string,
    @Body() dto: ImposeSanctionDto,
    @Actor() actor: ActorContext,
  ) {
    return this.cases.imposeSanction(caseId, dto, actor);
  }
}
