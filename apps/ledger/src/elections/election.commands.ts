import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { electionDecider, streams } from '@netral/domain';
import { Clock } from '../common/clock';
import { written } from '../common/write-result';
import { type ActorContext, commandMetadata } from '../identity/actor';
import { assertRegencyWide } from '../identity/opd-scope';
import { AggregateStore } from '../infrastructure/aggregate-store';
import type { ScheduleElectionDto } from './election.dto';

@Injectable()
export class ElectionCommands {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async schedule(dto: ScheduleElectionDto, actor: ActorContext) {
    assertRegencyWide(actor);
    const { position } = await this.aggregates.handle(
      streams.election(dto.electionId),
      electionDecider,
      {
        type: 'ScheduleElection',
        data: { ...dto, regionCode: dto.regionCode ?? this.config.regionCode },
        metadata: commandMetadata(actor, this.clock.moment()),
      },
    );
    return written({ electionId: dto.electionId }, position);
  }
}
