import { Injectable } from '@nestjs/common';
import { KeyedLock } from '../common/keyed-lock';

/**
 * Held, per OPD, by every write that changes or decides on who belongs to it: enrolling, moving an ASN in
 * or out, recording a departure, importing staff, appointing its head, and dissolving it. Each of these
 * reads one aggregate and appends to another (a dissolution counts the ASN streams and appends to the
 * OPD's; an enrolment reads the OPD's and appends to the ASN's; an appointment reads the appointee's and
 * appends to the OPD's), so no expected-revision check can see two of them collide. Held from the read to
 * the append, the lock lets one finish before the other reads: of an enrolment and a dissolution arriving
 * together, one is written and the other refused. It covers every writer in this service process; no
 * other process writes this data directory meanwhile (DataDirLock: the CLI's import refuses while the
 * service runs). A second service instance on EventStoreDB, with its own data directory, is not covered.
 */
@Injectable()
export class OpdMembershipLock extends KeyedLock {}
