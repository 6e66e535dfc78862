import { Injectable } from '@nestjs/common';
import { KeyedLock } from '../common/keyed-lock';

/**
 * Held, per OPD, by every write that decides on who belongs to it: enrolling or moving an ASN into it,
 * importing staff into it, and dissolving it. Each of these reads one aggregate and appends to another (a
 * dissolution counts the ASN streams and appends to the OPD's; an enrolment reads the OPD's and appends
 * to the ASN's), so no expected-revision check can see two of them collide. Held from the read to the
 * append, the lock lets one finish before the other reads: of an enrolment and a dissolution arriving
 * together, one is written and the other refused. It covers every writer in this service process; a
 * writer in another process on the same store (the CLI's import) is not covered.
 */
@Injectable()
export class OpdMembershipLock extends KeyedLock {}
