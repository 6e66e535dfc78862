import type { CommandMetadata } from './decider';

/** Shared test fixtures for decider specs (tests only). */
/** Command metadata at 10:00 WITA; `today` follows `now`'s date unless a test sets the local day itself. */
export const meta = (over: Partial<CommandMetadata> = {}): CommandMetadata => {
  const now = over.now ?? '2024-10-01T02:00:00.000Z';
  return {
    now,
    today: now.slice(0, 10),
    utcOffsetMinutes: 480, // WITA (Bangli)
    actorId: 'hr.bangli',
    actorRole: 'HR',
    correlationId: 'korelasi-0001',
    ...over,
  };
};

export const SLA = { verificationDays: 7, reviewWorkingDays: 3, followUpDays: 30 };
export const NIP = '198503122010011002';
export const NIP_HEAD = '197201152000031001';
export const NIP_PPPK = '199001012023212001';
