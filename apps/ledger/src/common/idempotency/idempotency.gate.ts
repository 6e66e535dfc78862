import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { EventStore, type RecordedEvent } from '@netral/event-store';
import canonicalize from 'canonicalize';
import type { Request } from 'express';
import { InputValidationException } from '../validation';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;
/** How far before a claim an event's timestamp may read (the store's clock, e.g. EventStoreDB's, is
 * not this process's): the search for an interrupted request's write goes back this far past the claim. */
const CLOCK_SLACK_MS = 5 * 60_000;

export type IdempotentRequest = Request & { file?: { buffer?: Buffer } };

/** What a keyed request may do: replay the first answer, or run, holding the key until it settles:
 * `complete` keeps the answer, `release` frees the key (nothing was written), `abandon` leaves it claimed
 * as if the service had stopped mid-request (the store did not answer an append that may have landed),
 * so the next request with it is settled from the ledger. */
export type IdempotencyPass =
  | { replay: { status: number | null; body: unknown } }
  | {
      replay?: undefined;
      complete(status: number, body: unknown): void;
      release(): void;
      abandon(): void;
    };

/** A multipart upload: its file is parsed inside the route, so the route's IdempotencyInterceptor takes
 * its key; every other request's key is taken by the IdempotencyMiddleware. Exactly one of them does. */
export const isUpload = (req: Request): boolean => Boolean(req.is('multipart/form-data'));

/** The request's Idempotency-Key, checked; undefined when it carries none. */
export const idempotencyKeyOf = (req: Request): string | undefined => {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) {
    return undefined;
  }
  if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
    throw new InputValidationException([
      {
        field: 'Idempotency-Key',
        code: 'idempotencyKeyFormat',
        reason: 'harus 1–200 karakter ASCII yang tampak, tanpa spasi (misalnya sebuah UUID)',
      },
    ]);
  }
  return key;
};

/** The path of the first number JSON cannot carry (`1e999` parses to Infinity), if any. */
const nonFiniteNumber = (value: unknown, path: string): string | undefined => {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : path;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = nonFiniteNumber(inner, path ? `${path}.${key}` : key);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
};

/**
 * Idempotency-Key on writes: the same key with the same request returns the first answer and writes
 * nothing; the same key with another request is a 409; a concurrent duplicate in this process waits for
 * the first and replays it. Keys are scoped to the signed-in user. One gate, used by the middleware for
 * JSON writes and by the interceptor of the upload routes (whose file is part of the request).
 */
@Injectable()
export class IdempotencyGate {
  /** Requests running in this process, so a concurrent duplicate waits for the first and replays it. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(EventStore) private readonly events: EventStore,
  ) {}

  /** A keyed fingerprint of method, URL (with its query: a dry run is another request), body and file. */
  fingerprint(req: IdempotentRequest): string {
    const field = nonFiniteNumber(req.body, '');
    if (field !== undefined) {
      // canonicalize (RFC 8785) refuses such numbers: answer what a user can fix, never a 500.
      throw new InputValidationException([
        {
          field: field || 'body',
          code: 'isFinite',
          reason: 'angka terlalu besar atau tidak valid',
        },
      ]);
    }
    const hash = this.store.fingerprint();
    hash.update(`${req.method} ${req.originalUrl}\n`);
    hash.update(canonicalize(req.body ?? null) ?? 'null');
    if (req.file?.buffer) {
      hash.update('\nfile:');
      hash.update(req.file.buffer);
    }
    return hash.digest('hex');
  }

  async enter(scope: string, key: string, hash: string): Promise<IdempotencyPass> {
    const mapKey = `${scope}\u0000${key}`;
    for (;;) {
      const existing = this.store.claim(scope, key, hash, Date.now());
      if (existing === null) {
        break;
      }
      if (existing.requestHash !== hash) {
        throw new ConflictException({
          code: 'IDEMPOTENCY_KEY_REUSED',
          message:
            'Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru untuk data yang berbeda.',
        });
      }
      if (existing.state === 'completed') {
        return {
          replay: { status: existing.status, body: JSON.parse(existing.response) as unknown },
        };
      }
      const running = this.inFlight.get(mapKey);
      // A claim no request of this process holds was left by one that stopped mid-request (a data
      // directory has one service process): settle it from the ledger, then look again.
      await (running ?? this.recover(scope, key, mapKey, existing.startedAt));
    }
    let settle!: () => void;
    this.inFlight.set(mapKey, new Promise<void>((resolve) => (settle = resolve)));
    let open = true;
    /** Records the outcome before waking the duplicates waiting on it; only the first call counts. */
    const settleOnce = (record: () => void): void => {
      if (open) {
        open = false;
        record();
        this.inFlight.delete(mapKey);
        settle();
      }
    };
    return {
      complete: (status, body) =>
        settleOnce(() => this.store.complete(scope, key, status, JSON.stringify(body ?? null))),
      release: () => settleOnce(() => this.store.release(scope, key)),
      abandon: () => settleOnce(() => undefined),
    };
  }

  /**
   * An interrupted request either wrote before it stopped or did not: every event carries its writer's
   * Idempotency-Key, so the ledger tells which. Written: a 409 naming the last event it wrote (running
   * it again could write twice). Not written: the claim is released and the request runs as new. While
   * this looks, duplicates of the request wait on it as on a running one.
   */
  private async recover(scope: string, key: string, mapKey: string, since: number): Promise<void> {
    let settle!: () => void;
    this.inFlight.set(mapKey, new Promise<void>((resolve) => (settle = resolve)));
    try {
      const written = await this.lastWriteOf(scope, key, since - CLOCK_SLACK_MS);
      if (written) {
        throw new ConflictException({
          code: 'IDEMPOTENCY_KEY_INTERRUPTED',
          message:
            'Permintaan dengan Idempotency-Key ini terputus (layanan berhenti, atau penyimpanan data tidak menjawab) setelah sebagian atau seluruh datanya tersimpan. ' +
            `Periksa data pada ${written.streamId} (posisi ${written.position}) sebelum mengirim apa pun yang belum tersimpan dengan kunci baru.`,
        });
      }
      this.store.release(scope, key);
    } finally {
      this.inFlight.delete(mapKey);
      settle();
    }
  }

  /** The newest event written under this caller's key, searching back to `notBefore` (ms). */
  private async lastWriteOf(
    scope: string,
    key: string,
    notBefore: number,
  ): Promise<RecordedEvent | undefined> {
    const newestFirst = this.events.readAll({ fromPosition: 'end', direction: 'backwards' });
    for await (const event of newestFirst) {
      if (event.created.getTime() < notBefore) {
        return undefined;
      }
      const { actorId, idempotencyKey } = event.metadata as Record<string, unknown>;
      if (actorId === scope && idempotencyKey === key) {
        return event;
      }
    }
    return undefined;
  }
}
