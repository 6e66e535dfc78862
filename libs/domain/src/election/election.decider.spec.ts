import { meta } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import { FieldProblems } from '../shared/rules';
import { checkElectionDays, electionDecider, type ScheduleElection } from './election.decider';

const schedule = (over: Partial<ScheduleElection['data']> = {}): ScheduleElection => ({
  type: 'ScheduleElection',
  data: {
    electionId: 'pilkada-2024',
    name: 'Pilkada Serentak 2024',
    kind: 'PILKADA',
    regionCode: '51.06',
    votingDay: '2024-11-27',
    monitoringFrom: '2024-09-25',
    monitoringUntil: '2024-12-15',
    ...over,
  },
  metadata: meta(),
});

describe('election decider', () => {
  it('schedules an election', () => {
    given(electionDecider, [])
      .when(schedule())
      .then([{ type: 'ElectionScheduled', data: schedule().data }]);
  });
  it('refuses a second election with the same id', () => {
    given(electionDecider, [{ type: 'ElectionScheduled', data: schedule().data }])
      .when(schedule())
      .thenFails('ELECTION_ALREADY_EXISTS', 'CONFLICT');
  });
  it('refuses impossible dates, naming each field', () => {
    const error = given(electionDecider, [])
      .when(schedule({ votingDay: '2024-02-30', monitoringFrom: 'besok' }))
      .thenFails('DATE_INVALID', 'INVALID');
    expect(error.details?.map((d) => d.field)).toEqual(['votingDay', 'monitoringFrom']);
  });
  it('refuses monitoring that starts after voting or ends before it', () => {
    given(electionDecider, [])
      .when(schedule({ monitoringFrom: '2024-11-28' }))
      .thenFails('MONITORING_AFTER_VOTING');
    given(electionDecider, [])
      .when(schedule({ monitoringUntil: '2024-11-26' }))
      .thenFails('MONITORING_BEFORE_VOTING');
  });
  it('answers a mistyped year and a misordered day in one 400, not one after the other', () => {
    const error = given(electionDecider, [])
      .when(schedule({ monitoringFrom: '2024-11-28', monitoringUntil: '2124-12-15' }))
      .thenFails('DATE_IMPLAUSIBLE', 'INVALID');
    expect(error.details?.map((d) => [d.field, d.code])).toEqual([
      ['monitoringUntil', 'DATE_IMPLAUSIBLE'],
      ['monitoringFrom', 'MONITORING_AFTER_VOTING'],
    ]);
    // A voting day with a mistyped year is the one thing to fix: nothing is compared with it.
    const voting = given(electionDecider, [])
      .when(schedule({ votingDay: '1024-11-27' }))
      .thenFails('DATE_IMPLAUSIBLE');
    expect(voting.details?.map((d) => d.field)).toEqual(['votingDay']);
  });
  it('refuses a year that is certainly mistyped: before 2000 or more than 10 years ahead', () => {
    const error = given(electionDecider, [])
      .when(
        schedule({
          votingDay: '1924-11-27',
          monitoringFrom: '1924-09-25',
          monitoringUntil: '2124-12-15',
        }),
      )
      .thenFails('DATE_IMPLAUSIBLE', 'INVALID');
    expect(error.details?.map((d) => d.field)).toEqual([
      'votingDay',
      'monitoringFrom',
      'monitoringUntil',
    ]);
    // Ten years ahead is still a plan (Pemilu 2034 scheduled in 2024).
    given(electionDecider, [])
      .when(
        schedule({
          votingDay: '2034-02-14',
          monitoringFrom: '2033-10-01',
          monitoringUntil: '2034-03-31',
        }),
      )
      .then([
        {
          type: 'ElectionScheduled',
          data: schedule({
            votingDay: '2034-02-14',
            monitoringFrom: '2033-10-01',
            monitoringUntil: '2034-03-31',
          }).data,
        },
      ]);
  });
  it('refuses monitoring more than 2 years before or 1 year after voting day', () => {
    given(electionDecider, [])
      .when(schedule({ monitoringFrom: '2022-09-25' }))
      .thenFails('DATE_IMPLAUSIBLE');
    const error = given(electionDecider, [])
      .when(schedule({ monitoringUntil: '2025-12-15' }))
      .thenFails('DATE_IMPLAUSIBLE');
    expect(error.details?.[0].field).toBe('monitoringUntil');
    given(electionDecider, [])
      .when(schedule({ monitoringFrom: '2023-06-01', monitoringUntil: '2025-02-20' }))
      .then([
        {
          type: 'ElectionScheduled',
          data: schedule({ monitoringFrom: '2023-06-01', monitoringUntil: '2025-02-20' }).data,
        },
      ]);
  });
  it('judges only the days given when asked beside a request’s other problems', () => {
    const told = (days: Parameters<typeof checkElectionDays>[1]) => {
      const problems = new FieldProblems();
      checkElectionDays(problems, days, '2024-10-01');
      return problems.all.map((p) => `${p.field} ${p.code}`);
    };
    // Without voting day there is nothing to relate monitoring to: only each day's plausibility.
    expect(told({ monitoringFrom: '2024-12-01', monitoringUntil: '1024-01-01' })).toEqual([
      'monitoringUntil DATE_IMPLAUSIBLE',
    ]);
    expect(told({ votingDay: '2024-11-27', monitoringFrom: '2024-12-01' })).toEqual([
      'monitoringFrom MONITORING_AFTER_VOTING',
    ]);
    expect(told({})).toEqual([]);
  });
});
