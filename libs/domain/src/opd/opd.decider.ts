import type { OpdEvent, OpdKind, OpdRegistered } from '../events';
import { type CommandMetadata, type Decider } from '../shared/decider';
import { assertNever, conflict, notFound } from '../shared/domain-error';

export type RegisterOpd = {
  type: 'RegisterOpd';
  data: {
    opdId: string;
    code: string;
    name: string;
    kind: OpdKind;
    regionCode: string;
    parentOpdId?: string;
  };
  /** Whether the parent OPD exists and is not dissolved (read from its stream). */
  context: { parentActive: boolean };
  metadata: CommandMetadata;
};
export type RenameOpd = { type: 'RenameOpd'; data: { name: string }; metadata: CommandMetadata };
export type AppointOpdHead = {
  type: 'AppointOpdHead';
  data: { nip: string };
  /** The ASN's current status, read from their stream. */
  context: { asn: { status: 'active'; opdId: string } | { status: 'none' | 'left' } };
  metadata: CommandMetadata;
};
export type DissolveOpd = {
  type: 'DissolveOpd';
  data: { reason: string };
  metadata: CommandMetadata;
};
export type OpdCommand = RegisterOpd | RenameOpd | AppointOpdHead | DissolveOpd;

export type Opd =
  | { status: 'none' }
  | ({ status: 'active' | 'dissolved'; headNip?: string } & OpdRegistered['data']);

const existing = (state: Opd) => {
  if (state.status === 'none') {
    throw notFound('OPD_NOT_FOUND', 'OPD tidak ditemukan.');
  }
  if (state.status === 'dissolved') {
    throw conflict('OPD_DISSOLVED', `OPD ${state.name} sudah dibubarkan.`);
  }
  return state;
};

const decide = (command: OpdCommand, state: Opd): OpdEvent[] => {
  const now = command.metadata.now;
  switch (command.type) {
    case 'RegisterOpd': {
      if (state.status !== 'none') {
        throw conflict('OPD_ALREADY_EXISTS', `OPD ${command.data.opdId} sudah terdaftar.`);
      }
      if (command.data.parentOpdId && !command.context.parentActive) {
        throw notFound(
          'PARENT_OPD_NOT_FOUND',
          `OPD induk ${command.data.parentOpdId} tidak ditemukan atau sudah dibubarkan.`,
        );
      }
      return [{ type: 'OpdRegistered', data: { ...command.data } }];
    }
    case 'RenameOpd': {
      const opd = existing(state);
      if (opd.name === command.data.name) {
        return [];
      }
      return [
        {
          type: 'OpdRenamed',
          data: { opdId: opd.opdId, name: command.data.name, previousName: opd.name },
        },
      ];
    }
    case 'AppointOpdHead': {
      const opd = existing(state);
      const asn = command.context.asn;
      if (asn.status !== 'active' || asn.opdId !== opd.opdId) {
        throw conflict(
          'ASN_NOT_IN_OPD',
          `ASN ${command.data.nip} tidak aktif di ${opd.name}: daftarkan atau mutasikan dulu ke OPD ini.`,
        );
      }
      if (opd.headNip === command.data.nip) {
        return [];
      }
      return [
        {
          type: 'OpdHeadAppointed',
          data: {
            opdId: opd.opdId,
            nip: command.data.nip,
            ...(opd.headNip ? { previousNip: opd.headNip } : {}),
            appointedAt: now,
          },
        },
      ];
    }
    case 'DissolveOpd': {
      const opd = existing(state);
      return [
        {
          type: 'OpdDissolved',
          data: { opdId: opd.opdId, reason: command.data.reason, dissolvedAt: now },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: Opd, event: OpdEvent): Opd => {
  switch (event.type) {
    case 'OpdRegistered':
      return { status: 'active', ...event.data };
    case 'OpdRenamed':
      return state.status === 'none' ? state : { ...state, name: event.data.name };
    case 'OpdHeadAppointed':
      return state.status === 'none' ? state : { ...state, headNip: event.data.nip };
    case 'OpdDissolved':
      return state.status === 'none' ? state : { ...state, status: 'dissolved' };
    default:
      return assertNever(event);
  }
};

export const opdDecider: Decider<Opd, OpdCommand, OpdEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
