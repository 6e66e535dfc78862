import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ActorContext } from '../identity/actor';
import { NipParamPipe } from '../common/validators';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { ReasonDto } from '../registry/registry.dto';
import { PledgeCommands } from './pledge.commands';
import { SignPledgeDto } from './pledge.dto';
import { IDEMPOTENCY, INVALID_INPUT } from '../common/api-responses';

@ApiTags('pledges')
@ApiBearerAuth()
@Controller({ path: 'pledges', version: '1' })
export class PledgesApiController {
  constructor(private readonly pledges: PledgeCommands) {}

  @Post()
  @Roles('OPD_HEAD', 'HR')
  @ApiCreatedResponse({
    description: '{ electionId, nip, position }',
    example: { electionId: 'pilkada-2024', nip: '198503122010011002', position: '1842' },
  })
  @ApiBadRequestResponse({
    description:
      'NIP_*, DATE_INVALID (details code); SIGNED_AT_IN_FUTURE; DATE_IMPLAUSIBLE (signedAt ' +
      'before 2000-01-01); SIGNED_AT_BEFORE_ELECTION (over 2 years before monitoringFrom); ' +
      `PAKTA_TEXT_UNKNOWN; ${INVALID_INPUT}`,
  })
  @ApiForbiddenResponse({
    description:
      'OPD_SCOPE: an OPD head submitting for an ASN not active in their own OPD (active elsewhere ' +
      'or nowhere: one answer)',
  })
  @ApiNotFoundResponse({ description: 'ELECTION_NOT_FOUND' })
  @ApiConflictResponse({
    description:
      'PLEDGE_ALREADY_SIGNED; ASN_NOT_ACTIVE: not enrolled, or has left (to HR; an OPD head gets ' +
      `OPD_SCOPE); ${IDEMPOTENCY}`,
  })
  sign(@Body() dto: SignPledgeDto, @Actor() actor: ActorContext) {
    return this.pledges.sign(dto, actor);
  }

  @Post(':electionId/:nip/voiding')
  @Roles('HR')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ electionId, nip, position }: the pledge is void; a new one may be signed',
    example: { electionId: 'pilkada-2024', nip: '198503122010011002', position: '1842' },
  })
  @ApiBadRequestResponse({
    description: `NIP_* di path: NIP tidak valid, dengan alasannya; ${INVALID_INPUT}`,
  })
  @ApiConflictResponse({
    description: `PLEDGE_NOT_SIGNED: no active pledge (none, or already voided); ${IDEMPOTENCY}`,
  })
  @ApiNotFoundResponse({ description: 'ELECTION_NOT_FOUND' })
  void(
    @Param('electionId') electionId: string,
    @Param('nip', NipParamPipe) nip: string,
    @Body() dto: ReasonDto,
    @Actor() actor: ActorContext,
  ) {
    return this.pledges.void(electionId, nip, dto.reason, actor);
  }
}
