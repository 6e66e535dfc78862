import { meta } from '../shared/fixtures.testing';
import { given } from '../shared/specification.testing';
import { electionDecider, type ScheduleElection } from './election.decider';

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
});
