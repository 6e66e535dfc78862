import type { OpdCodeEvent } from '../events';
import { type CommandMetadata, type Decider } from '../shared/decider';
import { assertNever, conflict } from '../shared/domain-error';

/**
 * OPD codes as officials compare them: surrounding spaces do not count and neither does case (`1.02.01`,
 * `DISDIK` and `disdik` are what people type for the same unit; SIASN and Kemendagri codes are digits, dots
 * and capitals). The code is stored as typed; only comparisons and the claim stream use this form.
 */
export const normaliseOpdCode = (code: string): string => code.trim().toUpperCase();

/** An OPD as the code rule sees it, read from its stream at decision time. */
export interface RegisteredOpd {
  opdId: string;
  code: string;
  name: string;
  status: 'active' | 'dissolved';
}

export type ClaimOpdCode = {
  type: 'ClaimOpdCode';
  data: { code: string; opdId: string };
  /** Every registered OPD (active or dissolved), by id, from the `opd-*` streams. */
  context: { registry: ReadonlyMap<string, RegisteredOpd> };
  metadata: CommandMetadata;
};
export type OpdCodeCommand = ClaimOpdCode;

export type OpdCode = { status: 'free' } | { status: 'claimed'; code: string; opdId: string };

const taken = (code: string, holder: { opdId: string; name?: string }, pending: boolean) =>
  conflict(
    'OPD_CODE_TAKEN',
    pending
      ? `Kode OPD ${code} sedang didaftarkan untuk OPD ${holder.opdId}: gunakan kode lain, atau ulangi pendaftaran ${holder.opdId} bila itu pendaftaran Anda.`
      : `Kode OPD ${code} sudah dipakai ${holder.name} (${holder.opdId}): gunakan kode lain, atau bubarkan OPD itu lebih dulu.`,
    [
      {
        field: 'code',
        reason: holder.name
          ? `kode ${code} sudah dipakai ${holder.name} (${holder.opdId})`
          : `kode ${code} sedang didaftarkan untuk OPD ${holder.opdId}`,
        code: 'OPD_CODE_TAKEN',
      },
    ],
  );

/**
 * One active OPD per code. The `opdcode-*` stream serialises registrations of one code (its first claim is
 * appended with `no_stream`, a later one after the revision it read), and the registry catches codes taken
 * before claims existed. A claim whose OPD was dissolved, or was registered under another code (it lost a
 * race for its id), no longer holds the code. A claim whose OPD stream does not exist yet is a registration
 * in flight: only the same OPD id may go on with it.
 */
const decide = (command: OpdCodeCommand, state: OpdCode): OpdCodeEvent[] => {
  switch (command.type) {
    case 'ClaimOpdCode': {
      const { opdId } = command.data;
      const code = normaliseOpdCode(command.data.code);
      const { registry } = command.context;
      for (const opd of registry.values()) {
        if (opd.opdId !== opdId && opd.status === 'active' && normaliseOpdCode(opd.code) === code) {
          throw taken(opd.code, opd, false);
        }
      }
      if (state.status === 'claimed') {
        if (state.opdId === opdId) {
          return [];
        }
        const holder = registry.get(state.opdId);
        if (!holder) {
          throw taken(code, { opdId: state.opdId }, true);
        }
      }
      return [{ type: 'OpdCodeClaimed', data: { code, opdId, claimedAt: command.metadata.now } }];
    }
    default:
      return assertNever(command.type);
  }
};

const evolve = (_state: OpdCode, event: OpdCodeEvent): OpdCode => ({
  status: 'claimed',
  code: event.data.code,
  opdId: event.data.opdId,
});

export const opdCodeDecider: Decider<OpdCode, OpdCodeCommand, OpdCodeEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'free' }),
};
