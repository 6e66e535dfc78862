import type { RecordedEvent } from '@netral/event-store';
import { createHash } from 'node:crypto';
import { leafBytes, leafDocument } from './leaf';
import { leafHash } from './merkle';

/** A pledge as the store returns it: revision and position are bigints, `created` a Date. */
const event: RecordedEvent = {
  id: '0b5e3c1e-7f52-4a51-9d0c-3f4a8a1b2c3d',
  streamId: 'pledge-pilkada-2024-198503122010011002',
  revision: 3n,
  position: 1234567890123n,
  type: 'PledgeSigned',
  data: {
    signedAt: '2024-09-10',
    place: 'Bangli',
    nip: '198503122010011002',
    role: 'STAFF',
    n: 1.5e21,
  },
  metadata: {
    correlationId: 'korelasi-1',
    actorRole: 'OPD_HEAD',
    actorId: 'kadis.kesehatan',
    z: 'Ñusa ☀',
  },
  created: new Date('2024-09-10T02:03:04.005Z'),
};

describe('leaf format v1 (a contract: outside verifiers recompute these bytes)', () => {
  it('holds exactly v, index, streamId, revision, type, data, metadata and recorded', () => {
    expect(leafDocument(event, 41)).toEqual({
      v: 1,
      index: 41,
      streamId: 'pledge-pilkada-2024-198503122010011002',
      revision: '3', // a string: bigints are not JSON numbers
      type: 'PledgeSigned',
      data: event.data,
      metadata: event.metadata,
      recorded: '2024-09-10T02:03:04.005Z',
    });
  });

  it('is RFC 8785 canonical JSON: keys sorted at every level, ES number form, UTF-8 unescaped', () => {
    const text =
      '{"data":{"n":1.5e+21,"nip":"198503122010011002","place":"Bangli","role":"STAFF","signedAt":"2024-09-10"},' +
      '"index":41,' +
      '"metadata":{"actorId":"kadis.kesehatan","actorRole":"OPD_HEAD","correlationId":"korelasi-1","z":"Ñusa ☀"},' +
      '"recorded":"2024-09-10T02:03:04.005Z","revision":"3",' +
      '"streamId":"pledge-pilkada-2024-198503122010011002","type":"PledgeSigned","v":1}';
    const bytes = leafBytes(event, 41);
    expect(bytes.toString('utf8')).toBe(text);
    // Neither the event id nor its store position is part of the leaf: the index is the log's own order.
    expect(bytes.toString('utf8')).not.toMatch(/0b5e3c1e|1234567890123/);
    expect(leafHash(bytes)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([0]), Buffer.from(text, 'utf8')]))
        .digest(),
    );
  });
});
