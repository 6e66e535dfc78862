import { Injectable } from '@nestjs/common';
import {
  checkPaktaVersion,
  checkSignedDay,
  type FieldProblems,
  regencyDayOf,
} from '@netral/domain';
import { Clock } from '../common/clock';
import { BesideShapeOf, RulesBesideShape } from '../common/rules-beside-shape';
import { Facts } from '../infrastructure/facts';
import { SignPledgeDto } from './pledge.dto';

/** A pledge's text version and its day of signing (against the election it names), beside the problems of
 * the body's shape. */
@Injectable()
@BesideShapeOf(SignPledgeDto)
export class PledgeRulesBesideShape extends RulesBesideShape<SignPledgeDto> {
  constructor(
    private readonly facts: Facts,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected async check(
    { electionId, signedAt, textVersion }: Partial<SignPledgeDto>,
    problems: FieldProblems,
  ) {
    if (textVersion !== undefined) {
      checkPaktaVersion(problems, textVersion);
    }
    const election = electionId === undefined ? null : await this.facts.election(electionId);
    if (election && signedAt !== undefined) {
      const { today, utcOffsetMinutes } = this.clock.moment();
      checkSignedDay(problems, regencyDayOf(signedAt, utcOffsetMinutes), election, today);
    }
  }
}
