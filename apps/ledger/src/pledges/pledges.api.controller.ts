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

@ApiTags('pledges')
@ApiBearerAuth()
@Controller({ path: 'pledges', version: '1' })
export class PledgesApiController {
  constructor(private readonly pledges: PledgeCommands) {}

  @Post()
  @Roles('OPD_HEAD', 'HR')
  @ApiCreatedResponse({ description: '{ electionId, nip, position }' })
  @ApiBadRequestResponse({
    description: 'NIP_*, DATE_INVALID, SIGNED_AT_IN_FUTURE, PAKTA_TEXT_UNKNOWN',
  })
  @ApiForbiddenResponse({ description: 'OPD_SCOPE: ASN di OPD lain' })
  @ApiNotFoundResponse({ description: 'ELECTION_NOT_FOUND' })
  @ApiConflictResponse({ description: 'PLEDGE_ALREADY_SIGNED, ASN_NOT_ACTIVE' })
  sign(@Body() dto: SignPledgeDto, @Actor() actor: ActorContext) {
    return this.pledges.sign(dto, actor);
  }

  @Post(':electionId/:nip/voiding')
  @Roles('HR')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ electionId, nip, position }: the pledge is void; a new one may be signed',
  })
  @ApiBadRequestResponse({ description: 'NIP_* di path: NIP tidak valid, dengan alasannya' })
  @ApiConflictResponse({ description: 'PLEDGE_NOT_SIGNED' })
  void(
    @Param('electionId') electionId: string,
    @Param('nip', NipParamPipe) nip: string,
    @Body() dto: ReasonDto,
    @Actor() actor: ActorContext,
  ) {
    return this.pledges.void(electionId, nip, dto.reason, actor);
  }
}
