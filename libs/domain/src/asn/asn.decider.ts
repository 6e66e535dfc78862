import type { AsnEnrolled, AsnEvent, EmploymentType } from '../events';
import { type CommandMetadata, type Decider } from '../shared/decider';
import { assertNever, conflict, invalid, notFound } from '../shared/domain-error';
import { validateNip } from './nip';

/** Whether an OPD can take ASN: it exists and is not dissolved (read from its stream). */
export type OpdFact = 'active' | 'none' | 'dissolved';

export type EnrollAsn = {
  type: 'EnrollAsn';
  data: {
    nip: string;
    name: string;
    position: string;
    employmentType: EmploymentType;
    opdId: string;
  };
  /** `enrolledIn`: the name of the OPD the NIP is already enrolled in, when it is (the refusal names it;
   * the ASN stream has only its id). */
  context: { opd: OpdFact; enrolledIn?: string };
  metadata: CommandMetadata;
};
export type TransferAsn = {
  type: 'TransferAsn';
  data: { toOpdId: string };
  /** `opdName`: the name of the OPD moved to, for the refusals that name it. */
  context: { opd: OpdFact; opdName?: string };
  metadata: CommandMetadata;
};
export type RecordAsnLeft = {
  type: 'RecordAsnLeft';
  data: { reason: string };
  metadata: CommandMetadata;
};
export type ChangeAsnDetails = {
  type: 'ChangeAsnDetails';
  /** The new values; an omitted one stays as it is. */
  data: { name?: string; position?: string; reason: string };
  metadata: CommandMetadata;
};
export type AsnCommand = EnrollAsn | TransferAsn | RecordAsnLeft | ChangeAsnDetails;

export type Asn = { status: 'none' } | ({ status: 'active' | 'left' } & AsnEnrolled['data']);

/** An OPD as a message names it: its name and id when the name is known, else its id. */
const named = (opdId: string, name: string | undefined): string =>
  name ? `${name} (${opdId})` : opdId;

const requireOpd = (fact: OpdFact, opdId: string, name?: string): void => {
  if (fact === 'none') {
    throw notFound('OPD_NOT_FOUND', `OPD ${opdId} tidak ditemukan: daftarkan OPD terlebih dahulu.`);
  }
  if (fact === 'dissolved') {
    throw conflict('OPD_DISSOLVED', `OPD ${named(opdId, name)} sudah dibubarkan.`);
  }
};

const existing = (state: Asn) => {
  if (state.status === 'none') {
    throw notFound('ASN_NOT_FOUND', 'ASN tidak ditemukan.');
  }
  return state;
};

const active = (state: Asn) => {
  const asn = existing(state);
  if (asn.status === 'left') {
    throw conflict('ASN_LEFT', `ASN ${asn.nip} sudah tidak aktif.`);
  }
  return asn;
};

const decide = (command: AsnCommand, state: Asn): AsnEvent[] => {
  const now = command.metadata.now;
  switch (command.type) {
    case 'EnrollAsn': {
      const check = validateNip(command.data.nip, { today: command.metadata.today });
      if (!check.valid) {
        throw invalid(check.code, `NIP tidak valid: ${check.reason}.`, [
          { field: 'nip', reason: check.reason, code: check.code },
        ]);
      }
      if (state.status === 'left') {
        // Not "already enrolled in" an OPD it has left (perhaps one since dissolved).
        throw conflict(
          'ASN_LEFT',
          `ASN dengan NIP ${check.nip} sudah tercatat keluar (terakhir di ${named(state.opdId, command.context.enrolledIn)}): riwayatnya tetap di ledger, dan NIP ini tidak dapat didaftarkan ulang.`,
        );
      }
      if (state.status !== 'none') {
        throw conflict(
          'ASN_ALREADY_ENROLLED',
          `ASN dengan NIP ${check.nip} sudah terdaftar di ${named(state.opdId, command.context.enrolledIn)}.`,
        );
      }
      requireOpd(command.context.opd, command.data.opdId);
      return [{ type: 'AsnEnrolled', data: { ...command.data, nip: check.nip } }];
    }
    case 'TransferAsn': {
      const asn = active(state);
      if (asn.opdId === command.data.toOpdId) {
        throw conflict(
          'ASN_ALREADY_IN_OPD',
          `ASN ${asn.nip} sudah berada di ${named(asn.opdId, command.context.opdName)}.`,
        );
      }
      requireOpd(command.context.opd, command.data.toOpdId, command.context.opdName);
      return [
        {
          type: 'AsnTransferred',
          data: {
            nip: asn.nip,
            fromOpdId: asn.opdId,
            toOpdId: command.data.toOpdId,
            transferredAt: now,
          },
        },
      ];
    }
    case 'RecordAsnLeft': {
      const asn = active(state);
      return [
        {
          type: 'AsnLeft',
          data: { nip: asn.nip, opdId: asn.opdId, reason: command.data.reason, leftAt: now },
        },
      ];
    }
    case 'ChangeAsnDetails': {
      // One who has left may still be corrected (a misspelt name on their pledges and cases, their last
      // position): the record of what they were, not a change of what they are.
      const asn = existing(state);
      const name = command.data.name ?? asn.name;
      const position = command.data.position ?? asn.position;
      if (name === asn.name && position === asn.position) {
        throw conflict(
          'ASN_DETAILS_UNCHANGED',
          `Nama dan jabatan ASN ${asn.nip} sudah seperti itu: tidak ada yang diubah.`,
        );
      }
      return [
        {
          type: 'AsnDetailsChanged',
          data: {
            nip: asn.nip,
            name,
            position,
            previous: { name: asn.name, position: asn.position },
            reason: command.data.reason,
            changedAt: now,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: Asn, event: AsnEvent): Asn => {
  switch (event.type) {
    case 'AsnEnrolled':
      return { status: 'active', ...event.data };
    case 'AsnTransferred':
      return state.status === 'none' ? state : { ...state, opdId: event.data.toOpdId };
    case 'AsnLeft':
      return state.status === 'none' ? state : { ...state, status: 'left' };
    case 'AsnDetailsChanged':
      return state.status === 'none'
        ? state
        : { ...state, name: event.data.name, position: event.data.position };
    default:
      return assertNever(event);
  }
};

export const asnDecider: Decider<Asn, AsnCommand, AsnEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
