import {
  EventStoreArgumentError,
  EventStoreClosedError,
  EventStoreUnavailableError,
} from '@netral/event-store';
import { toErrorBody } from './api-exception.filter';

describe('toErrorBody', () => {
  it('answers a value the store refuses (a foreign position, an oversized append) with a 400 naming it', () => {
    const body = toErrorBody(
      new EventStoreArgumentError('fromPosition', 'not a position of this store'),
    );
    expect(body).toMatchObject({
      statusCode: 400,
      code: 'INVALID_ARGUMENT',
      details: [{ field: 'fromPosition', reason: 'not a position of this store' }],
    });
  });

  it('answers the store out of reach, or closing with the service, with a 503 that says what was recorded', () => {
    for (const [error, code, said] of [
      [
        new EventStoreUnavailableError('14 UNAVAILABLE', false),
        'EVENT_STORE_UNAVAILABLE',
        /tidak tercatat/,
      ],
      [new EventStoreClosedError(), 'EVENT_STORE_UNAVAILABLE', /tidak tercatat/],
      [
        new EventStoreUnavailableError('4 DEADLINE_EXCEEDED', true),
        'EVENT_STORE_OUTCOME_UNKNOWN',
        /belum pasti/,
      ],
    ] as const) {
      expect(toErrorBody(error)).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code,
        message: expect.stringMatching(said),
      });
    }
  });

  it('answers anything unknown with a 500 carrying the correlation id and no internals', () => {
    expect(toErrorBody(new Error('disk I/O error at /data/events.sqlite'), 'kor-1')).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: expect.stringContaining('kode korelasi'),
      correlationId: 'kor-1',
    });
  });
});
