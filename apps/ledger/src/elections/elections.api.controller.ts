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

@ApiTags('elections')
@ApiBearerAuth()
@Controller({ path: 'elections', version: '1' })
export class ElectionsApiController {
  constructor(private readonly elections: ElectionCommands) {}

  @Post()
  @Roles('ADMIN')
  @ApiCreatedResponse({ description: '{ electionId, position }' })
  @ApiBadRequestResponse({
    description: 'DATE_INVALID, MONITORING_AFTER_VOTING, MONITORING_BEFORE_VOTING',
  })
  @ApiConflictResponse({ description: 'ELECTION_ALREADY_EXISTS' })
  schedule(@Body() dto: ScheduleElectionDto, @Actor() actor: ActorContext) {
    return this.elections.schedule(dto, actor);
  }
}
