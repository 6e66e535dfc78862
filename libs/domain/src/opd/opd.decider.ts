import type { AsnEvent, OpdEvent, OpdKind, OpdRegistered } from '../events';
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
export type RenameOpd = {
  type: 'RenameOpd';
  data: { opdId: string; name: string };
  metadata: CommandMetadata;
};
export type AppointOpdHead = {
  type: 'AppointOpdHead';
  data: { opdId: string; nip: string };
  context: {
    /** The ASN's current status, read from their stream. */
    asn: { status: 'active'; opdId: string } | { status: 'none' | 'left' };
    /** The head in office now: the last one appointed, unless they have since moved out of the OPD or
     * left the service (see `vacatesHead`); null when the post is vacant. */
    sittingHead: string | null;
  };
  metadata: CommandMetadata;
};
export type DissolveOpd = {
  type: 'DissolveOpd';
  data: { opdId: string; reason: string };
  /** ASN still enrolled and active in the OPD, counted from the `asn-*` streams. */
  context: { activeAsn: number };
  metadata: CommandMetadata;
};
export type OpdCommand = RegisterOpd | RenameOpd | AppointOpdHead | DissolveOpd;

export type Opd =
  | { status: 'none' }
  | ({ status: 'active' | 'dissolved'; headNip?: string } & OpdRegistered['data']);

/**
 * Whether an event of an ASN's stream ends their term as head of `opdId`, had they been appointed before
 * it: they move to another OPD or leave the service. The post stays vacant until the next
 * `OpdHeadAppointed`; moving back does not make them head again (that takes a new appointment).
 */
export const vacatesHead = (event: AsnEvent, opdId: string): boolean =>
  (event.type === 'AsnTransferred' && event.data.fromOpdId === opdId) ||
  (event.type === 'AsnLeft' && event.data.opdId === opdId);

const existing = (state: Opd, opdId: string) => {
  if (state.status === 'none') {
    throw notFound(
      'OPD_NOT_FOUND',
      `OPD ${opdId} tidak ditemukan: periksa opdId atau daftarkan OPD-nya terlebih dahulu.`,
    );
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
      const opd = existing(state, command.data.opdId);
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
      const opd = existing(state, command.data.opdId);
      const asn = command.context.asn;
      if (asn.status !== 'active' || asn.opdId !== opd.opdId) {
        throw conflict(
          'ASN_NOT_IN_OPD',
          `ASN ${command.data.nip} tidak aktif di ${opd.name}: daftarkan atau mutasikan dulu ke OPD ini.`,
        );
      }
      const { sittingHead } = command.context;
      if (sittingHead === command.data.nip) {
        return [];
      }
      return [
        {
          type: 'OpdHeadAppointed',
          data: {
            opdId: opd.opdId,
            nip: command.data.nip,
            ...(sittingHead ? { previousNip: sittingHead } : {}),
            appointedAt: now,
          },
        },
      ];
    }
    case 'DissolveOpd': {
      const opd = existing(state, command.data.opdId);
      const { activeAsn } = command.context;
      if (activeAsn > 0) {
        throw conflict(
          'OPD_HAS_ACTIVE_ASN',
          `${opd.name} masih memiliki ${activeAsn} ASN aktif: mutasikan mereka ke OPD lain (atau catat keluar) sebelum membubarkan OPD ini.`,
          [
            {
              field: 'opdId',
              reason: `${activeAsn} ASN aktif masih terdaftar di ${opd.name}`,
              code: 'OPD_HAS_ACTIVE_ASN',
            },
          ],
        );
      }
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
