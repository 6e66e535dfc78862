import { Body, Controller, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { ElectionCommands } from './election.commands';
import { ScheduleElectionDto } from './election.dto';
import { IDEMPOTENCY, INVALID_INPUT } from '../common/api-responses';

@ApiTags('elections')
@ApiBearerAuth()
@Controller({ path: 'elections', version: '1' })
export class ElectionsApiController {
  constructor(private readonly elections: ElectionCommands) {}

  @Post()
  @Roles('ADMIN')
  @ApiCreatedResponse({
    description: '{ electionId, position }',
    example: { electionId: 'pilkada-2024', position: '1842' },
  })
  @ApiBadRequestResponse({
    description:
      'DATE_INVALID, DATE_IMPLAUSIBLE (a day before 2000-01-01 or over 10 years ahead; ' +
      'monitoring starting over 2 years before or ending over 1 year after voting day), ' +
      `MONITORING_AFTER_VOTING, MONITORING_BEFORE_VOTING; ${INVALID_INPUT}`,
  })
  @ApiConflictResponse({ description: `ELECTION_ALREADY_EXISTS; ${IDEMPOTENCY}` })
  schedule(@Body() dto: ScheduleElectionDto, @Actor() actor: ActorContext) {
    return this.elections.schedule(dto, actor);
  }
}
