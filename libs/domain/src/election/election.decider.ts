import type { ElectionEvent, ElectionKind, ElectionScheduled } from '../events';
import { addDays, isCalendarDay } from '../shared/calendar';
import { type CommandMetadata, type Decider } from '../shared/decider';
import { assertNever, conflict } from '../shared/domain-error';
import { checkPlausibleDay } from '../shared/plausibility';
import { FieldProblems } from '../shared/rules';

/** Election stages (tahapan) begin about 20 months before voting day; the post-election period, up to the
 * inauguration, lasts months. Monitoring outside these spans is a typed year, not a plan. */
const MONITORING_MAX_DAYS_BEFORE = 731;
const MONITORING_MAX_DAYS_AFTER = 366;

export type ScheduleElection = {
  type: 'ScheduleElection';
  data: {
    electionId: string;
    name: string;
    kind: ElectionKind;
    regionCode: string;
    votingDay: string;
    monitoringFrom: string;
    monitoringUntil: string;
  };
  metadata: CommandMetadata;
};
export type ElectionCommand = ScheduleElection;

export type Election = { status: 'none' } | ({ status: 'scheduled' } & ElectionScheduled['data']);

type ElectionDays = Pick<
  ScheduleElection['data'],
  'votingDay' | 'monitoringFrom' | 'monitoringUntil'
>;

/**
 * The rules on an election's days (each a valid YYYY-MM-DD), those given: each plausible, and monitoring
 * around voting day within the stages' span. Asked by the decider, and beside a request's other problems.
 */
export const checkElectionDays = (
  problems: FieldProblems,
  days: Partial<ElectionDays>,
  today: string,
): void => {
  const { votingDay = '', monitoringFrom = '', monitoringUntil = '' } = days;
  for (const field of ['votingDay', 'monitoringFrom', 'monitoringUntil'] as const) {
    if (days[field] !== undefined) {
      checkPlausibleDay(problems, field, days[field], today);
    }
  }
  // How the days relate, in the same answer, for the days that are plausible on their own (a mistyped
  // year says all there is to say about its field).
  const related = (a: keyof ElectionDays, b: keyof ElectionDays) =>
    days[a] !== undefined && days[b] !== undefined && !problems.has(a) && !problems.has(b);
  if (related('monitoringFrom', 'votingDay')) {
    if (monitoringFrom < addDays(votingDay, -MONITORING_MAX_DAYS_BEFORE)) {
      problems.add(
        'monitoringFrom',
        'pengawasan tidak mungkin dimulai lebih dari 2 tahun sebelum hari pemungutan suara (periksa tahunnya)',
        'DATE_IMPLAUSIBLE',
      );
    } else if (monitoringFrom > votingDay) {
      problems.add(
        'monitoringFrom',
        'pengawasan harus dimulai paling lambat pada hari pemungutan suara',
        'MONITORING_AFTER_VOTING',
      );
    }
  }
  if (related('monitoringUntil', 'votingDay')) {
    if (monitoringUntil > addDays(votingDay, MONITORING_MAX_DAYS_AFTER)) {
      problems.add(
        'monitoringUntil',
        'pengawasan tidak mungkin berakhir lebih dari 1 tahun setelah hari pemungutan suara (periksa tahunnya)',
        'DATE_IMPLAUSIBLE',
      );
    } else if (monitoringUntil < votingDay) {
      problems.add(
        'monitoringUntil',
        'pengawasan harus berakhir pada atau setelah hari pemungutan suara',
        'MONITORING_BEFORE_VOTING',
      );
    }
  }
};

const decide = (command: ElectionCommand, state: Election): ElectionEvent[] => {
  switch (command.type) {
    case 'ScheduleElection': {
      if (state.status !== 'none') {
        throw conflict(
          'ELECTION_ALREADY_EXISTS',
          `Pemilihan ${command.data.electionId} sudah terjadwal.`,
        );
      }
      const { votingDay, monitoringFrom, monitoringUntil } = command.data;
      const problems = new FieldProblems();
      for (const [field, value] of Object.entries({ votingDay, monitoringFrom, monitoringUntil })) {
        if (!isCalendarDay(value)) {
          problems.add(field, 'harus tanggal yang valid (YYYY-MM-DD)', 'DATE_INVALID');
        }
      }
      problems.throwIfAny();
      checkElectionDays(
        problems,
        { votingDay, monitoringFrom, monitoringUntil },
        command.metadata.today,
      );
      problems.throwIfAny();
      return [{ type: 'ElectionScheduled', data: { ...command.data } }];
    }
    default:
      return assertNever(command.type);
  }
};

const evolve = (_state: Election, event: ElectionEvent): Election => ({
  status: 'scheduled',
  ...event.data,
});

export const electionDecider: Decider<Election, ElectionCommand, ElectionEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
