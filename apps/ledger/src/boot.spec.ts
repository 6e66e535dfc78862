import { EXIT_CONFIG, loadConfigOrExit } from './boot';

describe('boot', () => {
  it('stops with exit code 78 and a message naming the variable and what is allowed', () => {
    const messages: string[] = [];
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    expect(() =>
      loadConfigOrExit({ NETRAL_SQLITE_SYNC: 'OFF' }, exit, (m) => messages.push(m)),
    ).toThrow('exit 78');
    expect(exit).toHaveBeenCalledWith(EXIT_CONFIG);
    expect(messages[0]).toMatch(/^Netral cannot start\. Invalid configuration:/);
    expect(messages[0]).toContain('NETRAL_SQLITE_SYNC="OFF"');
    expect(messages[0]).toMatch(/FULL.*NORMAL/);
  });

  it.each(['foo', 'esdb://', 'esdb://localhost:abc'])(
    'stops with exit code 78 on the EventStoreDB connection string %j, naming the expected form',
    (value) => {
      const messages: string[] = [];
      const exit = jest.fn((code: number): never => {
        throw new Error(`exit ${code}`);
      });
      expect(() =>
        loadConfigOrExit({ EVENTSTORE_CONNECTION_STRING: value }, exit, (m) => messages.push(m)),
      ).toThrow('exit 78');
      expect(exit).toHaveBeenCalledWith(EXIT_CONFIG);
      expect(messages[0]).toContain(`EVENTSTORE_CONNECTION_STRING=${JSON.stringify(value)}`);
      expect(messages[0]).toContain('esdb://localhost:2113?tls=false');
    },
  );

  it('names PORT once, with the allowed range', () => {
    const messages: string[] = [];
    expect(() =>
      loadConfigOrExit(
        { PORT: 'abc' },
        () => {
          throw new Error('exit');
        },
        (m) => messages.push(m),
      ),
    ).toThrow('exit');
    expect(messages[0].match(/PORT/g)).toHaveLength(1);
    expect(messages[0]).toContain('PORT="abc": must be a whole number from 0 to 65535');
  });

  it('returns the configuration when it is valid', () => {
    expect(loadConfigOrExit({ PORT: '8080' }, () => undefined as never).port).toBe(8080);
  });
});
