import { Injectable } from '@nestjs/common';
import {
  checkActCode,
  checkOccurredDay,
  checkSanctionFields,
  type FieldProblems,
  regencyDayOf,
} from '@netral/domain';
import { Clock } from '../common/clock';
import { BesideShapeOf, RulesBesideShape } from '../common/rules-beside-shape';
import { ImposeSanctionDto, ReportViolationDto } from './case.dto';

/** A report's act code and the day it happened, beside the problems of the body's shape. */
@Injectable()
@BesideShapeOf(ReportViolationDto)
export class ReportRulesBesideShape extends RulesBesideShape<ReportViolationDto> {
  constructor(private readonly clock: Clock) {
    super();
  }

  protected check({ actCode, occurredAt }: Partial<ReportViolationDto>, problems: FieldProblems) {
    if (actCode !== undefined) {
      checkActCode(problems, actCode);
    }
    if (occurredAt !== undefined) {
      const { today, utcOffsetMinutes } = this.clock.moment();
      checkOccurredDay(problems, regencyDayOf(occurredAt, utcOffsetMinutes), today);
    }
  }
}

/** A sanction's kind within its track and its days, beside the problems of the body's shape (the rules
 * that need the case, its act and recommendation, follow once the shape is right). */
@Injectable()
@BesideShapeOf(ImposeSanctionDto)
export class SanctionRulesBesideShape extends RulesBesideShape<ImposeSanctionDto> {
  constructor(private readonly clock: Clock) {
    super();
  }

  protected check(fields: Partial<ImposeSanctionDto>, problems: FieldProblems) {
    const { today, utcOffsetMinutes } = this.clock.moment();
    checkSanctionFields(problems, fields, today, utcOffsetMinutes);
  }
}
