import { EventStoreArgumentError } from '@netral/event-store';
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

  it('answers anything unknown with a 500 carrying the correlation id and no internals', () => {
    expect(toErrorBody(new Error('disk I/O error at /data/events.sqlite'), 'kor-1')).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: expect.stringContaining('kode korelasi'),
      correlationId: 'kor-1',
    });
  });
});
