import { Injectable } from '@nestjs/common';
import { KeyedLock } from '../common/keyed-lock';

/** The OPDs and ASN whose membership a request changes or decides on, and the OPD codes it registers
 * (normalised, as `opdcode-*` streams name them). */
export interface MembershipScope {
  readonly opds?: Iterable<string>;
  readonly asns?: Iterable<string>;
  readonly codes?: Iterable<string>;
}

/**
 * Held, per OPD and per ASN, by every write that changes or decides on who belongs to an OPD. Each of
 * these reads one aggregate and appends to another (a dissolution counts the ASN streams and appends to
 * the OPD's; an enrolment reads the OPD's and appends to the ASN's; an appointment reads the appointee's
 * and appends to the OPD's; a pledge reads the signer's ASN stream and the OPD's head and appends to its
 * own), so no expected-revision check can see two of them collide. Held from the read to the append, the
 * lock lets one finish before the other reads.
 *
 * `change` is taken by the writes that change membership: enrolling (the OPD and the ASN), moving an ASN
 * in or out and recording a departure (the ASN, then the OPDs), correcting an ASN's details (the ASN),
 * importing staff (every ASN written and the OPDs joined and left), appointing a head (the OPD and the
 * appointee), dissolving (the OPD), registering (the OPD, its parent and its code): of an enrolment and a
 * dissolution arriving together, one is written and the other refused, and an import is never cut in two.
 * `decide` is taken by the writes that only record what the membership is: a report shares the ASN's, a
 * pledge the signer's and, when the signer is the OPD's last appointed head, the OPD's. They run side by
 * side, and a change waits for them (and they for it), so a pledge is recorded for the OPD and role the
 * signer has when it lands; a staff pledge never waits for changes to others.
 *
 * ASN keys sort before code keys and those before OPD keys, so work holding an ASN may then take its
 * OPD. It covers every writer in this service process; no other process writes this data directory
 * meanwhile (DataDirLock: the CLI's import refuses while the service runs). A second service instance on
 * EventStoreDB, with its own data directory, is not covered.
 */
@Injectable()
export class OpdMembershipLock extends KeyedLock {
  change<T>(scope: MembershipScope, work: () => Promise<T>): Promise<T> {
    return this.hold(keysOf(scope), work);
  }

  decide<T>(scope: MembershipScope, work: () => Promise<T>): Promise<T> {
    return this.share(keysOf(scope), work);
  }
}

const keysOf = ({ opds = [], asns = [], codes = [] }: MembershipScope): string[] => [
  ...[...asns].map((nip) => `asn:${nip}`),
  ...[...codes].map((code) => `code:${code}`),
  ...[...opds].map((opdId) => `opd:${opdId}`),
];
