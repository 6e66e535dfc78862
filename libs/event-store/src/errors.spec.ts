import { StreamNotFoundError, WrongExpectedVersionError } from './errors';

describe('StreamNotFoundError', () => {
  it('names the stream and leaves stack capture as it was for every other error', () => {
    const limit = Error.stackTraceLimit;
    const error = new StreamNotFoundError('pledge-pilkada-2024-198503122010011002');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'StreamNotFoundError',
      streamId: 'pledge-pilkada-2024-198503122010011002',
      message: 'Stream pledge-pilkada-2024-198503122010011002 not found',
    });
    // An expected outcome, built without frames; the setting is restored for everything else.
    expect(error.stack).toBe(
      'StreamNotFoundError: Stream pledge-pilkada-2024-198503122010011002 not found',
    );
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new WrongExpectedVersionError('s', 0n, 'no_stream').stack).toContain('errors.spec');
  });
});
