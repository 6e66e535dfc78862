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

  it('returns the configuration when it is valid', () => {
    expect(loadConfigOrExit({ PORT: '8080' }, () => undefined as never).port).toBe(8080);
  });
});
