import { ServiceUnavailableException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RetryLaterException } from '../common/api-exception.filter';
import { Startup, StartupGate } from './startup';
import { ANSWERED_BEFORE_ROUTING } from '../metrics/answered-before-routing';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

const gateAnswer = (startup: Startup, path = '/api/v1/pledges') => {
  const locals: Record<string, unknown> = {};
  const res = { locals } as unknown as Response;
  const next = jest.fn() as NextFunction;
  try {
    new StartupGate(startup).use({ originalUrl: path } as Request, res, next);
    return { passed: (next as jest.Mock).mock.calls.length === 1, locals };
  } catch (error) {
    return { passed: false, locals, error: error as ServiceUnavailableException };
  }
};

describe('Startup', () => {
  it('runs the steps after every tracked task, in order, then opens the gate', async () => {
    const startup = new Startup();
    const users = deferred();
    const order: string[] = [];
    startup.track(
      'users',
      users.promise.then(() => order.push('users')),
    );
    startup.after('first administrator', async () => {
      order.push('admin');
    });
    startup.after('demo data', async () => {
      order.push('demo');
    });
    expect(startup.health()).toMatchObject({
      status: 'down',
      details: { state: 'starting', waitingFor: ['users', 'first administrator', 'demo data'] },
    });
    const closed = gateAnswer(startup);
    expect(closed.passed).toBe(false);
    // A moment to wait: the exception filter answers it with Retry-After: 5.
    expect(closed.error).toBeInstanceOf(RetryLaterException);
    expect((closed.error as RetryLaterException).retryAfterSeconds).toBe(5);
    expect(closed.locals).toEqual({ [ANSWERED_BEFORE_ROUTING]: 'startup' });
    expect(closed.error?.getStatus()).toBe(503);
    expect(closed.error?.getResponse()).toMatchObject({ code: 'STARTING' });
    expect(gateAnswer(startup, '/health').passed).toBe(true);
    expect(gateAnswer(startup, '/metrics?x=1').passed).toBe(true);
    expect(gateAnswer(startup, '/login').passed).toBe(false);
    users.resolve();
    await startup.ready();
    expect(order).toEqual(['users', 'admin', 'demo']);
    expect(startup.health()).toEqual({ status: 'up', details: { state: 'ready' } });
    expect(gateAnswer(startup).passed).toBe(true);
    startup.onModuleDestroy();
  });

  it('fails with the first failure, skips the steps that needed it, and keeps the gate shut', async () => {
    const startup = new Startup();
    const step = jest.fn(async () => undefined);
    startup.track('read models', Promise.reject(new Error('disk full')));
    startup.after('demo data', step);
    await expect(startup.ready()).rejects.toThrow('read models could not start: disk full');
    expect(step).not.toHaveBeenCalled();
    expect(startup.health()).toMatchObject({
      status: 'down',
      details: { state: 'failed', reason: 'read models could not start: disk full' },
    });
    const failed = gateAnswer(startup);
    expect(failed.error?.getStatus()).toBe(503);
    expect(failed.error?.getResponse()).toMatchObject({ code: 'NOT_READY' });
    // No wait mends a failed startup: no Retry-After.
    expect(failed.error).not.toBeInstanceOf(RetryLaterException);
  });

  it('a failing step fails startup too', async () => {
    const startup = new Startup();
    startup.after('first administrator', () => Promise.reject(new Error('password too short')));
    await expect(startup.ready()).rejects.toThrow(
      'first administrator could not start: password too short',
    );
  });

  it('stopping while starting skips the remaining steps', async () => {
    const startup = new Startup();
    const users = deferred();
    const step = jest.fn(async () => undefined);
    startup.track('users', users.promise);
    startup.after('demo data', step);
    startup.onModuleDestroy();
    users.resolve();
    await startup.ready();
    expect(step).not.toHaveBeenCalled();
    expect(startup.state).toBe('stopped');
  });
});
