import { Injectable } from '@nestjs/common';
import { checkElectionDays, type FieldProblems } from '@netral/domain';
import { Clock } from '../common/clock';
import { BesideShapeOf, RulesBesideShape } from '../common/rules-beside-shape';
import { ScheduleElectionDto } from './election.dto';

/** An election's days, each plausible and in order around voting day, beside the problems of the body's
 * shape. */
@Injectable()
@BesideShapeOf(ScheduleElectionDto)
export class ElectionRulesBesideShape extends RulesBesideShape<ScheduleElectionDto> {
  constructor(private readonly clock: Clock) {
    super();
  }

  protected check(
    { votingDay, monitoringFrom, monitoringUntil }: Partial<ScheduleElectionDto>,
    problems: FieldProblems,
  ) {
    checkElectionDays(problems, { votingDay, monitoringFrom, monitoringUntil }, this.clock.today());
  }
}
