/** What choosing an election needs to know of it. */
export interface ElectionPeriod {
  electionId: string;
  votingDay: string;
  monitoringFrom: string;
  monitoringUntil: string;
}

/**
 * The election a page shows when the link names none (or one that does not exist): the one being monitored
 * today (the soonest vote if several overlap), else the next to start, else the last to have ended. A
 * newer election scheduled in advance does not hide the one in progress; an old one comes back only when
 * nothing is current or coming.
 */
export const currentElection = <E extends ElectionPeriod>(
  elections: readonly E[],
  today: string,
): E | undefined => {
  const by = (key: (e: E) => string, direction: 1 | -1) => (a: E, b: E) =>
    direction * key(a).localeCompare(key(b)) || a.electionId.localeCompare(b.electionId);
  const running = elections
    .filter((e) => e.monitoringFrom <= today && today <= e.monitoringUntil)
    .sort(by((e) => e.votingDay, 1));
  const coming = elections
    .filter((e) => e.monitoringFrom > today)
    .sort(by((e) => e.monitoringFrom, 1));
  const past = elections
    .filter((e) => e.monitoringUntil < today)
    .sort(by((e) => e.monitoringUntil, -1));
  return running[0] ?? coming[0] ?? past[0];
};
