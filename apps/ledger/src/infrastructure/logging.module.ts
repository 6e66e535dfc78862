import { Module } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { LoggerModule } from 'nestjs-pino';
import { destination } from 'pino';
import type { Options } from 'pino-http';
import { correlationIdFor } from '../common/correlation';

/** Structured logs (pino). Each request gets a correlation id, logged as `correlationId` on every line it
 * causes (the same value as in X-Correlation-Id and in the metadata of the events it writes). Credentials
 * never reach the logs.
 *
 * JSON lines are written to stdout synchronously. pino's default stream buffers while a write is in
 * flight and flushes only on the process's 'exit' event, which never fires when the service ends by
 * re-raising SIGTERM after a graceful shutdown: the last lines ("event store closed") could be lost, and
 * they are the ones an operator reads after a stop. A line costs a few microseconds to a pipe or file. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options = {
          level: config.log.level,
          genReqId: correlationIdFor,
          customProps: (req) => ({ correlationId: req.id }),
          autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
              '*.password',
              '*.passwordHash',
            ],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { method: string; url: string }) => ({
              method: req.method,
              url: req.url,
            }),
          },
          ...(config.log.format === 'pretty'
            ? {
                transport: {
                  target: 'pino-pretty',
                  options: { singleLine: true, translateTime: 'SYS:HH:MM:ss' },
                },
              }
            : {}),
        } satisfies Options;
        return {
          pinoHttp:
            config.log.format === 'pretty'
              ? options // the transport is a worker thread of its own
              : [options, destination({ dest: 1, sync: true })],
        };
      },
    }),
  ],
})
export class LoggingModule {}
