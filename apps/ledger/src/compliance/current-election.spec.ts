import { currentElection } from './current-election';

const election = (electionId: string, monitoringFrom: string, monitoringUntil: string) => ({
  electionId,
  votingDay: monitoringUntil,
  monitoringFrom,
  monitoringUntil,
});
const past = election('pilkada-2024', '2024-09-25', '2024-12-15');
const running = election('pemilu-2029', '2028-11-01', '2029-03-01');
const coming = election('pilkada-2029', '2029-09-24', '2029-12-14');
const later = election('pemilu-2034', '2033-11-01', '2034-03-01');

describe('currentElection', () => {
  it('prefers the election being monitored today over a newer one already scheduled', () => {
    expect(currentElection([coming, later, running, past], '2028-12-01')).toBe(running);
  });

  it('counts the first and the last day of monitoring as monitored', () => {
    expect(currentElection([coming, past], '2024-09-25')).toBe(past);
    expect(currentElection([coming, past], '2024-12-15')).toBe(past);
  });

  it('otherwise takes the next to start, not the furthest', () => {
    expect(currentElection([later, past, coming], '2026-12-03')).toBe(coming);
  });

  it('otherwise the last to have ended', () => {
    expect(currentElection([past, running], '2030-01-01')).toBe(running);
  });

  it('of two monitored at once, the sooner vote', () => {
    const overlap = election('pilkada-ulang-2029', '2028-12-01', '2029-01-15');
    expect(currentElection([running, overlap], '2028-12-10')).toBe(overlap);
  });

  it('has nothing to choose among no elections', () => {
    expect(currentElection([], '2026-12-03')).toBeUndefined();
  });
});
