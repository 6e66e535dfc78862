import { findPakta, type PaktaText } from '../catalogue/pakta';
import type { PledgeEvent, PledgeSigned } from '../events';
import { addDays, regencyDayOf, tanggal } from '../shared/calendar';
import { type CommandMetadata, type Decider } from '../shared/decider';
import { assertNever, conflict, forbidden, notFound } from '../shared/domain-error';
import { checkPlausibleDay, EARLIEST_PLAUSIBLE_DAY as EARLIEST_DAY } from '../shared/plausibility';
import { FieldProblems } from '../shared/rules';

/** A pakta belongs to one election: one signed more than two years before its monitoring began (before the
 * election's stages could have started) carries a mistyped year. */
const SIGNED_MAX_DAYS_BEFORE_MONITORING = 731;

/**
 * The rules on a pledge's day of signing (the regency's calendar day of `signedAt`): not after `today`,
 * plausible, and not more than two years before the election's monitoring began. Also asked by the web
 * forms beside their own checks, so an official hears of every problem of a form at once.
 */
export const checkSignedDay = (
  problems: FieldProblems,
  signedDay: string,
  election: { name: string; monitoringFrom: string },
  today: string,
): void => {
  if (signedDay > today) {
    problems.add(
      'signedAt',
      'tanggal penandatanganan tidak boleh di masa depan',
      'SIGNED_AT_IN_FUTURE',
    );
  } else if (signedDay < EARLIEST_DAY) {
    checkPlausibleDay(problems, 'signedAt', signedDay, today);
  } else if (signedDay < addDays(election.monitoringFrom, -SIGNED_MAX_DAYS_BEFORE_MONITORING)) {
    problems.add(
      'signedAt',
      `tanggal penandatanganan ${tanggal(signedDay)} lebih dari 2 tahun sebelum pengawasan ${election.name} dimulai (${tanggal(election.monitoringFrom)}): periksa tahunnya`,
      'SIGNED_AT_BEFORE_ELECTION',
    );
  }
};

/** The pakta text `version` names, or a problem on `textVersion` when no such text was shipped. */
export const checkPaktaVersion = (
  problems: FieldProblems,
  version: string,
): PaktaText | undefined => {
  const text = findPakta(version);
  if (!text) {
    problems.add('textVersion', `versi naskah ${version} tidak dikenal`, 'PAKTA_TEXT_UNKNOWN');
  }
  return text;
};

export type SignPledge = {
  type: 'SignPledge';
  data: {
    electionId: string;
    nip: string;
    signedAt: string;
    place: string;
    textVersion: string;
    witnesses: string[];
    documentSha256?: string;
  };
  /** Facts from other streams: the election, the signer's enrolment, the head of their OPD, and the OPD
   * the submitter may act for (an OPD head only for their own). */
  context: {
    election: { name: string; monitoringFrom: string; monitoringUntil: string } | null;
    asn: { status: 'active'; opdId: string } | { status: 'none' | 'left' };
    opdHeadNip?: string;
    submitterOpdScope?: string;
  };
  metadata: CommandMetadata;
};
export type VoidPledge = {
  type: 'VoidPledge';
  data: { reason: string };
  metadata: CommandMetadata;
};
export type PledgeCommand = SignPledge | VoidPledge;

export type Pledge =
  | { status: 'none' }
  | ({ status: 'signed' } & PledgeSigned['data'])
  | ({ status: 'voided' } & PledgeSigned['data']);

const decide = (command: PledgeCommand, state: Pledge): PledgeEvent[] => {
  switch (command.type) {
    case 'SignPledge': {
      const { data, context, metadata } = command;
      // The regency's day of the signing: an instant typed with any offset counts on Bangli's calendar.
      const dayIn = (value: string) => regencyDayOf(value, metadata.utcOffsetMinutes);
      const signedDay = dayIn(data.signedAt);
      if (!context.election) {
        throw notFound('ELECTION_NOT_FOUND', `Pemilihan ${data.electionId} tidak ditemukan.`);
      }
      // An OPD head hears only about their own OPD: one answer whether the NIP is active elsewhere or
      // nowhere, so the form cannot be used to learn who works in which other OPD.
      if (
        context.submitterOpdScope !== undefined &&
        (context.asn.status !== 'active' || context.asn.opdId !== context.submitterOpdScope)
      ) {
        throw forbidden(
          'OPD_SCOPE',
          `ASN ${data.nip} tidak terdaftar aktif di OPD Anda: Anda hanya dapat menyampaikan pakta integritas ASN di OPD Anda sendiri.`,
        );
      }
      if (context.asn.status !== 'active') {
        throw conflict('ASN_NOT_ACTIVE', `ASN ${data.nip} tidak terdaftar aktif di OPD mana pun.`);
      }
      const opdId = context.asn.opdId;
      if (state.status === 'signed') {
        throw conflict(
          'PLEDGE_ALREADY_SIGNED',
          `ASN ${data.nip} sudah menandatangani pakta integritas untuk pemilihan ini pada ${tanggal(dayIn(state.signedAt))}.`,
        );
      }
      const problems = new FieldProblems();
      const text = checkPaktaVersion(problems, data.textVersion);
      checkSignedDay(problems, signedDay, context.election, metadata.today);
      problems.throwIfAny();
      return [
        {
          type: 'PledgeSigned',
          data: {
            electionId: data.electionId,
            nip: data.nip,
            opdId,
            role: context.opdHeadNip === data.nip ? 'OPD_HEAD' : 'ASN',
            textVersion: data.textVersion,
            textSha256: text!.sha256,
            signedAt: data.signedAt,
            place: data.place,
            witnesses: data.witnesses,
            ...(data.documentSha256 ? { documentSha256: data.documentSha256 } : {}),
            submittedBy: metadata.actorId,
            late: signedDay >= context.election.monitoringFrom,
          },
        },
      ];
    }
    case 'VoidPledge': {
      if (state.status !== 'signed') {
        throw conflict(
          'PLEDGE_NOT_SIGNED',
          'Tidak ada pakta integritas aktif yang dapat dibatalkan.',
        );
      }
      return [
        {
          type: 'PledgeVoided',
          data: {
            electionId: state.electionId,
            nip: state.nip,
            opdId: state.opdId,
            reason: command.data.reason,
            voidedAt: command.metadata.now,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: Pledge, event: PledgeEvent): Pledge => {
  switch (event.type) {
    case 'PledgeSigned':
      return { status: 'signed', ...event.data };
    case 'PledgeVoided':
      return state.status === 'none' ? state : { ...state, status: 'voided' };
    default:
      return assertNever(event);
  }
};

export const pledgeDecider: Decider<Pledge, PledgeCommand, PledgeEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
